import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { Authenticated } from '../common/auth.decorators.js';
import { PageQuery, pageWindow } from '../common/pagination.js';
import { AuditEvent } from './audit-event.entity.js';
import { AuditService } from './audit.service.js';

export class AuditQuery extends PageQuery {
  @IsOptional() @IsString() @MaxLength(64)
  action?: string;

  @IsOptional() @IsString() @MaxLength(32)
  targetType?: string;

  @IsOptional() @IsString() @MaxLength(64)
  targetId?: string;
}

function toAuditResponse(e: AuditEvent) {
  return {
    id: e.id,
    chainKey: e.chainKey,
    seq: e.seq,
    actorId: e.actorId,
    actorRole: e.actorRole,
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

  @Get()
  async list(@Query() q: AuditQuery) {
    const { skip, take, page, pageSize } = pageWindow(q);
    const where: Record<string, string> = {};
    if (q.action) where.action = q.action;
    if (q.targetType) where.targetType = q.targetType;
    if (q.targetId) where.targetId = q.targetId;
    const [rows, total] = await this.dataSource.getRepository(AuditEvent).findAndCount({ where, order: { id: 'DESC' }, skip, take });
    return { items: rows.map(toAuditResponse), total, page, pageSize };
  }

  /** Recomputes every hash chain; names the first broken link. */
  @Post('verify')
  @HttpCode(200)
  verify() {
    return this.audit.verify();
  }
}
