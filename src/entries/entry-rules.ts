// The rules of an entry's life before judging: when it may be edited, submitted, withdrawn and
// recommended, and what makes its activity period valid. Plain functions over plain data.
import { entriesEditable, resubmissionAllowed, type ContestPhase } from '../judging/contest-phase.js';
import type { EntryStatus } from './entry.entities.js';
import { ENTRIES_TEXTS as T } from './entries.errors.js';
import { ENTRY_TRANSITIONS, nextStatus, reachableFrom, RESERVED_STATUSES } from './entry-status-rules.js';

/**
 * The contests' own ceiling for rules.caps.maxTeamMembers; with the member field limits (see
 * TeamMemberDto) it keeps the team JSON, and an audit row of a change, within a TEXT column's 64 KiB.
 */
export const MAX_TEAM_MEMBERS_HARD = 100;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written 'YYYY-MM-DD' (2023-02-29 is not one). */
export function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

export interface RuleProblem {
  field: string;
  code: string;
  zh: string;
  en: string;
  /** What is missing, in words (for a submission refusal): e.g. 课题名称. */
  label?: string;
}

/** The activity period (活动时间): real dates, end not before start, start not before the contest's limit. */
export function checkActivityPeriod(start: string | null, end: string | null, notBefore: string | null): RuleProblem[] {
  const out: RuleProblem[] = [];
  // A draft may lack either date: what is given is checked, what is missing waits for submission.
  const startOk = start !== null && isCalendarDate(start);
  const endOk = end !== null && isCalendarDate(end);
  if (start !== null && !startOk) out.push({ field: 'activityStart', code: 'invalid_date', ...T.invalidDate });
  if (end !== null && !endOk) out.push({ field: 'activityEnd', code: 'invalid_date', ...T.invalidDate });
  // ISO dates compare correctly as strings.
  if (startOk && endOk && start !== null && end !== null && end < start) {
    out.push({ field: 'activityEnd', code: 'period_ends_before_start', ...T.periodEndsBeforeStart });
  }
  if (startOk && start !== null && notBefore && start < notBefore) {
    out.push({
      field: 'activityStart',
      code: 'period_starts_too_early',
      ...T.periodStartsTooEarly(notBefore),
    });
  }
  return out;
}

/** An entry's content as stored: in a draft any part may still be missing. */
export interface EntryContent {
  title: string | null;
  entryType: string | null;
  team: { name?: string | null; leader?: string | null; members?: { name: string }[] | null } | null;
  summary: string | null;
  activityStart: string | null;
  activityEnd: string | null;
  economicBenefit: number | null;
  // benefitDescription is optional even for submission (no computable benefit: nothing to explain).
}

const blank = (v: string | null | undefined) => v === null || v === undefined || v.trim() === '';

/**
 * Everything that keeps an entry from being submitted, all at once and in the form's order: each
 * missing content field, and the PDF report when none was uploaded. Empty means complete.
 */
export function missingForSubmission(e: EntryContent, hasReport: boolean): RuleProblem[] {
  const out: RuleProblem[] = [];
  const need = (field: string, label: string, missing: boolean) => {
    if (missing) out.push({ field, code: 'required', ...T.notFilledIn(field, label), label });
  };
  need('title', '课题名称', blank(e.title));
  need('entryType', '成果类型', blank(e.entryType));
  need('team.name', '小组名称', blank(e.team?.name));
  need('team.leader', '组长', blank(e.team?.leader));
  need('team.members', '小组成员（至少一人）', !e.team?.members?.length);
  need('summary', '成果简介', blank(e.summary));
  need('activityStart', '活动开始日期', blank(e.activityStart));
  need('activityEnd', '活动结束日期', blank(e.activityEnd));
  need('economicBenefit', '经济效益（没有时填 0）', e.economicBenefit === null || e.economicBenefit === undefined);
  if (!hasReport) out.push({ field: 'attachments.report', code: 'report_required', ...T.reportRequired, label: '成果报告（PDF）' });
  return out;
}

/** The team size allowed by the contest's rules (never above the hard ceiling). */
export function teamMemberLimit(ruleCap: number | undefined): number {
  return Math.min(typeof ruleCap === 'number' && ruleCap > 0 ? ruleCap : MAX_TEAM_MEMBERS_HARD, MAX_TEAM_MEMBERS_HARD);
}

/**
 * Whether the enterprise may change an entry (fields and attachments): a draft while the contest
 * is open; a returned entry (退回修改) while preliminary review runs, which is when returns happen.
 */
export function canEdit(status: EntryStatus, phase: ContestPhase): boolean {
  if (status === 'draft') return entriesEditable(phase);
  if (status === 'returned') return resubmissionAllowed(phase);
  return false;
}

export type SubmitRefusal = 'entry_not_submittable' | 'contest_not_open' | 'submission_not_open' | 'submission_closed' | 'resubmission_closed';

export interface SubmitWindow {
  phase: ContestPhase;
  now: Date;
  opensAt: Date | null;
  closesAt: Date | null;
}

/**
 * Where a submission takes the entry, or why it may not: a draft is submitted while the contest is
 * open and the server time is inside the submission window (both ends inclusive); a returned entry
 * is resubmitted during preliminary review (the deadline was for first submissions).
 */
export function submission(status: EntryStatus, w: SubmitWindow): { to: 'submitted' | 'resubmitted' } | { refused: SubmitRefusal } {
  if (status === 'draft') {
    if ('refused' in nextStatus(status, 'submit', w.phase)) return { refused: 'contest_not_open' };
    if (w.opensAt && w.now.getTime() < new Date(w.opensAt).getTime()) return { refused: 'submission_not_open' };
    if (w.closesAt && w.now.getTime() > new Date(w.closesAt).getTime()) return { refused: 'submission_closed' };
    return { to: 'submitted' };
  }
  if (status === 'returned') {
    return 'to' in nextStatus(status, 'resubmit', w.phase) ? { to: 'resubmitted' } : { refused: 'resubmission_closed' };
  }
  return { refused: 'entry_not_submittable' };
}

/** An enterprise may withdraw its entry until preliminary review has decided on it (the table's `withdraw`). */
export const WITHDRAWABLE_STATUSES: readonly EntryStatus[] = ENTRY_TRANSITIONS.withdraw.from;

export function canWithdraw(status: EntryStatus, phase: ContestPhase): boolean {
  return 'to' in nextStatus(status, 'withdraw', phase);
}

/** A unit recommends or declines what was submitted to it, while the contest is open or in review. */
export function canRecommend(status: EntryStatus, phase: ContestPhase): boolean {
  return 'to' in nextStatus(status, 'recommend', phase);
}

/**
 * Statuses that used up one of the unit's recommendation slots: recommended and everything the
 * table can take it to but a withdrawal (plus the reserved `scored`). Declined and withdrawn entries do not count.
 */
export const RECOMMENDED_OR_LATER: readonly EntryStatus[] = [...reachableFrom('recommended'), ...RESERVED_STATUSES].filter((s) => s !== 'withdrawn');

/** Statuses that count against the enterprise's entry cap: all but withdrawn. */
export function countsTowardsEnterpriseCap(status: EntryStatus): boolean {
  return status !== 'withdrawn';
}
