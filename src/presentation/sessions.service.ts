import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import { AuditService } from '../audit/audit.service.js';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { AppError, fieldError, type FieldError } from '../common/errors.js';
import { pageWindow, type Page, type PageQuery } from '../common/pagination.js';
import { Track } from '../contests/contest.entities.js';
import { findOr404 } from '../database/row-lock.js';
import { Entry } from '../entries/entry.entities.js';
import { EntryTransitions } from '../entries/entry-transitions.service.js';
import { drawOrder, revealAndDraw } from '../judging/order-draw.js';
import { Panel, PresentationSession, SessionSlot } from './presentation.entities.js';
import { type CreateSessionDto, type SessionResponse, sessionEnd, type SwapDto, toSessionResponse } from './presentation.dto.js';
import { PRESENTATION_TEXTS as T } from './presentation.errors.js';
import { assertPresentationOpen, loadContest, nowSeconds, writeLock } from './presentation-support.js';
import { SessionsRepository, SLOT_ORDER } from './sessions.repository.js';
import { NotificationsService } from '../notifications/notifications.service.js';

/** What anyone needs to recompute a draw, in words (see src/judging/order-draw.ts). */
export const DRAW_ALGORITHM =
  'commitment = hex(SHA-256(UTF-8 seed)), published before the draw. order = drawOrder(seed, entryIds): ' +
  'a = entryIds sorted ascending; j = 0; for i = n-1 down to 1: r = i+1, limit = 2^256 - (2^256 mod r); ' +
  'repeat h = HMAC-SHA256(key = UTF-8 seed, message = ASCII "draw:" + j in decimal), j = j+1, x = h as a 256-bit big-endian integer, until x < limit; ' +
  'k = x mod r; swap a[i] and a[k]. a[0] presents first (position 1); ' +
  'entry i (0-based) starts at startsAt + i × (slotMinutes + qaMinutes) minutes.';

/**
 * 现场发表, the organizer's scheduling: sessions in venues (their entries move to `scheduled`), the
 * verifiable draw of the order (抽签) and swaps with reasons. Check-in is CheckInService; the
 * schedules enterprises and experts read are SchedulesService.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly access: AccessService,
    private readonly sessions: SessionsRepository,
    private readonly transitions: EntryTransitions,
    private readonly notifications: NotificationsService,
  ) {}

  async list(contestId: number, q: PageQuery): Promise<Page<SessionResponse>> {
    const m = this.dataSource.manager;
    await loadContest(m, contestId);
    const { skip, take, page, pageSize } = pageWindow(q);
    const [rows, total] = await m.getRepository(PresentationSession).findAndCount({ where: { contestId }, order: { startsAt: 'ASC', id: 'ASC' }, skip, take });
    const slots = await this.sessions.slotsOf(m, rows.map((s) => s.id));
    return { items: rows.map((s) => toSessionResponse(s, slots.filter((x) => x.sessionId === s.id).length)), total, page, pageSize };
  }

  /** Organizers see every session; an expert those of its panels (404 otherwise: src/access/session.access.ts). */
  async get(user: AuthUser, id: number): Promise<SessionResponse> {
    await this.access.requireAccess(user, 'session.read', [id]);
    const m = this.dataSource.manager;
    return this.sessions.sessionResponse(m, await findOr404(m, PresentationSession, { id }));
  }

  // ---------------------------------------------------------------- creating

  /**
   * A session of one track judged by the track's panel; its entries get slots (no position until
   * the draw) and move to `scheduled`. Refused when it overlaps another session in the same venue.
   */
  async create(actor: Actor, contestId: number, dto: CreateSessionDto): Promise<SessionResponse> {
    return this.dataSource.transaction(async (m) => {
      // The contest row serialises session creation, so two overlapping sessions cannot both pass.
      const contest = await loadContest(m, contestId, true);
      const problems: FieldError[] = [];
      const track = await m.getRepository(Track).findOneBy({ id: dto.trackId, contestId });
      if (!track) problems.push(fieldError('trackId', 'track_not_found', T.trackNotFound));
      const panel = await m.getRepository(Panel).findOneBy({ id: dto.panelId, contestId });
      if (!panel) problems.push(fieldError('panelId', 'panel_not_found', T.panelNotFound));
      else if (track && panel.trackId !== track.id) problems.push(fieldError('panelId', 'panel_track_mismatch', T.panelTrackMismatch));
      let entries: Entry[] = [];
      if (dto.entryIds) {
        entries = await m.getRepository(Entry).find({ where: { id: In(dto.entryIds), contestId }, lock: writeLock(m) });
        dto.entryIds.forEach((id, i) => {
          const e = entries.find((x) => x.id === id);
          if (!e) problems.push(fieldError(`entryIds.${i}`, 'entry_not_found', T.entryNotFound));
          else if (track && e.trackId !== track.id) problems.push(fieldError(`entryIds.${i}`, 'entry_not_in_track', T.entryNotInTrack));
        });
      }
      if (problems.length) throw AppError.badRequest('validation_failed', undefined, problems);
      assertPresentationOpen(contest);
      if (dto.entryIds) {
        const slotted = await m.getRepository(SessionSlot).find({ where: { entryId: In(dto.entryIds) } });
        if (slotted.length) {
          throw AppError.conflict(
            'entry_already_scheduled',
            undefined,
            { entries: slotted.map((s) => ({ entryId: s.entryId, sessionId: s.sessionId })) },
          );
        }
        const notPassed = entries.filter((e) => e.status !== 'passed');
        if (notPassed.length) {
          throw AppError.conflict(
            'entry_not_passed',
            undefined,
            { entries: notPassed.map((e) => ({ entryId: e.id, status: e.status })) },
          );
        }
      } else {
        const candidates = await m.getRepository(Entry).find({ where: { contestId, trackId: dto.trackId, status: 'passed' }, order: { id: 'ASC' }, lock: writeLock(m) });
        const slotted = candidates.length ? await m.getRepository(SessionSlot).find({ where: { entryId: In(candidates.map((e) => e.id)) } }) : [];
        const taken = new Set(slotted.map((x) => x.entryId));
        entries = candidates.filter((e) => !taken.has(e.id));
      }
      if (!entries.length) throw AppError.conflict('no_entries_to_schedule');

      const startsAt = new Date(dto.startsAt);
      startsAt.setMilliseconds(0);
      const draft = { startsAt, slotMinutes: dto.slotMinutes, qaMinutes: dto.qaMinutes };
      const endsAt = sessionEnd(draft, entries.length);
      // Venues are compared in code (trimmed, case-folded), the same on both databases; sessions are few.
      const all = await m.getRepository(PresentationSession).find({ select: { id: true, name: true, venue: true, startsAt: true, slotMinutes: true, qaMinutes: true } });
      const sameVenue = all.filter((o) => sameVenueName(o.venue, dto.venue));
      const counts = await this.sessions.slotsOf(m, sameVenue.map((o) => o.id));
      for (const other of sameVenue) {
        const otherStart = new Date(other.startsAt);
        const otherEnd = sessionEnd(other, counts.filter((c) => c.sessionId === other.id).length);
        if (startsAt < otherEnd && otherStart < endsAt) {
          throw AppError.conflict(
            'venue_overlap',
            T.venueOverlap(other.name),
            { sessionId: other.id, name: other.name, venue: other.venue, startsAt: otherStart.toISOString(), endsAt: otherEnd.toISOString() },
          );
        }
      }

      const now = nowSeconds(this.clock);
      const session = m.getRepository(PresentationSession).create({
        contestId,
        trackId: dto.trackId,
        panelId: dto.panelId,
        name: dto.name,
        venue: dto.venue,
        startsAt,
        slotMinutes: dto.slotMinutes,
        qaMinutes: dto.qaMinutes,
        seedCommitment: null,
        committedAt: null,
        seed: null,
        drawnAt: null,
        signedOffAt: null,
        signedOffBy: null,
        createdAt: now,
      });
      await m.getRepository(PresentationSession).save(session);
      await m.getRepository(SessionSlot).insert(entries.map((e) => ({ sessionId: session.id, entryId: e.id, position: null, startsAt: null, attendance: 'pending' as const, checkedAt: null })));
      for (const e of entries) {
        await this.transitions.transitionEntry(m, e, 'schedule', actor, { phase: contest.phase, reason: `安排在发表场次「${session.name}」`, now });
      }
      const out = await this.sessions.sessionResponse(m, session);
      await this.audit.record(m, actor, { action: 'presentation.session.create', targetType: 'session', targetId: session.id, after: out });
      return out;
    });
  }

  // ---------------------------------------------------------------- the draw

  /** Publishes SHA-256 of the secret seed before the draw (replacing an earlier one, audited). */
  async commit(actor: Actor, id: number, commitment: string): Promise<SessionResponse> {
    return this.dataSource.transaction(async (m) => {
      const s = await this.sessions.lockedOpenSession(m, id);
      if (s.drawnAt) throw alreadyDrawn();
      const before = { commitment: s.seedCommitment, committedAt: s.committedAt };
      s.seedCommitment = commitment.toLowerCase();
      s.committedAt = nowSeconds(this.clock);
      await m.getRepository(PresentationSession).save(s);
      await this.audit.record(m, actor, { action: 'presentation.session.commit', targetType: 'session', targetId: id, before, after: { commitment: s.seedCommitment, committedAt: s.committedAt } });
      return this.sessions.sessionResponse(m, s);
    });
  }

  /** Reveals the seed: checked against the commitment, then the order is drawn and times set. */
  async draw(actor: Actor, id: number, seed: string): Promise<SessionResponse> {
    return this.dataSource.transaction(async (m) => {
      const s = await this.sessions.lockedOpenSession(m, id);
      if (s.drawnAt) throw alreadyDrawn();
      if (!s.seedCommitment) {
        throw AppError.conflict('not_committed');
      }
      const slots = await this.sessions.slotsOf(m, [id]);
      const result = revealAndDraw(seed, s.seedCommitment, slots.map((x) => x.entryId));
      if (!result.ok) throw AppError.conflict('seed_mismatch', T.seedMismatch(result.message));
      const step = (s.slotMinutes + s.qaMinutes) * 60_000;
      const start = new Date(s.startsAt).getTime();
      const byEntry = new Map(slots.map((x) => [x.entryId, x]));
      for (const [i, entryId] of result.order.entries()) {
        await m.getRepository(SessionSlot).update({ id: byEntry.get(entryId)!.id }, { position: i + 1, startsAt: new Date(start + i * step) });
      }
      s.seed = seed;
      s.drawnAt = nowSeconds(this.clock);
      await m.getRepository(PresentationSession).save(s);
      await this.audit.record(m, actor, {
        action: 'presentation.session.draw',
        targetType: 'session',
        targetId: id,
        before: { commitment: s.seedCommitment },
        after: { seed, order: result.order, drawnAt: s.drawnAt },
      });
      await this.notifications.notify(m, { event: 'session.drawn', sessionId: id });
      return this.sessions.sessionResponse(m, s);
    });
  }

  /** What anyone needs to check the draw: commitment, revealed seed, input ids, order, algorithm. */
  async publicDraw(id: number) {
    const m = this.dataSource.manager;
    const s = await findOr404(m, PresentationSession, { id });
    const slots = await this.sessions.slotsOf(m, [id]);
    const entryIds = slots.map((x) => x.entryId).sort((a, b) => a - b);
    const drawn = !!s.drawnAt && !!s.seed;
    return {
      sessionId: s.id,
      commitment: s.seedCommitment ?? null,
      committedAt: s.committedAt ? new Date(s.committedAt).toISOString() : null,
      seed: drawn ? s.seed : null,
      drawnAt: drawn ? new Date(s.drawnAt!).toISOString() : null,
      entryIds,
      /** The order the draw produced (recomputable from the seed). */
      order: drawn ? drawOrder(s.seed!, entryIds) : null,
      /** The order in force now: the drawn one, unless the organizer swapped places (audited, with a reason). */
      currentOrder: drawn ? [...slots].sort(SLOT_ORDER).map((x) => x.entryId) : null,
      algorithm: DRAW_ALGORITHM,
    };
  }

  /** Two entries change places after the draw (neither checked in yet), with a recorded reason. */
  async swap(actor: Actor, id: number, dto: SwapDto): Promise<SessionResponse> {
    return this.dataSource.transaction(async (m) => {
      const s = await this.sessions.lockedOpenSession(m, id);
      const slots = await this.sessions.slotsOf(m, [id]);
      const a = slots.find((x) => x.entryId === dto.entryA);
      const b = slots.find((x) => x.entryId === dto.entryB);
      const problems: FieldError[] = [];
      if (!a) problems.push(fieldError('entryA', 'entry_not_in_session', T.entryNotInSession));
      if (!b) problems.push(fieldError('entryB', 'entry_not_in_session', T.entryNotInSession));
      if (a && b && a.id === b.id) problems.push(fieldError('entryB', 'same_entry', T.sameEntry));
      if (problems.length || !a || !b) throw AppError.badRequest('validation_failed', undefined, problems);
      if (!s.drawnAt) throw AppError.conflict('not_drawn');
      if (a.attendance !== 'pending' || b.attendance !== 'pending') {
        throw AppError.conflict('already_checked_in');
      }
      const before = { [a.entryId]: { position: a.position, startsAt: a.startsAt }, [b.entryId]: { position: b.position, startsAt: b.startsAt } };
      const repo = m.getRepository(SessionSlot);
      // Through null, because (session, position) is unique at every statement.
      await repo.update({ id: a.id }, { position: null });
      await repo.update({ id: b.id }, { position: a.position, startsAt: a.startsAt });
      await repo.update({ id: a.id }, { position: b.position, startsAt: b.startsAt });
      const after = { [a.entryId]: { position: b.position, startsAt: b.startsAt }, [b.entryId]: { position: a.position, startsAt: a.startsAt }, reason: dto.reason };
      await this.audit.record(m, actor, { action: 'presentation.session.swap', targetType: 'session', targetId: id, before, after });
      return this.sessions.sessionResponse(m, s);
    });
  }
}

/** One room, however it was typed: trimmed, width- and case-folded. */
function sameVenueName(a: string, b: string): boolean {
  const fold = (v: string) => v.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
  return fold(a) === fold(b);
}

function alreadyDrawn(): AppError {
  return AppError.conflict('already_drawn');
}
