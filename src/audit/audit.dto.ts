// Response bodies of the audit routes, for the OpenAPI document.
import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../common/pagination.js';

const JSON_VALUE = { type: 'object', additionalProperties: true, nullable: true } as const;

export class AuditEventResponse {
  id: number;
  /** `user:<id>` or `system`: the hash chain the event belongs to. */
  chainKey: string;
  seq: number;
  actorId: number | null;
  actorRole: string;
  /** The actor's account as it is now (null for system events or a removed account). */
  actorUsername: string | null;
  actorName: string | null;
  action: string;
  targetType: string;
  targetId: string;
  /** The state before the change (null for creations). */
  @ApiProperty({ ...JSON_VALUE, description: 'The state before the change (null for creations).' })
  before: Record<string, unknown> | null;
  @ApiProperty({ ...JSON_VALUE, description: 'The state after the change (null for deletions).' })
  after: Record<string, unknown> | null;
  requestId: string | null;
  createdAt: string;
  /** sha256 over the previous hash and this event. */
  hash: string;
}

export class AuditEventPage extends PageOf(AuditEventResponse) {}

export class AuditBrokenLink {
  id: number;
  chainKey: string;
  seq: number;
  problem: string;
}

export class AuditVerificationResponse {
  ok: boolean;
  chains: number;
  events: number;
  firstBroken: AuditBrokenLink | null;
}
