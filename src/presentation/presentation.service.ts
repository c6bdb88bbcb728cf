import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager, In, IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { AppError, fieldError } from '../common/errors.js';
import { PRESENTATION_TEXTS as T } from './presentation.errors.js';
import { pageWindow, type Page } from '../common/pagination.js';
import { Track } from '../contests/contest.entities.js';
import { AccessService } from '../access/access.service.js';
import { ContestsService } from '../contests/contests.service.js';
import { Entry, submittedEntryType } from '../entries/entry.entities.js';
import { findConflict, type ConflictExpert } from '../judging/conflicts.js';
import { Enterprise, Expert } from '../organisations/organisation.entities.js';
import { placeEntries } from './placement.js';
import { Assignment, DeclaredConflict, type ConflictDeclarer, Panel, PanelMember, PresentationSession, SessionSlot } from './presentation.entities.js';
import {
  type ConflictResponse, type ConflictSourceName, declaredSource, type ListConflictsQuery, type OrganizerConflictDto, toAssignmentResponse,
} from './presentation.dto.js';
import { assertPresentationOpen, JUDGING_STATUSES, loadContest, nowSeconds, writeLock } from './presentation-support.js';
import { Clock } from '../common/clock.js';
import { findOr404 } from '../database/row-lock.js';

/** A conflict of interest (回避) between one expert and one entry, and where it comes from. */
export interface PresentationConflict {
  source: ConflictSourceName;
  reason: string;
}

/** Experts of a contest as the pure conflict rule sees them, with who declared each declared conflict. */
export interface ConflictIndex {
  experts: ConflictExpert[];
  /** `${expertId}:${entryId}` → the declaration (for its source and id). */
  declared: Map<string, DeclaredConflict>;
}

const pairKey = (expertId: number, entryId: number): string => `${expertId}:${entryId}`;


/**
 * The shared core of the presentation feature: conflicts of interest (computed from employers, or
 * declared), what an expert may see, track placement, and the phase facts of presentation. Other
 * features (scoring) call conflictFor; what an expert may see is decided in src/access.
 */
@Injectable()
export class PresentationService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly contests: ContestsService,
    private readonly access: AccessService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.contests.registerFactsProvider(async (m, contest, to, facts) => {
      if (to === 'presentation') facts.sessionsScheduled = (await this.unscheduledCount(m, contest.id)) === 0;
      if (to === 'finalizing') facts.pendingPresentationCount = await this.pendingPresentationCount(m, contest.id);
    });
  }

  /** Passed entries of the contest without a slot in a session that has a panel. */
  async unscheduledCount(m: EntityManager, contestId: number): Promise<number> {
    const row = await m
      .getRepository(Entry)
      .createQueryBuilder('e')
      .select('COUNT(*)', 'n')
      .leftJoin(SessionSlot, 'sl', 'sl.entry_id = e.id')
      .leftJoin(PresentationSession, 's', 's.id = sl.session_id')
      .where('e.contest_id = :contestId', { contestId })
      .andWhere('e.status IN (:...statuses)', { statuses: ['passed', 'scheduled'] })
      .andWhere('(sl.id IS NULL OR s.panel_id IS NULL)')
      .getRawOne<{ n: string | number }>();
    return Number(row?.n ?? 0);
  }

  /** Slots of the contest's sessions recorded neither as presented nor as absent. */
  async pendingPresentationCount(m: EntityManager, contestId: number): Promise<number> {
    const row = await m
      .getRepository(SessionSlot)
      .createQueryBuilder('sl')
      .select('COUNT(*)', 'n')
      .innerJoin(PresentationSession, 's', 's.id = sl.session_id')
      .where('s.contest_id = :contestId', { contestId })
      .andWhere("sl.attendance = 'pending'")
      .getRawOne<{ n: string | number }>();
    return Number(row?.n ?? 0);
  }

  // ---------------------------------------------------------------- conflicts

  /** The experts (with their declared conflicts in the contest) in the shape findConflict needs. */
  async conflictIndex(m: EntityManager, contestId: number, experts: readonly Expert[]): Promise<ConflictIndex> {
    const ids = experts.map((x) => x.id);
    const rows = ids.length ? await m.getRepository(DeclaredConflict).find({ where: { contestId, expertId: In(ids) }, order: { id: 'ASC' } }) : [];
    const declared = new Map(rows.map((d) => [pairKey(d.expertId, d.entryId), d]));
    return {
      experts: experts.map((x) => ({
        id: x.id,
        employerEnterpriseId: x.employerEnterpriseId,
        employerUnitId: x.employerUnitId,
        declared: rows.filter((d) => d.expertId === x.id).map((d) => ({ entryId: d.entryId, reason: d.reason })),
      })),
      declared,
    };
  }

  /** The prevailing conflict of a pair by the pure rule (automatic before declared), with its source. */
  describe(index: ConflictIndex, expertId: number, entry: Pick<Entry, 'id' | 'enterpriseId' | 'unitId'>): PresentationConflict | null {
    const expert = index.experts.find((x) => x.id === expertId);
    if (!expert) return null;
    const found = findConflict(expert, entry);
    if (!found) return null;
    if (found.source !== 'declared') return { source: found.source, reason: found.reason };
    const d = index.declared.get(pairKey(expertId, entry.id));
    return { source: d ? declaredSource(d) : 'declared_by_organizer', reason: found.reason };
  }

  /** A predicate over whole lists for the assignment rules: true when the pair is conflicted. */
  predicate(index: ConflictIndex, entries: readonly Entry[]): (expertId: number, entryId: number) => boolean {
    const byId = new Map(entries.map((e) => [e.id, e]));
    return (expertId, entryId) => {
      const entry = byId.get(entryId);
      // An unknown pair counts as conflicted, so that a stale id never becomes an assignment.
      return entry === undefined || !index.experts.some((x) => x.id === expertId) || this.describe(index, expertId, entry) !== null;
    };
  }

  /**
   * The conflict between an expert and an entry (employer enterprise, employer unit, or declared by
   * the expert or an organizer), or null; null also when either does not exist. Used by scoring.
   */
  async conflictFor(m: EntityManager, expertId: number, entryId: number): Promise<PresentationConflict | null> {
    const [expert, entry] = await Promise.all([m.getRepository(Expert).findOneBy({ id: expertId }), m.getRepository(Entry).findOneBy({ id: entryId })]);
    if (!expert || !entry) return null;
    return this.describe(await this.conflictIndex(m, entry.contestId, [expert]), expertId, entry);
  }

  /** Declared by the expert, for an entry of a track one of its panels judges (404 otherwise). */
  async declareByExpert(user: AuthUser, actor: Actor, entryId: number, reason: string): Promise<ConflictResponse> {
    return this.dataSource.transaction(async (m) => {
      await this.access.requireAccess(user, 'entry.declare_conflict', [entryId], m);
      const expertId = user.expertId as number;
      const entry = await findOr404(m, Entry, { id: entryId });
      assertPresentationOpen(await loadContest(m, entry.contestId));
      return this.declare(m, actor, entry, expertId, reason, 'expert');
    });
  }

  /** Declared by an organizer for any expert and any entry of the contest. */
  async declareByOrganizer(actor: Actor, contestId: number, dto: OrganizerConflictDto): Promise<ConflictResponse> {
    return this.dataSource.transaction(async (m) => {
      const contest = await loadContest(m, contestId);
      const entry = await m.getRepository(Entry).findOneBy({ id: dto.entryId, contestId });
      const expert = await m.getRepository(Expert).findOneBy({ id: dto.expertId });
      const problems = [];
      if (!expert) problems.push(fieldError('expertId', 'expert_not_found', T.expertNotFound));
      if (!entry) problems.push(fieldError('entryId', 'entry_not_found', T.entryNotFound));
      if (problems.length || !entry) throw AppError.badRequest('validation_failed', undefined, problems);
      assertPresentationOpen(contest);
      return this.declare(m, actor, entry, dto.expertId, dto.reason, 'organizer');
    });
  }

  private async declare(m: EntityManager, actor: Actor, entry: Entry, expertId: number, reason: string, by: ConflictDeclarer): Promise<ConflictResponse> {
    if (await m.getRepository(DeclaredConflict).existsBy({ expertId, entryId: entry.id })) {
      throw AppError.conflict('conflict_already_declared');
    }
    const now = nowSeconds(this.clock);
    const row = m.getRepository(DeclaredConflict).create({
      contestId: entry.contestId,
      expertId,
      entryId: entry.id,
      declaredByRole: by,
      reason,
      declaredBy: actor.id ?? 0,
      createdAt: now,
    });
    await m.getRepository(DeclaredConflict).save(row);
    const expert = await m.getRepository(Expert).findOneByOrFail({ id: expertId });
    const out = toConflictResponse(row, expert.name, entry.title);
    await this.audit.record(m, actor, { action: 'presentation.conflict.declare', targetType: 'entry', targetId: entry.id, after: out });
    // A conflicted expert cannot keep the assignment: it goes, recorded.
    const assignment = await m.getRepository(Assignment).findOneBy({ expertId, entryId: entry.id });
    if (assignment) {
      await m.getRepository(Assignment).delete({ id: assignment.id });
      await this.audit.record(m, actor, {
        action: 'presentation.assignment.remove',
        targetType: 'assignment',
        targetId: assignment.id,
        before: toAssignmentResponse(assignment, { expert: expert.name, entry: entry.title }),
        after: { reason: 'conflict_declared', conflictId: row.id },
      });
    }
    return out;
  }

  /**
   * Every conflict in the contest: the automatic ones between panel members (and experts with a
   * declaration) and the entries that passed review, then every declared one; each with its source.
   */
  async listConflicts(contestId: number, q: ListConflictsQuery): Promise<Page<ConflictResponse>> {
    const m = this.dataSource.manager;
    await loadContest(m, contestId);
    const declaredRows = await m.getRepository(DeclaredConflict).find({ where: { contestId }, order: { id: 'ASC' } });
    const memberIds = (
      await m.getRepository(PanelMember).createQueryBuilder('pm').select('DISTINCT pm.expert_id', 'id').innerJoin(Panel, 'p', 'p.id = pm.panel_id').where('p.contest_id = :contestId', { contestId }).getRawMany<{ id: number }>()
    ).map((r) => Number(r.id));
    const expertIds = [...new Set([...memberIds, ...declaredRows.map((d) => d.expertId)])];
    const experts = expertIds.length ? await m.getRepository(Expert).find({ where: { id: In(expertIds) }, order: { id: 'ASC' } }) : [];
    const judged = await m.getRepository(Entry).find({ where: { contestId, status: In([...JUDGING_STATUSES]) }, order: { id: 'ASC' } });
    const declaredEntryIds = declaredRows.map((d) => d.entryId).filter((id) => !judged.some((e) => e.id === id));
    const entries = [...judged, ...(declaredEntryIds.length ? await m.getRepository(Entry).find({ where: { id: In(declaredEntryIds) } }) : [])];
    const entryById = new Map(entries.map((e) => [e.id, e]));
    const expertById = new Map(experts.map((x) => [x.id, x]));

    const all: ConflictResponse[] = [];
    // Automatic conflicts: only the employer part of the rule (declared lists left empty).
    for (const x of experts) {
      const bare: ConflictExpert = { id: x.id, employerEnterpriseId: x.employerEnterpriseId, employerUnitId: x.employerUnitId, declared: [] };
      if (x.employerEnterpriseId === null && x.employerUnitId === null) continue;
      for (const e of judged) {
        const c = findConflict(bare, e);
        if (c) {
          all.push({ id: null, contestId, expertId: x.id, expertName: x.name, entryId: e.id, entryTitle: e.title, source: c.source as ConflictSourceName, reason: c.reason, declaredBy: null, createdAt: null });
        }
      }
    }
    for (const d of declaredRows) all.push(toConflictResponse(d, expertById.get(d.expertId)?.name ?? '', entryById.get(d.entryId)?.title ?? ''));
    const filtered = all.filter(
      (c) => (q.expertId === undefined || c.expertId === q.expertId) && (q.entryId === undefined || c.entryId === q.entryId) && (q.source === undefined || c.source === q.source),
    );
    filtered.sort((a, b) => a.entryId - b.entryId || a.expertId - b.expertId || (a.id ?? 0) - (b.id ?? 0));
    const { skip, take, page, pageSize } = pageWindow(q);
    return { items: filtered.slice(skip, skip + take), total: filtered.length, page, pageSize };
  }

  // ---------------------------------------------------------------- tracks

  /** Places every passed entry without a track by the placement rule; lists those no track takes. */
  async placeTracks(actor: Actor, contestId: number) {
    return this.dataSource.transaction(async (m) => {
      const contest = await loadContest(m, contestId, true);
      assertPresentationOpen(contest);
      const tracks = await m.getRepository(Track).find({ where: { contestId }, order: { id: 'ASC' } });
      const entries = await m.getRepository(Entry).find({ where: { contestId, status: 'passed', trackId: IsNull() }, order: { id: 'ASC' }, lock: writeLock(m) });
      const enterpriseIds = [...new Set(entries.map((e) => e.enterpriseId))];
      const enterprises = enterpriseIds.length ? await m.getRepository(Enterprise).find({ where: { id: In(enterpriseIds) } }) : [];
      const industry = new Map(enterprises.map((x) => [x.id, x.industry]));
      const result = placeEntries(tracks, entries.map((e) => ({ id: e.id, entryType: submittedEntryType(e), industry: industry.get(e.enterpriseId) ?? null })));
      const now = nowSeconds(this.clock);
      const byId = new Map(entries.map((e) => [e.id, e]));
      for (const p of result.placed) {
        const e = byId.get(p.entryId)!;
        await m.getRepository(Entry).update({ id: e.id }, { trackId: p.trackId, version: e.version + 1, updatedAt: now });
      }
      const trackName = new Map(tracks.map((t) => [t.id, t.name]));
      const out = {
        contestId,
        placed: result.placed.map((p) => ({ ...p, trackName: trackName.get(p.trackId)!, title: byId.get(p.entryId)!.title })),
        unplaced: result.unplaced.map((id) => {
          const e = byId.get(id)!;
          return { entryId: id, title: e.title, entryType: submittedEntryType(e), industry: industry.get(e.enterpriseId) ?? null };
        }),
      };
      await this.audit.record(m, actor, { action: 'presentation.tracks.place', targetType: 'contest', targetId: contestId, after: { placed: result.placed, unplaced: result.unplaced } });
      return out;
    });
  }

  /**
   * Moves one entry to another track of its contest; refused once the entry is in a session.
   * Assignments made in another track's panel go with the old track.
   */
  async setTrack(actor: Actor, entryId: number, trackId: number) {
    return this.dataSource.transaction(async (m) => {
      const entry = await findOr404(m, Entry, { id: entryId }, { lock: true });
      const contest = await loadContest(m, entry.contestId);
      const track = await m.getRepository(Track).findOneBy({ id: trackId, contestId: entry.contestId });
      if (!track) throw AppError.badRequest('validation_failed', undefined, [fieldError('trackId', 'track_not_found', T.trackNotFound)]);
      if (track.entryType !== null && track.entryType !== entry.entryType) {
        throw AppError.badRequest('validation_failed', undefined, [fieldError('trackId', 'track_type_mismatch', T.trackTypeMismatch)]);
      }
      const slot = await m.getRepository(SessionSlot).findOneBy({ entryId });
      if (slot) {
        throw AppError.conflict('entry_in_session', undefined, { sessionId: slot.sessionId });
      }
      assertPresentationOpen(contest);
      const before = { trackId: entry.trackId };
      const now = nowSeconds(this.clock);
      await m.getRepository(Entry).update({ id: entry.id }, { trackId, version: entry.version + 1, updatedAt: now });
      const stale = await m
        .getRepository(Assignment)
        .createQueryBuilder('a')
        .innerJoin(Panel, 'p', 'p.id = a.panel_id')
        .where('a.entry_id = :entryId AND p.track_id <> :trackId', { entryId, trackId })
        .getMany();
      if (stale.length) await m.getRepository(Assignment).delete({ id: In(stale.map((a) => a.id)) });
      const after = { trackId, removedAssignments: stale.map((a) => ({ id: a.id, expertId: a.expertId, panelId: a.panelId })) };
      await this.audit.record(m, actor, { action: 'presentation.entry.track', targetType: 'entry', targetId: entryId, before, after });
      return { entryId, trackId, trackName: track.name, version: entry.version + 1, removedAssignments: after.removedAssignments.length };
    });
  }
}

export function toConflictResponse(d: DeclaredConflict, expertName: string, entryTitle: string): ConflictResponse {
  return {
    id: d.id,
    contestId: d.contestId,
    expertId: d.expertId,
    expertName,
    entryId: d.entryId,
    entryTitle,
    source: declaredSource(d),
    reason: d.reason,
    declaredBy: d.declaredBy,
    createdAt: new Date(d.createdAt).toISOString(),
  };
}
