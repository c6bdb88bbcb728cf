import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In, IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/auth-user.js';
import { AppError } from '../common/errors.js';
import { Entry } from '../entries/entry.entities.js';
import { type Affinity, affinity, type EntryTopics, type ExpertiseProfile, MAX_AFFINITY } from '../judging/affinity.js';
import { assignByAffinity } from '../judging/affinity-assignment.js';
import { Enterprise, Expert } from '../organisations/organisation.entities.js';
import { PanelsService } from '../presentation/panels.service.js';
import { Assignment, Panel, PanelMember } from '../presentation/presentation.entities.js';
import { PresentationService } from '../presentation/presentation.service.js';
import { JUDGING_STATUSES, loadContest } from '../presentation/presentation-support.js';
import type { CoverageResponse, ExpertiseAssignDto, ExpertiseAssignmentResponse, PanelAffinityResponse } from './expertise.dto.js';
import { EntryTopic, ExpertProfile } from './expertise.entities.js';
import { unmetText } from './expertise.errors.js';

const NO_PROFILE: ExpertiseProfile = { industries: [], entryTypes: [], topics: [], yearsOfExperience: null, keywords: [] };

/** An expert is "far below the panel's fit" at most half the panel's mean affinity and at least this many points below it. */
const WEAK_GAP = 2;

/**
 * Assignment by expertise for one panel: the affinity matrix (heat map) with the reasons of every
 * current assignment and the coverage of the quality report, and the optimal assignment
 * (judging/affinity-assignment.ts) replacing the panel's assignments.
 */
@Injectable()
export class ExpertiseAssignmentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly panels: PanelsService,
    private readonly presentation: PresentationService,
  ) {}

  /** The profiles of these experts and the topics of these entries, with the scorer of a pair. */
  private async scorer(m: EntityManager, experts: readonly Expert[], entries: readonly Entry[]) {
    const profiles = experts.length ? await m.getRepository(ExpertProfile).find({ where: { expertId: In(experts.map((x) => x.id)) } }) : [];
    const profileOf = new Map<number, ExpertiseProfile>(profiles.map((p) => [p.expertId, p]));
    const topicRows = entries.length ? await m.getRepository(EntryTopic).find({ where: { entryId: In(entries.map((e) => e.id)) } }) : [];
    const topicsOf = new Map(topicRows.map((t) => [t.entryId, t.topics]));
    const enterpriseIds = [...new Set(entries.map((e) => e.enterpriseId))];
    const enterprises = enterpriseIds.length ? await m.getRepository(Enterprise).find({ where: { id: In(enterpriseIds) }, select: { id: true, industry: true } }) : [];
    const industryOf = new Map(enterprises.map((e) => [e.id, e.industry]));
    const entryTopics = new Map<number, EntryTopics>(
      entries.map((e) => [e.id, { industry: industryOf.get(e.enterpriseId) ?? null, entryType: e.entryType, topics: topicsOf.get(e.id) ?? [], title: e.title }]),
    );
    const cache = new Map<string, Affinity>();
    const score = (expertId: number, entryId: number): Affinity => {
      const key = `${expertId}:${entryId}`;
      let a = cache.get(key);
      if (!a) {
        a = affinity(profileOf.get(expertId) ?? NO_PROFILE, entryTopics.get(entryId)!);
        cache.set(key, a);
      }
      return a;
    };
    return { score, entryTopics, hasProfile: (id: number) => profileOf.has(id) };
  }

  /** The heat map of a panel: every member against every entry of its track, the current assignments and their coverage. */
  async panelAffinity(panelId: number): Promise<PanelAffinityResponse> {
    const m = this.dataSource.manager;
    const panel = await m.getRepository(Panel).findOneBy({ id: panelId });
    if (!panel) throw AppError.notFound();
    await loadContest(m, panel.contestId);
    const memberIds = (await m.getRepository(PanelMember).find({ where: { panelId } })).map((pm) => pm.expertId);
    const experts = memberIds.length ? await m.getRepository(Expert).find({ where: { id: In(memberIds), deactivatedAt: IsNull() }, order: { id: 'ASC' } }) : [];
    const entries = await m.getRepository(Entry).find({ where: { contestId: panel.contestId, trackId: panel.trackId, status: In([...JUDGING_STATUSES]) }, order: { id: 'ASC' } });
    const conflicted = this.presentation.predicate(await this.presentation.conflictIndex(m, panel.contestId, experts), entries);
    const { score, entryTopics, hasProfile } = await this.scorer(m, experts, entries);
    const rows = await m.getRepository(Assignment).find({ where: { panelId }, order: { entryId: 'ASC', expertId: 'ASC' } });
    const known = new Set(entries.map((e) => e.id));
    const assignments = rows
      .filter((a) => known.has(a.entryId) && experts.some((x) => x.id === a.expertId))
      .map((a) => {
        const s = score(a.expertId, a.entryId);
        return { assignmentId: a.id, expertId: a.expertId, entryId: a.entryId, affinity: s.score, matches: s.matches };
      });
    return {
      panelId,
      panelName: panel.name,
      maxAffinity: MAX_AFFINITY,
      experts: experts.map((x) => ({ id: x.id, name: x.name, hasProfile: hasProfile(x.id) })),
      entries: entries.map((e) => {
        const t = entryTopics.get(e.id)!;
        return { id: e.id, title: e.title, industry: t.industry, entryType: e.entryType, topics: [...t.topics] };
      }),
      scores: entries.map((e) => experts.map((x) => (conflicted(x.id, e.id) ? null : score(x.id, e.id).score))),
      assignments,
      totalAffinity: assignments.reduce((s, a) => s + a.affinity, 0),
      coverage: coverage(assignments, score, entries, experts),
    };
  }

  /** Replaces the panel's assignments by the optimal assignment by expertise; 409 assignment_infeasible names the unmet constraint. */
  async assign(actor: Actor, panelId: number, dto: ExpertiseAssignDto): Promise<ExpertiseAssignmentResponse> {
    return this.dataSource.transaction(async (m) => {
      const { panel, experts, entries, index } = await this.panels.panelWorld(m, panelId);
      const { score } = await this.scorer(m, experts, entries);
      const fairness = dto.fairness ?? false;
      const result = assignByAffinity({
        entries,
        experts,
        isConflicted: this.presentation.predicate(index, entries),
        affinity: (x, e) => score(x, e).score,
        specialist: (x, e) => score(x, e).specialist,
        minJudgesPerEntry: dto.minJudgesPerEntry,
        maxLoadPerExpert: dto.maxLoadPerExpert,
        seed: dto.seed,
        fairness,
      });
      if (!result.ok) throw AppError.conflict('assignment_infeasible', unmetText(result.unmet, entries), { unmet: result.unmet });
      const { before } = await this.panels.replaceAssignments(m, panel, entries.map((e) => e.id), result.pairs.map(({ expertId, entryId }) => ({ expertId, entryId })));
      const stillHere = new Set(experts.map((x) => x.id));
      const known = new Set(entries.map((e) => e.id));
      const out: ExpertiseAssignmentResponse = {
        panelId,
        mode: 'expertise',
        minJudgesPerEntry: dto.minJudgesPerEntry,
        maxLoadPerExpert: dto.maxLoadPerExpert,
        seed: dto.seed,
        fairness,
        pairs: result.pairs.map((p) => ({ ...p, matches: score(p.expertId, p.entryId).matches })),
        totalAffinity: result.totalAffinity,
        previousTotalAffinity: before.filter((p) => stillHere.has(p.expertId) && known.has(p.entryId)).reduce((s, p) => s + score(p.expertId, p.entryId).score, 0),
        fallback: result.fallback,
        minSpecialists: result.minSpecialists,
        loads: result.loads,
        balanced: result.balanced,
      };
      await this.audit.record(m, actor, {
        action: 'presentation.assignment.expertise',
        targetType: 'panel',
        targetId: panelId,
        before: { pairs: before },
        after: { ...out, pairs: out.pairs.map(({ expertId, entryId, affinity }) => ({ expertId, entryId, affinity })) },
      });
      return out;
    });
  }
}

function coverage(
  assignments: readonly { expertId: number; entryId: number; affinity: number }[],
  score: (expertId: number, entryId: number) => Affinity,
  entries: readonly Entry[],
  experts: readonly Expert[],
): CoverageResponse {
  const entriesWithoutSpecialist = entries.flatMap((e) => {
    const mine = assignments.filter((a) => a.entryId === e.id);
    return mine.length && !mine.some((a) => score(a.expertId, a.entryId).specialist) ? [{ entryId: e.id, title: e.title, judges: mine.length }] : [];
  });
  const panelMean = assignments.length ? assignments.reduce((s, a) => s + a.affinity, 0) / assignments.length : 0;
  const expertsBelowPanel = experts.flatMap((x) => {
    const mine = assignments.filter((a) => a.expertId === x.id);
    if (!mine.length) return [];
    const mean = mine.reduce((s, a) => s + a.affinity, 0) / mine.length;
    return mean <= panelMean / 2 && panelMean - mean >= WEAK_GAP
      ? [{ expertId: x.id, name: x.name, meanAffinity: round2(mean), panelMeanAffinity: round2(panelMean), entries: mine.length }]
      : [];
  });
  return { entriesWithoutSpecialist, expertsBelowPanel };
}

const round2 = (v: number): number => Math.round(v * 100) / 100;
