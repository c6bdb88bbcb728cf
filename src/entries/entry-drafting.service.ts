import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ownEnterpriseId } from '../access/own.access.js';
import { AuditService } from '../audit/audit.service.js';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { AppError, fieldError, type FieldError } from '../common/errors.js';
import { Contest, Track } from '../contests/contest.entities.js';
import { insertRows } from '../database/insert-rows.js';
import { findOneOrNull, findOr404 } from '../database/row-lock.js';
import { nowSeconds } from '../database/write-lock.js';
import { Enterprise, RecommendingUnit } from '../organisations/organisation.entities.js';
import { canEdit, canWithdraw, checkActivityPeriod, submission, teamMemberLimit } from './entry-rules.js';
import { Entry, EntryEvent, type Team } from './entry.entities.js';
import { type CreateEntryDto, type EntryResponse, type TeamDto, toEntryResponse, type UpdateEntryDto } from './entries.dto.js';
import { ENTRIES_TEXTS as T } from './entries.errors.js';
import { EntriesRepository } from './entries.repository.js';
import { EntriesService } from './entries.service.js';
import { EntryTransitions } from './entry-transitions.service.js';

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
 * The enterprise's side of an entry: it drafts, edits, submits (or resubmits after a return) and
 * withdraws. Every status change goes through EntryTransitions (an EntryEvent and an audit row in
 * the transaction that changes the status).
 */
@Injectable()
export class EntryDraftingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly entries: EntriesService,
    private readonly repo: EntriesRepository,
    private readonly transitions: EntryTransitions,
  ) {}

  /** The caller's enterprise, which must be approved to create or submit. */
  private async approvedEnterprise(m: EntityManager, user: AuthUser, lock = false): Promise<Enterprise> {
    const enterprise = await findOneOrNull(m, Enterprise, { id: ownEnterpriseId(user) }, { lock });
    if (!enterprise) throw AppError.forbidden();
    if (enterprise.status !== 'approved') throw AppError.forbidden('enterprise_not_approved');
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
      problems.push(fieldError('entryType', 'entry_type_not_allowed', T.entryTypeNotAllowed));
    }
    if (f.trackId !== null) {
      const track = await findOneOrNull(m, Track, { id: f.trackId, contestId: contest.id });
      if (!track) problems.push(fieldError('trackId', 'track_not_found', T.trackNotFound));
      else if (track.entryType !== null && f.entryType !== null && track.entryType !== f.entryType) {
        problems.push(fieldError('trackId', 'track_type_mismatch', T.trackTypeMismatch));
      }
    }
    if (unitChanged) {
      const unit = await findOneOrNull(m, RecommendingUnit, { id: f.unitId }, { select: { id: true, deactivatedAt: true } });
      if (!unit) problems.push(fieldError('unitId', 'unit_not_found', T.unitNotFound));
      // A deactivated unit keeps its past entries but cannot take new ones.
      else if (unit.deactivatedAt) problems.push(fieldError('unitId', 'unit_deactivated', T.unitDeactivated));
    }
    const limit = teamMemberLimit(rules.caps?.maxTeamMembers);
    if ((f.team?.members.length ?? 0) > limit) {
      problems.push(fieldError('team.members', 'too_many_members', T.tooManyMembers(limit)));
    }
    for (const p of checkActivityPeriod(f.activityStart, f.activityEnd, rules.activityNotBefore ?? null)) {
      problems.push(fieldError(p.field, p.code, p));
    }
    if (problems.length) throw invalid(problems);
  }

  async create(user: AuthUser, actor: Actor, contestId: number, dto: CreateEntryDto): Promise<EntryResponse> {
    return this.dataSource.transaction(async (m) => {
      // The enterprise row is the lock that makes the entry cap hold under concurrent creates; it is
      // the first read, so the transaction's snapshot (MySQL) starts after the previous holder committed.
      const enterprise = await this.approvedEnterprise(m, user, true);
      const contest = await findOr404(m, Contest, { id: contestId });
      if (contest.phase !== 'open') throw AppError.conflict('contest_not_open');
      if (contest.submissionClosesAt && this.clock.now().getTime() > new Date(contest.submissionClosesAt).getTime()) {
        throw AppError.conflict('submission_closed');
      }
      const unitId = dto.unitId ?? enterprise.defaultUnitId;
      if (unitId === null || unitId === undefined) throw invalid([fieldError('unitId', 'required', T.unitRequired)]);
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
      if ((await this.repo.countForEnterpriseCap(m, contestId, enterprise.id)) >= cap) {
        throw AppError.conflict('enterprise_entry_cap', T.enterpriseEntryCap(cap), { cap });
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
      // Creation is the timeline's first line (no status before it), not a transition of the table.
      await insertRows(m, EntryEvent, [{
        entryId: entry.id, fromStatus: null, toStatus: 'draft', actorId: actor.id, actorRole: actor.role, reason: null, createdAt: now,
      }]);
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
      const entry = await this.entries.findVisible(m, user, id, true);
      const contest = await findOr404(m, Contest, { id: entry.contestId });
      if (!canEdit(entry.status, contest.phase)) throw AppError.conflict('entry_not_editable');
      if (dto.version !== undefined && dto.version !== entry.version) {
        throw AppError.conflict('stale_version', undefined, { currentVersion: entry.version });
      }
      // Left out: unchanged; null: cleared (a draft may lack it again; submission checks completeness).
      const pick = <V>(given: V | null | undefined, was: V | null): V | null => (given === undefined ? was : given);
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
      if (unitChanged && entry.status !== 'draft') throw invalid([fieldError('unitId', 'unit_locked', T.unitLocked)]);
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

  async submit(user: AuthUser, actor: Actor, id: number): Promise<EntryResponse> {
    return this.dataSource.transaction(async (m) => {
      await this.approvedEnterprise(m, user);
      const entry = await this.entries.findVisible(m, user, id, true);
      const contest = await findOr404(m, Contest, { id: entry.contestId });
      const now = nowSeconds(this.clock);
      const outcome = submission(entry.status, {
        phase: contest.phase,
        now: this.clock.now(),
        opensAt: contest.submissionOpensAt,
        closesAt: contest.submissionClosesAt,
      });
      if ('refused' in outcome) throw AppError.conflict(outcome.refused);
      // A partial draft is kept as it is; submission needs everything, listed at once (the report included).
      const missing = await this.entries.missing(m, entry);
      if (missing.length) {
        throw AppError.unprocessable(
          'entry_incomplete',
          T.entryIncomplete(missing.map((p) => p.label ?? p.field)),
          missing.map((p) => fieldError(p.field, p.code, p)),
        );
      }
      await this.transitions.transitionEntry(m, entry, outcome.to === 'submitted' ? 'submit' : 'resubmit', actor, { phase: contest.phase, now, changes: { submittedAt: now } });
      return toEntryResponse(entry);
    });
  }

  async withdraw(user: AuthUser, actor: Actor, id: number, reason?: string): Promise<EntryResponse> {
    return this.dataSource.transaction(async (m) => {
      const entry = await this.entries.findVisible(m, user, id, true);
      const contest = await findOr404(m, Contest, { id: entry.contestId });
      if (!canWithdraw(entry.status, contest.phase)) throw AppError.conflict('entry_not_withdrawable');
      await this.transitions.transitionEntry(m, entry, 'withdraw', actor, { phase: contest.phase, reason: reason?.trim() || null });
      return toEntryResponse(entry);
    });
  }
}
