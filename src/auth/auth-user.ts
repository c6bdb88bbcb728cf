import type { Role } from '../accounts/role.js';

/** Who is making the request, as the guards established it; passed to services explicitly. */
export interface AuthUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  /** The organisation of a recommender (unitId), enterprise (enterpriseId) or expert (expertId) account. */
  unitId: number | null;
  enterpriseId: number | null;
  expertId: number | null;
}

/** The actor of a write, for the audit trail. */
export interface Actor {
  id: number | null;
  role: Role | 'system';
  requestId: string | null;
}

export function actorOf(user: AuthUser, requestId: string | null): Actor {
  return { id: user.id, role: user.role, requestId };
}

export const SYSTEM_ACTOR: Actor = { id: null, role: 'system', requestId: null };
