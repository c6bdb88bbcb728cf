// The rules of preliminary review (材料初审): what makes a decision well-formed, which entries
// await one, and how an entry's status maps to a review state. Plain functions over plain data.
import type { ChecklistItem } from '../contests/contest-rules.js';
import type { EntryStatus } from '../entries/entry.entities.js';
import type { ChecklistResult, ReviewDecisionKind } from './review.entities.js';

/** Entries waiting for a decision of their current round: first recommended, or resubmitted after a return. */
export const AWAITING_REVIEW: readonly EntryStatus[] = ['recommended', 'resubmitted'];

/** Where each decision takes the entry. */
export const DECISION_STATUS: Readonly<Record<ReviewDecisionKind, EntryStatus>> = {
  pass: 'passed',
  return: 'returned',
  reject: 'rejected',
};

/** Statuses that come after a pass (scheduling, presentation, scoring, awards). */
const AFTER_PASS: readonly EntryStatus[] = ['passed', 'scheduled', 'presented', 'absent', 'scored', 'awarded', 'not_awarded'];

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
      problems.push({ field: `checklist.${i}.key`, code: 'unknown_checklist_key', zh: `本次评比的初审检查项中没有「${item.key}」`, en: `"${item.key}" is not an item of this contest's review checklist` });
    } else if (seen.has(item.key)) {
      problems.push({ field: `checklist.${i}.key`, code: 'duplicate_checklist_key', zh: `检查项「${item.key}」重复`, en: `The item "${item.key}" appears twice` });
    } else {
      seen.set(item.key, i);
    }
  });
  for (const c of checklist) {
    if (!seen.has(c.key)) {
      problems.push({ field: 'checklist', code: 'checklist_item_missing', zh: `缺少检查项「${c.title}」（${c.key}）的结论`, en: `The item "${c.key}" has no result` });
    }
  }

  const failed = [...seen.entries()].filter(([, i]) => !input.checklist[i]!.ok);
  const title = new Map(checklist.map((c) => [c.key, c.title]));
  if (input.decision === 'pass') {
    for (const [key, i] of failed) {
      problems.push({ field: `checklist.${i}.ok`, code: 'pass_requires_all_ok', zh: `通过初审要求所有检查项合格，「${title.get(key)}」不合格`, en: `A pass needs every item ok; "${key}" failed` });
    }
  } else if (input.decision === 'return') {
    if (failed.length === 0 && problems.length === 0) {
      problems.push({ field: 'checklist', code: 'return_requires_failed_item', zh: '退回修改须至少指出一项不合格的检查项', en: 'A return needs at least one failed item' });
    }
    for (const [key, i] of failed) {
      if (blank(input.checklist[i]!.note)) {
        problems.push({ field: `checklist.${i}.note`, code: 'note_required', zh: `请说明检查项「${title.get(key)}」不合格的原因`, en: `Say why the item "${key}" failed` });
      }
    }
  } else if (blank(input.reason)) {
    problems.push({ field: 'reason', code: 'required', zh: '不予通过须说明理由', en: 'A rejection needs a reason' });
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
