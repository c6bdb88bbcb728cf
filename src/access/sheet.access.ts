// Who may read or write an expert's score sheet of an entry, as plain functions over the facts the
// scoring use case read in its one batched query (the hot path: no extra round trip for access).
import { type Conflict, findConflict } from '../judging/conflicts.js';

/** What the service read about an expert × entry pair in its one query. */
export interface ScoringFacts {
  phase: string;
  assigned: boolean;
  /** Member of a panel judging the entry (its session's, or one with an assignment of it); only read when needsPanelMembership. */
  panelMember: boolean;
  declaredConflict: { reason: string } | null;
  expert: { id: number; employerEnterpriseId: number | null; employerUnitId: number | null } | null;
  entry: { id: number; enterpriseId: number; unitId: number | null };
  attendance: string | null;
  signedOff: boolean;
}

export type Refusal =
  | { status: 404; code: 'not_found' }
  | { status: 403; code: 'conflict_of_interest'; reason: string }
  | { status: 409; code: 'wrong_phase'; phase: string }
  | { status: 409; code: 'entry_absent' | 'session_signed_off' };

/** The expert's conflict with the entry (declared, or automatic by employer), or null. */
export function conflictOf(f: ScoringFacts): Conflict | null {
  if (!f.expert) return null;
  return findConflict(
    { id: f.expert.id, employerEnterpriseId: f.expert.employerEnterpriseId, employerUnitId: f.expert.employerUnitId, declared: f.declaredConflict ? [{ entryId: f.entry.id, reason: f.declaredConflict.reason }] : [] },
    { id: f.entry.id, enterpriseId: f.entry.enterpriseId, unitId: f.entry.unitId },
  );
}

/** Whether readRefusal needs `panelMember` (only for an automatic conflict of an unassigned expert: the rare path). */
export function needsPanelMembership(f: ScoringFacts): boolean {
  const conflict = conflictOf(f);
  return conflict !== null && !f.assigned && conflict.source !== 'declared';
}

/**
 * May the expert see its sheet of this entry at all? A conflicted expert (declared, or automatic by
 * employer) is told so (403) when it has anything to do with the entry (assigned, in the entry's
 * panel, or the conflict is its own declaration); anyone else not assigned gets 404.
 */
export function readRefusal(f: ScoringFacts): Refusal | null {
  if (!f.expert) return { status: 404, code: 'not_found' };
  const conflict = conflictOf(f);
  if (conflict && (f.assigned || f.panelMember || conflict.source === 'declared')) {
    return { status: 403, code: 'conflict_of_interest', reason: conflict.reason };
  }
  if (!f.assigned || conflict) return { status: 404, code: 'not_found' };
  return null;
}

/** May the expert write (draft or submit) its sheet now? Reading rules first, then phase, attendance, sign-off. */
export function writeRefusal(f: ScoringFacts): Refusal | null {
  const read = readRefusal(f);
  if (read) return read;
  if (f.phase !== 'presentation') return { status: 409, code: 'wrong_phase', phase: f.phase };
  if (f.attendance === 'absent') return { status: 409, code: 'entry_absent' };
  if (f.signedOff) return { status: 409, code: 'session_signed_off' };
  return null;
}
