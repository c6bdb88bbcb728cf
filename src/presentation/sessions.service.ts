import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import { sessionVisibility } from '../access/session.access.js';
import { ownExpertId } from '../access/own.access.js';
import { AuditService } from '../audit/audit.service.js';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { AppError, fieldError, type FieldError } from '../common/errors.js';
import { pageWindow, type Page, type PageQuery } from '../common/pagination.js';
import { Contest, STAGES, Track } from '../contests/contest.entities.js';
import { ScoreSheet } from '../scoring/scoring.entities.js';
import { points } from '../scoring/scoring.dto.js';
import { Entry, submittedEntryType } from '../entries/entry.entities.js';
import { drawOrder, revealAndDraw } from '../judging/order-draw.js';
import { Enterprise } from '../organisations/organisation.entities.js';
import { Assignment, Panel, PanelMember, PresentationSession, SessionSlot } from './presentation.entities.js';
import {
  type CheckInDto, type CheckInResponse, type CreateSessionDto, type ExpertTasksResponse, type UndoCheckInDto, type SessionResponse, sessionEnd, type SlotResponse, type SwapDto, type TaskEntry, type TaskSession, toSessionResponse, toSlotResponse,
} from './presentation.dto.js';
import { assertPhase, assertPresentationOpen, distinctIds, loadContest, nowSeconds, transitionEntry, writeLock } from './presentation-support.js';
import { Clock } from '../common/clock.js';
import { NotificationsService } from '../notifications/notifications.service.js';

/** What anyone needs to recompute a draw, in words (see src/judging/order-draw.ts). */
export const DRAW_ALGORITHM =
  'commitment = hex(SHA-256(UTF-8 seed)), published before the draw. order = drawOrder(seed, entryIds): ' +
  'a = entryIds sorted ascending; j = 0; for i = n-1 down to 1: r = i+1, limit = 2^256 - (2^256 mod r); ' +
  'repeat h = HMAC-SHA256(key = UTF-8 seed, message = ASCII "draw:" + j in decimal), j = j+1, x = h as a 256-bit big-endian integer, until x < limit; ' +
  'k = x mod r; swap a[i] and a[k]. a[0] presents first (position 1); ' +
  'entry i (0-based) starts at startsAt + i × (slotMinutes + qaMinutes) minutes.';

/** Contests past judging: the task list shows only counts of their work. */
const FINISHED_PHASES: readonly string[] = ['notice', 'published', 'archived'];

const SLOT_ORDER = (a: SessionSlot, b: SessionSlot): number =>
  (a.position ?? Number.MAX_SAFE_INTEGER) - (b.position ?? Number.MAX_SAFE_INTEGER) || a.entryId - b.entryId;

/**
 * 现场发表: sessions in venues, the verifiable draw of the order (抽签), swaps with reasons,
 * check-in (present / absent), and the schedules enterprises and experts read.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly access: AccessService,
    private readonly notifications: NotificationsService,
  ) {}

  // ---------------------------------------------------------------- reading

  private async slotsOf(m: EntityManager, sessionIds: number[]): Promise<SessionSlot[]> {
    return sessionIds.length ? m.getRepository(SessionSlot).find({ where: { sessionId: In(sessionIds) } }) : [];
  }

  /** Slots with the entry's title, team and enterprise, in presentation order (undrawn: by entry id). */
  private async slotResponses(m: EntityManager, slots: SessionSlot[]): Promise<SlotResponse[]> {
    const sorted = [...slots].sort(SLOT_ORDER);
    const entryIds = sorted.map((s) => s.entryId);
    const entries = entryIds.length ? await m.getRepository(Entry).find({ where: { id: In(entryIds) } }) : [];
    const enterpriseIds = distinctIds(entries.map((e) => e.enterpriseId));
    const enterprises = enterpriseIds.length ? await m.getRepository(Enterprise).find({ where: { id: In(enterpriseIds) }, select: { id: true, name: true } }) : [];
    const entryById = new Map(entries.map((e) => [e.id, e]));
    const enterpriseName = new Map(enterprises.map((x) => [x.id, x.name]));
    return sorted.map((s) => {
      const e = entryById.get(s.entryId);
      return toSlotResponse(s, e, e ? (enterpriseName.get(e.enterpriseId) ?? null) : null);
    });
  }

  private async sessionResponse(m: EntityManager, s: PresentationSession): Promise<SessionResponse> {
    const slots = await this.slotsOf(m, [s.id]);
    return toSessionResponse(s, slots.length, await this.slotResponses(m, slots));
  }

  async list(contestId: number, q: PageQuery): Promise<Page<SessionResponse>> {
    const m = this.dataSource.manager;
    await loadContest(m, contestId);
    const { skip, take, page, pageSize } = pageWindow(q);
    const [rows, total] = await m.getRepository(PresentationSession).findAndCount({ where: { contestId }, order: { startsAt: 'ASC', id: 'ASC' }, skip, take });
    const slots = await this.slotsOf(m, rows.map((s) => s.id));
    return { items: rows.map((s) => toSessionResponse(s, slots.filter((x) => x.sessionId === s.id).length)), total, page, pageSize };
  }

  /** Organizers see every session; an expert those of its panels (404 otherwise: src/access/session.access.ts). */
  async get(user: AuthUser, id: number): Promise<SessionResponse> {
    await this.access.requireAccess(user, 'session.read', [id]);
    const m = this.dataSource.manager;
    const s = await m.getRepository(PresentationSession).findOneBy({ id });
    if (!s) throw AppError.notFound();
    return this.sessionResponse(m, s);
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
      if (!track) problems.push(fieldError('trackId', 'track_not_found', '本次评比没有该分组', 'No such track in this contest'));
      const panel = await m.getRepository(Panel).findOneBy({ id: dto.panelId, contestId });
      if (!panel) problems.push(fieldError('panelId', 'panel_not_found', '本次评比没有该评审组', 'No such panel in this contest'));
      else if (track && panel.trackId !== track.id) problems.push(fieldError('panelId', 'panel_track_mismatch', '该评审组不负责此分组', 'The panel judges another track'));
      let entries: Entry[] = [];
      if (dto.entryIds) {
        entries = await m.getRepository(Entry).find({ where: { id: In(dto.entryIds), contestId }, lock: writeLock(m) });
        dto.entryIds.forEach((id, i) => {
          const e = entries.find((x) => x.id === id);
          if (!e) problems.push(fieldError(`entryIds.${i}`, 'entry_not_found', '本次评比没有该成果', 'No such entry in this contest'));
          else if (track && e.trackId !== track.id) problems.push(fieldError(`entryIds.${i}`, 'entry_not_in_track', '该成果不属于此分组', 'The entry is in another track'));
        });
      }
      if (problems.length) throw AppError.badRequest('validation_failed', undefined, problems);
      assertPresentationOpen(contest);
      if (dto.entryIds) {
        const slotted = await m.getRepository(SessionSlot).find({ where: { entryId: In(dto.entryIds) } });
        if (slotted.length) {
          throw AppError.conflict(
            'entry_already_scheduled',
            { zh: '部分成果已安排在其他发表场次', en: 'Some entries are already in a presentation session' },
            { entries: slotted.map((s) => ({ entryId: s.entryId, sessionId: s.sessionId })) },
          );
        }
        const notPassed = entries.filter((e) => e.status !== 'passed');
        if (notPassed.length) {
          throw AppError.conflict(
            'entry_not_passed',
            { zh: '只能安排通过初审的成果', en: 'Only entries that passed review can be scheduled' },
            { entries: notPassed.map((e) => ({ entryId: e.id, status: e.status })) },
          );
        }
      } else {
        const candidates = await m.getRepository(Entry).find({ where: { contestId, trackId: dto.trackId, status: 'passed' }, order: { id: 'ASC' }, lock: writeLock(m) });
        const slotted = candidates.length ? await m.getRepository(SessionSlot).find({ where: { entryId: In(candidates.map((e) => e.id)) } }) : [];
        const taken = new Set(slotted.map((x) => x.entryId));
        entries = candidates.filter((e) => !taken.has(e.id));
      }
      if (!entries.length) throw AppError.conflict('no_entries_to_schedule', { zh: '该分组没有待安排的通过初审的成果', en: 'The track has no passed entries left to schedule' });

      const startsAt = new Date(dto.startsAt);
      startsAt.setMilliseconds(0);
      const draft = { startsAt, slotMinutes: dto.slotMinutes, qaMinutes: dto.qaMinutes };
      const endsAt = sessionEnd(draft, entries.length);
      // Venues are compared in code (trimmed, case-folded), the same on both databases; sessions are few.
      const all = await m.getRepository(PresentationSession).find({ select: { id: true, name: true, venue: true, startsAt: true, slotMinutes: true, qaMinutes: true } });
      const sameVenue = all.filter((o) => sameVenueName(o.venue, dto.venue));
      const counts = await this.slotsOf(m, sameVenue.map((o) => o.id));
      for (const other of sameVenue) {
        const otherStart = new Date(other.startsAt);
        const otherEnd = sessionEnd(other, counts.filter((c) => c.sessionId === other.id).length);
        if (startsAt < otherEnd && otherStart < endsAt) {
          throw AppError.conflict(
            'venue_overlap',
            { zh: `与同一场地的场次「${other.name}」时间重叠`, en: `Overlaps session "${other.name}" in the same venue` },
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
        await transitionEntry(m, this.audit, actor, e, 'scheduled', { action: 'presentation.entry.schedule', reason: `安排在发表场次「${session.name}」`, now });
      }
      const out = await this.sessionResponse(m, session);
      await this.audit.record(m, actor, { action: 'presentation.session.create', targetType: 'session', targetId: session.id, after: out });
      return out;
    });
  }

  // ---------------------------------------------------------------- the draw

  private async lockedSession(m: EntityManager, id: number): Promise<PresentationSession> {
    const s = await m.getRepository(PresentationSession).findOne({ where: { id }, lock: writeLock(m) });
    if (!s) throw AppError.notFound();
    assertPresentationOpen(await loadContest(m, s.contestId));
    return s;
  }

  /** Publishes SHA-256 of the secret seed before the draw (replacing an earlier one, audited). */
  async commit(actor: Actor, id: number, commitment: string): Promise<SessionResponse> {
    return this.dataSource.transaction(async (m) => {
      const s = await this.lockedSession(m, id);
      if (s.drawnAt) throw alreadyDrawn();
      const before = { commitment: s.seedCommitment, committedAt: s.committedAt };
      s.seedCommitment = commitment.toLowerCase();
      s.committedAt = nowSeconds(this.clock);
      await m.getRepository(PresentationSession).save(s);
      await this.audit.record(m, actor, { action: 'presentation.session.commit', targetType: 'session', targetId: id, before, after: { commitment: s.seedCommitment, committedAt: s.committedAt } });
      return this.sessionResponse(m, s);
    });
  }

  /** Reveals the seed: checked against the commitment, then the order is drawn and times set. */
  async draw(actor: Actor, id: number, seed: string): Promise<SessionResponse> {
    return this.dataSource.transaction(async (m) => {
      const s = await this.lockedSession(m, id);
      if (s.drawnAt) throw alreadyDrawn();
      if (!s.seedCommitment) {
        throw AppError.conflict('not_committed', { zh: '抽签前须先公布随机种子的承诺值（SHA-256）', en: 'Publish the seed commitment (SHA-256) before the draw' });
      }
      const slots = await this.slotsOf(m, [id]);
      const result = revealAndDraw(seed, s.seedCommitment, slots.map((x) => x.entryId));
      if (!result.ok) throw AppError.conflict('seed_mismatch', { zh: result.message, en: 'SHA-256 of the seed does not match the published commitment' });
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
      return this.sessionResponse(m, s);
    });
  }

  /** What anyone needs to check the draw: commitment, revealed seed, input ids, order, algorithm. */
  async publicDraw(id: number) {
    const m = this.dataSource.manager;
    const s = await m.getRepository(PresentationSession).findOneBy({ id });
    if (!s) throw AppError.notFound();
    const slots = await this.slotsOf(m, [id]);
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
      const s = await this.lockedSession(m, id);
      const slots = await this.slotsOf(m, [id]);
      const a = slots.find((x) => x.entryId === dto.entryA);
      const b = slots.find((x) => x.entryId === dto.entryB);
      const problems: FieldError[] = [];
      if (!a) problems.push(fieldError('entryA', 'entry_not_in_session', '该成果不在本场次', 'The entry is not in this session'));
      if (!b) problems.push(fieldError('entryB', 'entry_not_in_session', '该成果不在本场次', 'The entry is not in this session'));
      if (a && b && a.id === b.id) problems.push(fieldError('entryB', 'same_entry', '不能与自身交换', 'Choose two different entries'));
      if (problems.length || !a || !b) throw AppError.badRequest('validation_failed', undefined, problems);
      if (!s.drawnAt) throw AppError.conflict('not_drawn', { zh: '本场次尚未抽签', en: 'The order of this session has not been drawn yet' });
      if (a.attendance !== 'pending' || b.attendance !== 'pending') {
        throw AppError.conflict('already_checked_in', { zh: '已签到的成果不能再调整顺序', en: 'An entry already checked in cannot change places' });
      }
      const before = { [a.entryId]: { position: a.position, startsAt: a.startsAt }, [b.entryId]: { position: b.position, startsAt: b.startsAt } };
      const repo = m.getRepository(SessionSlot);
      // Through null, because (session, position) is unique at every statement.
      await repo.update({ id: a.id }, { position: null });
      await repo.update({ id: b.id }, { position: a.position, startsAt: a.startsAt });
      await repo.update({ id: a.id }, { position: b.position, startsAt: b.startsAt });
      const after = { [a.entryId]: { position: b.position, startsAt: b.startsAt }, [b.entryId]: { position: a.position, startsAt: a.startsAt }, reason: dto.reason };
      await this.audit.record(m, actor, { action: 'presentation.session.swap', targetType: 'session', targetId: id, before, after });
      return this.sessionResponse(m, s);
    });
  }

  // ---------------------------------------------------------------- check-in

  /** Records that an entry presented or was absent (its status follows; absent entries are not scored). */
  async checkIn(actor: Actor, id: number, dto: CheckInDto) {
    return this.dataSource.transaction(async (m) => {
      const s = await m.getRepository(PresentationSession).findOne({ where: { id }, lock: writeLock(m) });
      if (!s) throw AppError.notFound();
      const slot = await m.getRepository(SessionSlot).findOneBy({ sessionId: id, entryId: dto.entryId });
      if (!slot) throw AppError.badRequest('validation_failed', undefined, [fieldError('entryId', 'entry_not_in_session', '该成果不在本场次', 'The entry is not in this session')]);
      assertPhase(await loadContest(m, s.contestId), 'presentation');
      if (!s.drawnAt) throw AppError.conflict('not_drawn', { zh: '本场次尚未抽签，不能签到', en: 'Draw the order of this session before check-in' });
      const entry = await m.getRepository(Entry).findOne({ where: { id: dto.entryId }, lock: writeLock(m) });
      if (!entry) throw AppError.notFound();
      if (slot.attendance !== 'pending') {
        if (slot.attendance === dto.attendance) return this.checkInResponse(slot, entry);
        throw AppError.conflict('already_checked_in', { zh: '该成果已签到，不能更改', en: `The entry was already recorded as ${slot.attendance}` }, { attendance: slot.attendance });
      }
      const now = nowSeconds(this.clock);
      await m.getRepository(SessionSlot).update({ id: slot.id }, { attendance: dto.attendance, checkedAt: now });
      slot.attendance = dto.attendance;
      slot.checkedAt = now;
      await transitionEntry(m, this.audit, actor, entry, dto.attendance === 'present' ? 'presented' : 'absent', {
        action: 'presentation.entry.check_in',
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
      const s = await m.getRepository(PresentationSession).findOne({ where: { id }, lock: writeLock(m) });
      if (!s) throw AppError.notFound();
      const slot = await m.getRepository(SessionSlot).findOneBy({ sessionId: id, entryId });
      if (!slot) throw AppError.notFound();
      assertPhase(await loadContest(m, s.contestId), 'presentation');
      if (s.signedOffAt) throw AppError.conflict('session_signed_off', { zh: '该场次评分已由组长确认，不能再更正签到', en: 'The session was signed off; its check-in can no longer be corrected' });
      const entry = await m.getRepository(Entry).findOne({ where: { id: entryId }, lock: writeLock(m) });
      if (!entry) throw AppError.notFound();
      if (slot.attendance === 'pending') throw AppError.conflict('not_checked_in', { zh: '该成果尚未签到，无需撤销', en: 'The entry has not been checked in' });
      const sheets = await m.getRepository(ScoreSheet).count({ where: { entryId } });
      if (sheets > 0) {
        throw AppError.conflict('scoring_started', { zh: '该成果已开始评分，不能撤销签到', en: 'Scoring of this entry has started; its check-in cannot be undone' }, { sheets });
      }
      const before = { attendance: slot.attendance, checkedAt: slot.checkedAt ? new Date(slot.checkedAt).toISOString() : null, entryStatus: entry.status };
      await m.getRepository(SessionSlot).update({ id: slot.id }, { attendance: 'pending', checkedAt: null });
      slot.attendance = 'pending';
      slot.checkedAt = null;
      const now = nowSeconds(this.clock);
      await transitionEntry(m, this.audit, actor, entry, 'scheduled', { action: 'presentation.entry.check_in_undo', reason: `撤销「${s.name}」签到：${dto.reason}`, now });
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

  // ---------------------------------------------------------------- schedules

  /** An entry's session, venue, position and time: for its own enterprise and organizers (404 for others). */
  async entrySchedule(user: AuthUser, entryId: number) {
    const m = this.dataSource.manager;
    await this.access.requireAccess(user, 'entry.schedule', [entryId]);
    const entry = await m.getRepository(Entry).findOneBy({ id: entryId });
    if (!entry) throw AppError.notFound();
    const slot = await m.getRepository(SessionSlot).findOneBy({ entryId });
    const s = slot ? await m.getRepository(PresentationSession).findOneBy({ id: slot.sessionId }) : null;
    return {
      entryId,
      title: entry.title,
      status: entry.status,
      session: s ? { id: s.id, name: s.name, venue: s.venue, startsAt: new Date(s.startsAt).toISOString(), slotMinutes: s.slotMinutes, qaMinutes: s.qaMinutes, drawn: !!s.drawnAt } : null,
      position: slot?.position ?? null,
      startsAt: slot?.startsAt ? new Date(slot.startsAt).toISOString() : null,
      attendance: slot?.attendance ?? null,
    };
  }

  private expertIdOf(user: AuthUser): number {
    return ownExpertId(user);
  }

  /** The expert's assignments it may act on: those of the entries it may read (src/access: assigned and not conflicted). */
  private async visibleAssignments(m: EntityManager, user: AuthUser, expertId: number, contestIds?: number[]): Promise<{ assignments: Assignment[]; entries: Map<number, Entry> }> {
    if (contestIds && !contestIds.length) return { assignments: [], entries: new Map() };
    const all = await m.getRepository(Assignment).find({ where: { expertId, ...(contestIds ? { contestId: In(contestIds) } : {}) }, order: { entryId: 'ASC' } });
    const visible = await this.access.checkAccess(user, 'entry.read', distinctIds(all.map((a) => a.entryId)), m);
    const entries = visible.size ? await m.getRepository(Entry).find({ where: { id: In([...visible]) } }) : [];
    return { assignments: all.filter((a) => visible.has(a.entryId)), entries: new Map(entries.map((e) => [e.id, e])) };
  }

  /** The expert's sessions (those of its panels) with its assigned entries in presentation order. */
  async expertSchedule(user: AuthUser) {
    const expertId = this.expertIdOf(user);
    const m = this.dataSource.manager;
    const panelIds = (await m.getRepository(PanelMember).find({ where: { expertId } })).map((pm) => pm.panelId);
    // The sessions the expert may GET, by the same filter (src/access/session.access.ts).
    const qb = m.getRepository(PresentationSession).createQueryBuilder('s');
    sessionVisibility(qb, user, 's');
    const sessions = await qb.orderBy('s.startsAt', 'ASC').addOrderBy('s.id', 'ASC').getMany();
    const panels = panelIds.length ? await m.getRepository(Panel).find({ where: { id: In(panelIds) } }) : [];
    const { assignments } = await this.visibleAssignments(m, user, expertId);
    const mine = new Set(assignments.map((a) => a.entryId));
    const slots = await this.slotsOf(m, sessions.map((s) => s.id));
    const items = [];
    for (const s of sessions) {
      const own = slots.filter((x) => x.sessionId === s.id);
      const panel = panels.find((p) => p.id === s.panelId);
      items.push({
        session: toSessionResponse(s, own.length),
        panel: panel ? { id: panel.id, name: panel.name, leader: panel.leaderExpertId === expertId } : null,
        entries: (await this.slotResponses(m, own.filter((x) => mine.has(x.entryId)))).map((x) => ({
          entryId: x.entryId,
          title: x.title,
          teamName: x.teamName,
          enterpriseName: x.enterpriseName,
          position: x.position,
          startsAt: x.startsAt,
          attendance: x.attendance,
        })),
      });
    }
    return { expertId, items };
  }

  /**
   * Everything the expert's task list shows, in one answer: the sessions and assignments of contests
   * still being judged with the caller's own sheet states, and only counts for finished years.
   */
  async expertTasks(user: AuthUser): Promise<ExpertTasksResponse> {
    const expertId = this.expertIdOf(user);
    const m = this.dataSource.manager;
    const contestIds = distinctIds((await m.getRepository(Assignment).find({ where: { expertId }, select: { id: true, contestId: true } })).map((a) => a.contestId));
    const panelIds = (await m.getRepository(PanelMember).find({ where: { expertId } })).map((pm) => pm.panelId);
    const allSessions = panelIds.length ? await m.getRepository(PresentationSession).find({ where: { panelId: In(panelIds) }, order: { startsAt: 'ASC', id: 'ASC' } }) : [];
    const ids = distinctIds([...contestIds, ...allSessions.map((x) => x.contestId)]);
    const contests = ids.length ? await m.getRepository(Contest).find({ where: { id: In(ids) }, select: { id: true, phase: true } }) : [];
    const judging = new Set(contests.filter((c) => !FINISHED_PHASES.includes(c.phase)).map((c) => c.id));
    const past = contests.filter((c) => !judging.has(c.id)).map((c) => c.id);

    const { assignments, entries } = await this.visibleAssignments(m, user, expertId, [...judging]);
    const entryIds = assignments.map((a) => a.entryId);
    const sheets = entryIds.length ? await m.getRepository(ScoreSheet).find({ where: { expertId, entryId: In(entryIds) }, select: { id: true, entryId: true, stage: true, status: true, total: true } }) : [];
    const sheetsOf = (entryId: number) => sheets.filter((x) => x.entryId === entryId).map((x) => ({ stage: x.stage, status: x.status, total: x.total === null ? null : points(x.total) }));
    const sessions = allSessions.filter((x) => judging.has(x.contestId));
    const slots = await this.slotsOf(m, sessions.map((x) => x.id));
    const panels = panelIds.length ? await m.getRepository(Panel).find({ where: { id: In(panelIds) } }) : [];
    const mine = new Set(entryIds);
    const scheduled = new Set<number>();
    const items: TaskSession[] = [];
    for (const s of sessions) {
      const own = slots.filter((x) => x.sessionId === s.id);
      const panel = panels.find((p) => p.id === s.panelId);
      const shown = (await this.slotResponses(m, own.filter((x) => mine.has(x.entryId)))).map((x) => {
        scheduled.add(x.entryId);
        return { entryId: x.entryId, contestId: s.contestId, title: x.title, teamName: x.teamName, enterpriseName: x.enterpriseName, position: x.position, startsAt: x.startsAt, attendance: x.attendance, sheets: sheetsOf(x.entryId) };
      });
      items.push({ session: toSessionResponse(s, own.length), panel: panel ? { id: panel.id, name: panel.name, leader: panel.leaderExpertId === expertId } : null, entries: shown });
    }
    // Assigned entries outside the caller's sessions, with their attendance wherever they present.
    const rest = assignments.filter((a) => !scheduled.has(a.entryId));
    const restSlots = rest.length ? await m.getRepository(SessionSlot).find({ where: { entryId: In(rest.map((a) => a.entryId)) } }) : [];
    const enterpriseIds = distinctIds(rest.map((a) => entries.get(a.entryId)!.enterpriseId));
    const enterprises = enterpriseIds.length ? await m.getRepository(Enterprise).find({ where: { id: In(enterpriseIds) }, select: { id: true, name: true } }) : [];
    const unscheduled: TaskEntry[] = rest.map((a) => {
      const e = entries.get(a.entryId)!;
      const enterpriseName = enterprises.find((x) => x.id === e.enterpriseId)?.name ?? null;
      return { entryId: e.id, contestId: e.contestId, title: e.title, teamName: e.teamName ?? null, enterpriseName, position: null, startsAt: null, attendance: restSlots.find((x) => x.entryId === e.id)?.attendance ?? null, sheets: sheetsOf(e.id) };
    });
    const all = [...items.flatMap((x) => x.entries), ...unscheduled];
    const pending = all.filter((e) => e.attendance !== 'absent').reduce((n, e) => n + STAGES.filter((st) => !e.sheets.some((x) => x.stage === st && x.status === 'submitted')).length, 0);
    const submittedSheets = past.length ? await m.getRepository(ScoreSheet).count({ where: { expertId, contestId: In(past), status: 'submitted' } }) : 0;
    return { expertId, sessions: items, unscheduled, pending, past: { sessions: allSessions.length - sessions.length, submittedSheets } };
  }

  /** The expert's assignments with entry title, type, track, session and position. */
  async expertAssignments(user: AuthUser) {
    const expertId = this.expertIdOf(user);
    const m = this.dataSource.manager;
    const { assignments, entries } = await this.visibleAssignments(m, user, expertId);
    const slots = assignments.length ? await m.getRepository(SessionSlot).find({ where: { entryId: In(assignments.map((a) => a.entryId)) } }) : [];
    const sessionIds = distinctIds(slots.map((x) => x.sessionId));
    const sessions = sessionIds.length ? await m.getRepository(PresentationSession).find({ where: { id: In(sessionIds) } }) : [];
    const trackIds = distinctIds(assignments.map((a) => entries.get(a.entryId)!.trackId).filter((x): x is number => x !== null));
    const tracks = trackIds.length ? await m.getRepository(Track).find({ where: { id: In(trackIds) } }) : [];
    const items = assignments.map((a) => {
      const e = entries.get(a.entryId)!;
      const slot = slots.find((x) => x.entryId === a.entryId);
      const s = slot ? sessions.find((x) => x.id === slot.sessionId) : undefined;
      const track = tracks.find((t) => t.id === e.trackId);
      return {
        assignmentId: a.id,
        contestId: a.contestId,
        panelId: a.panelId,
        entryId: e.id,
        title: e.title,
        entryType: submittedEntryType(e),
        status: e.status,
        track: track ? { id: track.id, name: track.name } : null,
        session: s ? { id: s.id, name: s.name, venue: s.venue, startsAt: new Date(s.startsAt).toISOString() } : null,
        position: slot?.position ?? null,
        startsAt: slot?.startsAt ? new Date(slot.startsAt).toISOString() : null,
        attendance: slot?.attendance ?? null,
      };
    });
    items.sort((x, y) => (x.session?.startsAt ?? '').localeCompare(y.session?.startsAt ?? '') || (x.position ?? 1e9) - (y.position ?? 1e9) || x.entryId - y.entryId);
    return { expertId, total: items.length, items };
  }
}

/** One room, however it was typed: trimmed, width- and case-folded. */
function sameVenueName(a: string, b: string): boolean {
  const fold = (v: string) => v.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
  return fold(a) === fold(b);
}

function alreadyDrawn(): AppError {
  return AppError.conflict('already_drawn', { zh: '本场次已抽签，不能更改', en: 'The order of this session has already been drawn' });
}
