// Rules of one expert's score sheet, as plain functions over plain data (no Nest, no TypeORM):
// who may score what, when, and the canonical content of a submission.
import { createHash } from 'node:crypto';
import { type Conflict, findConflict } from '../judging/conflicts.js';
import type { RubricItem } from '../judging/rubric.js';

export const COMMENT_MAX = 500;

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
  | { status: 409; code: 'wrong_phase' | 'entry_absent' | 'session_signed_off' };

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
  if (f.phase !== 'presentation') return { status: 409, code: 'wrong_phase' };
  if (f.attendance === 'absent') return { status: 409, code: 'entry_absent' };
  if (f.signedOff) return { status: 409, code: 'session_signed_off' };
  return null;
}

export interface CommentError {
  field: string;
  code: 'not_an_object' | 'unknown_item' | 'not_a_string' | 'too_long';
  message: string;
}

/**
 * Comments per rubric item: text up to 500 characters (counted in code points, so an emoji is one);
 * null or '' removes a comment. Returned in rubric order.
 */
export function validateComments(items: readonly RubricItem[], input: unknown): { ok: true; comments: Record<string, string> } | { ok: false; errors: CommentError[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ field: '', code: 'not_an_object', message: '评语应为「评分项代码: 文字」形式的对象' }] };
  }
  const values = input as Record<string, unknown>;
  const known = new Set(items.map((i) => i.key));
  const errors: CommentError[] = [];
  for (const key of Object.keys(values)) {
    if (!known.has(key)) errors.push({ field: key, code: 'unknown_item', message: `评分表中没有评分项「${key}」` });
  }
  const comments: Record<string, string> = {};
  for (const item of items) {
    const v = Object.hasOwn(values, item.key) ? values[item.key] : undefined;
    if (v === undefined || v === null || v === '') continue;
    if (typeof v !== 'string') errors.push({ field: item.key, code: 'not_a_string', message: `「${item.title}」的评语应为文字` });
    else if ([...v].length > COMMENT_MAX) errors.push({ field: item.key, code: 'too_long', message: `「${item.title}」的评语不能超过 ${COMMENT_MAX} 字` });
    else comments[item.key] = v;
  }
  return errors.length ? { ok: false, errors } : { ok: true, comments };
}

function sortedEntries<V>(o: Record<string, V>): [string, V][] {
  return Object.keys(o)
    .sort()
    .map((k) => [k, o[k]!]);
}

/** sha256 over the canonical marks (tenths) and comments, keys sorted: the same content is the same hash. */
export function contentHash(marks: Record<string, number>, comments: Record<string, string>): string {
  return createHash('sha256')
    .update(JSON.stringify({ marks: sortedEntries(marks), comments: sortedEntries(comments) }))
    .digest('hex');
}

/** Total in tenths when every item is marked, else null (a draft in progress). */
export function completeTotal(items: readonly RubricItem[], marks: Record<string, number>): number | null {
  let total = 0;
  for (const i of items) {
    const v = marks[i.key];
    if (typeof v !== 'number') return null;
    total += v;
  }
  return total;
}
