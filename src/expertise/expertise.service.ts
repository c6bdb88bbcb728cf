import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In, IsNull, Not } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import { profileEditMode } from '../access/expertise.access.js';
import { AuditService } from '../audit/audit.service.js';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { AppError, fieldError, type FieldError } from '../common/errors.js';
import { ENTRY_TYPES } from '../contests/contest.entities.js';
import { Entry } from '../entries/entry.entities.js';
import { Enterprise, Expert } from '../organisations/organisation.entities.js';
import { nowToSecond } from '../organisations/organisation-rules.js';
import {
  type CreateTopicDto, type EntryTopicsDto, type EntryTopicsResponse, type ExpertProfileResponse, fieldsOf, type ProfileDto, type TopicResponse,
  toTopicResponse, type VocabularyResponse,
} from './expertise.dto.js';
import { EntryTopic, ExpertiseTopic, ExpertProfile, type ProfileFields } from './expertise.entities.js';
import { EXPERTISE_ERRORS } from './expertise.errors.js';
import { findOneOrNull } from '../database/row-lock.js';
import { placeholders, rows } from '../scoring/sql.js';

const EMPTY: ProfileFields = { industries: [], entryTypes: [], topics: [], yearsOfExperience: null, keywords: [] };

/**
 * The facts assignment by expertise works from: the organizer's list of methods and specialties,
 * each expert's profile (an organizer's change applies, the expert's own waits for approval), and
 * the topics an enterprise chose for its entry. The rest of an entry's topics (industry, type,
 * title) are the entry's and its enterprise's own.
 */
@Injectable()
export class ExpertiseService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly access: AccessService,
    private readonly clock: Clock,
  ) {}

  // ---------------------------------------------------------------- vocabulary

  async vocabulary(): Promise<VocabularyResponse> {
    const m = this.dataSource.manager;
    const topics = await m.getRepository(ExpertiseTopic).find({ order: { name: 'ASC' } });
    const rows = await m
      .getRepository(Enterprise)
      .createQueryBuilder('e')
      .select('DISTINCT e.industry', 'industry')
      .where('e.industry IS NOT NULL')
      .getRawMany<{ industry: string }>();
    const industries = [...new Set(rows.map((r) => r.industry.trim()).filter((s) => s !== ''))].sort((a, b) => a.localeCompare(b, 'zh'));
    return { topics: topics.map(toTopicResponse), industries, entryTypes: [...ENTRY_TYPES] };
  }

  async createTopic(actor: Actor, dto: CreateTopicDto): Promise<TopicResponse> {
    return this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(ExpertiseTopic);
      if (await repo.existsBy({ name: dto.name })) throw AppError.conflict('topic_name_taken', EXPERTISE_ERRORS.topic_name_taken);
      const topic = repo.create({ name: dto.name, createdAt: nowToSecond(this.clock) });
      await repo.save(topic);
      const out = toTopicResponse(topic);
      await this.audit.record(m, actor, { action: 'expertise.topic.create', targetType: 'expertise_topic', targetId: topic.id, after: out });
      return out;
    });
  }

  /** Deletes a topic nobody uses (409 topic_in_use otherwise). */
  async deleteTopic(actor: Actor, id: number): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const topic = await m.getRepository(ExpertiseTopic).findOneBy({ id });
      if (!topic) throw AppError.notFound();
      const used = (rows: { topics: string[] }[]) => rows.some((r) => r.topics.includes(topic.name));
      const profiles = await m.getRepository(ExpertProfile).find({ select: { topics: true, proposed: true } });
      const entries = await m.getRepository(EntryTopic).find({ select: { topics: true } });
      if (used(profiles) || used(profiles.flatMap((p) => (p.proposed ? [p.proposed] : []))) || used(entries)) {
        throw AppError.conflict('topic_in_use', EXPERTISE_ERRORS.topic_in_use);
      }
      await m.getRepository(ExpertiseTopic).delete({ id });
      await this.audit.record(m, actor, { action: 'expertise.topic.delete', targetType: 'expertise_topic', targetId: id, before: toTopicResponse(topic) });
    });
  }

  /** Topics not on the organizer's list, as field errors on `field`.<i>. */
  async topicProblems(m: EntityManager, topics: readonly string[], field = 'topics'): Promise<FieldError[]> {
    if (!topics.length) return [];
    // Plain SQL: every entry's topics are checked here (building find's query was most of the cost).
    const found = await rows<{ name: string }>(m, `SELECT name FROM expertise_topics WHERE name IN (${placeholders(topics)})`, [...topics]);
    const known = new Set(found.map((t) => t.name));
    return topics.flatMap((t, i) => (known.has(t) ? [] : [fieldError(`${field}.${i}`, 'unknown_topic', `「${t}」${EXPERTISE_ERRORS.unknown_topic.zh}`, EXPERTISE_ERRORS.unknown_topic.en)]));
  }

  // ---------------------------------------------------------------- expert profiles

  private async profileOf(m: EntityManager, expertId: number): Promise<ExpertProfile | null> {
    return m.getRepository(ExpertProfile).findOneBy({ expertId });
  }

  private response(expert: Expert, p: ExpertProfile | null): ExpertProfileResponse {
    return {
      expertId: expert.id,
      expertName: expert.name,
      ...fieldsOf(p ?? EMPTY),
      pending: p?.proposed ? fieldsOf(p.proposed) : null,
      pendingSince: p?.proposedAt ? p.proposedAt.toISOString() : null,
      updatedAt: p && (p.industries.length || p.topics.length || p.entryTypes.length || p.keywords.length || p.yearsOfExperience !== null) ? p.updatedAt.toISOString() : null,
    };
  }

  private async expert(m: EntityManager, id: number): Promise<Expert> {
    const x = await m.getRepository(Expert).findOneBy({ id });
    if (!x) throw AppError.notFound();
    return x;
  }

  async getProfile(user: AuthUser, expertId: number): Promise<ExpertProfileResponse> {
    await this.access.requireAccess(user, 'expert.profile', [expertId]);
    const m = this.dataSource.manager;
    return this.response(await this.expert(m, expertId), await this.profileOf(m, expertId));
  }

  /** Replaces the profile: at once for an organizer; as a proposal for the expert itself. */
  async putProfile(user: AuthUser, actor: Actor, expertId: number, dto: ProfileDto): Promise<ExpertProfileResponse> {
    await this.access.requireAccess(user, 'expert.profile', [expertId]);
    const mode = profileEditMode(user);
    if (mode === null) throw AppError.forbidden();
    return this.dataSource.transaction(async (m) => {
      const expert = await this.expert(m, expertId);
      const fields: ProfileFields = {
        industries: dto.industries,
        entryTypes: dto.entryTypes,
        topics: dto.topics,
        yearsOfExperience: dto.yearsOfExperience ?? null,
        keywords: dto.keywords ?? [],
      };
      const problems = await this.topicProblems(m, fields.topics);
      if (problems.length) throw AppError.badRequest('validation_failed', undefined, problems);
      const row = await this.profileOf(m, expertId);
      const before = this.response(expert, row);
      const saved = await this.save(m, expertId, row, mode === 'apply' ? { live: fields } : { proposed: fields });
      const after = this.response(expert, saved);
      await this.audit.record(m, actor, { action: mode === 'apply' ? 'expertise.profile.update' : 'expertise.profile.propose', targetType: 'expert', targetId: expertId, before, after });
      return after;
    });
  }

  private async save(m: EntityManager, expertId: number, row: ExpertProfile | null, change: { live?: ProfileFields; proposed?: ProfileFields | null }): Promise<ExpertProfile> {
    const repo = m.getRepository(ExpertProfile);
    const now = nowToSecond(this.clock);
    const p = row ?? repo.create({ expertId, ...EMPTY, proposed: null, proposedAt: null, updatedAt: now });
    if (change.live) {
      Object.assign(p, change.live);
      p.updatedAt = now;
    }
    if (change.proposed !== undefined) {
      p.proposed = change.proposed;
      p.proposedAt = change.proposed ? now : null;
    }
    await repo.save(p);
    return p;
  }

  /** The profile an import row gives, inside the import's transaction (validated by the import). */
  async importProfile(m: EntityManager, actor: Actor, expertId: number, fields: ProfileFields): Promise<void> {
    const saved = await this.save(m, expertId, await this.profileOf(m, expertId), { live: fields });
    await this.audit.record(m, actor, { action: 'expertise.profile.update', targetType: 'expert', targetId: expertId, after: fieldsOf(saved) });
  }

  /** Approves (the proposal becomes the profile) or rejects (it is dropped) an expert's own change. */
  async decide(actor: Actor, expertId: number, approve: boolean): Promise<ExpertProfileResponse> {
    return this.dataSource.transaction(async (m) => {
      const expert = await this.expert(m, expertId);
      const row = await this.profileOf(m, expertId);
      if (!row?.proposed) throw AppError.conflict('no_pending_profile', EXPERTISE_ERRORS.no_pending_profile);
      const before = this.response(expert, row);
      // A topic may have left the list since the proposal: approving it would bring it back.
      if (approve) {
        const problems = await this.topicProblems(m, row.proposed.topics, 'pending.topics');
        if (problems.length) throw AppError.badRequest('validation_failed', undefined, problems);
      }
      const saved = await this.save(m, expertId, row, approve ? { live: row.proposed, proposed: null } : { proposed: null });
      const after = this.response(expert, saved);
      await this.audit.record(m, actor, { action: approve ? 'expertise.profile.approve' : 'expertise.profile.reject', targetType: 'expert', targetId: expertId, before, after });
      return after;
    });
  }

  /** The experts whose own changes wait for approval, oldest first. */
  async pending(): Promise<{ items: ExpertProfileResponse[] }> {
    const m = this.dataSource.manager;
    const rows = await m.getRepository(ExpertProfile).find({ where: { proposedAt: Not(IsNull()) }, order: { proposedAt: 'ASC', id: 'ASC' } });
    const experts = rows.length ? await m.getRepository(Expert).find({ where: { id: In(rows.map((r) => r.expertId)) } }) : [];
    const byId = new Map(experts.map((x) => [x.id, x]));
    return { items: rows.filter((r) => byId.has(r.expertId)).map((r) => this.response(byId.get(r.expertId)!, r)) };
  }

  // ---------------------------------------------------------------- entry topics

  private async entryTopics(m: EntityManager, entry: Entry): Promise<EntryTopicsResponse> {
    const enterprise = await findOneOrNull(m, Enterprise, { id: entry.enterpriseId });
    const row = await findOneOrNull(m, EntryTopic, { entryId: entry.id });
    return { entryId: entry.id, title: entry.title, industry: enterprise?.industry ?? null, entryType: entry.entryType, topics: row?.topics ?? [] };
  }

  async getEntryTopics(user: AuthUser, entryId: number): Promise<EntryTopicsResponse> {
    await this.access.requireAccess(user, 'entry.topics', [entryId]);
    const m = this.dataSource.manager;
    const entry = await findOneOrNull(m, Entry, { id: entryId });
    if (!entry) throw AppError.notFound();
    return this.entryTopics(m, entry);
  }

  /** The enterprise (or an organizer) chooses the entry's topics from the organizer's list. */
  async putEntryTopics(user: AuthUser, actor: Actor, entryId: number, dto: EntryTopicsDto): Promise<EntryTopicsResponse> {
    await this.access.requireAccess(user, 'entry.topics', [entryId]);
    return this.dataSource.transaction(async (m) => {
      const entry = await findOneOrNull(m, Entry, { id: entryId });
      if (!entry) throw AppError.notFound();
      const problems = await this.topicProblems(m, dto.topics);
      if (problems.length) throw AppError.badRequest('validation_failed', undefined, problems);
      const before = await this.entryTopics(m, entry);
      const repo = m.getRepository(EntryTopic);
      const row = (await findOneOrNull(m, EntryTopic, { entryId })) ?? repo.create({ entryId });
      row.topics = dto.topics;
      row.updatedAt = nowToSecond(this.clock);
      await repo.save(row);
      const after = await this.entryTopics(m, entry);
      await this.audit.record(m, actor, { action: 'expertise.entry_topics.update', targetType: 'entry', targetId: entryId, before, after });
      return after;
    });
  }
}
