import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In, IsNull, Not } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/auth-user.js';
import { AppError, fieldError, type FieldError } from '../common/errors.js';
import { pageWindow, type Page, type PageQuery } from '../common/pagination.js';
import { Track } from '../contests/contest.entities.js';
import { Entry } from '../entries/entry.entities.js';
import { assignAutomatic, assignDefault, type AssignmentPair } from '../judging/assignment.js';
import { Expert } from '../organisations/organisation.entities.js';
import { Assignment, Panel, PanelMember } from './presentation.entities.js';
import {
  type AssignmentResponse, type AutoAssignDto, type CreatePanelDto, type ListAssignmentsQuery, type ManualAssignmentDto, type PanelMemberResponse,
  type PanelResponse, toAssignmentResponse, toPanelResponse, type UpdatePanelDto,
} from './presentation.dto.js';
import { PresentationService } from './presentation.service.js';
import { PRESENTATION_TEXTS as T } from './presentation.errors.js';
import { assertPresentationOpen, distinctIds, PRESENTATION_STATUSES, loadContest, nowSeconds, writeLock } from './presentation-support.js';
import { Clock } from '../common/clock.js';
import { findOr404 } from '../database/row-lock.js';
import { NotificationsService } from '../notifications/notifications.service.js';


/**
 * 评审组 (one per track) and who judges what in it: the default rule (every member judges every
 * entry), the balanced automatic rule, and manual edits; conflicts of interest are never assigned.
 */
@Injectable()
export class PanelsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly presentation: PresentationService,
    private readonly clock: Clock,
    private readonly notifications: NotificationsService,
  ) {}

  // ---------------------------------------------------------------- panels

  private async memberResponses(m: EntityManager, panelIds: number[]): Promise<Map<number, PanelMemberResponse[]>> {
    const out = new Map<number, PanelMemberResponse[]>(panelIds.map((id) => [id, []]));
    if (!panelIds.length) return out;
    const members = await m.getRepository(PanelMember).find({ where: { panelId: In(panelIds) }, order: { expertId: 'ASC' } });
    const ids = distinctIds(members.map((x) => x.expertId));
    const experts = ids.length ? await m.getRepository(Expert).find({ where: { id: In(ids) } }) : [];
    const byId = new Map(experts.map((x) => [x.id, x]));
    for (const pm of members) {
      const x = byId.get(pm.expertId);
      out.get(pm.panelId)!.push({ id: pm.expertId, name: x?.name ?? '', title: x?.title ?? null, employerName: x?.employerName ?? null });
    }
    return out;
  }

  private async panelResponse(m: EntityManager, panel: Panel): Promise<PanelResponse> {
    return toPanelResponse(panel, (await this.memberResponses(m, [panel.id])).get(panel.id)!);
  }

  /** 400 naming every expert id that does not exist; 409 `expert_deactivated` for a deactivated one not among `keep` (the current members). */
  private async assertExpertsExist(m: EntityManager, leaderExpertId: number | undefined, memberExpertIds: number[] | undefined, keep?: number[]): Promise<void> {
    const wanted = distinctIds([...(leaderExpertId !== undefined ? [leaderExpertId] : []), ...(memberExpertIds ?? [])]);
    if (!wanted.length) return;
    const rows = await m.getRepository(Expert).find({ where: { id: In(wanted) }, select: { id: true, deactivatedAt: true } });
    const found = new Set(rows.map((x) => x.id));
    const problems: FieldError[] = [];
    if (leaderExpertId !== undefined && !found.has(leaderExpertId)) problems.push(fieldError('leaderExpertId', 'expert_not_found', T.expertNotFound));
    (memberExpertIds ?? []).forEach((id, i) => {
      if (!found.has(id)) problems.push(fieldError(`memberExpertIds.${i}`, 'expert_not_found', T.expertNotFound));
    });
    if (problems.length) throw AppError.badRequest('validation_failed', undefined, problems);
    // A deactivated expert stays on the panels it sat on (history), but is not put on one again.
    const off = rows.filter((x) => x.deactivatedAt && !(keep ?? []).includes(x.id)).map((x) => x.id);
    if (off.length) throw AppError.conflict('expert_deactivated', undefined, { expertIds: off });
  }

  async createPanel(actor: Actor, contestId: number, dto: CreatePanelDto): Promise<PanelResponse> {
    return this.dataSource.transaction(async (m) => {
      const contest = await loadContest(m, contestId, true);
      const track = await m.getRepository(Track).findOneBy({ id: dto.trackId, contestId });
      if (!track) throw AppError.badRequest('validation_failed', undefined, [fieldError('trackId', 'track_not_found', T.trackNotFound)]);
      await this.assertExpertsExist(m, dto.leaderExpertId, dto.memberExpertIds);
      assertPresentationOpen(contest);
      const existing = await m.getRepository(Panel).findOneBy({ trackId: dto.trackId });
      if (existing) {
        throw AppError.conflict('track_has_panel', T.trackHasPanel(existing.name), { panelId: existing.id });
      }
      if (await m.getRepository(Panel).existsBy({ contestId, name: dto.name })) throw AppError.conflict('panel_name_taken');
      const panel = m.getRepository(Panel).create({ contestId, trackId: dto.trackId, name: dto.name, leaderExpertId: dto.leaderExpertId, createdAt: nowSeconds(this.clock) });
      await m.getRepository(Panel).save(panel);
      const memberIds = distinctIds([dto.leaderExpertId, ...dto.memberExpertIds]);
      await m.getRepository(PanelMember).insert(memberIds.map((expertId) => ({ panelId: panel.id, expertId })));
      const out = await this.panelResponse(m, panel);
      await this.audit.record(m, actor, { action: 'presentation.panel.create', targetType: 'panel', targetId: panel.id, after: out });
      return out;
    });
  }

  async listPanels(contestId: number, q: PageQuery): Promise<Page<PanelResponse>> {
    const m = this.dataSource.manager;
    await loadContest(m, contestId);
    const { skip, take, page, pageSize } = pageWindow(q);
    const [rows, total] = await m.getRepository(Panel).findAndCount({ where: { contestId }, order: { id: 'ASC' }, skip, take });
    const members = await this.memberResponses(m, rows.map((p) => p.id));
    return { items: rows.map((p) => toPanelResponse(p, members.get(p.id)!)), total, page, pageSize };
  }

  /**
   * Renames the panel, changes its leader, or replaces its members (the leader always stays one).
   * A member who leaves takes their assignments in this panel along.
   */
  async updatePanel(actor: Actor, id: number, dto: UpdatePanelDto): Promise<PanelResponse> {
    return this.dataSource.transaction(async (m) => {
      const panel = await findOr404(m, Panel, { id }, { lock: true });
      const contest = await loadContest(m, panel.contestId);
      const currentIds = (await m.getRepository(PanelMember).find({ where: { panelId: id } })).map((pm) => pm.expertId);
      await this.assertExpertsExist(m, dto.leaderExpertId, dto.memberExpertIds, currentIds);
      assertPresentationOpen(contest);
      const before = await this.panelResponse(m, panel);
      if (dto.name !== undefined && dto.name !== panel.name) {
        if (await m.getRepository(Panel).existsBy({ contestId: panel.contestId, name: dto.name, id: Not(id) })) throw AppError.conflict('panel_name_taken');
        panel.name = dto.name;
      }
      if (dto.leaderExpertId !== undefined) panel.leaderExpertId = dto.leaderExpertId;
      const current = before.members.map((x) => x.id);
      const leader = panel.leaderExpertId === null ? [] : [panel.leaderExpertId];
      const wanted = distinctIds([...(dto.memberExpertIds ?? current), ...leader]);
      const removed = current.filter((x) => !wanted.includes(x));
      const added = wanted.filter((x) => !current.includes(x));
      await m.getRepository(Panel).save(panel);
      if (removed.length) await m.getRepository(PanelMember).delete({ panelId: id, expertId: In(removed) });
      if (added.length) await m.getRepository(PanelMember).insert(added.map((expertId) => ({ panelId: id, expertId })));
      const dropped = removed.length ? await m.getRepository(Assignment).find({ where: { panelId: id, expertId: In(removed) } }) : [];
      if (dropped.length) await m.getRepository(Assignment).delete({ id: In(dropped.map((a) => a.id)) });
      const out = await this.panelResponse(m, panel);
      await this.audit.record(m, actor, {
        action: 'presentation.panel.update',
        targetType: 'panel',
        targetId: id,
        before,
        after: { ...out, removedAssignments: dropped.map((a) => ({ id: a.id, expertId: a.expertId, entryId: a.entryId })) },
      });
      return out;
    });
  }

  // ---------------------------------------------------------------- assignments

  /** The panel (locked), its contest open for changes, its members and the entries of its track. */
  async panelWorld(m: EntityManager, panelId: number) {
    const panel = await findOr404(m, Panel, { id: panelId }, { lock: true });
    assertPresentationOpen(await loadContest(m, panel.contestId));
    const memberIds = (await m.getRepository(PanelMember).find({ where: { panelId } })).map((pm) => pm.expertId);
    // Automatic and default assignment leave a deactivated member out (its assignments in this panel go).
    const experts = memberIds.length ? await m.getRepository(Expert).find({ where: { id: In(memberIds), deactivatedAt: IsNull() }, order: { id: 'ASC' } }) : [];
    const entries = await m.getRepository(Entry).find({ where: { contestId: panel.contestId, trackId: panel.trackId, status: In([...PRESENTATION_STATUSES]) }, order: { id: 'ASC' } });
    const index = await this.presentation.conflictIndex(m, panel.contestId, experts);
    return { panel, experts, entries, index };
  }

  /**
   * Replaces the panel's assignments (and any stale ones of its entries in other panels) by `pairs`.
   * Pairs that stay keep their row (and id); only the difference is deleted and inserted.
   */
  async replaceAssignments(m: EntityManager, panel: Panel, entryIds: number[], pairs: AssignmentPair[]): Promise<{ before: AssignmentPair[] }> {
    const repo = m.getRepository(Assignment);
    const old = await repo.find({ where: { panelId: panel.id } });
    const strays = entryIds.length ? await repo.find({ where: { entryId: In(entryIds), panelId: Not(panel.id) } }) : [];
    const wanted = new Set(pairs.map((p) => `${p.expertId}:${p.entryId}`));
    const kept = new Set(old.filter((a) => wanted.has(`${a.expertId}:${a.entryId}`)).map((a) => `${a.expertId}:${a.entryId}`));
    const ids = [...old.filter((a) => !kept.has(`${a.expertId}:${a.entryId}`)), ...strays].map((a) => a.id);
    for (let i = 0; i < ids.length; i += 500) await repo.delete({ id: In(ids.slice(i, i + 500)) });
    const now = nowSeconds(this.clock);
    const rows = pairs
      .filter((p) => !kept.has(`${p.expertId}:${p.entryId}`))
      .map((p) => ({ contestId: panel.contestId, panelId: panel.id, expertId: p.expertId, entryId: p.entryId, createdAt: now }));
    for (let i = 0; i < rows.length; i += 500) await repo.insert(rows.slice(i, i + 500));
    return { before: old.map((a) => ({ expertId: a.expertId, entryId: a.entryId })).sort((a, b) => a.entryId - b.entryId || a.expertId - b.expertId) };
  }

  /** Every member judges every entry of the track (passed or scheduled on), except conflicted pairs. */
  async assignDefault(actor: Actor, panelId: number) {
    return this.dataSource.transaction(async (m) => {
      const { panel, experts, entries, index } = await this.panelWorld(m, panelId);
      const result = assignDefault(entries, experts, this.presentation.predicate(index, entries));
      const entryById = new Map(entries.map((e) => [e.id, e]));
      const skipped = result.skipped.map((p) => ({ ...p, ...this.presentation.describe(index, p.expertId, entryById.get(p.entryId)!)! }));
      const { before } = await this.replaceAssignments(m, panel, entries.map((e) => e.id), result.pairs);
      const out = { panelId, mode: 'default' as const, pairs: result.pairs, skipped, unjudged: result.unjudged };
      await this.audit.record(m, actor, { action: 'presentation.assignment.default', targetType: 'panel', targetId: panelId, before: { pairs: before }, after: out });
      await this.notifications.notify(m, { event: 'panel.assigned', panelId });
      return out;
    });
  }

  /** The balanced automatic assignment (max-flow, deterministic for the seed); reports entries below the minimum. */
  async assignAuto(actor: Actor, panelId: number, dto: AutoAssignDto) {
    return this.dataSource.transaction(async (m) => {
      const { panel, experts, entries, index } = await this.panelWorld(m, panelId);
      const result = assignAutomatic({
        entries,
        experts,
        isConflicted: this.presentation.predicate(index, entries),
        minJudgesPerEntry: dto.minJudgesPerEntry,
        maxLoadPerExpert: dto.maxLoadPerExpert,
        seed: dto.seed,
      });
      const { before } = await this.replaceAssignments(m, panel, entries.map((e) => e.id), result.pairs);
      const out = {
        panelId,
        mode: 'auto' as const,
        minJudgesPerEntry: dto.minJudgesPerEntry,
        maxLoadPerExpert: dto.maxLoadPerExpert,
        seed: dto.seed,
        pairs: result.pairs,
        belowMinimum: result.belowMinimum,
        loads: result.loads,
        balanced: result.balanced,
      };
      await this.audit.record(m, actor, { action: 'presentation.assignment.auto', targetType: 'panel', targetId: panelId, before: { pairs: before }, after: out });
      await this.notifications.notify(m, { event: 'panel.assigned', panelId });
      return out;
    });
  }

  /** One pair by hand: the expert must sit on the panel of the entry's track and have no conflict with it. */
  async assignManual(actor: Actor, contestId: number, dto: ManualAssignmentDto): Promise<AssignmentResponse> {
    return this.dataSource.transaction(async (m) => {
      const contest = await loadContest(m, contestId);
      const entry = await m.getRepository(Entry).findOneBy({ id: dto.entryId, contestId });
      const expert = await m.getRepository(Expert).findOneBy({ id: dto.expertId });
      const problems: FieldError[] = [];
      if (!expert) problems.push(fieldError('expertId', 'expert_not_found', T.expertNotFound));
      if (!entry) problems.push(fieldError('entryId', 'entry_not_found', T.entryNotFound));
      if (!entry || !expert) throw AppError.badRequest('validation_failed', undefined, problems);
      assertPresentationOpen(contest);
      if (expert.deactivatedAt) throw AppError.conflict('expert_deactivated', undefined, { expertIds: [expert.id] });
      if (!PRESENTATION_STATUSES.includes(entry.status)) {
        throw AppError.conflict('entry_not_assignable', T.entryNotAssignable(entry.status), { status: entry.status });
      }
      if (entry.trackId === null) throw AppError.conflict('entry_not_placed');
      const panel = await m.getRepository(Panel).findOne({ where: { trackId: entry.trackId }, lock: writeLock(m) });
      const member = panel ? await m.getRepository(PanelMember).existsBy({ panelId: panel.id, expertId: expert.id }) : false;
      if (!panel || !member) {
        throw AppError.conflict('expert_not_in_panel', undefined, { panelId: panel?.id ?? null });
      }
      const conflict = this.presentation.describe(await this.presentation.conflictIndex(m, contestId, [expert]), expert.id, entry);
      if (conflict) {
        throw AppError.conflict('conflict_of_interest', T.conflictOfInterest(conflict.reason, conflict.source), { ...conflict });
      }
      if (await m.getRepository(Assignment).existsBy({ expertId: expert.id, entryId: entry.id })) {
        throw AppError.conflict('already_assigned');
      }
      const a = m.getRepository(Assignment).create({ contestId, panelId: panel.id, expertId: expert.id, entryId: entry.id, createdAt: nowSeconds(this.clock) });
      await m.getRepository(Assignment).save(a);
      const out = toAssignmentResponse(a, { expert: expert.name, entry: entry.title });
      await this.audit.record(m, actor, { action: 'presentation.assignment.add', targetType: 'assignment', targetId: a.id, after: out });
      await this.notifications.notify(m, { event: 'panel.assigned', panelId: panel.id });
      return out;
    });
  }

  async removeAssignment(actor: Actor, id: number): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const a = await findOr404(m, Assignment, { id }, { lock: true });
      assertPresentationOpen(await loadContest(m, a.contestId));
      await m.getRepository(Assignment).delete({ id });
      await this.audit.record(m, actor, { action: 'presentation.assignment.remove', targetType: 'assignment', targetId: id, before: toAssignmentResponse(a) });
    });
  }

  async listAssignments(contestId: number, q: ListAssignmentsQuery): Promise<Page<AssignmentResponse>> {
    const m = this.dataSource.manager;
    await loadContest(m, contestId);
    const where: Record<string, number> = { contestId };
    if (q.panelId !== undefined) where.panelId = q.panelId;
    if (q.expertId !== undefined) where.expertId = q.expertId;
    if (q.entryId !== undefined) where.entryId = q.entryId;
    const { skip, take, page, pageSize } = pageWindow(q);
    const [rows, total] = await m.getRepository(Assignment).findAndCount({ where, order: { entryId: 'ASC', expertId: 'ASC' }, skip, take });
    const experts = await namesOf(m, Expert, rows.map((a) => a.expertId));
    const entries = await namesOf(m, Entry, rows.map((a) => a.entryId));
    return { items: rows.map((a) => toAssignmentResponse(a, { expert: experts.get(a.expertId), entry: entries.get(a.entryId) })), total, page, pageSize };
  }

  /** Entries in the judging stage with fewer than `min` judges assigned. */
  async report(contestId: number, min: number) {
    const m = this.dataSource.manager;
    await loadContest(m, contestId);
    const entries = await m.getRepository(Entry).find({ where: { contestId, status: In([...PRESENTATION_STATUSES]) }, order: { id: 'ASC' } });
    const counts = await m
      .getRepository(Assignment)
      .createQueryBuilder('a')
      .select('a.entry_id', 'entryId')
      .addSelect('COUNT(*)', 'n')
      .where('a.contest_id = :contestId', { contestId })
      .groupBy('a.entry_id')
      .getRawMany<{ entryId: number; n: number | string }>();
    const judges = new Map(counts.map((c) => [Number(c.entryId), Number(c.n)]));
    const items = entries
      .map((e) => ({ entryId: e.id, title: e.title, trackId: e.trackId, status: e.status, judges: judges.get(e.id) ?? 0 }))
      .filter((x) => x.judges < min);
    return { contestId, min, total: items.length, items };
  }
}

async function namesOf(m: EntityManager, entity: typeof Expert | typeof Entry, ids: number[]): Promise<Map<number, string>> {
  const wanted = distinctIds(ids);
  if (!wanted.length) return new Map();
  if (entity === Expert) {
    const rows = await m.getRepository(Expert).find({ where: { id: In(wanted) }, select: { id: true, name: true } });
    return new Map(rows.map((r) => [r.id, r.name]));
  }
  const rows = await m.getRepository(Entry).find({ where: { id: In(wanted) }, select: { id: true, title: true } });
  return new Map(rows.map((r) => [r.id, r.title]));
}
