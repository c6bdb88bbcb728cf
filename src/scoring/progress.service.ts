import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { DataSource } from 'typeorm';
import { AppError } from '../common/errors.js';
import { EventStreamHub, type StreamSubscriber } from '../common/event-stream-hub.js';
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
  /** Per contest one poller on this instance; a stream is opened with the session it asked for (undefined: all). */
  private readonly hub: EventStreamHub<number, number | undefined>;

  constructor(private readonly dataSource: DataSource, private readonly clock: Clock) {
    this.hub = new EventStreamHub<number, number | undefined>(
      'scoring progress',
      // Arrows, not bound methods: the service's own fingerprint()/progress() are called (and may be observed).
      { fingerprint: (contestId) => this.fingerprint(contestId), deliver: (contestId, fp, stale) => this.deliver(contestId, fp, stale) },
      { pollMs: POLL_MS, heartbeatMs: HEARTBEAT_MS, retryMs: 3000 },
      clock,
      new Logger('ScoringProgress'),
    );
  }

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
    this.hub.open(res, headers, contestId, sessionId, revalidate);
  }

  /** A write of this instance changed the contest's progress: its streams update now, not at the next poll. */
  changed(contestId: number): void {
    this.hub.changed(contestId);
  }

  /** The progress for the streams that have not seen `fp`, computed once per session filter. */
  private async deliver(contestId: number, fp: string, stale: StreamSubscriber<number | undefined>[]): Promise<void> {
    const bySession = new Map<number | undefined, StreamSubscriber<number | undefined>[]>();
    for (const sub of stale) bySession.set(sub.of, [...(bySession.get(sub.of) ?? []), sub]);
    for (const [sessionId, subs] of bySession) {
      try {
        const progress = await this.progress(contestId, sessionId);
        for (const sub of subs) sub.send(fp, progress);
      } catch (e) {
        // The contest or session was removed: end those streams.
        if (!(e instanceof AppError)) throw e;
        for (const sub of subs) sub.close();
      }
    }
  }

  /** Open streams would keep the server from closing: end them first. */
  beforeApplicationShutdown(): void {
    this.hub.closeAll();
  }
}
