import { HttpStatus, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { DataSource, type EntityManager, In } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { AppError, fieldError } from '../common/errors.js';
import { PRESENTATION_TEXTS as T } from './presentation.errors.js';
import { Contest } from '../contests/contest.entities.js';
import { EventStreamHub, type StreamSubscriber } from '../common/event-stream-hub.js';
import { Entry } from '../entries/entry.entities.js';
import { Enterprise } from '../organisations/organisation.entities.js';
import { num, readDate, rows } from '../scoring/sql.js';
import { DisplayLink, SessionTimer } from './display.entities.js';
import {
  type AdvanceDto, type DisplayEntry, type DisplayLinkCreated, type DisplayLinkResponse, type DisplayState, WARN_BELOW_MS,
} from './display.dto.js';
import { PresentationSession, SessionSlot } from './presentation.entities.js';
import { assertPhase, nowSeconds } from './presentation-support.js';
import { findOr404 } from '../database/row-lock.js';

/**
 * Poll period and heartbeat of the display streams, as the scoring progress stream (src/scoring/progress.service.ts):
 * per session, one poller per instance reads a cheap fingerprint every POLL_MS, so an action taken
 * on another instance reaches every display within ~POLL_MS (well inside the 1 s the wall needs).
 */
export const DISPLAY_POLL_MS = 200;
export const DISPLAY_HEARTBEAT_MS = 15_000;

export type TimerAction = 'start' | 'pause' | 'reset';

/** The audit action of each timer action, written out so that the audit screen's label check finds them. */
const AUDIT_ACTIONS = { start: 'presentation.display.start', pause: 'presentation.display.pause', reset: 'presentation.display.reset', advance: 'presentation.display.advance' } as const;

const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

function toLink(l: DisplayLink): DisplayLinkResponse {
  return {
    id: l.id, sessionId: l.sessionId, label: l.label, createdAt: iso(l.createdAt)!, createdBy: l.createdBy,
    revokedAt: iso(l.revokedAt), revokedBy: l.revokedBy ?? null,
  };
}

/** Remaining ms of a timer at `nowMs` (negative: over time). */
export function remainingAt(t: Pick<SessionTimer, 'running' | 'startedMs' | 'remainingMs'>, nowMs: number): number {
  return t.running ? t.remainingMs - (nowMs - t.startedMs) : t.remainingMs;
}

/**
 * The projector display of a session: its public state (who presents, who is next, the timer), the
 * organizer's timer actions, the display links, and the live stream every display follows.
 */
/** The fingerprint query's one row: counts come back as strings (MySQL) or numbers (SQLite); a date as a Date or text. */
interface FingerprintRow {
  v: number | string | null;
  absent: number | string | null;
  ord: number | string | null;
  submitted: number | string | null;
  revoked: number | string | null;
  signed: Date | string | null;
}

@Injectable()
export class DisplayService implements BeforeApplicationShutdown {
  /** Per session one poller on this instance; a stream is opened with its display link (null: an organizer). */
  private readonly hub: EventStreamHub<number, number | null>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {
    this.hub = new EventStreamHub<number, number | null>(
      'presentation display',
      { fingerprint: (sessionId) => this.fingerprint(sessionId), deliver: (sessionId, fp, stale) => this.deliver(sessionId, fp, stale) },
      { pollMs: DISPLAY_POLL_MS, heartbeatMs: DISPLAY_HEARTBEAT_MS, retryMs: 2000 },
      clock,
      new Logger('PresentationDisplay'),
    );
  }

  // ---------------------------------------------------------------- reading

  /** The session's entries that present (drawn, not absent), in order. */
  private queue(slots: SessionSlot[]): SessionSlot[] {
    return slots.filter((s) => s.position !== null && s.attendance !== 'absent').sort((a, b) => a.position! - b.position!);
  }

  async state(sessionId: number, m: EntityManager = this.dataSource.manager): Promise<DisplayState> {
    const s = await findOr404(m, PresentationSession, { id: sessionId });
    const contest = await m.getRepository(Contest).findOne({ where: { id: s.contestId }, select: { id: true, name: true } });
    const slots = await m.getRepository(SessionSlot).find({ where: { sessionId } });
    const timer = await m.getRepository(SessionTimer).findOneBy({ sessionId });
    const queue = this.queue(slots);
    const currentSlot = timer?.currentEntryId ? (slots.find((x) => x.entryId === timer.currentEntryId) ?? null) : null;
    const after = currentSlot ? queue.filter((x) => x.position! > currentSlot.position!) : queue;
    const shown = [...(currentSlot ? [currentSlot] : []), ...after.slice(0, 2)];
    const entries = shown.length ? await m.getRepository(Entry).find({ where: { id: In(shown.map((x) => x.entryId)) }, select: { id: true, title: true, teamName: true, enterpriseId: true } }) : [];
    const enterpriseIds = [...new Set(entries.map((e) => e.enterpriseId))];
    const enterprises = enterpriseIds.length ? await m.getRepository(Enterprise).find({ where: { id: In(enterpriseIds) }, select: { id: true, name: true } }) : [];
    const entry = (slot: SessionSlot): DisplayEntry => {
      const e = entries.find((x) => x.id === slot.entryId);
      return { entryId: slot.entryId, position: slot.position!, title: e?.title ?? '', teamName: e?.teamName ?? '', enterpriseName: enterprises.find((x) => x.id === e?.enterpriseId)?.name ?? null };
    };
    let progress: DisplayState['progress'] = null;
    if (currentSlot && currentSlot.attendance !== 'absent') {
      const [r] = await rows<{ expected: number | string | null; submitted: number | string | null }>(
        m,
        `SELECT (SELECT COUNT(*) FROM assignments WHERE entry_id = ?) AS expected,
                (SELECT COUNT(*) FROM score_sheets WHERE entry_id = ? AND stage = 'presentation' AND status = 'submitted') AS submitted`,
        [currentSlot.entryId, currentSlot.entryId],
      );
      progress = { expected: num(r?.expected), submitted: num(r?.submitted) };
    }
    const now = this.clock.now();
    const durationMs = timer?.durationMs ?? s.slotMinutes * 60_000;
    return {
      serverNow: now.toISOString(),
      serverNowMs: now.getTime(),
      sessionId: s.id,
      sessionName: s.name,
      venue: s.venue,
      contestName: contest?.name ?? '',
      startsAt: iso(s.startsAt)!,
      slotMinutes: s.slotMinutes,
      drawn: !!s.drawnAt,
      signedOff: !!s.signedOffAt,
      current: currentSlot ? entry(currentSlot) : null,
      next: after.slice(0, 2).map(entry),
      total: queue.length,
      done: currentSlot ? queue.filter((x) => x.position! <= currentSlot.position!).length : 0,
      timer: {
        durationMs,
        remainingMs: timer ? remainingAt(timer, now.getTime()) : durationMs,
        running: timer?.running ?? false,
        warnBelowMs: WARN_BELOW_MS,
        version: timer?.version ?? 0,
        updatedAt: iso(timer?.updatedAt),
      },
      progress,
    };
  }

  // ---------------------------------------------------------------- the organizer's actions

  /**
   * One action on the timer, in a transaction under the session's row lock, audited. start: the
   * first entry comes up if none has, or the paused time runs on (resume); pause: the remaining time
   * is kept; reset: the entry's full time, paused; advance: the next entry (or `entryId`), full time, paused.
   */
  async act(actor: Actor, sessionId: number, action: TimerAction | 'advance', dto: AdvanceDto = {}): Promise<DisplayState> {
    const out = await this.dataSource.transaction(async (m) => {
      const s = await findOr404(m, PresentationSession, { id: sessionId }, { lock: true });
      const contest = await m.getRepository(Contest).findOneByOrFail({ id: s.contestId });
      assertPhase(contest, 'presentation');
      if (!s.drawnAt) throw AppError.conflict('not_drawn', T.notDrawnNoOrder);
      if (s.signedOffAt) throw AppError.conflict('session_signed_off', T.signedOffTimerOver);
      const slots = await m.getRepository(SessionSlot).find({ where: { sessionId } });
      const queue = this.queue(slots);
      if (!queue.length) throw AppError.conflict('no_presenting_entries');
      const repo = m.getRepository(SessionTimer);
      const now = this.clock.now();
      const nowMs = now.getTime();
      const full = s.slotMinutes * 60_000;
      let t = await repo.findOneBy({ sessionId });
      const before = t ? { currentEntryId: t.currentEntryId, running: t.running, remainingMs: remainingAt(t, nowMs) } : null;
      t ??= repo.create({ sessionId, currentEntryId: null, durationMs: full, running: false, startedMs: 0, remainingMs: full, version: 0 });
      const fresh = (entryId: number) => {
        t!.currentEntryId = entryId;
        t!.durationMs = full;
        t!.remainingMs = full;
        t!.running = false;
        t!.startedMs = 0;
      };
      if (action === 'start') {
        if (t.running) throw AppError.conflict('timer_running');
        if (t.currentEntryId === null) fresh(queue[0]!.entryId);
        t.running = true;
        t.startedMs = nowMs;
      } else if (action === 'pause') {
        if (!t.running) throw AppError.conflict('timer_not_running');
        t.remainingMs = remainingAt(t, nowMs);
        t.running = false;
        t.startedMs = 0;
      } else if (action === 'reset') {
        t.durationMs = full;
        t.remainingMs = full;
        t.running = false;
        t.startedMs = 0;
      } else {
        let target: SessionSlot | undefined;
        if (dto.entryId !== undefined) {
          const slot = slots.find((x) => x.entryId === dto.entryId);
          if (!slot) throw AppError.badRequest('validation_failed', undefined, [fieldError('entryId', 'entry_not_in_session', T.entryNotInSession)]);
          if (slot.attendance === 'absent') throw AppError.conflict('entry_absent');
          target = slot;
        } else {
          const cur = t.currentEntryId === null ? null : slots.find((x) => x.entryId === t!.currentEntryId);
          target = cur ? queue.find((x) => x.position! > cur.position!) : queue[0];
          if (!target) throw AppError.conflict('no_next_entry');
        }
        fresh(target.entryId);
      }
      t.version += 1;
      t.updatedBy = actor.id;
      t.updatedAt = nowSeconds(this.clock);
      await repo.save(t);
      await this.audit.record(m, actor, {
        action: AUDIT_ACTIONS[action],
        targetType: 'session',
        targetId: sessionId,
        before,
        after: { currentEntryId: t.currentEntryId, running: t.running, remainingMs: t.remainingMs },
      });
      return this.state(sessionId, m);
    });
    this.changed(sessionId);
    return out;
  }

  // ---------------------------------------------------------------- display links

  async createLink(actor: Actor, sessionId: number, label: string): Promise<DisplayLinkCreated> {
    return this.dataSource.transaction(async (m) => {
      await findOr404(m, PresentationSession, { id: sessionId });
      const token = randomBytes(32).toString('base64url');
      const link = await m.getRepository(DisplayLink).save(m.getRepository(DisplayLink).create({
        sessionId, tokenHash: hashToken(token), label, createdBy: actor.id!, createdAt: nowSeconds(this.clock), revokedAt: null, revokedBy: null,
      }));
      await this.audit.record(m, actor, { action: 'presentation.display_link.create', targetType: 'session', targetId: sessionId, after: { linkId: link.id, label } });
      return { ...toLink(link), token, path: `#/display/${token}` };
    });
  }

  async listLinks(sessionId: number): Promise<DisplayLinkResponse[]> {
    const m = this.dataSource.manager;
    if (!(await m.getRepository(PresentationSession).existsBy({ id: sessionId }))) throw AppError.notFound();
    return (await m.getRepository(DisplayLink).find({ where: { sessionId }, order: { id: 'ASC' } })).map(toLink);
  }

  async revokeLink(actor: Actor, sessionId: number, linkId: number): Promise<DisplayLinkResponse> {
    const out = await this.dataSource.transaction(async (m) => {
      const link = await findOr404(m, DisplayLink, { id: linkId, sessionId }, { lock: true });
      if (link.revokedAt) throw AppError.conflict('display_link_revoked');
      link.revokedAt = nowSeconds(this.clock);
      link.revokedBy = actor.id;
      await m.getRepository(DisplayLink).save(link);
      await this.audit.record(m, actor, { action: 'presentation.display_link.revoke', targetType: 'session', targetId: sessionId, before: { linkId, revokedAt: null }, after: { linkId, revokedAt: link.revokedAt } });
      return toLink(link);
    });
    this.changed(sessionId);
    return out;
  }

  /** The link of a token: 404 when unknown, 410 once revoked. */
  async resolve(token: string | undefined): Promise<DisplayLink> {
    if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) throw AppError.notFound('display_link_not_found');
    const link = await this.dataSource.getRepository(DisplayLink).findOneBy({ tokenHash: hashToken(token) });
    if (!link) throw AppError.notFound('display_link_not_found');
    if (link.revokedAt) throw new AppError(HttpStatus.GONE, 'display_link_revoked', T.displayLinkRevokedGone);
    return link;
  }

  // ---------------------------------------------------------------- the live stream

  /** A cheap change fingerprint of what a display shows: the timer, the order and attendance, submitted sheets, revoked links, the sign-off. */
  async fingerprint(sessionId: number): Promise<string> {
    const [r] = await rows<FingerprintRow>(
      this.dataSource.manager,
      `SELECT
         (SELECT version FROM session_timers WHERE session_id = ?) AS v,
         (SELECT COUNT(*) FROM session_slots WHERE session_id = ? AND attendance = 'absent') AS absent,
         (SELECT SUM(COALESCE(position, 0) * entry_id) FROM session_slots WHERE session_id = ?) AS ord,
         (SELECT COUNT(*) FROM score_sheets sh JOIN session_slots ss ON ss.entry_id = sh.entry_id
            WHERE ss.session_id = ? AND sh.stage = 'presentation' AND sh.status = 'submitted') AS submitted,
         (SELECT COUNT(*) FROM display_links WHERE session_id = ? AND revoked_at IS NOT NULL) AS revoked,
         (SELECT signed_off_at FROM presentation_sessions WHERE id = ?) AS signed`,
      Array(6).fill(sessionId),
    );
    return [num(r?.v), num(r?.absent), num(r?.ord), num(r?.submitted), num(r?.revoked), readDate(r?.signed)?.getTime() ?? 0].join(':');
  }

  /**
   * Server-sent events on a raw response: the state at once, then on every change (from any
   * instance), a heartbeat comment every 15 s; `revalidate` runs with each heartbeat and ends the
   * stream when it fails. A stream opened with a display link ends when the link is revoked.
   */
  stream(res: ServerResponse, headers: Record<string, string>, sessionId: number, linkId: number | null, revalidate: () => Promise<boolean>): void {
    this.hub.open(res, headers, sessionId, linkId, revalidate);
  }

  /** An action of this instance: its streams update now, not at the next poll. */
  changed(sessionId: number): void {
    this.hub.changed(sessionId);
  }

  /** The state for the streams that have not seen `fp`; those opened with a link revoked since end instead. */
  private async deliver(sessionId: number, fp: string, stale: StreamSubscriber<number | null>[]): Promise<void> {
    const linkIds = stale.map((s) => s.of).filter((id): id is number => id !== null);
    if (linkIds.length) {
      const revoked = await this.dataSource.getRepository(DisplayLink).find({ where: { id: In(linkIds) }, select: { id: true, revokedAt: true } });
      const gone = new Set(revoked.filter((l) => l.revokedAt).map((l) => l.id));
      for (const s of stale) if (s.of !== null && gone.has(s.of)) s.close();
    }
    try {
      const state = await this.state(sessionId);
      for (const s of stale) s.send(fp, state);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      for (const s of stale) s.close();
    }
  }

  beforeApplicationShutdown(): void {
    this.hub.closeAll();
  }
}
