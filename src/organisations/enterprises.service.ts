import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { AppError, MESSAGES, fieldError, type FieldError } from '../common/errors.js';
import { pageWindow, type Page } from '../common/pagination.js';
import { AccessService } from '../access/access.service.js';
import { approvesOwnRegistration, editsEveryEnterpriseField, enterpriseVisibility, registrationFor } from '../access/organisation.access.js';
import { Enterprise, RecommendingUnit, type EnterpriseStatus } from './organisation.entities.js';
import { containsPattern } from '../database/like.js';
import { nowToSecond, usccErrors } from './organisation-rules.js';
import { ORGANISATIONS_TEXTS as T } from './organisations.errors.js';
import {
  type CreateEnterpriseDto, ENTERPRISE_SELF_EDITABLE, type EnterpriseResponse, type ListEnterprisesQuery, toEnterpriseResponse,
  type UpdateEnterpriseDto,
} from './organisations.dto.js';
import { Clock } from '../common/clock.js';
import { findOneOrNull, findOr404 } from '../database/row-lock.js';
import { NotificationsService } from '../notifications/notifications.service.js';

/**
 * 企业. Organizers register enterprises directly (approved); a recommender may register the
 * enterprises of its own unit, and an enterprise may register itself (POST /public/enterprises/register,
 * see RegistrationService): both wait for approval by an organizer or by the unit's recommender.
 */
@Injectable()
export class EnterprisesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly access: AccessService,
    private readonly notifications: NotificationsService,
  ) {}

  async create(actor: Actor, user: AuthUser, dto: CreateEnterpriseDto): Promise<EnterpriseResponse> {
    let status: EnterpriseStatus = 'approved';
    // A recommender: its own unit only; such registrations wait for approval (src/access/organisation.access.ts).
    const reg = registrationFor(user, dto.defaultUnitId);
    if (reg && 'refused' in reg) {
      throw reg.refused === 'unit_not_own'
        ? AppError.forbidden('unit_not_own')
        : AppError.forbidden();
    }
    if (reg) {
      dto = { ...dto, defaultUnitId: reg.pendingUnder };
      status = 'pending';
    }
    return this.dataSource.transaction((m) => this.insert(m, actor, dto, status));
  }

  /** Inserts one enterprise inside the caller's transaction (also used by the spreadsheet import). */
  async insert(
    m: EntityManager,
    actor: Actor,
    dto: CreateEnterpriseDto,
    status: EnterpriseStatus,
    opts: { action?: string; fieldPrefix?: string } = {},
  ): Promise<EnterpriseResponse> {
    const prefix = opts.fieldPrefix ?? '';
    const problems = [...usccErrors(dto.uscc, `${prefix}uscc`), ...(await this.unitProblems(m, dto.defaultUnitId ?? null, `${prefix}defaultUnitId`))];
    if (problems.length) throw AppError.badRequest('validation_failed', undefined, problems);
    if ((await this.usccProblems(m, dto.uscc)).length) throw AppError.conflict('uscc_taken');
    const now = nowToSecond(this.clock);
    const repo = m.getRepository(Enterprise);
    const e = repo.create({
      name: dto.name,
      uscc: dto.uscc,
      industry: dto.industry ?? null,
      address: dto.address ?? null,
      contactPerson: dto.contactPerson ?? null,
      phone: dto.phone ?? null,
      defaultUnitId: dto.defaultUnitId ?? null,
      status,
      statusReason: null,
      createdBy: actor.id,
      createdAt: now,
      updatedAt: now,
    });
    await repo.save(e);
    const after = toEnterpriseResponse(e);
    await this.audit.record(m, actor, { action: opts.action ?? 'enterprise.create', targetType: 'enterprise', targetId: e.id, after });
    return after;
  }

  /** The named default unit must exist and be active (a deactivated unit cannot be chosen). */
  async unitProblems(m: EntityManager, unitId: number | null, field = 'defaultUnitId'): Promise<FieldError[]> {
    if (unitId === null) return [];
    const unit = await findOneOrNull(m, RecommendingUnit, { id: unitId }, { select: { id: true, deactivatedAt: true } });
    if (!unit) return [fieldError(field, 'unit_not_found', T.unitNotFound)];
    return unit.deactivatedAt ? [fieldError(field, 'unit_deactivated', T.unitDeactivated)] : [];
  }

  /** The USCC is registered to another enterprise. */
  async usccProblems(m: EntityManager, uscc: string, field = 'uscc', exceptId?: number): Promise<FieldError[]> {
    const other = await findOneOrNull(m, Enterprise, { uscc });
    return other && other.id !== exceptId ? [fieldError(field, 'uscc_taken', MESSAGES.uscc_taken)] : [];
  }

  async list(user: AuthUser, q: ListEnterprisesQuery): Promise<Page<EnterpriseResponse>> {
    const { skip, take, page, pageSize } = pageWindow(q);
    const qb = this.dataSource.getRepository(Enterprise).createQueryBuilder('e');
    enterpriseVisibility(qb, user, 'e');
    if (q.status) qb.andWhere('e.status = :status', { status: q.status });
    if (q.active === 'true') qb.andWhere('e.deactivatedAt IS NULL');
    if (q.active === 'false') qb.andWhere('e.deactivatedAt IS NOT NULL');
    if (q.defaultUnitId) qb.andWhere('e.defaultUnitId = :unit', { unit: q.defaultUnitId });
    if (q.q) qb.andWhere(`(e.name LIKE :q ESCAPE '!' OR e.uscc LIKE :q ESCAPE '!')`, { q: containsPattern(q.q) });
    const [rows, total] = await qb.orderBy('e.id', 'ASC').skip(skip).take(take).getManyAndCount();
    return { items: rows.map(toEnterpriseResponse), total, page, pageSize };
  }

  async get(user: AuthUser, id: number): Promise<EnterpriseResponse> {
    await this.access.requireAccess(user, 'enterprise.read', [id]);
    const e = await this.find(this.dataSource.manager, id);
    return toEnterpriseResponse(e);
  }

  /** Organizers change any field; an enterprise only its own contact fields. */
  async update(actor: Actor, user: AuthUser, id: number, dto: UpdateEnterpriseDto): Promise<EnterpriseResponse> {
    return this.dataSource.transaction(async (m) => {
      const e = await this.find(m, id);
      await this.access.requireAccess(user, 'enterprise.read', [id], m);
      if (!editsEveryEnterpriseField(user)) {
        const locked = Object.keys(dto).filter(
          (k) => dto[k as keyof UpdateEnterpriseDto] !== undefined && !(ENTERPRISE_SELF_EDITABLE as readonly string[]).includes(k),
        );
        if (locked.length) {
          throw new AppError(HttpStatus.FORBIDDEN, 'field_not_editable', undefined, locked.map((f) => fieldError(f, 'field_not_editable', T.fieldNotEditable)));
        }
      }
      const before = toEnterpriseResponse(e);
      const problems: FieldError[] = [];
      if (dto.uscc !== undefined && dto.uscc !== e.uscc) problems.push(...usccErrors(dto.uscc));
      if (dto.defaultUnitId !== undefined && dto.defaultUnitId !== e.defaultUnitId) problems.push(...(await this.unitProblems(m, dto.defaultUnitId)));
      if (problems.length) throw AppError.badRequest('validation_failed', undefined, problems);
      if (dto.uscc !== undefined && dto.uscc !== e.uscc && (await this.usccProblems(m, dto.uscc, 'uscc', id)).length) {
        throw AppError.conflict('uscc_taken');
      }
      for (const k of ['name', 'uscc', 'industry', 'address', 'contactPerson', 'phone', 'defaultUnitId'] as const) {
        if (dto[k] !== undefined) (e as unknown as Record<string, unknown>)[k] = dto[k];
      }
      e.updatedAt = nowToSecond(this.clock);
      await m.getRepository(Enterprise).save(e);
      const after = toEnterpriseResponse(e);
      await this.audit.record(m, actor, { action: 'enterprise.update', targetType: 'enterprise', targetId: id, before, after });
      return after;
    });
  }

  /** pending or rejected → approved, by an organizer or a recommender of the enterprise's default unit, never by whoever registered it. */
  approve(actor: Actor, user: AuthUser, id: number): Promise<EnterpriseResponse> {
    return this.setStatus(actor, user, id, 'approved', null, ['pending', 'rejected']);
  }

  /** pending → rejected, with the reason the enterprise will read; by the same deciders as approve. */
  reject(actor: Actor, user: AuthUser, id: number, reason: string): Promise<EnterpriseResponse> {
    return this.setStatus(actor, user, id, 'rejected', reason, ['pending']);
  }

  private setStatus(
    actor: Actor,
    user: AuthUser,
    id: number,
    to: EnterpriseStatus,
    reason: string | null,
    from: EnterpriseStatus[],
  ): Promise<EnterpriseResponse> {
    return this.dataSource.transaction(async (m) => {
      const e = await this.find(m, id);
      await this.access.requireAccess(user, 'enterprise.decide', [id], m);
      if (to === 'approved' && approvesOwnRegistration(user, e)) throw AppError.forbidden('same_person_approval');
      if (!from.includes(e.status)) {
        throw AppError.conflict(
          'enterprise_status_conflict',
          T.enterpriseStatusConflict(e.status, to),
          { status: e.status, allowedFrom: from },
        );
      }
      const before = toEnterpriseResponse(e);
      e.status = to;
      e.statusReason = reason;
      e.updatedAt = nowToSecond(this.clock);
      await m.getRepository(Enterprise).save(e);
      const after = toEnterpriseResponse(e);
      await this.audit.record(m, actor, { action: `enterprise.${to === 'approved' ? 'approve' : 'reject'}`, targetType: 'enterprise', targetId: id, before, after });
      await this.notifications.notify(m, { event: 'enterprise.decided', enterpriseId: id, approved: to === 'approved', reason });
      return after;
    });
  }

  /** The enterprise, or 404. */
  async find(m: EntityManager, id: number): Promise<Enterprise> {
    const e = await findOr404(m, Enterprise, { id });
    return e;
  }
}
