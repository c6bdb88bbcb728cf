import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AppError, type ErrorCode } from '../common/errors.js';
import { isDuplicateKey } from '../database/db-errors.js';
import { LoginThrottle } from './login-throttle.entity.js';
import { Clock } from '../common/clock.js';

/**
 * Brute-force protection: too many failed logins for one username, or from one IP, within the
 * window → 429 until the window ends. Only failures count, so a busy hall of experts logging in
 * from one NAT address is not locked out by its own successes.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  private buckets(username: string, ip: string) {
    return { user: `u:${username.toLowerCase().slice(0, 150)}`, ip: `ip:${ip}` };
  }

  async assertAllowed(username: string, ip: string): Promise<void> {
    const { user, ip: ipKey } = this.buckets(username, ip);
    const rows = await this.dataSource.getRepository(LoginThrottle).findBy({ bucket: In([user, ipKey]) });
    const windowMs = this.config.login.windowSeconds * 1000;
    const now = this.clock.now().getTime();
    for (const row of rows) {
      const limit = row.bucket === user ? this.config.login.maxFailuresPerUsername : this.config.login.maxFailuresPerIp;
      const ends = new Date(row.windowStart).getTime() + windowMs;
      if (ends > now && row.failures >= limit) {
        throw new AppError(429, 'too_many_login_attempts', undefined, undefined, {
          retryAfterSeconds: Math.max(1, Math.ceil((ends - now) / 1000)),
        });
      }
    }
  }

  async recordFailure(username: string, ip: string): Promise<void> {
    const windowMs = this.config.login.windowSeconds * 1000;
    for (const bucket of Object.values(this.buckets(username, ip))) await this.count(bucket, windowMs);
  }

  /** Adds one to the bucket's counter in its current window (a new window once the last one ended). */
  private async count(bucket: string, windowMs: number): Promise<void> {
    const repo = this.dataSource.getRepository(LoginThrottle);
    const now = this.clock.now();
    const row = await repo.findOneBy({ bucket });
    if (!row) {
      try {
        await repo.insert({ bucket, failures: 1, windowStart: now });
        return;
      } catch (e) {
        // created concurrently: fall through to increment; anything else (the database is gone) surfaces
        if (!isDuplicateKey(e)) throw e;
      }
    } else if (new Date(row.windowStart).getTime() + windowMs <= now.getTime()) {
      await repo.update({ bucket }, { failures: 1, windowStart: now });
      return;
    }
    await repo.increment({ bucket }, 'failures', 1);
  }

  /**
   * The same counters for a costly public action that must be limited whether it succeeds or not
   * (self-registration: every attempt costs a password hash): counts this attempt in `bucket`, then
   * refuses with 429 `code` (and Retry-After) beyond `limit` attempts in the window. Counting first
   * keeps the limit exact under concurrent attempts (the increment is atomic in SQL).
   */
  async countAttempt(bucket: string, limit: number, windowSeconds: number, code: ErrorCode): Promise<void> {
    const windowMs = windowSeconds * 1000;
    await this.count(bucket, windowMs);
    const row = await this.dataSource.getRepository(LoginThrottle).findOneBy({ bucket });
    if (!row || row.failures <= limit) return;
    const ends = new Date(row.windowStart).getTime() + windowMs;
    throw new AppError(429, code, undefined, undefined, { retryAfterSeconds: Math.max(1, Math.ceil((ends - this.clock.now().getTime()) / 1000)) });
  }

  async clearUsername(username: string): Promise<void> {
    await this.dataSource.getRepository(LoginThrottle).delete({ bucket: this.buckets(username, '').user });
  }
}
