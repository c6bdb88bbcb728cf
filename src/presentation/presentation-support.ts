// Small helpers shared by the presentation services: locks, clock, phase gates.
import type { EntityManager } from 'typeorm';
import { nowSeconds, writeLock } from '../database/write-lock.js';
import { findOr404 } from '../database/row-lock.js';
import { AppError, wrongPhase } from '../common/errors.js';
import { Contest, type Phase } from '../contests/contest.entities.js';
import { JUDGING_STATUSES, PRESENTATION_STATUSES } from '../entries/entry-status-rules.js';
import { CONTEST_PHASES } from '../judging/contest-phase.js';
import { PRESENTATION_TEXTS as T } from './presentation.errors.js';

export { JUDGING_STATUSES, nowSeconds, PRESENTATION_STATUSES, writeLock };

/** The contest, locked for update when `lock`; 404 when it does not exist. */
export function loadContest(m: EntityManager, id: number, lock = false): Promise<Contest> {
  return findOr404(m, Contest, { id }, { lock });
}

/**
 * Tracks, panels, conflicts, assignments, sessions and the draw are prepared up to and during the
 * presentation phase; once the contest moves on to finalizing they are what the results rest on.
 */
export function assertPresentationOpen(contest: Contest): void {
  if (CONTEST_PHASES.indexOf(contest.phase) > CONTEST_PHASES.indexOf('presentation')) {
    throw AppError.conflict('presentation_closed', T.presentationClosed(contest.phase), { phase: contest.phase });
  }
}

/** Check-in records what happened at a session, which happens in the presentation phase only. */
export function assertPhase(contest: Contest, phase: Phase): void {
  if (contest.phase !== phase) throw wrongPhase(contest.phase, phase);
}

/** Distinct ids, ascending. */
export function distinctIds(ids: readonly number[]): number[] {
  return [...new Set(ids)].sort((a, b) => a - b);
}
