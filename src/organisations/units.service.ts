import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { AppError, MESSAGES, fieldError, type FieldError } from '../common/errors.js';
import { pageWindow, type Page } from '../common/pagination.js';
import { AccessService } from '../access/access.service.js';
import { unitVisibility } from '../access/organisation.access.js';
import { RecommendingUnit } from './organisation.entities.js';
import { containsPattern } from '../database/like.js';
import { nowToSecond } from './organisation-rules.js';
import {
  type CreateUnitDto, type ListUnitsQuery, type PublicUnitResponse, toPublicUnitResponse, toUnitResponse, type UnitResponse, type UpdateUnitDto,
} from './organisations.dto.js';
import { Clock } from '../common/clock.js';
import { findOneOrNull, findOr404 } from '../database/row-lock.js';

/** Chinese names in pinyin order (as a Chinese reader expects), the same on every database. */
const byName = new Intl.Collator('zh-CN', { numeric: true });

/** 推荐单位: created and edited by organizers. */
@Injectable()
export class UnitsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly access: AccessService,
  ) {}

  create(actor: Actor, dto: CreateUnitDto): Promise<UnitResponse> {
    return this.dataSource.transaction((m) => this.insert(m, actor, dto));
  }

  /** Inserts one unit inside the caller's transaction (also used by the spreadsheet import). */
  async insert(m: EntityManager, actor: Actor, dto: CreateUnitDto): Promise<UnitResponse> {
    await this.assertNameFree(m, dto.name);
    const now = nowToSecond(this.clock);
    const repo = m.getRepository(RecommendingUnit);
    const unit = repo.create({
      name: dto.name,
      kind: dto.kind,
      contactPerson: dto.contactPerson ?? null,
      phone: dto.phone ?? null,
      createdAt: now,
      updatedAt: now,
    });
    await repo.save(unit);
    const after = toUnitResponse(unit);
    await this.audit.record(m, actor, { action: 'unit.create', targetType: 'unit', targetId: unit.id, after });
    return after;
  }

  /** Problems that only the database can tell (the name is taken), as field errors. */
  async nameProblems(m: EntityManager, name: string, field = 'name', exceptId?: number): Promise<FieldError[]> {
    const other = await findOneOrNull(m, RecommendingUnit, { name });
    return other && other.id !== exceptId ? [fieldError(field, 'unit_name_taken', MESSAGES.unit_name_taken)] : [];
  }

  private async assertNameFree(m: EntityManager, name: string, exceptId?: number): Promise<void> {
    if ((await this.nameProblems(m, name, 'name', exceptId)).length) throw AppError.conflict('unit_name_taken');
  }

  async list(user: AuthUser, q: ListUnitsQuery): Promise<Page<UnitResponse>> {
    const { skip, take, page, pageSize } = pageWindow(q);
    const qb = this.dataSource.getRepository(RecommendingUnit).createQueryBuilder('u');
    unitVisibility(qb, user, 'u');
    if (q.kind) qb.andWhere('u.kind = :kind', { kind: q.kind });
    if (q.active === 'true') qb.andWhere('u.deactivatedAt IS NULL');
    if (q.active === 'false') qb.andWhere('u.deactivatedAt IS NOT NULL');
    if (q.q) qb.andWhere(`u.name LIKE :q ESCAPE '!'`, { q: containsPattern(q.q) });
    const [rows, total] = await qb.orderBy('u.id', 'ASC').skip(skip).take(take).getManyAndCount();
    return { items: rows.map(toUnitResponse), total, page, pageSize };
  }

  /**
   * Every active unit's id, name and kind, sorted by name, for anyone choosing a unit when registering an
   * enterprise. Sorted here rather than by the database, whose collations differ (binary on SQLite).
   */
  async publicList(): Promise<PublicUnitResponse[]> {
    // A deactivated unit cannot be chosen (see OrganisationStatusService).
    const rows = await this.dataSource.getRepository(RecommendingUnit).find({ select: { id: true, name: true, kind: true }, where: { deactivatedAt: IsNull() } });
    return rows.map(toPublicUnitResponse).sort((a, b) => byName.compare(a.name, b.name) || a.id - b.id);
  }

  async get(user: AuthUser, id: number): Promise<UnitResponse> {
    await this.access.requireAccess(user, 'unit.read', [id]);
    const unit = await this.find(this.dataSource.manager, id);
    return toUnitResponse(unit);
  }

  async update(actor: Actor, id: number, dto: UpdateUnitDto): Promise<UnitResponse> {
    return this.dataSource.transaction(async (m) => {
      const unit = await this.find(m, id);
      const before = toUnitResponse(unit);
      if (dto.name !== undefined && dto.name !== unit.name) await this.assertNameFree(m, dto.name, id);
      if (dto.name !== undefined) unit.name = dto.name;
      if (dto.kind !== undefined) unit.kind = dto.kind;
      if (dto.contactPerson !== undefined) unit.contactPerson = dto.contactPerson;
      if (dto.phone !== undefined) unit.phone = dto.phone;
      unit.updatedAt = nowToSecond(this.clock);
      await m.getRepository(RecommendingUnit).save(unit);
      const after = toUnitResponse(unit);
      await this.audit.record(m, actor, { action: 'unit.update', targetType: 'unit', targetId: id, before, after });
      return after;
    });
  }

  /** The unit, or 404. */
  async find(m: EntityManager, id: number): Promise<RecommendingUnit> {
    const unit = await findOr404(m, RecommendingUnit, { id });
    return unit;
  }
}
