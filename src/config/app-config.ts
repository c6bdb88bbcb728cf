import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ClockSetting } from '../common/clock.js';

/**
 * The validated configuration. `process.env` is read here and nowhere else: a bad value stops
 * the service at start with a message naming the variable.
 */
export interface AppConfig {
  port: number;
  host: string;
  /** null selects the embedded SQLite database in dataDir. */
  databaseUrl: string | null;
  dataDir: string;
  /** The embedded database file (SQLITE_FILE, default DATA_DIR/qc.sqlite; ':memory:' for tests). */
  sqliteFile: string;
  jwtSecret: string;
  jwtTtlSeconds: number;
  adminUsername: string | null;
  adminPassword: string | null;
  migrationsRun: boolean;
  /** How long a starting instance waits for another one's migrations (the migration lock, or pending migrations with MIGRATIONS_RUN=false). */
  migrationsWaitSeconds: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  corsOrigins: string[];
  bodyLimitBytes: number;
  uploadLimitBytes: number;
  login: { maxFailuresPerUsername: number; maxFailuresPerIp: number; windowSeconds: number };
  /** Public self-registrations allowed per client IP and window (every attempt counts: each costs a password hash). */
  registration: { maxPerIp: number; windowSeconds: number };
  /** Trust X-Forwarded-For from a reverse proxy (for the client IP used in throttling). */
  trustProxy: boolean;
  /** CLOCK: the system time, or a set clock for tests and the demo (refused in production). */
  clock: ClockSetting;
  /** Notifications: the channels (null: not configured, skipped) and the delivery worker (src/notifications/). */
  notify: NotifyConfig;
}

export interface NotifyConfig {
  /** SMTP_URL: smtp://user:pass@host:587 or smtps://…:465 (?tls.rejectUnauthorized=false for a self-signed certificate); null: no e-mail. */
  smtpUrl: string | null;
  /** MAIL_FROM: the sender, e.g. "质量攻关评审 <noreply@example.cn>". */
  mailFrom: string;
  /** SMS_WEBHOOK_URL: the SMS / IM gateway (POST JSON, signed); null: no SMS. */
  smsWebhookUrl: string | null;
  /** SMS_WEBHOOK_SECRET: the HMAC-SHA256 key of the X-QC-Signature header. */
  smsWebhookSecret: string | null;
  /** The public address of the web interface, for the deep links in mails and texts (no trailing slash). */
  publicUrl: string;
  /** NOTIFY_WORKER: run the delivery worker and the reminder scheduler in this instance. */
  worker: boolean;
  pollMs: number;
  batchSize: number;
  maxAttempts: number;
  /** First retry delay; each further one doubles it (capped at one day). */
  retryBaseSeconds: number;
  leaseSeconds: number;
  /** How often the reminder checks run (one instance runs each, under a lock row). */
  reminderIntervalSeconds: number;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigError extends Error {
  constructor(readonly variable: string, detail: string) {
    super(`Invalid configuration: ${variable} ${detail}`);
  }
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

/** Parses 8h, 30m, 3600s, 3600 or 1d into seconds. */
export function parseDuration(name: string, raw: string): number {
  const m = /^(\d+)\s*([smhd]?)$/.exec(raw.trim());
  if (!m) throw new ConfigError(name, `must be a duration such as 8h, 30m or 3600, got "${raw}"`);
  const n = Number(m[1]) * ({ '': 1, s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[m[2]];
  if (n < 60 || n > 30 * 86400) throw new ConfigError(name, 'must be between 1 minute and 30 days');
  return n;
}

function databaseUrl(env: Env): string | null {
  const raw = env.DATABASE_URL?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL', 'is not a URL (expected mysql://user:pass@host:port/db)');
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
    throw new ConfigError('DATABASE_URL', `must start with mysql:// or mariadb://, got ${url.protocol}//`);
  }
  if (!/^\/[A-Za-z0-9_]+$/.test(url.pathname)) {
    throw new ConfigError('DATABASE_URL', 'must name a database of letters, digits and _ (…/qc_judging)');
  }
  return raw;
}

/** In embedded mode the JWT secret is generated once and kept in DATA_DIR, so tokens survive restarts. */
function embeddedJwtSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return secret;
}

/**
 * CLOCK=fixed:<time> (stands still until moved) or CLOCK=from:<time> (runs on from there), the time
 * with its offset (2020-07-01T09:00:00+08:00). Only ever set on purpose: refused when
 * NODE_ENV=production, and the service logs a warning banner when it runs on it.
 */
export function parseClock(env: Env): ClockSetting {
  const raw = env.CLOCK?.trim();
  if (!raw || raw === 'system') return { kind: 'system' };
  const m = /^(fixed|from):(\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d{1,3})?)?(?:Z|[+-]\d\d:\d\d))$/.exec(raw);
  const at = m ? new Date(m[2]) : null;
  if (!m || !at || Number.isNaN(at.getTime())) {
    throw new ConfigError('CLOCK', `must be system, fixed:<time> or from:<time> with an offset (fixed:2020-07-01T09:00:00+08:00), got "${raw}"`);
  }
  if (env.NODE_ENV?.trim() === 'production') throw new ConfigError('CLOCK', 'cannot be set when NODE_ENV=production (a set clock is for tests and the demo only)');
  return { kind: m[1] as 'fixed' | 'from', at };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(env: Env = process.env): AppConfig {
  const dbUrl = databaseUrl(env);
  const dataDir = resolve(env.DATA_DIR?.trim() || './data');
  mkdirSync(dataDir, { recursive: true });

  let jwtSecret = env.JWT_SECRET?.trim() ?? '';
  if (jwtSecret && jwtSecret.length < 32) throw new ConfigError('JWT_SECRET', 'must be at least 32 characters');
  if (!jwtSecret) {
    if (dbUrl) throw new ConfigError('JWT_SECRET', 'is required when DATABASE_URL is set (every instance must share it)');
    jwtSecret = embeddedJwtSecret(dataDir);
  }

  const logLevel = (env.LOG_LEVEL?.trim() || 'info') as AppConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);

  const adminUsername = env.ADMIN_USERNAME?.trim() || null;
  const adminPassword = env.ADMIN_PASSWORD || null;
  if (adminPassword && adminPassword.length < 8) throw new ConfigError('ADMIN_PASSWORD', 'must be at least 8 characters');
  if (!!adminUsername !== !!adminPassword) {
    throw new ConfigError(adminUsername ? 'ADMIN_PASSWORD' : 'ADMIN_USERNAME', 'must be set together with the other');
  }

  const corsOrigins = (env.CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const origin of corsOrigins) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new ConfigError('CORS_ORIGINS', `must be a comma-separated list of origins like https://host:port, got "${origin}"`);
    }
  }
  const host = env.HOST?.trim() || '0.0.0.0';

  return {
    port: int(env, 'PORT', 3000, 0, 65535),
    host,
    databaseUrl: dbUrl,
    dataDir,
    sqliteFile: env.SQLITE_FILE?.trim() === ':memory:' ? ':memory:' : resolve(dataDir, env.SQLITE_FILE?.trim() || 'qc.sqlite'),
    jwtSecret,
    jwtTtlSeconds: parseDuration('JWT_TTL', env.JWT_TTL || '8h'),
    adminUsername,
    adminPassword,
    migrationsRun: bool(env, 'MIGRATIONS_RUN', true),
    migrationsWaitSeconds: int(env, 'MIGRATIONS_WAIT_SECONDS', 300, 1, 86400),
    logLevel,
    corsOrigins,
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    uploadLimitBytes: int(env, 'UPLOAD_LIMIT_BYTES', 20 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    login: {
      maxFailuresPerUsername: int(env, 'LOGIN_MAX_FAILURES_PER_USERNAME', 5, 1, 100000),
      maxFailuresPerIp: int(env, 'LOGIN_MAX_FAILURES_PER_IP', 50, 1, 1000000),
      windowSeconds: int(env, 'LOGIN_WINDOW_SECONDS', 900, 1, 86400),
    },
    registration: {
      maxPerIp: int(env, 'REGISTER_MAX_PER_IP', 10, 1, 1000000),
      windowSeconds: int(env, 'REGISTER_WINDOW_SECONDS', 3600, 1, 86400),
    },
    trustProxy: bool(env, 'TRUST_PROXY', false),
    clock: parseClock(env),
    notify: notifyConfig(env, host),
  };
}

function urlOrNull(env: Env, name: string, protocols: string[]): string | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `is not a URL, got "${raw}"`);
  }
  if (!protocols.includes(url.protocol)) throw new ConfigError(name, `must start with ${protocols.map((p) => p + '//').join(' or ')}`);
  return raw;
}

function notifyConfig(env: Env, host: string): NotifyConfig {
  const smsWebhookUrl = urlOrNull(env, 'SMS_WEBHOOK_URL', ['http:', 'https:']);
  const smsWebhookSecret = env.SMS_WEBHOOK_SECRET?.trim() || null;
  if (smsWebhookUrl && (!smsWebhookSecret || smsWebhookSecret.length < 16)) {
    throw new ConfigError('SMS_WEBHOOK_SECRET', 'is required with SMS_WEBHOOK_URL (16+ characters: the gateway checks the signature with it)');
  }
  const mailFrom = env.MAIL_FROM?.trim() || '质量攻关成果评审系统 <noreply@localhost>';
  if (!/@/.test(mailFrom)) throw new ConfigError('MAIL_FROM', `must contain an address, got "${mailFrom}"`);
  const port = env.PORT?.trim() || '3000';
  const publicUrl = (urlOrNull(env, 'PUBLIC_URL', ['http:', 'https:']) ?? `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`).replace(/\/+$/, '');
  return {
    smtpUrl: urlOrNull(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom,
    smsWebhookUrl,
    smsWebhookSecret,
    publicUrl,
    worker: bool(env, 'NOTIFY_WORKER', true),
    pollMs: int(env, 'NOTIFY_POLL_MS', 2000, 20, 600000),
    batchSize: int(env, 'NOTIFY_BATCH', 20, 1, 500),
    maxAttempts: int(env, 'NOTIFY_MAX_ATTEMPTS', 8, 1, 50),
    retryBaseSeconds: int(env, 'NOTIFY_RETRY_BASE_SECONDS', 30, 0, 86400),
    leaseSeconds: int(env, 'NOTIFY_LEASE_SECONDS', 120, 5, 86400),
    reminderIntervalSeconds: int(env, 'REMINDER_INTERVAL_SECONDS', 600, 1, 86400),
  };
}
