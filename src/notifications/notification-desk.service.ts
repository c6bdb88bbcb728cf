import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, type FindOptionsWhere } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import { AuditService } from '../audit/audit.service.js';
import type { Actor, AuthUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { AppError, fieldError } from '../common/errors.js';
import { pageWindow } from '../common/pagination.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { User } from '../accounts/user.entity.js';
import { KIND_LIST, KINDS, type NotificationKind } from './notification-rules.js';
import { Notification, NotificationContact, NotificationMute } from './notification.entities.js';
import { NOTIFICATION_ERRORS } from './notifications.errors.js';
import {
  EMAIL_RE, PHONE_RE, type InboxQuery, type NotificationPage, type NotificationResponse, type NotificationSettingsResponse, type OutboxKindCounts, type OutboxMessagePage,
  type OutboxMessageResponse, type OutboxQuery, type OutboxSummaryResponse, type RemindMissingDto, type RemindMissingResponse, type UpdateNotificationSettingsDto,
} from './notifications.dto.js';
import { RemindersService } from './reminders.service.js';

const kindName = (k: string) => KINDS[k as NotificationKind] ?? k;
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

function toNotificationResponse(n: Notification): NotificationResponse {
  return { id: n.id, kind: n.kind, kindName: kindName(n.kind), contestId: n.contestId, subject: n.subject, body: n.body, link: n.link, createdAt: iso(n.createdAt)!, readAt: iso(n.readAt) };
}

function toOutboxMessage(n: Notification, recipient: string | null): OutboxMessageResponse {
  return {
    id: n.id, kind: n.kind, kindName: kindName(n.kind), channel: n.channel, contestId: n.contestId, userId: n.userId, recipient, address: n.address, subject: n.subject,
    status: n.status, attempts: n.attempts, lastError: n.lastError, nextAttemptAt: iso(n.nextAttemptAt)!, createdAt: iso(n.createdAt)!, sentAt: iso(n.sentAt),
  };
}

/** The inbox and settings of every user, and the organizer's outbox desk. */
@Injectable()
export class NotificationDeskService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly access: AccessService,
    private readonly reminders: RemindersService,
  ) {}

  private now(): Date {
    const now = this.clock.now();
    now.setMilliseconds(0);
    return now;
  }

  // ---------------------------------------------------------------- inbox

  async inbox(user: AuthUser, q: InboxQuery): Promise<NotificationPage> {
    const { skip, take, page, pageSize } = pageWindow(q);
    const where: FindOptionsWhere<Notification> = { userId: user.id, channel: 'inbox' };
    if (q.unread) where.readAt = IsNull();
    const [items, total] = await this.dataSource.getRepository(Notification).findAndCount({ where, order: { id: 'DESC' }, skip, take });
    return { items: items.map(toNotificationResponse), total, page, pageSize };
  }

  async unreadCount(user: AuthUser): Promise<{ unread: number }> {
    return { unread: await this.dataSource.getRepository(Notification).countBy({ userId: user.id, channel: 'inbox', readAt: IsNull() }) };
  }

  /** Marks one message read (idempotent); someone else's is 404. Reading is not audited: it changes nothing but the reader's own view. */
  async markRead(user: AuthUser, id: number): Promise<NotificationResponse> {
    await this.access.requireAccess(user, 'notification.own', [id]);
    const repo = this.dataSource.getRepository(Notification);
    await repo.update({ id, readAt: IsNull() }, { readAt: this.now() });
    return toNotificationResponse(await repo.findOneByOrFail({ id }));
  }

  async markAllRead(user: AuthUser): Promise<{ marked: number }> {
    const res = await this.dataSource.getRepository(Notification).update({ userId: user.id, channel: 'inbox', readAt: IsNull() }, { readAt: this.now() });
    return { marked: res.affected ?? 0 };
  }

  // ---------------------------------------------------------------- settings

  private channels() {
    return { email: this.config.notify.smtpUrl !== null, sms: this.config.notify.smsWebhookUrl !== null };
  }

  async settings(user: AuthUser): Promise<NotificationSettingsResponse> {
    const m = this.dataSource.manager;
    const contact = await m.getRepository(NotificationContact).findOneBy({ userId: user.id });
    const mutes = await m.getRepository(NotificationMute).find({ where: { userId: user.id }, order: { kind: 'ASC', channel: 'ASC' } });
    return {
      email: contact?.email ?? null,
      phone: contact?.phone ?? null,
      mutes: mutes.map((x) => ({ kind: x.kind, channel: x.channel })),
      kinds: KIND_LIST.map((kind) => ({ kind, name: KINDS[kind] })),
      channels: this.channels(),
    };
  }

  /** Sets the caller's own addresses and muted channels (audited: where a user's messages go matters). */
  async updateSettings(user: AuthUser, actor: Actor, dto: UpdateNotificationSettingsDto): Promise<NotificationSettingsResponse> {
    const email = dto.email === undefined ? undefined : dto.email?.trim() || null;
    const phone = dto.phone === undefined ? undefined : dto.phone?.replace(/[\s-]/g, '') || null;
    const problems = [];
    if (email && !EMAIL_RE.test(email)) problems.push(fieldError('email', 'invalid_email', NOTIFICATION_ERRORS.invalid_email.zh, NOTIFICATION_ERRORS.invalid_email.en));
    if (phone && !PHONE_RE.test(phone)) problems.push(fieldError('phone', 'invalid_phone', NOTIFICATION_ERRORS.invalid_phone.zh, NOTIFICATION_ERRORS.invalid_phone.en));
    if (problems.length) throw AppError.badRequest('validation_failed', undefined, problems);
    await this.dataSource.transaction(async (m) => {
      const before = await this.settingsOf(m.getRepository(NotificationContact), m.getRepository(NotificationMute), user.id);
      const contacts = m.getRepository(NotificationContact);
      const current = await contacts.findOneBy({ userId: user.id });
      if (email !== undefined || phone !== undefined) {
        await contacts.save({
          userId: user.id,
          email: email === undefined ? (current?.email ?? null) : email,
          phone: phone === undefined ? (current?.phone ?? null) : phone,
          updatedAt: this.now(),
        });
      }
      if (dto.mutes) {
        const mutes = m.getRepository(NotificationMute);
        await mutes.delete({ userId: user.id });
        const unique = new Map(dto.mutes.map((x) => [`${x.kind}:${x.channel}`, { userId: user.id, kind: x.kind, channel: x.channel }]));
        if (unique.size) await mutes.insert([...unique.values()]);
      }
      const after = await this.settingsOf(contacts, m.getRepository(NotificationMute), user.id);
      await this.audit.record(m, actor, { action: 'notification.settings', targetType: 'user', targetId: user.id, before, after });
    });
    return this.settings(user);
  }

  private async settingsOf(contacts: ReturnType<DataSource['getRepository']>, mutes: ReturnType<DataSource['getRepository']>, userId: number) {
    const c = (await contacts.findOneBy({ userId })) as NotificationContact | null;
    const list = (await mutes.find({ where: { userId }, order: { kind: 'ASC', channel: 'ASC' } })) as NotificationMute[];
    return { email: c?.email ?? null, phone: c?.phone ?? null, mutes: list.map((x) => `${x.kind}:${x.channel}`) };
  }

  // ---------------------------------------------------------------- the outbox desk

  async outboxSummary(contestId?: number): Promise<OutboxSummaryResponse> {
    const qb = this.dataSource.getRepository(Notification).createQueryBuilder('n')
      .select('n.kind', 'kind').addSelect('n.status', 'status').addSelect('COUNT(*)', 'n')
      .where('n.channel IN (:...channels)', { channels: ['email', 'sms'] });
    if (contestId !== undefined) qb.andWhere('n.contest_id = :contestId', { contestId });
    const raw = await qb.groupBy('n.kind').addGroupBy('n.status').getRawMany<{ kind: string; status: string; n: unknown }>();
    const zero = (kind: string): OutboxKindCounts => ({ kind, kindName: kindName(kind), pending: 0, sent: 0, dead: 0, skipped: 0 });
    const byKind = new Map<string, OutboxKindCounts>();
    const totals = zero('*');
    totals.kindName = '合计';
    for (const r of raw) {
      const c = byKind.get(r.kind) ?? zero(r.kind);
      const status = r.status as 'pending' | 'sent' | 'dead' | 'skipped';
      if (!(status in c)) continue;
      c[status] += Number(r.n);
      totals[status] += Number(r.n);
      byKind.set(r.kind, c);
    }
    const order = (k: string) => KIND_LIST.indexOf(k as NotificationKind);
    return { channels: this.channels(), byKind: [...byKind.values()].sort((a, b) => order(a.kind) - order(b.kind)), totals };
  }

  async outboxMessages(q: OutboxQuery): Promise<OutboxMessagePage> {
    const { skip, take, page, pageSize } = pageWindow(q);
    const where: FindOptionsWhere<Notification> = { channel: In(['email', 'sms']) };
    if (q.contestId !== undefined) where.contestId = q.contestId;
    if (q.status !== undefined) where.status = q.status;
    if (q.kind !== undefined) where.kind = q.kind;
    const [items, total] = await this.dataSource.getRepository(Notification).findAndCount({ where, order: { id: 'DESC' }, skip, take });
    const names = await this.userNames(items.map((n) => n.userId));
    return { items: items.map((n) => toOutboxMessage(n, n.userId === null ? null : (names.get(n.userId) ?? null))), total, page, pageSize };
  }

  private async userNames(ids: (number | null)[]): Promise<Map<number, string>> {
    const unique = [...new Set(ids.filter((x): x is number => x !== null))];
    if (!unique.length) return new Map();
    const users = await this.dataSource.getRepository(User).find({ where: { id: In(unique) }, select: { id: true, displayName: true, username: true } });
    return new Map(users.map((u) => [u.id, `${u.displayName}（${u.username}）`]));
  }

  /** Sends a dead message again: pending, tries counted from zero (audited, with the error it had). */
  async resend(user: AuthUser, actor: Actor, id: number): Promise<OutboxMessageResponse> {
    await this.access.requireAccess(user, 'outbox.manage', [id]);
    const out = await this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(Notification);
      const n = await repo.findOneBy({ id });
      if (!n || n.channel === 'inbox') throw AppError.notFound('notification_not_found', NOTIFICATION_ERRORS.notification_not_found);
      if (n.status !== 'dead') throw AppError.conflict('notification_not_resendable', NOTIFICATION_ERRORS.notification_not_resendable, { status: n.status });
      if (n.kind === 'account_issued' && n.userId === null) throw AppError.conflict('credentials_not_resendable', NOTIFICATION_ERRORS.credentials_not_resendable);
      const res = await repo.update({ id, status: 'dead' }, { status: 'pending', attempts: 0, nextAttemptAt: this.now(), leaseOwner: null, leaseUntil: null });
      if (!res.affected) throw AppError.conflict('notification_not_resendable', NOTIFICATION_ERRORS.notification_not_resendable);
      await this.audit.record(m, actor, {
        action: 'notification.resend', targetType: 'notification', targetId: id,
        before: { status: 'dead', attempts: n.attempts, lastError: n.lastError }, after: { status: 'pending', attempts: 0 },
      });
      return repo.findOneByOrFail({ id });
    });
    return toOutboxMessage(out, (await this.userNames([out.userId])).get(out.userId ?? -1) ?? null);
  }

  /** 提醒未评专家: a reminder to every expert with sheets missing in the contest (or a session); audited. */
  async remindMissing(user: AuthUser, actor: Actor, contestId: number, dto: RemindMissingDto): Promise<RemindMissingResponse> {
    await this.access.requireAccess(user, 'contest.progress', [contestId]);
    return this.dataSource.transaction(async (m) => {
      const [c] = await m.query('SELECT id FROM contests WHERE id = ?', [contestId]) as unknown[];
      if (!c) throw AppError.notFound();
      if (dto.sessionId !== undefined) {
        const [s] = await m.query('SELECT id FROM presentation_sessions WHERE id = ? AND contest_id = ?', [dto.sessionId, contestId]) as unknown[];
        if (!s) throw AppError.notFound();
      }
      const out = await this.reminders.remindMissing(m, contestId, dto.sessionId);
      if (!out.experts.length) throw AppError.conflict('no_missing_experts', NOTIFICATION_ERRORS.no_missing_experts);
      await this.audit.record(m, actor, {
        action: 'notification.remind_missing_experts', targetType: 'contest', targetId: contestId,
        after: { sessionId: dto.sessionId ?? null, experts: out.experts.map((x) => ({ expertId: x.expertId, missing: x.missing })), messages: out.messages },
      });
      return out;
    });
  }
}
