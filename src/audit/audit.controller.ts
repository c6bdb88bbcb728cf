import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { DataSource, And, In, IsNull, LessThan, MoreThanOrEqual, type FindOptionsWhere } from 'typeorm';
import { User } from '../accounts/user.entity.js';
import { Authenticated } from '../common/auth.decorators.js';
import { PageQuery, pageWindow } from '../common/pagination.js';
import { AuditEvent } from './audit-event.entity.js';
import { AuditService } from './audit.service.js';
import { AuditEventPage, type AuditEventResponse, AuditVerificationResponse } from './audit.dto.js';

export class AuditQuery extends PageQuery {
  @IsOptional() @IsString() @MaxLength(64)
  action?: string;

  @IsOptional() @IsString() @MaxLength(32)
  targetType?: string;

  @IsOptional() @IsString() @MaxLength(64)
  targetId?: string;

  /** Who: a username, or `system` for events recorded without a login (e.g. objections filed by the public). */
  @IsOptional() @IsString() @MaxLength(64)
  actor?: string;

  /** Events at or after this instant (ISO 8601). */
  @IsOptional() @IsISO8601({ strict: true })
  from?: string;

  /** Events at or before this instant (ISO 8601). */
  @IsOptional() @IsISO8601({ strict: true })
  to?: string;
}

type ActorNames = Map<number, { username: string; displayName: string }>;

function toAuditResponse(e: AuditEvent, actors: ActorNames): AuditEventResponse {
  const actor = e.actorId === null ? undefined : actors.get(e.actorId);
  return {
    id: e.id,
    chainKey: e.chainKey,
    seq: e.seq,
    actorId: e.actorId,
    actorRole: e.actorRole,
    /** The actor's account as it is now (null for system events or a removed account). */
    actorUsername: actor?.username ?? null,
    actorName: actor?.displayName ?? null,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    before: e.before === null ? null : JSON.parse(e.before),
    after: e.after === null ? null : JSON.parse(e.after),
    requestId: e.requestId,
    createdAt: new Date(e.createdAt).toISOString(),
    hash: e.hash,
  };
}

/** The audit trail: read and verified by organizers and admins; nobody writes it over HTTP. */
@ApiTags('audit')
@Controller('audit')
@Authenticated('organizer', 'admin')
export class AuditController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Audit events, newest first, filtered and paged. */
  @Get()
  @ApiOkResponse({ type: AuditEventPage })
  async list(@Query() q: AuditQuery): Promise<AuditEventPage> {
    const { skip, take, page, pageSize } = pageWindow(q);
    const where: FindOptionsWhere<AuditEvent> = {};
    if (q.action) where.action = q.action;
    if (q.targetType) where.targetType = q.targetType;
    if (q.targetId) where.targetId = q.targetId;
    if (q.actor === 'system') where.actorId = IsNull();
    else if (q.actor) {
      const user = await this.dataSource.getRepository(User).findOne({ where: { username: q.actor }, select: { id: true } });
      if (!user) return { items: [], total: 0, page, pageSize };
      where.actorId = user.id;
    }
    // Events carry whole seconds: an event at second S is in [from, to] iff ceil(from) <= S < floor(to) + 1 s.
    const bounds = [
      q.from ? MoreThanOrEqual(new Date(Math.ceil(Date.parse(q.from) / 1000) * 1000)) : null,
      q.to ? LessThan(new Date(Math.floor(Date.parse(q.to) / 1000) * 1000 + 1000)) : null,
    ].filter((b) => b !== null);
    if (bounds.length) where.createdAt = bounds.length === 2 ? And(...bounds) : bounds[0];
    const [rows, total] = await this.dataSource.getRepository(AuditEvent).findAndCount({ where, order: { id: 'DESC' }, skip, take });
    const actors = await this.actorNames(rows);
    return { items: rows.map((e) => toAuditResponse(e, actors)), total, page, pageSize };
  }

  private async actorNames(rows: AuditEvent[]): Promise<ActorNames> {
    const ids = [...new Set(rows.map((e) => e.actorId).filter((id) => id !== null))];
    if (!ids.length) return new Map();
    const users = await this.dataSource.getRepository(User).find({ where: { id: In(ids) }, select: { id: true, username: true, displayName: true } });
    return new Map(users.map((u) => [u.id, { username: u.username, displayName: u.displayName }]));
  }

  /** Recomputes every hash chain; names the first broken link. */
  @Post('verify')
  @HttpCode(200)
  @ApiOkResponse({ type: AuditVerificationResponse })
  verify(): Promise<AuditVerificationResponse> {
    return this.audit.verify();
  }
}
