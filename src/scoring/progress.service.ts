import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { DataSource } from 'typeorm';
import { AppError } from '../common/errors.js';
import { isDatabaseUnavailable } from '../database/db-errors.js';
import { STAGES } from '../contests/contest.entities.js';
import type { ContestProgress, EntryProgress, PanelProgress, ProgressCounts, SessionProgress } from './scoring.dto.js';
import { num, readDate, rows } from './sql.js';
import { Clock } from '../common/clock.js';

/**
 * Heartbeat comment interval, and the database poll interval of the live stream: one poll per
 * contest per instance however many organizers watch, so changes made on another instance arrive
 * within ~POLL_MS (p95 well under 500 ms) for a few small indexed queries per second.
 */
export const HEARTBEAT_MS = 15_000;
export const POLL_MS = 200;

/** One open stream: the session it asked for and the fingerprint its last event showed. */
interface Subscriber {
  sessionId: number | undefined;
  last: string | null;
  send(fingerprint: string, progress: ContestProgress): void;
  close(): void;
}

/** The one poller of a contest on this instance, shared by its subscribers. */
interface Watcher {
  contestId: number;
  subscribers: Set<Subscriber>;
  timer?: NodeJS.Timeout;
  running: boolean;
  /** A change was announced while a round was running: run another one right after it. */
  again: boolean;
  stopped: boolean;
}

const zero = (): ProgressCounts => ({ expected: 0, drafted: 0, submitted: 0, missing: 0 });
function add(to: ProgressCounts, c: ProgressCounts): void {
  to.expected += c.expected;
  to.drafted += c.drafted;
  to.submitted += c.submitted;
  to.missing += c.missing;
}

/**
 * Scoring progress for organizers, and its live stream. No cross-instance event bus (several
 * instances may serve one contest): per contest, one poller per instance reads a cheap fingerprint
 * of the contest's sheets, sign-offs, attendance and assignments every POLL_MS and pushes the full
 * progress to the streams whose last event is older; a sheet written on this instance triggers a
 * round at once (changed()).
 */
@Injectable()
export class ProgressService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('ScoringProgress');
  private readonly streams = new Set<() => void>();
  private readonly watchers = new Map<number, Watcher>();

  constructor(private readonly dataSource: DataSource, private readonly clock: Clock) {}

  async progress(contestId: number, sessionId?: number): Promise<ContestProgress> {
    const m = this.dataSource.manager;
    const [contest] = await rows<{ phase: string }>(m, 'SELECT phase FROM contests WHERE id = ?', [contestId]);
    if (!contest) throw AppError.notFound();
    const sessionFilter = sessionId ? ' AND ps.id = ?' : '';
    const params = sessionId ? [contestId, sessionId] : [contestId];
    const sessions = await rows<Record<string, unknown>>(
      m,
      `SELECT ps.id, ps.name, ps.panel_id, p.name AS panel_name, ps.signed_off_at, ps.signed_off_by
       FROM presentation_sessions ps LEFT JOIN panels p ON p.id = ps.panel_id
       WHERE ps.contest_id = ?${sessionFilter} ORDER BY ps.starts_at, ps.id`,
      params,
    );
    if (sessionId && !sessions.length) throw AppError.notFound();
    const slots = await rows<Record<string, unknown>>(
      m,
      `SELECT ss.session_id, ss.entry_id, ss.position, ss.attendance, e.title
       FROM session_slots ss JOIN presentation_sessions ps ON ps.id = ss.session_id JOIN entries e ON e.id = ss.entry_id
       WHERE ps.contest_id = ?${sessionFilter} ORDER BY ss.position, ss.entry_id`,
      params,
    );
    const assignments = await rows<Record<string, unknown>>(
      m,
      `SELECT a.entry_id, a.expert_id, x.name FROM assignments a LEFT JOIN experts x ON x.id = a.expert_id
       WHERE a.contest_id = ? ORDER BY a.expert_id`,
      [contestId],
    );
    const sheets = await rows<Record<string, unknown>>(m, 'SELECT entry_id, expert_id, stage, status FROM score_sheets WHERE contest_id = ?', [contestId]);

    const byEntry = new Map<number, { expertId: number; name: string }[]>();
    for (const a of assignments) {
      const list = byEntry.get(Number(a.entry_id)) ?? [];
      list.push({ expertId: Number(a.expert_id), name: String(a.name ?? '') });
      byEntry.set(Number(a.entry_id), list);
    }
    const status = new Map<string, string>();
    for (const s of sheets) status.set(`${s.entry_id}:${s.expert_id}:${s.stage}`, String(s.status));

    const out: SessionProgress[] = sessions.map((s) => ({
      sessionId: Number(s.id),
      name: String(s.name),
      panelId: s.panel_id === null ? null : Number(s.panel_id),
      panelName: s.panel_name === null || s.panel_name === undefined ? null : String(s.panel_name),
      signedOffAt: readDate(s.signed_off_at)?.toISOString() ?? null,
      signedOffBy: s.signed_off_by === null || s.signed_off_by === undefined ? null : Number(s.signed_off_by),
      ...zero(),
      entries: [],
    }));
    const sessionById = new Map(out.map((s) => [s.sessionId, s]));
    for (const slot of slots) {
      const session = sessionById.get(Number(slot.session_id));
      if (!session) continue;
      const entryId = Number(slot.entry_id);
      const experts = byEntry.get(entryId) ?? [];
      const absent = slot.attendance === 'absent';
      const e: EntryProgress = {
        entryId,
        title: String(slot.title),
        position: slot.position === null ? null : Number(slot.position),
        attendance: String(slot.attendance),
        assignedExperts: experts,
        missingExperts: [],
        ...zero(),
      };
      if (!absent) {
        for (const x of experts) {
          const owed: string[] = [];
          for (const stage of STAGES) {
            const st = status.get(`${entryId}:${x.expertId}:${stage}`);
            e.expected++;
            if (st === 'submitted') e.submitted++;
            else {
              owed.push(stage);
              if (st === 'draft') e.drafted++;
            }
          }
          if (owed.length) e.missingExperts.push({ ...x, stages: owed });
        }
        e.missing = e.expected - e.submitted;
      }
      session.entries.push(e);
      add(session, e);
    }
    const totals = zero();
    const panels = new Map<number, PanelProgress>();
    for (const s of out) {
      add(totals, s);
      if (s.panelId === null) continue;
      const p = panels.get(s.panelId) ?? { panelId: s.panelId, name: s.panelName ?? '', sessions: 0, signedOffSessions: 0, ...zero() };
      p.sessions++;
      if (s.signedOffAt) p.signedOffSessions++;
      add(p, s);
      panels.set(s.panelId, p);
    }
    return { contestId, phase: contest.phase, generatedAt: this.clock.now().toISOString(), totals, sessions: out, panels: [...panels.values()] };
  }

  /**
   * A cheap change fingerprint: any sheet write bumps a lock_version (or adds a row), a sign-off
   * sets or clears signed_off_at, a check-in changes attendance counts, assignments add rows.
   */
  async fingerprint(contestId: number): Promise<string> {
    const [r] = await rows<Record<string, unknown>>(
      this.dataSource.manager,
      `SELECT
         (SELECT COUNT(*) FROM score_sheets WHERE contest_id = ?) AS sheets,
         (SELECT SUM(lock_version) FROM score_sheets WHERE contest_id = ?) AS locks,
         (SELECT MAX(updated_at) FROM score_sheets WHERE contest_id = ?) AS updated,
         (SELECT COUNT(*) FROM assignments WHERE contest_id = ?) AS assigned,
         (SELECT COUNT(*) FROM presentation_sessions WHERE contest_id = ? AND signed_off_at IS NOT NULL) AS signed,
         (SELECT MAX(signed_off_at) FROM presentation_sessions WHERE contest_id = ?) AS signed_at,
         (SELECT COUNT(*) FROM session_slots ss JOIN presentation_sessions ps ON ps.id = ss.session_id
            WHERE ps.contest_id = ? AND ss.attendance = 'absent') AS absent,
         (SELECT COUNT(*) FROM session_slots ss JOIN presentation_sessions ps ON ps.id = ss.session_id
            WHERE ps.contest_id = ? AND ss.attendance = 'present') AS present`,
      Array(8).fill(contestId),
    );
    return [num(r?.sheets), num(r?.locks), readDate(r?.updated)?.getTime() ?? 0, num(r?.assigned), num(r?.signed), readDate(r?.signed_at)?.getTime() ?? 0, num(r?.absent), num(r?.present)].join(':');
  }

  /**
   * Streams the progress as server-sent events on a raw response: the first event at once, then
   * one per change (the contest's shared poller, or a local write), a heartbeat comment every 15 s;
   * stops on disconnect. `revalidate` is called with each heartbeat: when it fails (account
   * deactivated) the stream ends.
   */
  stream(res: ServerResponse, headers: Record<string, string>, contestId: number, sessionId: number | undefined, revalidate: () => Promise<boolean>): void {
    res.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(': scoring progress\nretry: 3000\n\n');
    let closed = false;
    let eventId = 0;
    const sub: Subscriber = {
      sessionId,
      last: null,
      send: (fingerprint, progress) => {
        if (closed) return;
        sub.last = fingerprint;
        res.write(`id: ${++eventId}\ndata: ${JSON.stringify(progress)}\n\n`);
      },
      close: () => close(),
    };
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      this.streams.delete(close);
      this.unsubscribe(contestId, sub);
      if (!res.writableEnded) res.end();
    };
    this.streams.add(close);
    res.on('close', close);
    res.on('error', close);
    const heartbeat = setInterval(() => {
      if (closed) return;
      res.write(`: heartbeat ${this.clock.now().toISOString()}\n\n`);
      revalidate().then(
        (ok) => (ok ? undefined : close()),
        () => close(),
      );
    }, HEARTBEAT_MS);
    this.subscribe(contestId, sub);
  }

  /** A write of this instance changed the contest's progress: its streams update now, not at the next poll. */
  changed(contestId: number): void {
    const w = this.watchers.get(contestId);
    if (w) void this.round(w);
  }

  private subscribe(contestId: number, sub: Subscriber): void {
    let w = this.watchers.get(contestId);
    if (!w) {
      w = { contestId, subscribers: new Set(), running: false, again: false, stopped: false };
      this.watchers.set(contestId, w);
    }
    w.subscribers.add(sub);
    // The new subscriber has seen nothing yet: a round now gives it its first event.
    void this.round(w);
  }

  private unsubscribe(contestId: number, sub: Subscriber): void {
    const w = this.watchers.get(contestId);
    if (!w) return;
    w.subscribers.delete(sub);
    if (w.subscribers.size) return;
    w.stopped = true;
    clearTimeout(w.timer);
    this.watchers.delete(contestId);
  }

  /**
   * One poll of a contest: the fingerprint, then the progress for the subscribers that have not
   * seen it, computed once per session filter. Rounds of one contest never overlap; a round asked
   * for while one runs follows it at once. The next poll is POLL_MS after the last round ends.
   */
  private async round(w: Watcher): Promise<void> {
    if (w.stopped) return;
    if (w.running) {
      w.again = true;
      return;
    }
    w.running = true;
    clearTimeout(w.timer);
    try {
      do {
        w.again = false;
        const fp = await this.fingerprint(w.contestId);
        const bySession = new Map<number | undefined, Subscriber[]>();
        for (const sub of w.subscribers) {
          if (sub.last === fp) continue;
          bySession.set(sub.sessionId, [...(bySession.get(sub.sessionId) ?? []), sub]);
        }
        for (const [sessionId, subs] of bySession) {
          try {
            const progress = await this.progress(w.contestId, sessionId);
            for (const sub of subs) sub.send(fp, progress);
          } catch (e) {
            // The contest or session was removed: end those streams.
            if (!(e instanceof AppError)) throw e;
            for (const sub of subs) sub.close();
          }
        }
      } while (w.again && !w.stopped);
    } catch (e) {
      // The database is gone for a moment (or shutting down): try again at the next poll, so the streams resume by themselves.
      this.logger.warn(isDatabaseUnavailable(e) ? { cause: String((e as Error).message) } : { err: e }, 'progress poll failed');
    } finally {
      w.running = false;
      if (!w.stopped) w.timer = setTimeout(() => void this.round(w), POLL_MS);
    }
  }

  /** Open streams would keep the server from closing: end them first. */
  beforeApplicationShutdown(): void {
    for (const close of [...this.streams]) close();
  }
}
