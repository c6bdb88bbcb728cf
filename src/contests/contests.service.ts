import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In, Not } from 'typeorm';
import { canSeeContest, contestVisibility } from '../access/contest.access.js';
import { AuditService } from '../audit/audit.service.js';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { AppError, fieldError, wrongPhase, type FieldError } from '../common/errors.js';
import { CONTESTS_TEXTS as T } from './contests.errors.js';
import { pageWindow, type PageQuery } from '../common/pagination.js';
import { Entry } from '../entries/entry.entities.js';
import { checkTransition, isRubricFrozen, nextPhases, type PhaseFacts } from '../judging/contest-phase.js';
import { defaultRubric, validateRubric } from '../judging/rubric.js';
import { Contest, type EntryType, type Phase, Rubric, type Stage, Track } from './contest.entities.js';
import { defaultRules, mergeRules } from './contest-rules.js';
import { phaseConditions } from './phase-conditions.js';
import { type CreateContestDto, type CreateTrackDto, type RubricItemDto, toContestResponse, toRubricResponse, toTrackResponse, type UpdateContestDto } from './contests.dto.js';
import { Clock } from '../common/clock.js';
import { findOr404 } from '../database/row-lock.js';
import { NotificationsService } from '../notifications/notifications.service.js';

// Drafts are the organizers' working copies; the admin manages accounts and sees contests once open, like everyone else.

/**
 * Adds the facts a later stage of the pipeline knows (review, sessions, sheets, results) to those the
 * phase rules need; each feature registers one at start (onModuleInit), so this service need not know them.
 */
export type PhaseFactsProvider = (m: EntityManager, contest: Contest, to: Phase, facts: PhaseFacts) => Promise<void>;

/** Runs inside the transaction of a phase change (e.g. publication freezes the published result). */
export type PhaseHook = (m: EntityManager, contest: Contest, from: Phase, to: Phase, actor: Actor) => Promise<void>;

@Injectable()
export class ContestsService {
  private readonly factsProviders: PhaseFactsProvider[] = [];
  private readonly phaseHooks: PhaseHook[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly notifications: NotificationsService,
  ) {}

  /** Organizers see every contest; everyone else only contests that have left the draft. */
  async findVisible(m: EntityManager, user: AuthUser | null, id: number): Promise<Contest> {
    const contest = await m.getRepository(Contest).findOneBy({ id });
    if (!contest || !canSeeContest(user, contest)) throw AppError.notFound();
    return contest;
  }

  async create(actor: Actor, dto: CreateContestDto) {
    const { rules, errors } = mergeRules(defaultRules(), dto.rules);
    const now = this.clock.now();
    const contest = Object.assign(new Contest(), {
      name: dto.name,
      year: dto.year,
      theme: dto.theme ?? null,
      phase: 'draft' as Phase,
      submissionOpensAt: dto.submissionOpensAt ? new Date(dto.submissionOpensAt) : null,
      submissionClosesAt: dto.submissionClosesAt ? new Date(dto.submissionClosesAt) : null,
      recommendationClosesAt: dto.recommendationClosesAt ? new Date(dto.recommendationClosesAt) : null,
      reviewClosesAt: dto.reviewClosesAt ? new Date(dto.reviewClosesAt) : null,
      presentationFrom: dto.presentationFrom ?? null,
      presentationTo: dto.presentationTo ?? null,
      noticeDays: dto.noticeDays ?? 7,
      noticeEndsAt: null,
      rules,
      rulesVersion: 1,
      createdBy: actor.id,
      createdAt: now,
      updatedAt: now,
    });
    errors.push(...calendarErrors(contest));
    if (errors.length) throw AppError.badRequest('validation_failed', undefined, errors.map((e) => fieldError(e.field, e.code, e.message, e.message)));
    return this.dataSource.transaction(async (m) => {
      await m.getRepository(Contest).save(contest);
      const rubrics: Rubric[] = [];
      for (const entryType of ['problem_solving', 'innovation'] as EntryType[]) {
        for (const stage of ['material', 'presentation'] as Stage[]) {
          rubrics.push(m.getRepository(Rubric).create({ contestId: contest.id, entryType, stage, version: 1, items: defaultRubric(stage, entryType), createdAt: now }));
        }
      }
      await m.getRepository(Rubric).save(rubrics);
      const out = toContestResponse(contest, { rubrics, tracks: [] });
      await this.audit.record(m, actor, { action: 'contest.create', targetType: 'contest', targetId: contest.id, after: out });
      return out;
    });
  }

  async list(user: AuthUser, q: PageQuery) {
    const { skip, take, page, pageSize } = pageWindow(q);
    const where = contestVisibility(user, { phase: Not('draft' as Phase) });
    const [rows, total] = await this.dataSource.getRepository(Contest).findAndCount({ where, order: { year: 'DESC', id: 'DESC' }, skip, take });
    return { items: rows.map((c) => toContestResponse(c)), total, page, pageSize };
  }

  async get(user: AuthUser, id: number) {
    const m = this.dataSource.manager;
    const contest = await this.findVisible(m, user, id);
    return toContestResponse(contest, { rubrics: await this.currentRubrics(m, id), tracks: await this.tracks(m, id) });
  }

  /** The latest version of each rubric of the contest. */
  async currentRubrics(m: EntityManager, contestId: number): Promise<Rubric[]> {
    const all = await m.getRepository(Rubric).find({ where: { contestId }, order: { version: 'DESC' } });
    const seen = new Set<string>();
    return all
      .filter((r) => {
        const key = `${r.entryType}:${r.stage}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      })
      .sort((a, b) => a.entryType.localeCompare(b.entryType) || a.stage.localeCompare(b.stage));
  }

  private tracks(m: EntityManager, contestId: number): Promise<Track[]> {
    return m.getRepository(Track).find({ where: { contestId }, order: { id: 'ASC' } });
  }

  async update(actor: Actor, id: number, dto: UpdateContestDto) {
    return this.dataSource.transaction(async (m) => {
      const contest = await findOr404(m, Contest, { id });
      const before = toContestResponse(contest);
      const errors: FieldError[] = [];
      if (dto.rules !== undefined) {
        if (isRubricFrozen(contest.phase)) throw rulesFrozen(contest.phase);
        const merged = mergeRules(contest.rules, dto.rules);
        errors.push(...merged.errors.map((e) => fieldError(e.field, e.code, e.message, e.message)));
        contest.rules = merged.rules;
        contest.rulesVersion += 1;
      }
      const windowChange = dto.submissionOpensAt !== undefined || dto.submissionClosesAt !== undefined;
      // The deadline may move while submissions run (an extension), not once review has begun.
      if (windowChange && !['draft', 'open'].includes(contest.phase)) {
        throw AppError.conflict('calendar_frozen');
      }
      // Each later deadline may move until its stage is over (an extension), not after.
      if (dto.recommendationClosesAt !== undefined && !['draft', 'open', 'review'].includes(contest.phase)) {
        throw AppError.conflict('calendar_frozen', T.recommendationDeadlineFrozen);
      }
      if (dto.reviewClosesAt !== undefined && !['draft', 'open', 'review'].includes(contest.phase)) {
        throw AppError.conflict('calendar_frozen', T.reviewDeadlineFrozen);
      }
      if (dto.noticeEndsAt !== undefined) {
        if (contest.phase !== 'notice') throw wrongPhase(contest.phase, 'notice');
        const shortened = new Date(dto.noticeEndsAt).getTime() < new Date(contest.noticeEndsAt ?? 0).getTime();
        if (shortened && !dto.reason) errors.push(fieldError('reason', 'required', T.noticeShortenedWithoutReason));
        contest.noticeEndsAt = new Date(dto.noticeEndsAt);
      }
      if (dto.name !== undefined) contest.name = dto.name;
      if (dto.year !== undefined) contest.year = dto.year;
      if (dto.theme !== undefined) contest.theme = dto.theme;
      if (dto.submissionOpensAt !== undefined) contest.submissionOpensAt = new Date(dto.submissionOpensAt);
      if (dto.submissionClosesAt !== undefined) contest.submissionClosesAt = new Date(dto.submissionClosesAt);
      if (dto.recommendationClosesAt !== undefined) contest.recommendationClosesAt = dto.recommendationClosesAt === null ? null : new Date(dto.recommendationClosesAt);
      if (dto.reviewClosesAt !== undefined) contest.reviewClosesAt = dto.reviewClosesAt === null ? null : new Date(dto.reviewClosesAt);
      if (dto.presentationFrom !== undefined) contest.presentationFrom = dto.presentationFrom;
      if (dto.presentationTo !== undefined) contest.presentationTo = dto.presentationTo;
      if (dto.noticeDays !== undefined) contest.noticeDays = dto.noticeDays;
      errors.push(...calendarErrors(contest).map((e) => fieldError(e.field, e.code, e.message, e.message)));
      if (errors.length) throw AppError.badRequest('validation_failed', undefined, errors);
      contest.updatedAt = this.clock.now();
      await m.getRepository(Contest).save(contest);
      const after = toContestResponse(contest);
      await this.audit.record(m, actor, { action: 'contest.update', targetType: 'contest', targetId: id, before, after: dto.reason ? { ...after, reason: dto.reason } : after });
      return after;
    });
  }

  /** Replaces a rubric by a new version (scores are given in points, kept in tenths). */
  async putRubric(actor: Actor, id: number, entryType: EntryType, stage: Stage, items: RubricItemDto[]) {
    return this.dataSource.transaction(async (m) => {
      const contest = await findOr404(m, Contest, { id });
      if (isRubricFrozen(contest.phase)) throw rulesFrozen(contest.phase);
      const tenths = items.map((i) => ({ key: i.key, title: i.title, description: i.description ?? '', max: Math.round(i.max * 10) }));
      const check = validateRubric(tenths);
      if (!check.ok) {
        throw AppError.badRequest('validation_failed', undefined, check.errors.map((e) => fieldError(e.field.replace(/\[(\d+)\]/, '.$1'), e.code, e.message, e.message)));
      }
      // Every stage is scored out of 100, so that the stage weights mean what they say.
      if (check.total !== 1000) {
        throw AppError.badRequest('validation_failed', undefined, [fieldError('items', 'rubric_total_not_100', T.rubricTotalNot100(check.total / 10))]);
      }
      const current = await m.getRepository(Rubric).findOne({ where: { contestId: id, entryType, stage }, order: { version: 'DESC' } });
      const rubric = m.getRepository(Rubric).create({ contestId: id, entryType, stage, version: (current?.version ?? 0) + 1, items: tenths, createdAt: this.clock.now() });
      await m.getRepository(Rubric).save(rubric);
      contest.rulesVersion += 1;
      contest.updatedAt = this.clock.now();
      await m.getRepository(Contest).save(contest);
      const out = toRubricResponse(rubric);
      await this.audit.record(m, actor, { action: 'contest.rubric.put', targetType: 'contest', targetId: id, before: current ? toRubricResponse(current) : null, after: out });
      return out;
    });
  }

  async createTrack(actor: Actor, contestId: number, dto: CreateTrackDto) {
    return this.dataSource.transaction(async (m) => {
      const contest = await findOr404(m, Contest, { id: contestId });
      if (isRubricFrozen(contest.phase)) throw rulesFrozen(contest.phase);
      if (await m.getRepository(Track).existsBy({ contestId, name: dto.name })) {
        throw AppError.conflict('track_name_taken');
      }
      const track = m.getRepository(Track).create({ contestId, name: dto.name, industry: dto.industry ?? null, entryType: dto.entryType ?? null, createdAt: this.clock.now() });
      await m.getRepository(Track).save(track);
      const out = toTrackResponse(track);
      await this.audit.record(m, actor, { action: 'contest.track.create', targetType: 'track', targetId: track.id, after: out });
      return out;
    });
  }

  async listTracks(user: AuthUser, contestId: number) {
    const m = this.dataSource.manager;
    await this.findVisible(m, user, contestId);
    return (await this.tracks(m, contestId)).map(toTrackResponse);
  }

  registerFactsProvider(provider: PhaseFactsProvider): void {
    this.factsProviders.push(provider);
  }

  registerPhaseHook(hook: PhaseHook): void {
    this.phaseHooks.push(hook);
  }

  /** What the contest needs before it can move on, as facts for the pure phase rules. */
  async phaseFacts(m: EntityManager, contest: Contest, to: Phase): Promise<PhaseFacts> {
    const now = this.clock.now();
    // Entering the notice sets its end (now + noticeDays): the move is judged by that date.
    const noticeEndsAt = to === 'notice' ? new Date(now.getTime() + contest.noticeDays * 86400_000) : contest.noticeEndsAt ? new Date(contest.noticeEndsAt) : null;
    const facts: PhaseFacts = { now, submissionDeadline: contest.submissionClosesAt ? new Date(contest.submissionClosesAt) : null, noticeEndsAt };
    if (to === 'open') {
      const rubrics = await this.currentRubrics(m, contest.id);
      facts.hasRubrics = contest.rules.allowedEntryTypes.every((t) => ['material', 'presentation'].every((s) => rubrics.some((r) => r.entryType === t && r.stage === s)));
      facts.submissionWindowSet = !!contest.submissionOpensAt && !!contest.submissionClosesAt;
    }
    if (to === 'review') {
      facts.recommendedEntryCount = await m.getRepository(Entry).countBy({ contestId: contest.id, status: In(['recommended']) });
    }
    for (const provide of this.factsProviders) await provide(m, contest, to, facts);
    return facts;
  }

  async phaseStatus(id: number) {
    const m = this.dataSource.manager;
    const contest = await findOr404(m, Contest, { id });
    const next = nextPhases(contest.phase)[0] ?? null;
    const check = next ? checkTransition(contest.phase, next, await this.phaseFacts(m, contest, next)) : null;
    const blockers = check && !check.ok ? check.blockers : [];
    return { phase: contest.phase, next, ready: check?.ok ?? false, blockers, conditions: phaseConditions(next, blockers) };
  }

  async changePhase(actor: Actor, id: number, to: Phase) {
    return this.dataSource.transaction(async (m) => {
      const contest = await findOr404(m, Contest, { id });
      const from = contest.phase;
      const check = checkTransition(from, to, await this.phaseFacts(m, contest, to));
      if (!check.ok) {
        throw AppError.conflict('phase_blocked', T.phaseBlocked(to, check.blockers.map((b) => b.message), check.blockers.map((b) => b.code)), { from, to, blockers: check.blockers });
      }
      const now = this.clock.now();
      const patch: Partial<Contest> = { phase: to, updatedAt: now };
      if (to === 'notice') patch.noticeEndsAt = new Date(now.getTime() + contest.noticeDays * 86400_000);
      // Conditional on the phase read above: two organizers clicking at once move the contest once.
      const res = await m.getRepository(Contest).update({ id, phase: from }, patch);
      if (!res.affected) throw AppError.conflict('phase_changed_concurrently');
      Object.assign(contest, patch);
      for (const hook of this.phaseHooks) await hook(m, contest, from, to, actor);
      const out = toContestResponse(contest);
      await this.audit.record(m, actor, { action: 'contest.phase', targetType: 'contest', targetId: id, before: { phase: from }, after: { phase: to } });
      await this.notifications.notify(m, { event: 'contest.phase', contestId: id, to });
      return out;
    });
  }
}

function rulesFrozen(phase: Phase): AppError {
  return AppError.conflict('rules_frozen', T.rulesFrozen(phase));
}

function calendarErrors(c: Contest): { field: string; code: string; message: string }[] {
  const errors: { field: string; code: string; message: string }[] = [];
  if (c.submissionOpensAt && c.submissionClosesAt && new Date(c.submissionClosesAt) <= new Date(c.submissionOpensAt)) {
    errors.push({ field: 'submissionClosesAt', code: 'ends_before_start', message: '申报截止时间应晚于开始时间' });
  }
  if (c.presentationFrom && c.presentationTo && c.presentationTo < c.presentationFrom) {
    errors.push({ field: 'presentationTo', code: 'ends_before_start', message: '现场发表结束日期不能早于开始日期' });
  }
  if (c.presentationFrom && c.submissionClosesAt && c.presentationFrom < new Date(c.submissionClosesAt).toISOString().slice(0, 10)) {
    errors.push({ field: 'presentationFrom', code: 'before_deadline', message: '现场发表不能早于申报截止日期' });
  }
  // The key dates in order: submission close ≤ recommendation deadline ≤ review deadline ≤ first presentation day.
  const t = (d: Date | null) => (d ? new Date(d).getTime() : null);
  const closes = t(c.submissionClosesAt);
  const recommends = t(c.recommendationClosesAt);
  const reviews = t(c.reviewClosesAt);
  if (recommends !== null && closes !== null && recommends < closes) {
    errors.push({ field: 'recommendationClosesAt', code: 'before_submission_deadline', message: '推荐截止时间不能早于申报截止时间' });
  }
  if (reviews !== null && (recommends ?? closes) !== null && reviews < (recommends ?? closes)!) {
    errors.push({ field: 'reviewClosesAt', code: 'before_recommendation_deadline', message: recommends !== null ? '初审截止时间不能早于推荐截止时间' : '初审截止时间不能早于申报截止时间' });
  }
  // The first presentation day is a China Standard Time date: the review may end on it, not after.
  if (reviews !== null && c.presentationFrom && cstDate(reviews) > c.presentationFrom) {
    errors.push({ field: 'reviewClosesAt', code: 'after_presentation_start', message: '初审截止时间不能晚于现场发表开始日期' });
  }
  if (recommends !== null && c.presentationFrom && cstDate(recommends) > c.presentationFrom) {
    errors.push({ field: 'recommendationClosesAt', code: 'after_presentation_start', message: '推荐截止时间不能晚于现场发表开始日期' });
  }
  return errors;
}

/** The China Standard Time calendar date (YYYY-MM-DD) of an instant. */
function cstDate(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
}
