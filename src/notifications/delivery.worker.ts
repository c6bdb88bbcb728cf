// The delivery worker, inside every instance: every NOTIFY_POLL_MS it claims due e-mail and SMS
// rows of the outbox with a lease, sends them, and marks them sent, or pending again after an
// exponential backoff, or dead after NOTIFY_MAX_ATTEMPTS tries with the last error. Several
// instances never send one row twice: a claim is one conditional UPDATE (on MySQL/MariaDB over rows
// read FOR UPDATE SKIP LOCKED, so instances take different rows), and recording the outcome checks
// that the lease is still ours. A crash between sending and recording leaves the lease to expire and
// the row is tried again with the same Message-ID / idempotency key, which a receiver may drop.
// It also runs the reminder checks (reminders.service.ts), one instance each, under lock rows.
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { isDatabaseUnavailable } from '../database/db-errors.js';
import { dbDate, exec, placeholders, rows } from '../scoring/sql.js';
import { MailChannel, WebhookChannel } from './channels.js';
import { afterFailure, REDACTED_CREDENTIALS } from './notification-rules.js';
import { Notification } from './notification.entities.js';
import { RemindersService } from './reminders.service.js';

@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('DeliveryWorker');
  /** This instance in lease tokens (host, process, random). */
  readonly owner = `${hostname().slice(0, 30)}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private round = 0;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly mail: MailChannel,
    private readonly webhook: WebhookChannel,
    private readonly reminders: RemindersService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.notify.worker) this.schedule();
  }

  /** Stops polling and waits for the round in progress (its sends are bounded by the channel timeouts). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.tick().finally(() => {
        this.running = null;
        this.schedule();
      });
    }, this.config.notify.pollMs);
    // The poll alone never keeps a process alive (the HTTP server does, while it serves).
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      await this.deliverDue();
      if (!this.stopped) await this.reminders.runDue();
    } catch (e) {
      // The database being away is reported by every request already; anything else is worth a line.
      if (!isDatabaseUnavailable(e)) this.log.error(e);
    }
  }

  /** Delivers every due message (batch after batch); returns how many were tried. Also called by tests. */
  async deliverDue(): Promise<number> {
    let tried = 0;
    while (!this.stopped) {
      const batch = await this.claim();
      for (const n of batch) await this.deliver(n);
      tried += batch.length;
      if (batch.length < this.config.notify.batchSize) break;
    }
    return tried;
  }

  /** Takes up to a batch of due rows under a lease of this round's token and returns them. */
  private async claim(): Promise<Notification[]> {
    const cfg = this.config.notify;
    const token = `${this.owner}:${++this.round}`;
    const now = this.clock.now();
    const until = new Date(now.getTime() + cfg.leaseSeconds * 1000);
    const mysql = this.dataSource.options.type !== 'better-sqlite3';
    const claimed = await this.dataSource.transaction(async (m) => {
      const due = await rows<{ id: unknown }>(
        m,
        `SELECT id FROM notifications WHERE status = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?)
         ORDER BY id LIMIT ${cfg.batchSize}${mysql ? ' FOR UPDATE SKIP LOCKED' : ''}`,
        [dbDate(now), dbDate(now)],
      );
      if (!due.length) return 0;
      const ids = due.map((r) => Number(r.id));
      const res = await exec(
        m,
        `UPDATE notifications SET lease_owner = ?, lease_until = ? WHERE id IN (${placeholders(ids)})
         AND status = 'pending' AND (lease_until IS NULL OR lease_until < ?)`,
        [token, dbDate(until), ...ids, dbDate(now)],
      );
      return res.affected;
    });
    if (!claimed) return [];
    return this.dataSource.getRepository(Notification).find({ where: { leaseOwner: token }, order: { id: 'ASC' } });
  }

  private async deliver(n: Notification): Promise<void> {
    const cfg = this.config.notify;
    // A message resent (or queued) while its channel is no longer configured is skipped, not failed.
    const unconfigured = n.channel === 'email' && !cfg.smtpUrl ? '未配置 SMTP_URL' : n.channel === 'sms' && !cfg.smsWebhookUrl ? '未配置 SMS_WEBHOOK_URL' : null;
    if (unconfigured) {
      await this.dataSource.transaction((m) => exec(m, `UPDATE notifications SET status = 'skipped', last_error = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?`, [unconfigured, n.id, n.leaseOwner]));
      return;
    }
    let error: string | null = null;
    try {
      if (n.channel === 'email') await this.mail.send(n);
      else if (n.channel === 'sms') await this.webhook.send(n);
      else error = `unknown channel ${n.channel}`;
    } catch (e) {
      error = (e instanceof Error ? e.message : String(e)) || 'send failed';
    }
    const attempts = n.attempts + 1;
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      // Initial credentials do not stay in the outbox once they are out (or given up).
      if (n.kind === 'account_issued' && n.userId === null) await exec(m, 'UPDATE notifications SET body = ? WHERE id = ? AND lease_owner = ?', [REDACTED_CREDENTIALS, n.id, n.leaseOwner]);
      if (error === null) {
        await exec(m, `UPDATE notifications SET status = 'sent', attempts = ?, sent_at = ?, last_error = NULL, lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?`, [
          attempts, dbDate(now), n.id, n.leaseOwner,
        ]);
        return;
      }
      const next = afterFailure(attempts, cfg.maxAttempts, cfg.retryBaseSeconds);
      const at = next.status === 'pending' ? new Date(now.getTime() + next.retryInSeconds * 1000) : now;
      await exec(m, 'UPDATE notifications SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?', [
        next.status, attempts, dbDate(at), error.slice(0, 1000), n.id, n.leaseOwner,
      ]);
    });
    if (error !== null) this.log.warn(`notification ${n.id} (${n.channel}) try ${attempts} failed: ${error}`);
  }
}
