import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import { ownExpertId } from '../access/own.access.js';
import { sessionVisibility } from '../access/session.access.js';
import type { AuthUser } from '../auth/auth-user.js';
import { Contest, STAGES, Track } from '../contests/contest.entities.js';
import { findOr404 } from '../database/row-lock.js';
import { Entry, submittedEntryType } from '../entries/entry.entities.js';
import { Enterprise } from '../organisations/organisation.entities.js';
import { points } from '../scoring/scoring.dto.js';
import { ScoreSheet } from '../scoring/scoring.entities.js';
import { Assignment, Panel, PanelMember, PresentationSession, SessionSlot } from './presentation.entities.js';
import { type ExpertTasksResponse, type TaskEntry, type TaskSession, toSessionResponse } from './presentation.dto.js';
import { distinctIds } from './presentation-support.js';
import { SessionsRepository } from './sessions.repository.js';

/** Contests past judging: the task list shows only counts of their work. */
const FINISHED_PHASES: readonly string[] = ['notice', 'published', 'archived'];

/**
 * The schedules people read: an entry's session and time (its enterprise, organizers), and an
 * expert's sessions, task list and assignments (only what src/access lets the expert see).
 */
@Injectable()
export class SchedulesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly sessions: SessionsRepository,
  ) {}

  /** An entry's session, venue, position and time: for its own enterprise and organizers (404 for others). */
  async entrySchedule(user: AuthUser, entryId: number) {
    const m = this.dataSource.manager;
    await this.access.requireAccess(user, 'entry.schedule', [entryId]);
    const entry = await findOr404(m, Entry, { id: entryId });
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
    const slots = await this.sessions.slotsOf(m, sessions.map((s) => s.id));
    const items = [];
    for (const s of sessions) {
      const own = slots.filter((x) => x.sessionId === s.id);
      const panel = panels.find((p) => p.id === s.panelId);
      items.push({
        session: toSessionResponse(s, own.length),
        panel: panel ? { id: panel.id, name: panel.name, leader: panel.leaderExpertId === expertId } : null,
        entries: (await this.sessions.slotResponses(m, own.filter((x) => mine.has(x.entryId)))).map((x) => ({
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
    const slots = await this.sessions.slotsOf(m, sessions.map((x) => x.id));
    const panels = panelIds.length ? await m.getRepository(Panel).find({ where: { id: In(panelIds) } }) : [];
    const mine = new Set(entryIds);
    const scheduled = new Set<number>();
    const items: TaskSession[] = [];
    for (const s of sessions) {
      const own = slots.filter((x) => x.sessionId === s.id);
      const panel = panels.find((p) => p.id === s.panelId);
      const shown = (await this.sessions.slotResponses(m, own.filter((x) => mine.has(x.entryId)))).map((x) => {
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
