import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/auth-user.js';
import { AppError, fieldError } from '../common/errors.js';
import { pageWindow } from '../common/pagination.js';
import { Contest } from '../contests/contest.entities.js';
import { Objection } from './results.entities.js';
import { toObjectionResponse, type AnswerObjectionDto, type FileObjectionDto, type ObjectionsQuery } from './results.dto.js';
import { resultsArePublic } from '../access/results.access.js';
import { PublicResultsService } from './public-results.service.js';
import { RESULTS_FIELD_ERRORS } from './results.errors.js';
import { Clock } from '../common/clock.js';
import { NotificationsService } from '../notifications/notifications.service.js';

/**
 * 异议: filed by anyone during the notice (公示) against an entry of the notice list — awarded or
 * not, since an objection may be that an entry should have been awarded — and answered by an
 * organizer. Publication is refused while any is open (see the phase facts in ResultsPublicationService).
 */
@Injectable()
export class ObjectionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly results: PublicResultsService,
    private readonly clock: Clock,
    private readonly notifications: NotificationsService,
  ) {}

  /** POST /public/contests/:id/objections (no login). */
  async file(contestId: number, dto: FileObjectionDto, requestId: string | null) {
    return this.dataSource.transaction(async (m) => {
      const contest = await m.getRepository(Contest).findOneBy({ id: contestId });
      // Before the notice nothing about the results is public, not even that the contest has any.
      if (!contest || !resultsArePublic(contest)) throw AppError.notFound();
      const now = this.clock.now();
      if (contest.phase !== 'notice' || !contest.noticeEndsAt || now.getTime() >= new Date(contest.noticeEndsAt).getTime()) {
        throw AppError.conflict('objections_closed');
      }
      const listed = await this.results.noticeEntries(m, contestId);
      if (!listed.has(dto.entryId)) {
        const t = RESULTS_FIELD_ERRORS.not_in_notice;
        throw AppError.badRequest('validation_failed', undefined, [fieldError('entryId', 'not_in_results', t.zh, t.en)]);
      }
      now.setMilliseconds(0);
      const repo = m.getRepository(Objection);
      const objection = repo.create({
        contestId, entryId: dto.entryId, filedByName: dto.name, contact: dto.contact, filedByUser: null, content: dto.content,
        status: 'open', answer: null, answeredBy: null, answeredAt: null, createdAt: now,
      });
      await repo.insert(objection);
      // Filed without an account: the audit trail records it as a system event with the request id.
      const actor: Actor = { id: null, role: 'system', requestId };
      await this.audit.record(m, actor, { action: 'objection.file', targetType: 'objection', targetId: objection.id, after: { contestId, entryId: dto.entryId, name: dto.name, content: dto.content } });
      await this.notifications.notify(m, { event: 'objection.filed', objectionId: objection.id });
      return { id: objection.id, status: objection.status, createdAt: now.toISOString() };
    });
  }

  /** GET /contests/:id/objections (organizer). */
  async list(contestId: number, q: ObjectionsQuery) {
    const m = this.dataSource.manager;
    if (!(await m.getRepository(Contest).existsBy({ id: contestId }))) throw AppError.notFound();
    const { skip, take, page, pageSize } = pageWindow(q);
    const [rows, total] = await m.getRepository(Objection).findAndCount({
      where: { contestId, ...(q.status ? { status: q.status } : {}) },
      order: { id: 'ASC' },
      skip,
      take,
    });
    const titles = await this.results.entryTitles(m, [...new Set(rows.map((o) => o.entryId))]);
    return { items: rows.map((o) => toObjectionResponse(o, titles.get(o.entryId) ?? null)), total, page, pageSize };
  }

  /** POST /objections/:id/answer (organizer). */
  async answer(actor: Actor, id: number, dto: AnswerObjectionDto) {
    return this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(Objection);
      const objection = await repo.findOneBy({ id });
      if (!objection) throw AppError.notFound();
      if (objection.status !== 'open') throw AppError.conflict('objection_already_answered');
      const now = this.clock.now();
      now.setMilliseconds(0);
      // Conditional on the status read above: two organizers answering at once answer it once.
      const res = await repo.update({ id, status: 'open' }, { status: 'answered', answer: dto.answer, answeredBy: actor.id, answeredAt: now });
      if (!res.affected) throw AppError.conflict('objection_already_answered');
      Object.assign(objection, { status: 'answered', answer: dto.answer, answeredBy: actor.id, answeredAt: now });
      const titles = await this.results.entryTitles(m, [objection.entryId]);
      const out = toObjectionResponse(objection, titles.get(objection.entryId) ?? null);
      await this.audit.record(m, actor, { action: 'objection.answer', targetType: 'objection', targetId: id, before: { status: 'open' }, after: { status: 'answered', answer: dto.answer } });
      await this.notifications.notify(m, { event: 'objection.answered', objectionId: id });
      return out;
    });
  }
}
