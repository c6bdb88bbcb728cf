import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { insertRows } from '../database/insert-rows.js';
import { placeholders, readDate, rows } from '../scoring/sql.js';
import { AppError, fieldError } from '../common/errors.js';
import { render, type Facts } from './notification-templates.js';
import { absoluteLink, type Channel, type NotificationKind } from './notification-rules.js';
import { NOTIFICATION_ERRORS } from './notifications.errors.js';
import { Notification } from './notification.entities.js';

/**
 * What a use case tells the outbox, in one line beside its audit record (same transaction): the
 * event and the ids it concerns. Everything else (who is told, in which words, on which channels)
 * is decided here, from what the transaction sees.
 */
export type NotifyEvent =
  | { event: 'entry.status'; entryId: number; to: string; reason?: string | null }
  | { event: 'enterprise.decided'; enterpriseId: number; approved: boolean; reason?: string | null }
  | { event: 'panel.assigned'; panelId: number }
  | { event: 'session.drawn'; sessionId: number }
  | { event: 'sheet.reopened'; sheetId: number; reason: string }
  | { event: 'contest.phase'; contestId: number; to: string }
  | { event: 'objection.filed'; objectionId: number }
  | { event: 'objection.answered'; objectionId: number }
  | { event: 'account.issued'; userId: number; password: string; deliverTo?: { channel: string; address: string } | null };

/** One message before fan-out to channels. `key` is unique per event and recipient. */
export interface Message {
  kind: NotificationKind;
  contestId: number | null;
  facts: Facts;
  link: string;
  key: string;
  /** Only these channels (default: every channel the recipient has not muted). */
  only?: Channel[];
}

/** A recipient: an account, or an address outside the system (an objector's contact). */
export type Recipient = { userId: number } | { email?: string; phone?: string };

const STAGE_ZH: Record<string, string> = { material: '材料', presentation: '现场发表' };
const ENTRY_KIND: Record<string, NotificationKind | undefined> = {
  submitted: 'entry_submitted',
  recommended: 'entry_recommended',
  declined: 'entry_declined',
  returned: 'entry_returned',
  rejected: 'entry_rejected',
  passed: 'entry_passed',
};

/** China Standard Time, minutes: 2020-09-15 09:30. */
export function cst(d: Date | null): string {
  if (!d) return '';
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

const num = (v: unknown) => Number(v);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^1\d{10}$/;

@Injectable()
export class NotificationsService {
  constructor(
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Writes the notifications of an event into the outbox, through `m` (the use case's transaction). */
  async notify(m: EntityManager, e: NotifyEvent): Promise<void> {
    for (const [recipients, message] of await this.messagesOf(m, e)) await this.enqueue(m, recipients, message);
  }

  private async messagesOf(m: EntityManager, e: NotifyEvent): Promise<[Recipient[], Message][]> {
    switch (e.event) {
      case 'entry.status': {
        const kind = ENTRY_KIND[e.to];
        if (!kind) return [];
        const [r] = await rows<Record<string, unknown>>(
          m,
          `SELECT e.id, e.title, e.version, e.contest_id, e.enterprise_id, e.unit_id, c.name AS contest, ent.name AS enterprise
           FROM entries e JOIN contests c ON c.id = e.contest_id LEFT JOIN enterprises ent ON ent.id = e.enterprise_id WHERE e.id = ?`,
          [e.entryId],
        );
        if (!r) return [];
        const facts: Facts = { contest: String(r.contest), entryTitle: String(r.title), entryId: e.entryId, enterprise: String(r.enterprise ?? ''), reason: e.reason ?? null };
        const key = `entry:${e.entryId}:v${String(r.version)}:${e.to}`;
        if (kind === 'entry_submitted') {
          return [[await this.users(m, 'unit_id', [num(r.unit_id)]), { kind, contestId: num(r.contest_id), facts, link: '#/unit', key }]];
        }
        return [[await this.users(m, 'enterprise_id', [num(r.enterprise_id)]), { kind, contestId: num(r.contest_id), facts, link: `#/enterprise/entry/${e.entryId}`, key }]];
      }
      case 'enterprise.decided': {
        const [r] = await rows<Record<string, unknown>>(m, 'SELECT name, updated_at FROM enterprises WHERE id = ?', [e.enterpriseId]);
        if (!r) return [];
        const [open] = await rows<{ name: string }>(m, "SELECT name FROM contests WHERE phase = 'open' ORDER BY id DESC LIMIT 1", []);
        const kind: NotificationKind = e.approved ? 'registration_approved' : 'registration_rejected';
        const at = readDate(r.updated_at)?.getTime() ?? 0;
        return [[await this.users(m, 'enterprise_id', [e.enterpriseId]), {
          kind, contestId: null, facts: { contest: open?.name ?? '', enterprise: String(r.name), reason: e.reason ?? null }, link: '#/enterprise', key: `enterprise:${e.enterpriseId}:${kind}:${at}`,
        }]];
      }
      case 'panel.assigned': {
        const list = await rows<Record<string, unknown>>(
          m,
          `SELECT a.expert_id, COUNT(*) AS n, MAX(a.id) AS last, c.id AS contest_id, c.name AS contest
           FROM assignments a JOIN contests c ON c.id = a.contest_id
           WHERE a.contest_id = (SELECT p.contest_id FROM panels p WHERE p.id = ?)
             AND a.expert_id IN (SELECT pm.expert_id FROM panel_members pm WHERE pm.panel_id = ?)
           GROUP BY a.expert_id, c.id, c.name`,
          [e.panelId, e.panelId],
        );
        const out: [Recipient[], Message][] = [];
        for (const r of list) {
          out.push([await this.users(m, 'expert_id', [num(r.expert_id)]), {
            kind: 'expert_assigned', contestId: num(r.contest_id), facts: { contest: String(r.contest), count: num(r.n) }, link: '#/expert/schedule',
            key: `assign:${num(r.contest_id)}:x${num(r.expert_id)}:${num(r.n)}:${num(r.last)}`,
          }]);
        }
        return out;
      }
      case 'session.drawn': {
        const [s] = await rows<Record<string, unknown>>(
          m,
          `SELECT s.id, s.name, s.venue, s.starts_at, s.panel_id, s.contest_id, c.name AS contest
           FROM presentation_sessions s JOIN contests c ON c.id = s.contest_id WHERE s.id = ?`,
          [e.sessionId],
        );
        if (!s) return [];
        const base: Facts = { contest: String(s.contest), sessionName: String(s.name), venue: String(s.venue) };
        const contestId = num(s.contest_id);
        const out: [Recipient[], Message][] = [];
        const slots = await rows<Record<string, unknown>>(
          m,
          'SELECT ss.entry_id, ss.position, ss.starts_at, e.title, e.enterprise_id FROM session_slots ss JOIN entries e ON e.id = ss.entry_id WHERE ss.session_id = ? ORDER BY ss.position',
          [e.sessionId],
        );
        for (const slot of slots) {
          out.push([await this.users(m, 'enterprise_id', [num(slot.enterprise_id)]), {
            kind: 'session_drawn', contestId,
            facts: { ...base, entryTitle: String(slot.title), position: slot.position === null ? null : num(slot.position), time: cst(readDate(slot.starts_at)) },
            link: `#/enterprise/entry/${num(slot.entry_id)}`, key: `session:${e.sessionId}:drawn:entry:${num(slot.entry_id)}`,
          }]);
        }
        if (s.panel_id !== null && s.panel_id !== undefined) {
          const experts = await rows<{ expert_id: unknown }>(m, 'SELECT expert_id FROM panel_members WHERE panel_id = ?', [s.panel_id]);
          out.push([await this.users(m, 'expert_id', experts.map((x) => num(x.expert_id))), {
            kind: 'session_drawn', contestId, facts: { ...base, time: cst(readDate(s.starts_at)) }, link: '#/expert/schedule', key: `session:${e.sessionId}:drawn:panel`,
          }]);
        }
        return out;
      }
      case 'sheet.reopened': {
        const [r] = await rows<Record<string, unknown>>(
          m,
          `SELECT sh.expert_id, sh.entry_id, sh.stage, sh.lock_version, e.title, c.id AS contest_id, c.name AS contest
           FROM score_sheets sh JOIN entries e ON e.id = sh.entry_id JOIN contests c ON c.id = sh.contest_id WHERE sh.id = ?`,
          [e.sheetId],
        );
        if (!r) return [];
        return [[await this.users(m, 'expert_id', [num(r.expert_id)]), {
          kind: 'sheet_reopened', contestId: num(r.contest_id),
          facts: { contest: String(r.contest), entryTitle: String(r.title), stage: STAGE_ZH[String(r.stage)] ?? '', reason: e.reason },
          link: `#/expert/sheet/${num(r.entry_id)}/${String(r.stage)}`, key: `sheet:${e.sheetId}:reopen:${String(r.lock_version)}`,
        }]];
      }
      case 'contest.phase': {
        if (e.to !== 'notice' && e.to !== 'published') return [];
        const [c] = await rows<Record<string, unknown>>(m, 'SELECT id, name, notice_ends_at FROM contests WHERE id = ?', [e.contestId]);
        if (!c) return [];
        const kind: NotificationKind = e.to === 'notice' ? 'results_notice' : 'results_published';
        const entries = await rows<{ id: unknown; title: unknown; enterprise_id: unknown; unit_id: unknown }>(
          m,
          "SELECT id, title, enterprise_id, unit_id FROM entries WHERE contest_id = ? AND status NOT IN ('draft', 'withdrawn') ORDER BY id",
          [e.contestId],
        );
        const facts: Facts = { contest: String(c.name), deadline: cst(readDate(c.notice_ends_at)) };
        const key = `contest:${e.contestId}:${e.to}:${this.clock.now().getTime()}`;
        const out: [Recipient[], Message][] = [];
        if (kind === 'results_published') {
          // One per entry, linking to the entry's page, where its certificate is downloaded.
          for (const x of entries) {
            out.push([await this.users(m, 'enterprise_id', [num(x.enterprise_id)]), {
              kind, contestId: e.contestId, facts: { ...facts, entryTitle: String(x.title) }, link: `#/enterprise/entry/${num(x.id)}`, key: `${key}:entry:${num(x.id)}`,
            }]);
          }
        } else {
          out.push([await this.users(m, 'enterprise_id', entries.map((x) => num(x.enterprise_id))), { kind, contestId: e.contestId, facts, link: `#/public/${e.contestId}`, key: `${key}:ent` }]);
        }
        out.push([await this.users(m, 'unit_id', entries.map((x) => num(x.unit_id))), { kind, contestId: e.contestId, facts, link: `#/public/${e.contestId}`, key: `${key}:unit` }]);
        return out;
      }
      case 'account.issued': {
        const [u] = await rows<Record<string, unknown>>(m, 'SELECT id, username, display_name FROM users WHERE id = ?', [e.userId]);
        if (!u) return [];
        const [open] = await rows<{ name: string }>(m, "SELECT name FROM contests WHERE phase = 'open' ORDER BY id DESC LIMIT 1", []);
        const facts: Facts = { contest: open?.name ?? '', enterprise: String(u.display_name) };
        const key = `account:${e.userId}`;
        const out: [Recipient[], Message][] = [[[{ userId: e.userId }], { kind: 'account_issued', contestId: null, facts, link: '#/account/notifications', key, only: ['inbox'] }]];
        const d = e.deliverTo;
        if (d) {
          // Only through the channel the organizer picked, to the address given (the inbox copy carries no password).
          const address = d.channel === 'sms' ? d.address.replace(/[\s-]/g, '') : d.address.trim();
          if (d.channel === 'email' ? !EMAIL.test(address) : !PHONE.test(address)) {
            const err = d.channel === 'email' ? NOTIFICATION_ERRORS.invalid_email : NOTIFICATION_ERRORS.invalid_phone;
            throw AppError.badRequest('validation_failed', undefined, [fieldError('deliverTo.address', d.channel === 'email' ? 'invalid_email' : 'invalid_phone', err.zh, err.en)]);
          }
          if (!(d.channel === 'email' ? this.config.notify.smtpUrl : this.config.notify.smsWebhookUrl)) {
            throw AppError.conflict('channel_not_configured', NOTIFICATION_ERRORS.channel_not_configured, { channel: d.channel });
          }
          out.push([[d.channel === 'email' ? { email: address } : { phone: address }], {
            kind: 'account_issued', contestId: null, link: '#/login', key: `${key}:credentials`,
            facts: { ...facts, username: String(u.username), password: e.password, url: absoluteLink(this.config.notify.publicUrl, '#/login') },
          }]);
        }
        return out;
      }
      case 'objection.filed':
      case 'objection.answered': {
        const [o] = await rows<Record<string, unknown>>(
          m,
          `SELECT o.id, o.filed_by_name, o.contact, o.filed_by_user, o.answer, e.title, c.id AS contest_id, c.name AS contest
           FROM objections o JOIN entries e ON e.id = o.entry_id JOIN contests c ON c.id = o.contest_id WHERE o.id = ?`,
          [e.objectionId],
        );
        if (!o) return [];
        const facts: Facts = { contest: String(o.contest), entryTitle: String(o.title), objector: String(o.filed_by_name), answer: o.answer === null ? undefined : String(o.answer) };
        const contestId = num(o.contest_id);
        if (e.event === 'objection.filed') {
          const organizers = await rows<{ id: unknown }>(m, "SELECT id FROM users WHERE role = 'organizer' AND active = 1", []);
          return [[organizers.map((u) => ({ userId: num(u.id) })), {
            kind: 'objection_received', contestId, facts, link: `#/organizer/contest/${contestId}/results`, key: `objection:${e.objectionId}:filed`,
          }]];
        }
        const contact = String(o.contact ?? '').trim();
        const to: Recipient[] = o.filed_by_user !== null && o.filed_by_user !== undefined ? [{ userId: num(o.filed_by_user) }] : [];
        if (!to.length && EMAIL.test(contact)) to.push({ email: contact });
        else if (!to.length && PHONE.test(contact.replace(/[\s-]/g, ''))) to.push({ phone: contact.replace(/[\s-]/g, '') });
        return [[to, { kind: 'objection_answered', contestId, facts, link: `#/public/${contestId}`, key: `objection:${e.objectionId}:answered` }]];
      }
    }
  }

  /** The active accounts of these organisations (column: enterprise_id, unit_id or expert_id). */
  private async users(m: EntityManager, column: 'enterprise_id' | 'unit_id' | 'expert_id', ids: number[]): Promise<Recipient[]> {
    const unique = [...new Set(ids.filter((x) => Number.isFinite(x)))];
    if (!unique.length) return [];
    const found = await rows<{ id: unknown }>(m, `SELECT id FROM users WHERE ${column} IN (${placeholders(unique)}) AND active = 1 ORDER BY id`, unique);
    return found.map((u) => ({ userId: num(u.id) }));
  }

  /**
   * Fans a message out to the recipients' channels: the inbox (sent at once: it is read in the
   * interface), e-mail and SMS (pending for the worker; skipped, not failed, when the channel is
   * not configured or the recipient has no address; left out when the recipient muted it).
   * A key already in the outbox is not written again.
   */
  async enqueue(m: EntityManager, recipients: Recipient[], msg: Message): Promise<number> {
    if (!recipients.length) return 0;
    const { subject, text } = render(msg.kind, msg.facts);
    const userIds = recipients.flatMap((r) => ('userId' in r ? [r.userId] : []));
    // Plain SQL for the reads (one per notified event: TypeORM's query building was most of their cost).
    const marks = (n: number) => Array(n).fill('?').join(', ');
    const contacts = userIds.length
      ? await rows<{ userId: number | string; email: string | null; phone: string | null }>(m, `SELECT user_id AS userId, email, phone FROM notification_contacts WHERE user_id IN (${marks(userIds.length)})`, userIds)
      : [];
    const mutes = userIds.length
      ? await rows<{ userId: number | string; channel: string }>(m, `SELECT user_id AS userId, channel FROM notification_mutes WHERE user_id IN (${marks(userIds.length)}) AND kind = ?`, [...userIds, msg.kind])
      : [];
    const contactOf = new Map(contacts.map((c) => [Number(c.userId), c]));
    const muted = new Set(mutes.map((x) => `${Number(x.userId)}:${x.channel}`));
    const now = this.clock.now();
    now.setMilliseconds(0);
    const cfg = this.config.notify;
    const out: Partial<Notification>[] = [];
    const row = (userId: number | null, who: string, channel: Channel, address: string | null, status: string, lastError: string | null): Partial<Notification> => ({
      userId, kind: msg.kind, channel, contestId: msg.contestId, subject: subject.slice(0, 200), body: text, link: msg.link.slice(0, 300), address, status,
      attempts: 0, nextAttemptAt: now, leaseOwner: null, leaseUntil: null, lastError, idempotencyKey: `${msg.key}:${who}:${channel}`.slice(0, 191), readAt: null,
      createdAt: now, sentAt: status === 'sent' ? now : null,
    });
    const outward = (userId: number | null, who: string, channel: 'email' | 'sms', address: string | null | undefined) => {
      if (userId !== null && muted.has(`${userId}:${channel}`)) return;
      if (msg.only && !msg.only.includes(channel)) return;
      const configured = channel === 'email' ? cfg.smtpUrl !== null : cfg.smsWebhookUrl !== null;
      if (!configured) out.push(row(userId, who, channel, address ?? null, 'skipped', channel === 'email' ? '未配置 SMTP_URL' : '未配置 SMS_WEBHOOK_URL'));
      else if (!address) out.push(row(userId, who, channel, null, 'skipped', channel === 'email' ? '收件人未填写电子邮箱' : '收件人未填写手机号码'));
      else out.push(row(userId, who, channel, address, 'pending', null));
    };
    for (const r of recipients) {
      if ('userId' in r) {
        const c = contactOf.get(r.userId);
        out.push(row(r.userId, `u${r.userId}`, 'inbox', null, 'sent', null));
        outward(r.userId, `u${r.userId}`, 'email', c?.email);
        outward(r.userId, `u${r.userId}`, 'sms', c?.phone);
      } else {
        if (r.email) outward(null, 'contact', 'email', r.email);
        if (r.phone) outward(null, 'contact', 'sms', r.phone);
      }
    }
    // A repeated event (or a reminder checked twice) must neither send twice nor fail its use case.
    const keys = out.map((o) => o.idempotencyKey!);
    const existing = new Set<string>();
    for (let i = 0; i < keys.length; i += 500) {
      const chunk = keys.slice(i, i + 500);
      for (const x of await rows<{ k: string }>(m, `SELECT idempotency_key AS k FROM notifications WHERE idempotency_key IN (${marks(chunk.length)})`, chunk)) existing.add(x.k);
    }
    const fresh = out.filter((o) => !existing.has(o.idempotencyKey!));
    for (let i = 0; i < fresh.length; i += 40) await insertRows(m, Notification, fresh.slice(i, i + 40));
    return fresh.length;
  }
}
