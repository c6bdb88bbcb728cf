import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { AppError, fieldError } from '../common/errors.js';
import { findOneOrNull, findOr404 } from '../database/row-lock.js';
import { Entry } from '../entries/entry.entities.js';
import { EntryTransitions } from '../entries/entry-transitions.service.js';
import { ScoreSheet } from '../scoring/scoring.entities.js';
import { PresentationSession, SessionSlot } from './presentation.entities.js';
import type { CheckInDto, CheckInResponse, UndoCheckInDto } from './presentation.dto.js';
import { PRESENTATION_TEXTS as T } from './presentation.errors.js';
import { assertPhase, loadContest, nowSeconds } from './presentation-support.js';

/**
 * The check-in desk (签到) on the day: an entry presented or was absent (its status follows, through
 * EntryTransitions), and a mistaken check-in is undone with a reason while nothing rests on it yet.
 */
@Injectable()
export class CheckInService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly transitions: EntryTransitions,
  ) {}

  /** Records that an entry presented or was absent (its status follows; absent entries are not scored). */
  async checkIn(actor: Actor, id: number, dto: CheckInDto) {
    return this.dataSource.transaction(async (m) => {
      const s = await findOr404(m, PresentationSession, { id }, { lock: true });
      const slot = await findOneOrNull(m, SessionSlot, { sessionId: id, entryId: dto.entryId });
      if (!slot) throw AppError.badRequest('validation_failed', undefined, [fieldError('entryId', 'entry_not_in_session', T.entryNotInSession)]);
      const contest = await loadContest(m, s.contestId);
      assertPhase(contest, 'presentation');
      if (!s.drawnAt) throw AppError.conflict('not_drawn', T.notDrawnBeforeCheckIn);
      const entry = await findOr404(m, Entry, { id: dto.entryId }, { lock: true });
      if (slot.attendance !== 'pending') {
        if (slot.attendance === dto.attendance) return this.checkInResponse(slot, entry);
        throw AppError.conflict('already_checked_in', T.alreadyCheckedIn(slot.attendance), { attendance: slot.attendance });
      }
      const now = nowSeconds(this.clock);
      await m.getRepository(SessionSlot).update({ id: slot.id }, { attendance: dto.attendance, checkedAt: now });
      slot.attendance = dto.attendance;
      slot.checkedAt = now;
      await this.transitions.transitionEntry(m, entry, dto.attendance === 'present' ? 'check_in_present' : 'check_in_absent', actor, {
        phase: contest.phase,
        reason: dto.attendance === 'present' ? `在「${s.name}」现场发表` : `未到「${s.name}」现场发表`,
        now,
      });
      await this.audit.record(m, actor, { action: 'presentation.session.check_in', targetType: 'session', targetId: id, after: { entryId: entry.id, attendance: dto.attendance } });
      return this.checkInResponse(slot, entry);
    });
  }

  /**
   * Undoes a check-in with a reason: the slot is pending again and the entry back to scheduled (a
   * new event on its timeline, never a rewritten one), so the desk can record what really happened.
   * Only while the session is open (presentation phase, not signed off) and before any sheet of the
   * entry exists: marks already given rest on the attendance.
   */
  async undoCheckIn(actor: Actor, id: number, entryId: number, dto: UndoCheckInDto) {
    return this.dataSource.transaction(async (m) => {
      const s = await findOr404(m, PresentationSession, { id }, { lock: true });
      const slot = await findOr404(m, SessionSlot, { sessionId: id, entryId });
      const contest = await loadContest(m, s.contestId);
      assertPhase(contest, 'presentation');
      if (s.signedOffAt) throw AppError.conflict('session_signed_off');
      const entry = await findOr404(m, Entry, { id: entryId }, { lock: true });
      if (slot.attendance === 'pending') throw AppError.conflict('not_checked_in');
      const sheets = await m.getRepository(ScoreSheet).count({ where: { entryId } });
      if (sheets > 0) {
        throw AppError.conflict('scoring_started', undefined, { sheets });
      }
      const before = { attendance: slot.attendance, checkedAt: slot.checkedAt ? new Date(slot.checkedAt).toISOString() : null, entryStatus: entry.status };
      await m.getRepository(SessionSlot).update({ id: slot.id }, { attendance: 'pending', checkedAt: null });
      slot.attendance = 'pending';
      slot.checkedAt = null;
      const now = nowSeconds(this.clock);
      await this.transitions.transitionEntry(m, entry, 'undo_check_in', actor, { phase: contest.phase, reason: `撤销「${s.name}」签到：${dto.reason}`, now });
      await this.audit.record(m, actor, {
        action: 'presentation.session.check_in_undo',
        targetType: 'session',
        targetId: id,
        before: { entryId, ...before },
        after: { entryId, attendance: 'pending', checkedAt: null, entryStatus: entry.status, reason: dto.reason },
      });
      return this.checkInResponse(slot, entry);
    });
  }

  private checkInResponse(slot: SessionSlot, entry: Entry): CheckInResponse {
    return {
      sessionId: slot.sessionId,
      entryId: slot.entryId,
      position: slot.position ?? null,
      startsAt: slot.startsAt ? new Date(slot.startsAt).toISOString() : null,
      attendance: slot.attendance,
      checkedAt: slot.checkedAt ? new Date(slot.checkedAt).toISOString() : null,
      entryStatus: entry.status,
    };
  }
}
