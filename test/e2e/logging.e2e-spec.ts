// Logs never carry the values bound to a query: a failed INSERT INTO users once put an argon2 hash
// into the log. The app is built as main.ts builds it, with its JSON log lines captured (at `info`,
// so the per-request lines are written too: they must carry no credentials either).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.setup.js';
import { loadConfig } from '../../src/config/app-config.js';
import { ADMIN, expectErrorBody, TEST_DB, testDatabaseEnv } from '../support/test-app.js';

describe(`logs: database errors and requests (${TEST_DB})`, () => {
  let app: NestFastifyApplication;
  let drop: () => Promise<void>;
  const lines: string[] = [];
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    const db = await testDatabaseEnv();
    drop = db.drop;
    const config = loadConfig({ ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, ...db.env, LOG_LEVEL: 'info' });
    app = await createApp(config, { logStream: { write: (line: string) => void lines.push(line) } });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  it('logs a failed INSERT with its SQL text and error code, never its parameters (no password hash, no names)', async () => {
    const admin = (await http().post('/api/auth/login').send(ADMIN).expect(200)).body.accessToken as string;
    // Every INSERT INTO users now fails in the database itself, with a driver error that is not a duplicate.
    const ds = app.get(DataSource);
    if (TEST_DB === 'mariadb') {
      await ds.query("CREATE TRIGGER users_refuse BEFORE INSERT ON users FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by test'");
    } else {
      await ds.query("CREATE TRIGGER users_refuse BEFORE INSERT ON users BEGIN SELECT RAISE(ABORT, 'refused by test'); END");
    }
    const secretName = '机密-显示名-Zq81x';
    lines.length = 0;
    const res = await http()
      .post('/api/users')
      .set('authorization', `Bearer ${admin}`)
      .send({ username: 'log-probe', displayName: secretName, role: 'organizer', password: 'Qc-评审-2026-北辰!' })
      .expect(500);
    expectErrorBody(res.body, 500, 'internal_error');

    const log = lines.join('');
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const logged = entries.find((e) => e.msg === 'unhandled error' && e.requestId === res.body.requestId);
    expect(logged).toBeDefined();
    const err = logged!.err as Record<string, unknown>;
    expect(err).toMatchObject({ type: 'QueryFailedError', code: TEST_DB === 'mariadb' ? 'ER_SIGNAL_EXCEPTION' : 'SQLITE_CONSTRAINT_TRIGGER' });
    expect(String(err.message)).toContain('refused by test');
    expect(String(err.query)).toMatch(/INSERT INTO [`"]?users/);
    for (const key of ['parameters', 'driverError', 'sql', 'sqlMessage']) expect([key, err[key]]).toEqual([key, undefined]);
    // Nowhere in any line: not the hash, not the name, not the username bound to the INSERT.
    expect(log).not.toContain('$argon2');
    expect(log).not.toContain(secretName);
    expect(log).not.toContain('log-probe');
  });

  it('writes one line per answered request: its id, method, URL without the event-stream token, status, time; no headers, no health checks', async () => {
    const login = await http().post('/api/auth/login').send(ADMIN).expect(200);
    const token = login.body.accessToken as string;
    lines.length = 0;
    const me = await http().get('/api/auth/me?access_token=tok-secret-Zq81x&x=1').set('authorization', `Bearer ${token}`).set('user-agent', 'log-probe-agent/1').expect(200);
    await http().get('/api/health').expect(200);
    const missing = await http().get('/api/no-such-route').expect(404);
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const requestLines = entries.filter((e) => e.msg === 'request completed');
    expect(requestLines).toHaveLength(2);
    const [first, second] = requestLines as Array<{ req: Record<string, unknown>; res: Record<string, unknown>; responseTime: unknown; level: number }>;
    expect(first.req).toEqual({
      id: me.headers['x-request-id'],
      method: 'GET',
      url: '/api/auth/me?access_token=[Redacted]&x=1',
      remoteAddress: expect.any(String),
      userAgent: 'log-probe-agent/1',
    });
    expect(first.res).toEqual({ statusCode: 200 });
    expect(typeof first.responseTime).toBe('number');
    expect(first.level).toBe(30);
    expect(second.req.id).toBe(missing.body.requestId);
    expect(second.res).toEqual({ statusCode: 404 });
    const log = lines.join('');
    expect(log).not.toContain('tok-secret-Zq81x');
    expect(log).not.toContain(token);
    expect(log).not.toContain('/api/health');
  });
});
