import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { AppError } from '../common/errors.js';
import { canSeeContest } from '../access/contest.access.js';
import { scheduleScope } from '../access/entry.access.js';
import { Contest } from '../contests/contest.entities.js';
import { fileNamePart } from '../results/exports/export-labels.js';
import { readDate, rows } from '../scoring/sql.js';
import { buildScheduleIcs, buildScheduleXlsx, type Schedule, type ScheduleSession } from './schedule-export.js';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const ICS_MIME = 'text/calendar; charset=utf-8';

export interface ScheduleFile {
  name: string;
  mime: string;
  body: Buffer;
}

const num = (v: unknown) => Number(v);
/** The calendar's name says whose slots it holds. */
const WHOSE: Partial<Record<AuthUser['role'], string>> = { enterprise: '（本企业）', expert: '（本人）' };

/** A contest's presentation schedule as files; which slots a caller gets is scheduleScope (src/access). */
@Injectable()
export class ScheduleExportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async load(user: AuthUser, contestId: number): Promise<Schedule & { scope: 'all' | 'own' }> {
    const m = this.dataSource.manager;
    const contest = await m.getRepository(Contest).findOne({ where: { id: contestId }, select: { id: true, name: true, phase: true } });
    if (!contest || !canSeeContest(user, contest)) throw AppError.notFound();
    const scope = scheduleScope(user, 'e');
    if (!scope) throw AppError.forbidden();
    const sessions = await rows<Record<string, unknown>>(
      m,
      `SELECT ps.id, ps.name, ps.venue, ps.starts_at, ps.slot_minutes, ps.qa_minutes, ps.drawn_at, p.name AS panel_name
         FROM presentation_sessions ps LEFT JOIN panels p ON p.id = ps.panel_id
        WHERE ps.contest_id = ? ORDER BY ps.starts_at, ps.id`,
      [contestId],
    );
    const slots = await rows<Record<string, unknown>>(
      m,
      `SELECT ss.session_id, ss.entry_id, ss.position, ss.starts_at, ss.attendance, e.title, e.team_name, en.name AS enterprise_name
         FROM session_slots ss
         JOIN presentation_sessions ps ON ps.id = ss.session_id
         JOIN entries e ON e.id = ss.entry_id
         LEFT JOIN enterprises en ON en.id = e.enterprise_id
        WHERE ps.contest_id = ?${scope.sql}
        ORDER BY ss.session_id, CASE WHEN ss.position IS NULL THEN 1 ELSE 0 END, ss.position, ss.entry_id`,
      [contestId, ...scope.params],
    );
    const bySession = new Map<number, ScheduleSession['slots']>();
    for (const r of slots) {
      const sessionId = num(r.session_id);
      const list = bySession.get(sessionId) ?? [];
      list.push({
        sessionId,
        entryId: num(r.entry_id),
        position: r.position === null || r.position === undefined ? null : num(r.position),
        startsAt: readDate(r.starts_at),
        attendance: String(r.attendance),
        title: String(r.title),
        teamName: String(r.team_name),
        enterpriseName: String(r.enterprise_name ?? ''),
      });
      bySession.set(sessionId, list);
    }
    const out: ScheduleSession[] = [];
    for (const s of sessions) {
      const id = num(s.id);
      const list = bySession.get(id) ?? [];
      // The organizer sees empty sessions too; the others only sessions they have a slot in.
      if (!list.length && scope.scope === 'own') continue;
      out.push({
        id,
        name: String(s.name),
        venue: String(s.venue),
        startsAt: readDate(s.starts_at)!,
        slotMinutes: num(s.slot_minutes),
        qaMinutes: num(s.qa_minutes),
        drawnAt: readDate(s.drawn_at),
        panelName: s.panel_name === null || s.panel_name === undefined ? null : String(s.panel_name),
        slots: list,
      });
    }
    return { contest: { id: contest.id, name: contest.name }, sessions: out, scope: scope.scope };
  }

  async xlsx(user: AuthUser, contestId: number): Promise<ScheduleFile> {
    const schedule = await this.load(user, contestId);
    return { name: `${fileNamePart(schedule.contest.name, 100)}-现场发表日程.xlsx`, mime: XLSX_MIME, body: await buildScheduleXlsx(schedule) };
  }

  async ics(user: AuthUser, contestId: number): Promise<ScheduleFile> {
    const schedule = await this.load(user, contestId);
    const whose = schedule.scope === 'all' ? '' : (WHOSE[user.role] ?? '');
    const text = buildScheduleIcs(schedule, this.clock.now(), `${schedule.contest.name} 现场发表${whose}`);
    return { name: `${fileNamePart(schedule.contest.name, 100)}-现场发表日程.ics`, mime: ICS_MIME, body: Buffer.from(text, 'utf8') };
  }
}
