import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { AppError, fieldError, type FieldError } from '../common/errors.js';
import { pageWindow, type Page } from '../common/pagination.js';
import { AccessService } from '../access/access.service.js';
import { expertVisibility } from '../access/organisation.access.js';
import { Enterprise, Expert, RecommendingUnit } from './organisation.entities.js';
import { containsPattern } from '../database/like.js';
import { type Employer, employerShapeErrors, nowToSecond } from './organisation-rules.js';
import { ORGANISATIONS_TEXTS as T } from './organisations.errors.js';
import { type CreateExpertDto, type ExpertResponse, type ListExpertsQuery, toExpertResponse, type UpdateExpertDto } from './organisations.dto.js';
import { Clock } from '../common/clock.js';
import { findOr404 } from '../database/row-lock.js';

const EMPLOYER_FIELDS = ['employerKind', 'employerEnterpriseId', 'employerUnitId', 'employerName'] as const;

/** 评审专家 and their employers (which decide automatic conflicts of interest). Organizers only. */
@Injectable()
export class ExpertsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly access: AccessService,
  ) {}

  create(actor: Actor, dto: CreateExpertDto): Promise<ExpertResponse> {
    return this.dataSource.transaction((m) => this.insert(m, actor, dto));
  }

  /** Inserts one expert inside the caller's transaction (also used by the spreadsheet import). */
  async insert(m: EntityManager, actor: Actor, dto: CreateExpertDto): Promise<ExpertResponse> {
    const employer: Employer = {
      employerKind: dto.employerKind,
      employerEnterpriseId: dto.employerEnterpriseId ?? null,
      employerUnitId: dto.employerUnitId ?? null,
      employerName: dto.employerName ?? null,
    };
    const problems = await this.employerProblems(m, employer);
    if (problems.length) throw AppError.badRequest('validation_failed', undefined, problems);
    const now = nowToSecond(this.clock);
    const repo = m.getRepository(Expert);
    const x = repo.create({
      name: dto.name,
      ...employer,
      title: dto.title ?? null,
      fields: distinct(dto.fields ?? []),
      phone: dto.phone ?? null,
      createdAt: now,
      updatedAt: now,
    });
    await repo.save(x);
    const after = toExpertResponse(x);
    await this.audit.record(m, actor, { action: 'expert.create', targetType: 'expert', targetId: x.id, after });
    return after;
  }

  /** The employer's shape, then whether the enterprise or unit it names exists. */
  async employerProblems(m: EntityManager, e: Employer): Promise<FieldError[]> {
    const shape = employerShapeErrors(e);
    if (shape.length) return shape;
    if (e.employerEnterpriseId !== null && !(await m.getRepository(Enterprise).existsBy({ id: e.employerEnterpriseId }))) {
      return [fieldError('employerEnterpriseId', 'enterprise_not_found', T.enterpriseNotFound)];
    }
    if (e.employerUnitId !== null && !(await m.getRepository(RecommendingUnit).existsBy({ id: e.employerUnitId }))) {
      return [fieldError('employerUnitId', 'unit_not_found', T.unitNotFound)];
    }
    return [];
  }

  async list(user: AuthUser, q: ListExpertsQuery): Promise<Page<ExpertResponse>> {
    const { skip, take, page, pageSize } = pageWindow(q);
    const qb = this.dataSource.getRepository(Expert).createQueryBuilder('x');
    expertVisibility(qb, user, 'x');
    if (q.employerKind) qb.andWhere('x.employerKind = :kind', { kind: q.employerKind });
    if (q.active === 'true') qb.andWhere('x.deactivatedAt IS NULL');
    if (q.active === 'false') qb.andWhere('x.deactivatedAt IS NOT NULL');
    if (q.q) qb.andWhere(`x.name LIKE :q ESCAPE '!'`, { q: containsPattern(q.q) });
    const [rows, total] = await qb.orderBy('x.id', 'ASC').skip(skip).take(take).getManyAndCount();
    return { items: rows.map(toExpertResponse), total, page, pageSize };
  }

  async get(user: AuthUser, id: number): Promise<ExpertResponse> {
    await this.access.requireAccess(user, 'expert.read', [id]);
    const x = await this.find(this.dataSource.manager, id);
    return toExpertResponse(x);
  }

  async update(actor: Actor, id: number, dto: UpdateExpertDto): Promise<ExpertResponse> {
    return this.dataSource.transaction(async (m) => {
      const x = await this.find(m, id);
      const before = toExpertResponse(x);
      // The employer is replaced as a whole, so a changed kind never keeps a stale id.
      if (EMPLOYER_FIELDS.some((f) => dto[f] !== undefined)) {
        const employer: Employer = {
          employerKind: dto.employerKind ?? x.employerKind,
          employerEnterpriseId: dto.employerEnterpriseId ?? null,
          employerUnitId: dto.employerUnitId ?? null,
          employerName: dto.employerName ?? null,
        };
        const problems = await this.employerProblems(m, employer);
        if (problems.length) throw AppError.badRequest('validation_failed', undefined, problems);
        Object.assign(x, employer);
      }
      if (dto.name !== undefined) x.name = dto.name;
      if (dto.title !== undefined) x.title = dto.title;
      if (dto.fields !== undefined) x.fields = distinct(dto.fields);
      if (dto.phone !== undefined) x.phone = dto.phone;
      x.updatedAt = nowToSecond(this.clock);
      await m.getRepository(Expert).save(x);
      const after = toExpertResponse(x);
      await this.audit.record(m, actor, { action: 'expert.update', targetType: 'expert', targetId: id, before, after });
      return after;
    });
  }

  /** The expert, or 404. */
  async find(m: EntityManager, id: number): Promise<Expert> {
    const x = await findOr404(m, Expert, { id });
    return x;
  }
}

function distinct(items: string[]): string[] {
  return [...new Set(items.map((s) => s.trim()).filter((s) => s !== ''))];
}
