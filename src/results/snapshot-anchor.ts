/**
 * A frozen result is anchored in the hash-chained audit trail: the `results.freeze` event (or
 * `results.republish` for a corrected version) records the snapshot's hash and its public list hash,
 * and `results.publish` repeats them. Editing the snapshot row then shows as a hash that no longer
 * matches its anchor; editing the anchor breaks the audit chain.
 */
import type { EntityManager } from 'typeorm';
import { placeholders } from '../scoring/sql.js';

/** Snapshot states whose hash can no longer change, so must be anchored. */
const ANCHORED_STATUSES = ['frozen', 'published', 'superseded'];
/** Events that fix a snapshot's hash (the first one of a snapshot is its anchor). */
const FIXING_ACTIONS = ['results.freeze', 'results.republish'];
const ANCHOR_ACTIONS = [...FIXING_ACTIONS, 'results.publish'];

export interface AnchorEvent {
  id: number;
  action: string;
  after: Record<string, unknown>;
}

export interface SnapshotAnchor {
  eventId: number;
  action: string;
  hash: string | null;
  /** Absent in events recorded before the public list hash existed. */
  listHash: string | null;
}

export type AnchorProblem = 'anchor_missing' | 'hash_not_anchored' | 'list_hash_mismatch';

export interface AnchorVerification {
  /** Frozen, published and superseded snapshots must be anchored; a computed one may still change. */
  required: boolean;
  ok: boolean;
  anchor: SnapshotAnchor | null;
  /** The public list hash recomputed from the stored payload (null when the payload cannot be read). */
  listHash: string | null;
  /** Every anchoring event of the snapshot (freeze, publish, republish) whose hash differs from the stored one. */
  conflictingEventIds: number[];
  problems: AnchorProblem[];
}

/** The contest's freeze, publish and republish events, oldest first (by the audit index on the target). */
export async function loadAnchorEvents(m: EntityManager, contestId: number): Promise<AnchorEvent[]> {
  const rows: { id: number; action: string; after: string | null }[] = await m.query(
    `SELECT id, action, after FROM audit_events WHERE target_type = 'contest' AND target_id = ? AND action IN (${placeholders(ANCHOR_ACTIONS)}) ORDER BY id`,
    [String(contestId), ...ANCHOR_ACTIONS],
  );
  return rows.map((r) => {
    let after: unknown;
    try {
      after = r.after === null ? null : JSON.parse(r.after);
    } catch {
      after = null;
    }
    return { id: Number(r.id), action: r.action, after: after !== null && typeof after === 'object' ? (after as Record<string, unknown>) : {} };
  });
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The event that fixed this snapshot's hash, or null. */
export function anchorOf(events: readonly AnchorEvent[], snapshotId: number): SnapshotAnchor | null {
  const e = events.find((x) => FIXING_ACTIONS.includes(x.action) && x.after.snapshotId === snapshotId);
  return e ? { eventId: e.id, action: e.action, hash: str(e.after.hash), listHash: str(e.after.listHash) } : null;
}

/** Checks a snapshot's stored hash and its public list hash against the audit events that anchor them. */
export function checkAnchor(
  events: readonly AnchorEvent[],
  snapshot: { id: number; status: string; hash: string },
  listHash: string | null,
): AnchorVerification {
  const required = ANCHORED_STATUSES.includes(snapshot.status);
  const anchor = anchorOf(events, snapshot.id);
  const conflictingEventIds = events.filter((e) => e.after.snapshotId === snapshot.id && e.after.hash !== snapshot.hash).map((e) => e.id);
  const problems: AnchorProblem[] = [];
  if (required && !anchor) problems.push('anchor_missing');
  if (conflictingEventIds.length) problems.push('hash_not_anchored');
  if (anchor?.listHash && anchor.listHash !== listHash) problems.push('list_hash_mismatch');
  return { required, ok: problems.length === 0, anchor, listHash, conflictingEventIds, problems };
}
