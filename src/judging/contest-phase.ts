// Contest phases and the preconditions of moving between them.
//
// A contest only moves forward, one phase at a time, each step an explicit organizer action:
//   draft → open → review → presentation → finalizing → notice → published → archived
// There are no backward moves: what a later phase relies on (a frozen rubric, sheets scored against
// it, a public notice) cannot be undone by rewinding. Mistakes are corrected inside a phase, by the
// recorded actions meant for that (returning an entry, reopening a sheet, adjusting a result).

export const CONTEST_PHASES = ['draft', 'open', 'review', 'presentation', 'finalizing', 'notice', 'published', 'archived'] as const;
export type ContestPhase = (typeof CONTEST_PHASES)[number];

/** Chinese labels, for messages and the UI. */
export const CONTEST_PHASE_LABELS: Readonly<Record<ContestPhase, string>> = {
  draft: '筹备',
  open: '申报',
  review: '材料初审',
  presentation: '现场发表',
  finalizing: '结果汇总',
  notice: '公示',
  published: '已发布',
  archived: '已归档',
};

export function isContestPhase(value: unknown): value is ContestPhase {
  return typeof value === 'string' && (CONTEST_PHASES as readonly string[]).includes(value);
}

/** The phases reachable from `phase` in one step: the next one, or none from `archived`. */
export function nextPhases(phase: ContestPhase): ContestPhase[] {
  const index = CONTEST_PHASES.indexOf(phase);
  return index >= 0 && index < CONTEST_PHASES.length - 1 ? [CONTEST_PHASES[index + 1]!] : [];
}

/**
 * What the service knows about the contest when the organizer asks to move it. Only the facts the
 * requested step needs are read; a needed fact left undefined is reported as a blocker, so that a
 * service that forgot to load something fails loudly instead of letting the contest through.
 */
export interface PhaseFacts {
  now?: Date;
  // draft → open
  /** Each entry type of the contest has a material-stage rubric, and there is a presentation rubric. */
  hasRubrics?: boolean;
  /** The submission window (start and deadline) is set. */
  submissionWindowSet?: boolean;
  submissionDeadline?: Date | null;
  // open → review
  /** Entries recommended by their unit and thus waiting for preliminary review. */
  recommendedEntryCount?: number;
  // review → presentation
  /** Entries (re)submitted for preliminary review that have no decision yet. */
  undecidedReviewCount?: number;
  /** Every entry has a final review outcome: passed or rejected (none left returned). */
  reviewClosedWithOutcome?: boolean;
  /** Every passed entry is scheduled in a presentation session with a panel. */
  sessionsScheduled?: boolean;
  // presentation → finalizing
  /** Scheduled entries recorded neither as presented nor as absent. */
  pendingPresentationCount?: number;
  /** Assigned score sheets not yet submitted. */
  missingSheetCount?: number;
  /** Panels whose leader has not signed off the sheets. */
  unsignedPanelCount?: number;
  // finalizing → notice
  /** Results computed, adjusted and frozen for the notice list. */
  resultsFrozen?: boolean;
  /** Ties at a quota boundary still waiting for the organizer's recorded decision. */
  unresolvedTieCount?: number;
  /** End of the public-notice period (公示). */
  noticeEndsAt?: Date | null;
  // notice → published
  /** Objections (异议) filed during the notice and not yet answered. */
  openObjectionCount?: number;
}

export interface PhaseBlocker {
  code: string;
  message: string;
  count?: number;
  /** The fact a `fact_missing` blocker is about. */
  fact?: keyof PhaseFacts;
}

export type TransitionCheck = { ok: true } | { ok: false; blockers: PhaseBlocker[] };

type Check = (facts: PhaseFacts, blockers: PhaseBlocker[]) => void;

function missing(fact: keyof PhaseFacts): PhaseBlocker {
  return { code: 'fact_missing', message: `缺少判断条件：${fact}`, fact };
}

function requireFlag(fact: keyof PhaseFacts, code: string, message: string): Check {
  return (facts, blockers) => {
    const value = facts[fact];
    if (value === undefined) blockers.push(missing(fact));
    else if (value !== true) blockers.push({ code, message });
  };
}

function requireZero(fact: keyof PhaseFacts, code: string, message: (count: number) => string): Check {
  return (facts, blockers) => {
    const value = facts[fact];
    if (typeof value !== 'number') blockers.push(missing(fact));
    else if (value !== 0) blockers.push({ code, message: message(value), count: value });
  };
}

function requirePositive(fact: keyof PhaseFacts, code: string, message: string): Check {
  return (facts, blockers) => {
    const value = facts[fact];
    if (typeof value !== 'number') blockers.push(missing(fact));
    else if (value <= 0) blockers.push({ code, message, count: value });
  };
}

// Compares a date fact with `now`; `reached` asks for now ≥ date, otherwise now < date. A date that
// is null was never set, which is its own blocker (`unset`).
function requireTime(
  fact: 'submissionDeadline' | 'noticeEndsAt',
  reached: boolean,
  code: string,
  message: string,
  unset: { code: string; message: string },
): Check {
  return (facts, blockers) => {
    const at = facts[fact];
    if (at === undefined) blockers.push(missing(fact));
    else if (at === null) blockers.push({ ...unset });
    if (facts.now === undefined) blockers.push(missing('now'));
    if (at === undefined || at === null || facts.now === undefined) return;
    if ((facts.now.getTime() >= at.getTime()) !== reached) blockers.push({ code, message });
  };
}

const WINDOW_NOT_SET = { code: 'submission_window_not_set', message: '尚未设置成果申报起止时间' };
const NOTICE_NOT_SET = { code: 'notice_period_not_set', message: '尚未设置公示截止时间' };

/** Preconditions of entering each phase from the one before it. */
const ENTRY_CHECKS: Record<Exclude<ContestPhase, 'draft'>, Check[]> = {
  open: [
    requireFlag('hasRubrics', 'rubrics_missing', '尚未为各成果类型和发表环节设置评分表'),
    requireFlag('submissionWindowSet', WINDOW_NOT_SET.code, WINDOW_NOT_SET.message),
    // Opening after the deadline would accept no entry at all.
    requireTime('submissionDeadline', false, 'submission_deadline_passed', '申报截止时间已过，不能开放申报', WINDOW_NOT_SET),
  ],
  review: [
    // Closing before the deadline would shut out enterprises still within the announced window.
    requireTime('submissionDeadline', true, 'submission_deadline_not_reached', '申报截止时间未到，不能进入材料初审', WINDOW_NOT_SET),
    requirePositive('recommendedEntryCount', 'no_recommended_entries', '没有经推荐单位推荐的成果'),
  ],
  presentation: [
    requireZero('undecidedReviewCount', 'reviews_undecided', (n) => `还有 ${n} 项成果未作出初审结论`),
    requireFlag('reviewClosedWithOutcome', 'review_not_closed', '材料初审尚未结束：仍有退回修改的成果没有最终结论'),
    requireFlag('sessionsScheduled', 'sessions_not_scheduled', '尚有通过初审的成果未安排发表场次和评审组'),
  ],
  finalizing: [
    requireZero('pendingPresentationCount', 'presentations_pending', (n) => `还有 ${n} 项成果未记录发表或缺席`),
    requireZero('missingSheetCount', 'score_sheets_missing', (n) => `还有 ${n} 张评分表未提交`),
    requireZero('unsignedPanelCount', 'panels_not_signed_off', (n) => `还有 ${n} 个评审组的组长未确认评分`),
  ],
  notice: [
    requireFlag('resultsFrozen', 'results_not_frozen', '评审结果尚未计算并锁定'),
    requireZero('unresolvedTieCount', 'ties_unresolved', (n) => `还有 ${n} 处名额边界并列未作决定`),
    requireTime('noticeEndsAt', false, 'notice_end_not_in_future', '公示截止时间应晚于当前时间', NOTICE_NOT_SET),
  ],
  published: [
    requireTime('noticeEndsAt', true, 'notice_period_not_over', '公示期尚未结束', NOTICE_NOT_SET),
    requireZero('openObjectionCount', 'objections_open', (n) => `还有 ${n} 件异议未答复`),
  ],
  archived: [],
};

/**
 * Whether the contest may move from `from` to `to`, listing every unmet precondition. Only the move
 * to the immediately next phase is allowed; anything else (a skip, a backward move, staying put)
 * gets the single blocker `transition_not_allowed`.
 */
export function checkTransition(from: ContestPhase, to: ContestPhase, facts: PhaseFacts): TransitionCheck {
  if (!isContestPhase(from) || !isContestPhase(to)) {
    return { ok: false, blockers: [{ code: 'unknown_phase', message: '未知的评比阶段' }] };
  }
  if (!nextPhases(from).includes(to) || to === 'draft') {
    const next = nextPhases(from);
    return {
      ok: false,
      blockers: [
        {
          code: 'transition_not_allowed',
          message:
            next[0] === undefined
              ? `评比已处于最终阶段「${CONTEST_PHASE_LABELS[from]}」`
              : `只能从「${CONTEST_PHASE_LABELS[from]}」进入下一阶段「${CONTEST_PHASE_LABELS[next[0]]}」，不能进入「${CONTEST_PHASE_LABELS[to]}」`,
        },
      ],
    };
  }
  const found: PhaseBlocker[] = [];
  for (const check of ENTRY_CHECKS[to]) check(facts, found);
  // Two checks may report the same cause (an unset window is both a flag and a missing deadline).
  const blockers = found.filter((b, i) => found.findIndex((o) => o.code === b.code && o.fact === b.fact) === i);
  return blockers.length === 0 ? { ok: true } : { ok: false, blockers };
}

/** Rubrics are frozen once presentation starts: sheets are scored against them from then on. */
export function isRubricFrozen(phase: ContestPhase): boolean {
  return CONTEST_PHASES.indexOf(phase) >= CONTEST_PHASES.indexOf('presentation');
}

/**
 * Whether enterprises may create and edit entries: only while the contest is open. Resubmitting a
 * returned entry during review is governed by the entry's own state, see resubmissionAllowed.
 */
export function entriesEditable(phase: ContestPhase): boolean {
  return phase === 'open';
}

/** A returned entry (退回修改) may be revised and resubmitted only during preliminary review. */
export function resubmissionAllowed(phase: ContestPhase): boolean {
  return phase === 'review';
}
