// An entry's status lifecycle as data: from-status × action → to-status, with the contest phases in
// which the action may happen. Every status change goes through transitionEntry (entry-transitions.service.ts),
// which asks this table. Plain data and functions (no Nest, no TypeORM: ESLint enforces it).
import { CONTEST_PHASES, type ContestPhase } from '../judging/contest-phase.js';
import type { EntryStatus } from './entry.entities.js';

export const ENTRY_ACTIONS = [
  'submit', 'resubmit', 'withdraw', 'recommend', 'decline',
  'pass', 'return', 'reject', 'close_reject',
  'schedule', 'check_in_present', 'check_in_absent', 'undo_check_in',
  'award', 'not_award',
] as const;
export type EntryAction = (typeof ENTRY_ACTIONS)[number];

export interface EntryTransition {
  from: readonly EntryStatus[];
  to: EntryStatus;
  /** The contest phases in which the action may happen. */
  phases: readonly ContestPhase[];
}

const UP_TO_PRESENTATION = CONTEST_PHASES.slice(0, CONTEST_PHASES.indexOf('presentation') + 1);
const AWAITING: readonly EntryStatus[] = ['recommended', 'resubmitted'];
/** What publication gives an award or not: every judged entry that presented or never needed to (absent ones keep their status). */
const PUBLISHABLE: readonly EntryStatus[] = ['passed', 'scheduled', 'presented', 'scored', 'awarded', 'not_awarded'];

/**
 * The table. Submission windows, caps, deadlines and who may act are checked by the use cases on
 * top of it (entry-rules.ts, src/access); the table is what no use case may bypass.
 */
export const ENTRY_TRANSITIONS: Readonly<Record<EntryAction, EntryTransition>> = {
  // The enterprise (entries): a draft is submitted while the contest is open; a returned entry is resubmitted during review.
  submit: { from: ['draft'], to: 'submitted', phases: ['open'] },
  resubmit: { from: ['returned'], to: 'resubmitted', phases: ['review'] },
  withdraw: { from: ['draft', 'submitted', 'recommended'], to: 'withdrawn', phases: ['open', 'review'] },
  // The recommending unit.
  recommend: { from: ['submitted'], to: 'recommended', phases: ['open', 'review'] },
  decline: { from: ['submitted'], to: 'declined', phases: ['open', 'review'] },
  // The organizer's preliminary review; closing review rejects what is still awaiting or returned.
  pass: { from: AWAITING, to: 'passed', phases: ['review'] },
  return: { from: AWAITING, to: 'returned', phases: ['review'] },
  reject: { from: AWAITING, to: 'rejected', phases: ['review'] },
  close_reject: { from: [...AWAITING, 'returned'], to: 'rejected', phases: ['review'] },
  // Presentation: sessions are prepared up to the presentation phase; check-in happens in it.
  schedule: { from: ['passed'], to: 'scheduled', phases: UP_TO_PRESENTATION },
  check_in_present: { from: ['scheduled'], to: 'presented', phases: ['presentation'] },
  check_in_absent: { from: ['scheduled'], to: 'absent', phases: ['presentation'] },
  undo_check_in: { from: ['presented', 'absent'], to: 'scheduled', phases: ['presentation'] },
  // Publication (src/results, set-based) and every corrected publication.
  award: { from: PUBLISHABLE, to: 'awarded', phases: ['notice', 'published'] },
  not_award: { from: PUBLISHABLE, to: 'not_awarded', phases: ['notice', 'published'] },
};

/** Statuses no action leaves: the entry's story is over. */
export const TERMINAL_STATUSES: readonly EntryStatus[] = ['declined', 'rejected', 'withdrawn'];

/**
 * Statuses of the schema that no use case sets (yet): `scored` is accepted by lists and filters
 * but nothing moves an entry there; an entry stays `presented` while it is scored.
 */
export const RESERVED_STATUSES: readonly EntryStatus[] = ['scored'];

/**
 * THE judging statuses: an entry that passed preliminary review and everything the table can take
 * it to from there (plus the reserved `scored`). Every list of "entries in judging" derives from it.
 */
export const JUDGING_STATUSES: readonly EntryStatus[] = ['passed', 'scheduled', 'presented', 'absent', 'scored', 'awarded', 'not_awarded'];

/** The outcome statuses (scoring and publication): judging entries past presentation. */
export const OUTCOME_STATUSES: readonly EntryStatus[] = ['scored', 'awarded', 'not_awarded'];

/**
 * Judging entries still being presented (passed review, not yet scored or published): these get
 * assignments, and presented and absent ones keep theirs when a panel's assignment is redone.
 */
export const PRESENTATION_STATUSES: readonly EntryStatus[] = JUDGING_STATUSES.filter((s) => !OUTCOME_STATUSES.includes(s));

export type TransitionRefusal = 'status' | 'phase';

/** Where `action` takes an entry in `status` while the contest is in `phase`, or why it may not. */
export function nextStatus(status: EntryStatus, action: EntryAction, phase: ContestPhase): { to: EntryStatus } | { refused: TransitionRefusal } {
  const t = ENTRY_TRANSITIONS[action];
  if (!t.from.includes(status)) return { refused: 'status' };
  if (!t.phases.includes(phase)) return { refused: 'phase' };
  return { to: t.to };
}

/** Whether `action` may take an entry in `status` anywhere (in some phase). */
export function actionAllowedFrom(status: EntryStatus, action: EntryAction): boolean {
  return ENTRY_TRANSITIONS[action].from.includes(status);
}

/** Every status the table can take an entry in `status` to (itself included), in any phases. */
export function reachableFrom(status: EntryStatus): Set<EntryStatus> {
  const seen = new Set<EntryStatus>([status]);
  const queue = [status];
  while (queue.length) {
    const s = queue.shift()!;
    for (const t of Object.values(ENTRY_TRANSITIONS)) {
      if (t.from.includes(s) && !seen.has(t.to)) {
        seen.add(t.to);
        queue.push(t.to);
      }
    }
  }
  return seen;
}
