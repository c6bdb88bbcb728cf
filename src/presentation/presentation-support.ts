// Small helpers shared by the presentation services: locks, clock, phase gates, entry transitions.
import type { EntityManager } from 'typeorm';
import { nowSeconds, writeLock } from '../database/write-lock.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/auth-user.js';
import { AppError } from '../common/errors.js';
import { Contest, type Phase } from '../contests/contest.entities.js';
import { Entry, EntryEvent, type EntryStatus } from '../entries/entry.entities.js';
import { CONTEST_PHASES } from '../judging/contest-phase.js';

export { nowSeconds, writeLock };

/**
 * Statuses of an entry in the judging stage (passed review, not yet scored): these get
 * assignments. Presented and absent entries keep theirs when a panel's assignment is redone.
 */
export const JUDGING_STATUSES: readonly EntryStatus[] = ['passed', 'scheduled', 'presented', 'absent'];

/** The contest, locked for update when `lock`; 404 when it does not exist. */
export async function loadContest(m: EntityManager, id: number, lock = false): Promise<Contest> {
  const contest = await m.getRepository(Contest).findOne({ where: { id }, lock: lock ? writeLock(m) : undefined });
  if (!contest) throw AppError.notFound();
  return contest;
}

/**
 * Tracks, panels, conflicts, assignments, sessions and the draw are prepared up to and during the
 * presentation phase; once the contest moves on to finalizing they are what the results rest on.
 */
export function assertPresentationOpen(contest: Contest): void {
  if (CONTEST_PHASES.indexOf(contest.phase) > CONTEST_PHASES.indexOf('presentation')) {
    throw AppError.conflict(
      'presentation_closed',
      { zh: '现场发表阶段已结束，评审组、分配和场次不能再修改', en: `Presentation is over (phase ${contest.phase}); panels, assignments and sessions are frozen` },
      { phase: contest.phase },
    );
  }
}

/** Check-in records what happened at a session, which happens in the presentation phase only. */
export function assertPhase(contest: Contest, phase: Phase): void {
  if (contest.phase !== phase) {
    throw AppError.conflict(
      'wrong_phase',
      { zh: '评比活动当前不处于现场发表阶段', en: `The contest is in phase ${contest.phase}, not ${phase}` },
      { phase: contest.phase, required: phase },
    );
  }
}

/**
 * Moves an entry from its current status to `to`: a conditional update (so a concurrent change is
 * a 409, never a lost update), an EntryEvent on its timeline and an audit row, all through `m`.
 */
export async function transitionEntry(
  m: EntityManager,
  audit: AuditService,
  actor: Actor,
  entry: Entry,
  to: EntryStatus,
  opts: { action: string; reason?: string | null; now: Date },
): Promise<void> {
  const from = entry.status;
  const res = await m
    .getRepository(Entry)
    .update({ id: entry.id, status: from, version: entry.version }, { status: to, version: entry.version + 1, updatedAt: opts.now });
  if (!res.affected) {
    throw AppError.conflict('entry_changed_concurrently', { zh: '成果已被他人修改，请刷新后重试', en: 'The entry was changed concurrently; reload and retry' }, { entryId: entry.id });
  }
  entry.status = to;
  entry.version += 1;
  entry.updatedAt = opts.now;
  await m.getRepository(EntryEvent).insert({
    entryId: entry.id,
    fromStatus: from,
    toStatus: to,
    actorId: actor.id,
    actorRole: actor.role,
    reason: opts.reason ?? null,
    createdAt: opts.now,
  });
  await audit.record(m, actor, {
    action: opts.action,
    targetType: 'entry',
    targetId: entry.id,
    before: { status: from },
    after: opts.reason ? { status: to, reason: opts.reason } : { status: to },
  });
}

/** Distinct ids, ascending. */
export function distinctIds(ids: readonly number[]): number[] {
  return [...new Set(ids)].sort((a, b) => a - b);
}
