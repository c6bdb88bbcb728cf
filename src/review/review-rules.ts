// The rules of preliminary review (材料初审): what makes a decision well-formed, which entries
// await one, and how an entry's status maps to a review state. Plain functions over plain data.
import type { ChecklistItem } from '../contests/contest-rules.js';
import type { EntryStatus } from '../entries/entry.entities.js';
import { ENTRY_TRANSITIONS, JUDGING_STATUSES } from '../entries/entry-status-rules.js';
import type { ChecklistResult, ReviewDecisionKind } from './review.entities.js';
import { REVIEW_TEXTS as T } from './review.errors.js';

/** Entries waiting for a decision of their current round: first recommended, or resubmitted after a return. */
export const AWAITING_REVIEW: readonly EntryStatus[] = ENTRY_TRANSITIONS.pass.from;

/** Where each decision takes the entry. */
export const DECISION_STATUS: Readonly<Record<ReviewDecisionKind, EntryStatus>> = {
  pass: ENTRY_TRANSITIONS.pass.to,
  return: ENTRY_TRANSITIONS.return.to,
  reject: ENTRY_TRANSITIONS.reject.to,
};

/** Statuses that come after a pass (scheduling, presentation, scoring, awards): the judging statuses. */
const AFTER_PASS = JUDGING_STATUSES;

export type ReviewState = 'awaiting' | 'passed' | 'returned' | 'rejected';

/** The review state of an entry by its status; null when the entry never reached review (or left it). */
export function reviewState(status: EntryStatus): ReviewState | null {
  if (AWAITING_REVIEW.includes(status)) return 'awaiting';
  if (AFTER_PASS.includes(status)) return 'passed';
  if (status === 'returned') return 'returned';
  if (status === 'rejected') return 'rejected';
  return null;
}

/** Statuses counted by the review statistics (every status with a review state). */
export const REVIEWED_OR_AWAITING: readonly EntryStatus[] = [...AWAITING_REVIEW, ...AFTER_PASS, 'returned', 'rejected'];

/**
 * Why an entry cannot take a decision now: `already_decided` when its current round has one (it
 * was passed, returned or rejected and has not come back), otherwise it never reached review.
 */
export function notAwaitingReason(status: EntryStatus): 'already_decided' | 'entry_not_awaiting_review' | null {
  if (AWAITING_REVIEW.includes(status)) return null;
  return reviewState(status) === null ? 'entry_not_awaiting_review' : 'already_decided';
}

export interface ChecklistInput {
  key: string;
  ok: boolean;
  note?: string | null;
}

export interface DecisionProblem {
  field: string;
  code: string;
  zh: string;
  en: string;
}

const blank = (s: string | null | undefined): boolean => !s || !s.trim();

/**
 * Checks a decision against the contest's checklist: the results cover exactly its keys (each
 * once); a pass has every item ok; a return has at least one failed item, each failed item with a
 * note; a reject has a reason. Returns the results in the checklist's order, or every problem.
 */
export function checkDecision(
  checklist: readonly ChecklistItem[],
  input: { decision: ReviewDecisionKind; checklist: ChecklistInput[]; reason?: string | null },
): { ok: true; results: ChecklistResult[] } | { ok: false; problems: DecisionProblem[] } {
  const problems: DecisionProblem[] = [];
  const known = new Set(checklist.map((c) => c.key));
  const seen = new Map<string, number>();
  input.checklist.forEach((item, i) => {
    if (!known.has(item.key)) {
      problems.push({ field: `checklist.${i}.key`, code: 'unknown_checklist_key', ...T.unknownChecklistKey(item.key) });
    } else if (seen.has(item.key)) {
      problems.push({ field: `checklist.${i}.key`, code: 'duplicate_checklist_key', ...T.duplicateChecklistKey(item.key) });
    } else {
      seen.set(item.key, i);
    }
  });
  for (const c of checklist) {
    if (!seen.has(c.key)) {
      problems.push({ field: 'checklist', code: 'checklist_item_missing', ...T.checklistItemMissing(c.title, c.key) });
    }
  }

  const failed = [...seen.entries()].filter(([, i]) => !input.checklist[i]!.ok);
  const title = new Map(checklist.map((c) => [c.key, c.title]));
  if (input.decision === 'pass') {
    for (const [key, i] of failed) {
      problems.push({ field: `checklist.${i}.ok`, code: 'pass_requires_all_ok', ...T.passRequiresAllOk(title.get(key), key) });
    }
  } else if (input.decision === 'return') {
    if (failed.length === 0 && problems.length === 0) {
      problems.push({ field: 'checklist', code: 'return_requires_failed_item', ...T.returnRequiresFailedItem });
    }
    for (const [key, i] of failed) {
      if (blank(input.checklist[i]!.note)) {
        problems.push({ field: `checklist.${i}.note`, code: 'note_required', ...T.noteRequired(title.get(key), key) });
      }
    }
  } else if (blank(input.reason)) {
    problems.push({ field: 'reason', code: 'required', ...T.rejectionNeedsReason });
  }
  if (problems.length) return { ok: false, problems };

  const results = checklist.map((c) => {
    const item = input.checklist[seen.get(c.key)!]!;
    return { key: c.key, ok: item.ok, note: blank(item.note) ? null : item.note!.trim() };
  });
  return { ok: true, results };
}

/** An all-ok checklist (bulk pass). */
export function allOk(checklist: readonly ChecklistItem[]): ChecklistResult[] {
  return checklist.map((c) => ({ key: c.key, ok: true, note: null }));
}

/**
 * The reason recorded on the entry's timeline: the organizer's reason, and for a return the failed
 * items with their notes, so that the enterprise reads what to fix.
 */
export function timelineReason(checklist: readonly ChecklistItem[], decision: ReviewDecisionKind, results: ChecklistResult[], reason: string | null): string | null {
  const lines: string[] = [];
  if (reason) lines.push(reason);
  if (decision === 'return') {
    const titles = new Map(checklist.map((c) => [c.key, c.title]));
    for (const r of results.filter((x) => !x.ok)) lines.push(`${titles.get(r.key) ?? r.key}：${r.note ?? ''}`);
  }
  return lines.length ? lines.join('\n') : null;
}
