import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseDuration } from './app-config.js';

const dataDir = () => mkdtempSync(join(tmpdir(), 'qc-config-'));

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig({ DATA_DIR: dataDir(), ...env });
  } catch (e) {
    return e as ConfigError;
  }
  throw new Error('expected a configuration error');
}

describe('loadConfig', () => {
  it('defaults to the embedded database with a generated, persistent JWT secret', () => {
    const dir = dataDir();
    const a = loadConfig({ DATA_DIR: dir });
    expect(a).toMatchObject({ port: 3000, host: '0.0.0.0', databaseUrl: null, jwtTtlSeconds: 8 * 3600, migrationsRun: true, migrationsWaitSeconds: 300 });
    expect(a.registration).toEqual({ maxPerIp: 10, windowSeconds: 3600 });
    expect(loadConfig({ DATA_DIR: dir, REGISTER_MAX_PER_IP: '3', REGISTER_WINDOW_SECONDS: '60' }).registration).toEqual({ maxPerIp: 3, windowSeconds: 60 });
    expect(a.sqliteFile).toBe(join(dir, 'qc.sqlite'));
    expect(a.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ DATA_DIR: dir }).jwtSecret).toBe(a.jwtSecret);
    expect(readFileSync(join(dir, 'jwt-secret'), 'utf8').trim()).toBe(a.jwtSecret);
    expect(statSync(join(dir, 'jwt-secret')).mode & 0o777).toBe(0o600);
  });

  it('names the variable that is wrong', () => {
    expect(errorOf({ PORT: 'eighty' }).variable).toBe('PORT');
    expect(errorOf({ PORT: '70000' }).variable).toBe('PORT');
    expect(errorOf({ DATABASE_URL: 'postgres://x/y' }).variable).toBe('DATABASE_URL');
    expect(errorOf({ DATABASE_URL: 'mysql://root@localhost:3306/' }).variable).toBe('DATABASE_URL');
    expect(errorOf({ DATABASE_URL: 'mysql://root@localhost:3306/qc' }).variable).toBe('JWT_SECRET');
    expect(errorOf({ JWT_SECRET: 'short' }).variable).toBe('JWT_SECRET');
    expect(errorOf({ JWT_TTL: 'forever' }).variable).toBe('JWT_TTL');
    expect(errorOf({ MIGRATIONS_RUN: 'maybe' }).variable).toBe('MIGRATIONS_RUN');
    expect(errorOf({ MIGRATIONS_WAIT_SECONDS: '0' }).variable).toBe('MIGRATIONS_WAIT_SECONDS');
    expect(errorOf({ LOG_LEVEL: 'loud' }).variable).toBe('LOG_LEVEL');
    expect(errorOf({ REGISTER_MAX_PER_IP: '0' }).variable).toBe('REGISTER_MAX_PER_IP');
    expect(errorOf({ REGISTER_WINDOW_SECONDS: 'an hour' }).variable).toBe('REGISTER_WINDOW_SECONDS');
    expect(errorOf({ CORS_ORIGINS: 'not a url' }).variable).toBe('CORS_ORIGINS');
    expect(errorOf({ ADMIN_USERNAME: 'boss' }).variable).toBe('ADMIN_PASSWORD');
    expect(errorOf({ ADMIN_USERNAME: 'boss', ADMIN_PASSWORD: 'short' }).variable).toBe('ADMIN_PASSWORD');
    expect(errorOf({ PORT: 'x' }).message).toMatch(/^Invalid configuration: PORT /);
  });

  it('accepts mysql:// and mariadb:// URLs with a secret, and parses lists and durations', () => {
    const c = loadConfig({
      DATA_DIR: dataDir(),
      DATABASE_URL: 'mariadb://u:p%40ss@db:3307/qc_judging',
      JWT_SECRET: 'x'.repeat(32),
      CORS_ORIGINS: 'https://a.example, http://localhost:5173',
      JWT_TTL: '30m',
    });
    expect(c.databaseUrl).toBe('mariadb://u:p%40ss@db:3307/qc_judging');
    expect(c.corsOrigins).toEqual(['https://a.example', 'http://localhost:5173']);
    expect(c.jwtTtlSeconds).toBe(1800);
  });

  it('parses durations', () => {
    expect(parseDuration('T', '8h')).toBe(28800);
    expect(parseDuration('T', '3600')).toBe(3600);
    expect(parseDuration('T', '1d')).toBe(86400);
    expect(() => parseDuration('T', '5s')).toThrow(ConfigError);
  });

  it('runs on the system time unless CLOCK sets it on purpose, and never sets it in production', () => {
    expect(loadConfig({ DATA_DIR: dataDir() }).clock).toEqual({ kind: 'system' });
    expect(loadConfig({ DATA_DIR: dataDir(), CLOCK: 'system' }).clock).toEqual({ kind: 'system' });
    expect(loadConfig({ DATA_DIR: dataDir(), CLOCK: 'fixed:2020-07-01T09:00:00+08:00' }).clock).toEqual({ kind: 'fixed', at: new Date('2020-07-01T01:00:00Z') });
    expect(loadConfig({ DATA_DIR: dataDir(), CLOCK: 'from:2020-09-29T01:30Z' }).clock).toEqual({ kind: 'from', at: new Date('2020-09-29T01:30:00Z') });
    // No offset (whose local time?), no kind, a bad date, or production: refused, naming CLOCK.
    for (const bad of ['2020-07-01T09:00:00+08:00', 'fixed:2020-07-01T09:00:00', 'fixed:2020-13-01T09:00:00Z', 'frozen:2020-07-01T09:00:00Z', 'fixed:yesterday']) {
      expect(errorOf({ CLOCK: bad }).variable).toBe('CLOCK');
    }
    const prod = errorOf({ CLOCK: 'fixed:2020-07-01T09:00:00+08:00', NODE_ENV: 'production' });
    expect(prod.variable).toBe('CLOCK');
    expect(prod.message).toMatch(/NODE_ENV=production/);
  });
});
