import { Injectable } from '@nestjs/common';
import { containsPattern } from '../database/like.js';
import { nowSeconds, writeLock } from '../database/write-lock.js';
import { DataSource, In, type EntityManager } from 'typeorm';
import { User } from '../accounts/user.entity.js';
import { AuditService } from '../audit/audit.service.js';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { AppError, fieldError, type FieldError } from '../common/errors.js';
import { pageWindow, type Page } from '../common/pagination.js';
import { Contest, Track } from '../contests/contest.entities.js';
import { Enterprise, RecommendingUnit } from '../organisations/organisation.entities.js';
import { UNIT_DEACTIVATED } from '../organisations/organisation-rules.js';
import { AccessService } from '../access/access.service.js';
import { entryVisibility } from '../access/entry.access.js';
import { ownEnterpriseId } from '../access/own.access.js';
import {
  canEdit, canRecommend, canWithdraw, checkActivityPeriod, missingForSubmission, RECOMMENDED_OR_LATER, submission, teamMemberLimit, type RuleProblem, type SubmitRefusal,
} from './entry-rules.js';
import { Attachment, ENTRY_STATUSES, Entry, EntryEvent, type EntryStatus, type Team } from './entry.entities.js';
import {
  type CreateEntryDto, type EntryCountsResponse, type EntryDetailResponse, type EntryEventResponse, type EntryResponse, type ListEntriesQuery, type TeamDto,
  toEntryEventResponse, toEntryResponse, type EntryListItem, type UpdateEntryDto,
} from './entries.dto.js';
import { Clock } from '../common/clock.js';
import { NotificationsService } from '../notifications/notifications.service.js';


const SUBMIT_REFUSALS: Record<SubmitRefusal, { zh: string; en: string }> = {
  entry_not_submittable: { zh: '该成果当前状态不能提交', en: 'The entry cannot be submitted in its current status' },
  contest_not_open: { zh: '评比活动未处于申报阶段', en: 'The contest is not open for entries' },
  submission_not_open: { zh: '成果申报尚未开始', en: 'Submission has not opened yet' },
  submission_closed: { zh: '成果申报已截止', en: 'The submission deadline has passed' },
  resubmission_closed: { zh: '当前阶段不能重新提交退回的成果', en: 'Returned entries cannot be resubmitted in this phase' },
};

const NOT_EDITABLE = { zh: '该成果当前不能修改（仅草稿或退回修改的成果在相应阶段可修改）', en: 'The entry cannot be changed now' };

type EntryFields = Pick<Entry, 'title' | 'entryType' | 'trackId' | 'team' | 'teamName' | 'summary' | 'activityStart' | 'activityEnd' | 'economicBenefit' | 'benefitDescription' | 'unitId'>;

/** The team as stored; a draft's may lack a name, a leader or members (empty), or be null altogether. */
function toTeam(dto: TeamDto | null | undefined): Team | null {
  if (!dto) return null;
  return {
    name: (dto.name ?? '').trim(),
    leader: (dto.leader ?? '').trim(),
    members: (dto.members ?? []).map((m) => ({ name: m.name.trim(), jobTitle: m.jobTitle.trim(), role: m.role.trim() })),
  };
}

/** A text a draft may lack: blank is stored as missing (null). */
const textOrNull = (v: string | null | undefined) => (v === null || v === undefined || v.trim() === '' ? null : v);

function invalid(problems: FieldError[]): AppError {
  return AppError.badRequest('validation_failed', undefined, problems);
}

/**
 * Entries (攻关成果) from creation to recommendation: the enterprise drafts, edits and submits;
 * the recommending unit recommends or declines. Every transition is an EntryEvent and an audit
 * row written in the transaction that changes the status.
 */
@Injectable()
export class EntriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly access: AccessService,
    private readonly notifications: NotificationsService,
  ) {}

  // ---------------------------------------------------------------- access

  /**
   * Loads an entry the caller may see (404 otherwise: see src/access/entry.access.ts), locked for
   * update when `lock` (inside a transaction: then the row lock is the transaction's first read and
   * the decision is made from the locked row, without another read; see requireLockedEntry).
   */
  async findVisible(m: EntityManager, user: AuthUser, id: number, lock = false): Promise<Entry> {
    if (!lock) await this.access.requireAccess(user, 'entry.read', [id], m);
    const entry = await m.getRepository(Entry).findOne({ where: { id }, lock: lock ? writeLock(m) : undefined });
    if (!entry) throw AppError.notFound();
    if (lock) this.access.requireLockedEntry(user, entry);
    return entry;
  }

  private async contestOf(m: EntityManager, contestId: number): Promise<Contest> {
    const contest = await m.getRepository(Contest).findOneBy({ id: contestId });
    if (!contest) throw AppError.notFound();
    return contest;
  }

  /** The caller's enterprise, which must be approved to create or submit. */
  private async approvedEnterprise(m: EntityManager, user: AuthUser, lock = false): Promise<Enterprise> {
    const enterprise = await m.getRepository(Enterprise).findOne({ where: { id: ownEnterpriseId(user) }, lock: lock ? writeLock(m) : undefined });
    if (!enterprise) throw AppError.forbidden();
    if (enterprise.status !== 'approved') {
      throw AppError.forbidden('enterprise_not_approved', { zh: '企业尚未通过审核，不能申报成果', en: 'The enterprise has not been approved yet' });
    }
    return enterprise;
  }

  /**
   * Checks the fields that depend on the contest and the database (type allowed, track, unit, team
   * size, activity period), all at once so that the client sees every problem.
   */
  private async checkFields(m: EntityManager, contest: Contest, f: EntryFields, unitChanged: boolean): Promise<void> {
    const problems: FieldError[] = [];
    const rules = contest.rules;
    if (f.entryType !== null && !rules.allowedEntryTypes.includes(f.entryType)) {
      problems.push(fieldError('entryType', 'entry_type_not_allowed', '本次评比不接受该成果类型', 'This contest does not accept this entry type'));
    }
    if (f.trackId !== null) {
      const track = await m.getRepository(Track).findOneBy({ id: f.trackId, contestId: contest.id });
      if (!track) problems.push(fieldError('trackId', 'track_not_found', '本次评比没有该分组', 'No such track in this contest'));
      else if (track.entryType !== null && f.entryType !== null && track.entryType !== f.entryType) {
        problems.push(fieldError('trackId', 'track_type_mismatch', '该分组不接受此成果类型', 'This track is for another entry type'));
      }
    }
    if (unitChanged) {
      const unit = await m.getRepository(RecommendingUnit).findOne({ where: { id: f.unitId }, select: { id: true, deactivatedAt: true } });
      if (!unit) problems.push(fieldError('unitId', 'unit_not_found', '推荐单位不存在', 'No such recommending unit'));
      // A deactivated unit keeps its past entries but cannot take new ones.
      else if (unit.deactivatedAt) problems.push(fieldError('unitId', 'unit_deactivated', UNIT_DEACTIVATED.zh, UNIT_DEACTIVATED.en));
    }
    const limit = teamMemberLimit(rules.caps?.maxTeamMembers);
    if ((f.team?.members.length ?? 0) > limit) {
      problems.push(fieldError('team.members', 'too_many_members', `小组成员不得超过 ${limit} 人`, `At most ${limit} team members`));
    }
    for (const p of checkActivityPeriod(f.activityStart, f.activityEnd, rules.activityNotBefore ?? null)) {
      problems.push(fieldError(p.field, p.code, p.zh, p.en));
    }
    if (problems.length) throw invalid(problems);
  }

  // ---------------------------------------------------------------- transitions

  /**
   * Moves an entry to `to`: status, version, an EntryEvent and an audit row, through `m` (the
   * caller's transaction). Later features (review, presentation) record their transitions here too.
   */
  async transition(
    m: EntityManager,
    actor: Actor,
    entry: Entry,
    to: EntryStatus,
    opts: { action: string; reason?: string | null; now?: Date; changes?: Partial<Entry> },
  ): Promise<Entry> {
    const now = opts.now ?? nowSeconds(this.clock);
    const from = entry.status;
    Object.assign(entry, opts.changes ?? {});
    entry.status = to;
    entry.version += 1;
    entry.updatedAt = now;
    await m.getRepository(Entry).save(entry);
    await m.getRepository(EntryEvent).insert({
      entryId: entry.id,
      fromStatus: from,
      toStatus: to,
      actorId: actor.id,
      actorRole: actor.role,
      reason: opts.reason ?? null,
      createdAt: now,
    });
    await this.audit.record(m, actor, {
      action: opts.action,
      targetType: 'entry',
      targetId: entry.id,
      before: { status: from },
      after: opts.reason ? { status: to, reason: opts.reason } : { status: to },
    });
    await this.notifications.notify(m, { event: 'entry.status', entryId: entry.id, to, reason: opts.reason ?? null });
    return entry;
  }

  // ---------------------------------------------------------------- use cases

  async create(user: AuthUser, actor: Actor, contestId: number, dto: CreateEntryDto): Promise<EntryResponse> {
    return this.dataSource.transaction(async (m) => {
      // The enterprise row is the lock that makes the entry cap hold under concurrent creates; it is
      // the first read, so the transaction's snapshot (MySQL) starts after the previous holder committed.
      const enterprise = await this.approvedEnterprise(m, user, true);
      const contest = await this.contestOf(m, contestId);
      if (contest.phase !== 'open') throw AppError.conflict('contest_not_open', SUBMIT_REFUSALS.contest_not_open);
      if (contest.submissionClosesAt && this.clock.now().getTime() > new Date(contest.submissionClosesAt).getTime()) {
        throw AppError.conflict('submission_closed', SUBMIT_REFUSALS.submission_closed);
      }
      const unitId = dto.unitId ?? enterprise.defaultUnitId;
      if (unitId === null || unitId === undefined) {
        throw invalid([fieldError('unitId', 'required', '请选择推荐单位（企业没有默认推荐单位）', 'Choose a recommending unit (the enterprise has no default)')]);
      }
      const team = toTeam(dto.team);
      const fields: EntryFields = {
        title: dto.title.trim(),
        entryType: dto.entryType ?? null,
        trackId: dto.trackId ?? null,
        team,
        teamName: textOrNull(team?.name),
        summary: textOrNull(dto.summary),
        activityStart: dto.activityStart ?? null,
        activityEnd: dto.activityEnd ?? null,
        economicBenefit: dto.economicBenefit ?? null,
        benefitDescription: dto.benefitDescription ?? null,
        unitId,
      };
      await this.checkFields(m, contest, fields, true);

      const cap = contest.rules.caps.entriesPerEnterprise;
      const count = await m.getRepository(Entry).countBy({ contestId, enterpriseId: enterprise.id, status: In(ENTRY_STATUSES.filter((s) => s !== 'withdrawn')) });
      if (count >= cap) {
        throw AppError.conflict('enterprise_entry_cap', { zh: `每家企业在本次评比中最多申报 ${cap} 项成果`, en: `At most ${cap} entries per enterprise in this contest` }, { cap });
      }

      const now = nowSeconds(this.clock);
      const entry = m.getRepository(Entry).create({
        ...fields,
        contestId,
        enterpriseId: enterprise.id,
        status: 'draft',
        submittedAt: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      await m.getRepository(Entry).save(entry);
      await m.getRepository(EntryEvent).insert({
        entryId: entry.id, fromStatus: null, toStatus: 'draft', actorId: actor.id, actorRole: actor.role, reason: null, createdAt: now,
      });
      await this.audit.record(m, actor, {
        action: 'entry.create',
        targetType: 'entry',
        targetId: entry.id,
        after: { contestId, enterpriseId: enterprise.id, unitId, title: entry.title, entryType: entry.entryType, status: entry.status },
      });
      return toEntryResponse(entry);
    });
  }

  async update(user: AuthUser, actor: Actor, id: number, dto: UpdateEntryDto): Promise<EntryResponse> {
    return this.dataSource.transaction(async (m) => {
      const entry = await this.findVisible(m, user, id, true);
      const contest = await this.contestOf(m, entry.contestId);
      if (!canEdit(entry.status, contest.phase)) throw AppError.conflict('entry_not_editable', NOT_EDITABLE);
      if (dto.version !== undefined && dto.version !== entry.version) {
        throw AppError.conflict(
          'stale_version',
          { zh: '该成果已被修改，请刷新后再试', en: 'The entry was changed meanwhile; reload it and try again' },
          { currentVersion: entry.version },
        );
      }
      // Left out: unchanged; null: cleared (a draft may lack it again; submission checks completeness).
      const pick = <T>(given: T | null | undefined, was: T | null): T | null => (given === undefined ? was : given);
      const team = dto.team === undefined ? entry.team : toTeam(dto.team);
      const next: EntryFields = {
        title: dto.title !== undefined ? dto.title.trim() : entry.title,
        entryType: pick(dto.entryType, entry.entryType),
        trackId: dto.trackId === undefined ? entry.trackId : dto.trackId,
        team,
        teamName: textOrNull(team?.name),
        summary: dto.summary === undefined ? entry.summary : textOrNull(dto.summary),
        activityStart: pick(dto.activityStart, entry.activityStart),
        activityEnd: pick(dto.activityEnd, entry.activityEnd),
        economicBenefit: pick(dto.economicBenefit, entry.economicBenefit === null ? null : Number(entry.economicBenefit)),
        benefitDescription: pick(dto.benefitDescription, entry.benefitDescription),
        unitId: dto.unitId ?? entry.unitId,
      };
      const unitChanged = next.unitId !== entry.unitId;
      // A returned entry was recommended by its unit: moving it elsewhere would skip recommendation.
      if (unitChanged && entry.status !== 'draft') {
        throw invalid([fieldError('unitId', 'unit_locked', '成果已经推荐，不能更换推荐单位', 'The entry was recommended; its unit cannot change')]);
      }
      await this.checkFields(m, contest, next, unitChanged);

      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      for (const key of Object.keys(next) as (keyof EntryFields)[]) {
        const was = key === 'economicBenefit' && entry[key] !== null ? Number(entry[key]) : entry[key];
        if (JSON.stringify(was) !== JSON.stringify(next[key])) {
          before[key] = was;
          after[key] = next[key];
        }
      }
      if (Object.keys(after).length === 0) return toEntryResponse(entry);

      Object.assign(entry, next);
      entry.version += 1;
      entry.updatedAt = nowSeconds(this.clock);
      await m.getRepository(Entry).save(entry);
      await this.audit.record(m, actor, { action: 'entry.update', targetType: 'entry', targetId: entry.id, before, after });
      return toEntryResponse(entry);
    });
  }

  async get(user: AuthUser, id: number): Promise<EntryDetailResponse> {
    const m = this.dataSource.manager;
    const entry = await this.findVisible(m, user, id);
    // What still blocks submission matters while the enterprise may still submit it (draft, returned).
    const missing = entry.status === 'draft' || entry.status === 'returned' ? await this.missing(m, entry) : [];
    return { ...toEntryResponse(entry), missing: missing.map((p) => ({ field: p.field, code: p.code, message: p.zh })) };
  }

  /** Every missing content field and the PDF report, if none was uploaded (see missingForSubmission). */
  private async missing(m: EntityManager, entry: Entry): Promise<RuleProblem[]> {
    const hasReport = await m.getRepository(Attachment).existsBy({ entryId: entry.id, kind: 'report' });
    return missingForSubmission({ ...entry, economicBenefit: entry.economicBenefit === null ? null : Number(entry.economicBenefit) }, hasReport);
  }

  async list(user: AuthUser, q: ListEntriesQuery): Promise<Page<EntryListItem>> {
    const { skip, take, page, pageSize } = pageWindow(q);
    const qb = this.dataSource.getRepository(Entry).createQueryBuilder('e');
    if (!entryVisibility(qb, user)) return { items: [], total: 0, page, pageSize };
    if (q.contestId !== undefined) qb.andWhere('e.contestId = :contestId', { contestId: q.contestId });
    if (q.status) qb.andWhere('e.status = :status', { status: q.status });
    if (q.entryType) qb.andWhere('e.entryType = :entryType', { entryType: q.entryType });
    if (q.trackId !== undefined) qb.andWhere('e.trackId = :trackId', { trackId: q.trackId });
    if (q.unitId !== undefined) qb.andWhere('e.unitId = :unitId', { unitId: q.unitId });
    if (q.enterpriseId !== undefined) qb.andWhere('e.enterpriseId = :enterpriseId', { enterpriseId: q.enterpriseId });
    if (q.q?.trim()) {
      qb.andWhere(`e.title LIKE :pattern ESCAPE '!'`, { pattern: containsPattern(q.q.trim()) });
    }
    const sort = q.sort ?? '-createdAt';
    const dir = sort.startsWith('-') ? 'DESC' : 'ASC';
    const column = { createdAt: 'e.createdAt', title: 'e.title', status: 'e.status' }[sort.replace(/^-/, '') as 'createdAt' | 'title' | 'status'];
    qb.orderBy(column, dir).addOrderBy('e.id', dir).skip(skip).take(take);
    const [rows, total] = await qb.getManyAndCount();
    return { items: await this.withNames(rows), total, page, pageSize };
  }

  /** The contest, enterprise, unit and track names of a page of entries: one query per kind. */
  private async withNames(rows: Entry[]): Promise<EntryListItem[]> {
    const m = this.dataSource.manager;
    const names = async (entity: typeof Contest | typeof Enterprise | typeof RecommendingUnit | typeof Track, ids: (number | null)[]) => {
      const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
      const found: { id: number; name: string }[] = wanted.length ? await m.getRepository(entity).find({ select: { id: true, name: true }, where: { id: In(wanted) } }) : [];
      return new Map(found.map((r) => [r.id, r.name]));
    };
    const [contests, enterprises, units, tracks] = await Promise.all([
      names(Contest, rows.map((e) => e.contestId)), names(Enterprise, rows.map((e) => e.enterpriseId)),
      names(RecommendingUnit, rows.map((e) => e.unitId)), names(Track, rows.map((e) => e.trackId ?? null)),
    ]);
    return rows.map((e) => ({
      ...toEntryResponse(e),
      contestName: contests.get(e.contestId) ?? '',
      enterpriseName: enterprises.get(e.enterpriseId) ?? '',
      unitName: units.get(e.unitId) ?? '',
      trackName: e.trackId ? (tracks.get(e.trackId) ?? null) : null,
    }));
  }

  /** Entries per status in one contest (organizers). */
  async counts(contestId: number): Promise<EntryCountsResponse> {
    await this.contestOf(this.dataSource.manager, contestId);
    const rows: { status: EntryStatus; n: string | number }[] = await this.dataSource
      .getRepository(Entry)
      .createQueryBuilder('e')
      .select('e.status', 'status')
      .addSelect('COUNT(*)', 'n')
      .where('e.contestId = :contestId', { contestId })
      .groupBy('e.status')
      .getRawMany();
    const byStatus = Object.fromEntries(ENTRY_STATUSES.map((s) => [s, 0])) as Record<EntryStatus, number>;
    let total = 0;
    for (const r of rows) {
      byStatus[r.status] = Number(r.n);
      total += Number(r.n);
    }
    return { contestId, total, byStatus };
  }

  /** The status timeline, oldest first. */
  async events(user: AuthUser, id: number): Promise<{ items: EntryEventResponse[]; total: number }> {
    const m = this.dataSource.manager;
    await this.findVisible(m, user, id);
    const events = await m.getRepository(EntryEvent).find({ where: { entryId: id }, order: { id: 'ASC' } });
    const actorIds = [...new Set(events.map((e) => e.actorId).filter((x): x is number => x !== null))];
    const users = actorIds.length ? await m.getRepository(User).find({ where: { id: In(actorIds) }, select: { id: true, displayName: true } }) : [];
    const names = new Map(users.map((u) => [u.id, u.displayName]));
    const items = events.map((e) => toEntryEventResponse(e, e.actorId === null ? null : (names.get(e.actorId) ?? null)));
    return { items, total: items.length };
  }

  async submit(user: AuthUser, actor: Actor, id: number): Promise<EntryResponse> {
    return this.dataSource.transaction(async (m) => {
      await this.approvedEnterprise(m, user);
      const entry = await this.findVisible(m, user, id, true);
      const contest = await this.contestOf(m, entry.contestId);
      const now = nowSeconds(this.clock);
      const outcome = submission(entry.status, {
        phase: contest.phase,
        now: this.clock.now(),
        opensAt: contest.submissionOpensAt,
        closesAt: contest.submissionClosesAt,
      });
      if ('refused' in outcome) throw AppError.conflict(outcome.refused, SUBMIT_REFUSALS[outcome.refused]);
      // A partial draft is kept as it is; submission needs everything, listed at once (the report included).
      const missing = await this.missing(m, entry);
      if (missing.length) {
        throw AppError.unprocessable(
          'entry_incomplete',
          { zh: `成果信息不完整，不能提交：${missing.map((p) => p.zh.replace(/^尚未(填写|上传)/, '')).join('、')}`, en: 'The entry is incomplete and cannot be submitted' },
          missing.map((p) => fieldError(p.field, p.code, p.zh, p.en)),
        );
      }
      const action = outcome.to === 'submitted' ? 'entry.submit' : 'entry.resubmit';
      await this.transition(m, actor, entry, outcome.to, { action, now, changes: { submittedAt: now } });
      return toEntryResponse(entry);
    });
  }

  async withdraw(user: AuthUser, actor: Actor, id: number, reason?: string): Promise<EntryResponse> {
    return this.dataSource.transaction(async (m) => {
      const entry = await this.findVisible(m, user, id, true);
      const contest = await this.contestOf(m, entry.contestId);
      if (!canWithdraw(entry.status, contest.phase)) {
        throw AppError.conflict('entry_not_withdrawable', { zh: '该成果已有初审结论或已结束，不能撤回', en: 'The entry can no longer be withdrawn' });
      }
      await this.transition(m, actor, entry, 'withdrawn', { action: 'entry.withdraw', reason: reason?.trim() || null });
      return toEntryResponse(entry);
    });
  }

  async recommend(user: AuthUser, actor: Actor, id: number): Promise<EntryResponse> {
    return this.dataSource.transaction(async (m) => {
      const entry = await this.findVisible(m, user, id, true);
      // The unit row is the lock that makes the recommendation cap hold under concurrent requests.
      // Taken before any plain read: MySQL's snapshot starts at the first one, and the count below
      // must see what the previous holder of the lock committed.
      const unit = await m.getRepository(RecommendingUnit).findOne({ where: { id: entry.unitId }, lock: writeLock(m) });
      const contest = await this.contestOf(m, entry.contestId);
      this.assertRecommendable(entry, contest);
      assertUnitActive(unit);
      const cap = contest.rules.caps.recommendedPerUnit;
      const used = await m.getRepository(Entry).countBy({ contestId: contest.id, unitId: entry.unitId, status: In([...RECOMMENDED_OR_LATER]) });
      if (used >= cap) {
        throw AppError.conflict('unit_recommend_cap', { zh: `每个推荐单位在本次评比中最多推荐 ${cap} 项成果`, en: `At most ${cap} recommended entries per unit in this contest` }, { cap });
      }
      await this.transition(m, actor, entry, 'recommended', { action: 'entry.recommend' });
      return toEntryResponse(entry);
    });
  }

  async decline(user: AuthUser, actor: Actor, id: number, reason: string): Promise<EntryResponse> {
    return this.dataSource.transaction(async (m) => {
      const entry = await this.findVisible(m, user, id, true);
      const contest = await this.contestOf(m, entry.contestId);
      this.assertRecommendable(entry, contest);
      assertUnitActive(await m.getRepository(RecommendingUnit).findOne({ where: { id: entry.unitId }, select: { id: true, deactivatedAt: true } }));
      await this.transition(m, actor, entry, 'declined', { action: 'entry.decline', reason: reason.trim() });
      return toEntryResponse(entry);
    });
  }

  private assertRecommendable(entry: Entry, contest: Contest): void {
    if (!canRecommend(entry.status, contest.phase)) {
      throw AppError.conflict('entry_not_recommendable', {
        zh: '只能在申报或初审阶段对已提交、尚未处理的成果作出推荐决定',
        en: 'Only submitted entries without a decision can be recommended or declined, while the contest is open or in review',
      });
    }
    // The unit's decision (recommend or decline) closes at the recommendation deadline, by the service's one clock.
    const deadline = contest.recommendationClosesAt ? new Date(contest.recommendationClosesAt) : null;
    if (deadline && this.clock.now().getTime() > deadline.getTime()) {
      throw AppError.conflict(
        'recommendation_deadline_passed',
        { zh: `推荐已于 ${cstText(deadline)}（北京时间）截止，不能再作出推荐决定`, en: `The recommendation deadline (${deadline.toISOString()}) has passed` },
        { recommendationClosesAt: deadline.toISOString() },
      );
    }
  }
}

/** A deactivated unit decides nothing (its accounts cannot log in either; this guards the window before their next request). */
function assertUnitActive(unit: Pick<RecommendingUnit, 'deactivatedAt'> | null): void {
  if (unit?.deactivatedAt) throw AppError.conflict('unit_deactivated', { zh: '该推荐单位已停用，不能作出推荐决定', en: 'The recommending unit is deactivated and cannot recommend' });
}

/** 2020-09-05 17:00, in China Standard Time. */
function cstText(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}
