import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { AppError } from '../common/errors.js';
import { insertRows } from '../database/insert-rows.js';
import { nowSeconds } from '../database/write-lock.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import type { ContestPhase } from '../judging/contest-phase.js';
import { Entry, EntryEvent } from './entry.entities.js';
import { nextStatus, type EntryAction } from './entry-status-rules.js';

/**
 * The audit row of each entry action, named as the trail has always named it. Publication moves
 * entries set-based in src/results (entry-outcomes.ts) under its own `results.publish` row; were it
 * to come through transitionEntry, its rows would carry the publication's name too.
 */
const AUDIT: Readonly<Record<EntryAction, { action: string }>> = {
  submit: { action: 'entry.submit' },
  resubmit: { action: 'entry.resubmit' },
  withdraw: { action: 'entry.withdraw' },
  recommend: { action: 'entry.recommend' },
  decline: { action: 'entry.decline' },
  pass: { action: 'review.pass' },
  return: { action: 'review.return' },
  reject: { action: 'review.reject' },
  close_reject: { action: 'review.close_reject' },
  schedule: { action: 'presentation.entry.schedule' },
  check_in_present: { action: 'presentation.entry.check_in' },
  check_in_absent: { action: 'presentation.entry.check_in' },
  undo_check_in: { action: 'presentation.entry.check_in_undo' },
  award: { action: 'results.publish' },
  not_award: { action: 'results.publish' },
};

export interface TransitionOptions {
  /** The contest's phase, read by the caller in the same transaction. */
  phase: ContestPhase;
  /** The line on the entry's timeline (and in the audit row). */
  reason?: string | null;
  now?: Date;
  /** Other columns changed with the status (e.g. submittedAt). */
  changes?: Partial<Pick<Entry, 'submittedAt'>>;
}

/**
 * The one way an entry's status changes (review, recommendation, submission, withdrawal,
 * scheduling, check-in): the transition table says whether the action may happen (entry-status-rules.ts),
 * a conditional update on (status, version) makes a concurrent change a 409 and never a lost
 * update, and an EntryEvent and an audit row are written through `m`, the caller's transaction.
 */
@Injectable()
export class EntryTransitions {
  constructor(
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly notifications: NotificationsService,
  ) {}

  async transitionEntry(m: EntityManager, entry: Entry, action: EntryAction, actor: Actor, opts: TransitionOptions): Promise<Entry> {
    const from = entry.status;
    const next = nextStatus(from, action, opts.phase);
    // The use cases refuse first with their own codes; this is the guard none of them can skip.
    if ('refused' in next) throw AppError.conflict('entry_transition_refused', undefined, { entryId: entry.id, status: from, action, phase: opts.phase });
    const to = next.to;
    const now = opts.now ?? nowSeconds(this.clock);
    const res = await m
      .getRepository(Entry)
      .update({ id: entry.id, status: from, version: entry.version }, { ...opts.changes, status: to, version: entry.version + 1, updatedAt: now });
    if (!res.affected) throw AppError.conflict('entry_changed_concurrently', undefined, { entryId: entry.id });
    Object.assign(entry, opts.changes ?? {});
    entry.status = to;
    entry.version += 1;
    entry.updatedAt = now;
    const reason = opts.reason ?? null;
    await insertRows(m, EntryEvent, [{
      entryId: entry.id,
      fromStatus: from,
      toStatus: to,
      actorId: actor.id,
      actorRole: actor.role,
      reason,
      createdAt: now,
    }]);
    await this.audit.record(m, actor, {
      action: AUDIT[action].action,
      targetType: 'entry',
      targetId: entry.id,
      before: { status: from },
      after: reason ? { status: to, reason } : { status: to },
    });
    await this.notifications.notify(m, { event: 'entry.status', entryId: entry.id, to, reason });
    return entry;
  }
}
