import { User } from '../accounts/user.entity.js';
import { AuditChainHead, AuditEvent } from '../audit/audit-event.entity.js';
import { LoginThrottle } from '../auth/login-throttle.entity.js';

/** Every entity, listed once for the app, the migration runner and the schema-drift test. */
export const ENTITIES = [User, LoginThrottle, AuditEvent, AuditChainHead];
