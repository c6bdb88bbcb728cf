// Revocation across instances: each instance keeps the accounts it has authenticated in memory
// (src/auth/auth-sessions.ts), checked against one change counter per request. Two apps on one
// database (as behind a load balancer): an account used on B, then deactivated / its password
// changed or reset / its organisation deactivated on A, must be refused on B by the very next request;
// a reactivated account must be usable on B again at once. And while B is busy (a read of the counter
// always in flight), no request sent after the revocation's answer may get through.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.setup.js';
import { loadConfig } from '../../src/config/app-config.js';
import { ADMIN, createUser, expectErrorBody, login, TEST_DB, testDatabaseEnv, type TestApp } from '../support/test-app.js';

jest.setTimeout(180_000);

const PASSWORD = 'Qc-评审-2026-北辰!';
const NEW_PASSWORD = 'Qc-评审-2027-南湖?';

async function startInstance(env: Record<string, string>): Promise<TestApp> {
  const config = loadConfig({ ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, ...env });
  const app: NestFastifyApplication = await createApp(config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const server = app.getHttpServer();
  return { app, config, dataSource: app.get(DataSource), http: () => request(server), close: () => app.close() };
}

/** The part of better-sqlite3's connection a script uses here (the package ships no types). */
interface ScriptDb {
  prepare(sql: string): { run(...params: unknown[]): unknown };
  transaction(fn: () => void): () => void;
  close(): void;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe(`revocation is immediate across instances (${TEST_DB})`, () => {
  let a: TestApp;
  let b: TestApp;
  let drop: () => Promise<void>;
  let admin: string;
  let organizer: string;

  /** GET /api/auth/me on `t`: 200 with the account, or the refusal. */
  const me = (t: TestApp, token: string) => t.http().get('/api/auth/me').set(bearer(token));
  const expectRefused = async (t: TestApp, token: string) => {
    const res = await me(t, token);
    expect(res.status).toBe(401);
    expectErrorBody(res.body, 401, 'token_invalid');
  };

  beforeAll(async () => {
    const db = await testDatabaseEnv();
    drop = db.drop;
    // One database for both: on SQLite a shared file (WAL), not :memory:.
    const env = { ...db.env, ...(TEST_DB === 'sqlite' ? { SQLITE_FILE: join(db.env.DATA_DIR!, 'shared.sqlite') } : {}) };
    a = await startInstance(env);
    b = await startInstance({ ...env, MIGRATIONS_RUN: 'false' });
    admin = await login(a, ADMIN.username, ADMIN.password);
    organizer = (await createUser(a, admin, { username: 'rev-organizer', role: 'organizer', password: PASSWORD })).token;
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await drop?.();
  });

  it('a deactivated account is refused on the other instance at once, and usable there again at once after reactivation', async () => {
    const u = await createUser(a, admin, { username: 'rev-deactivated', role: 'organizer', password: PASSWORD });
    // Used on B first, so that B has it in memory.
    for (let i = 0; i < 3; i++) expect((await me(b, u.token)).body).toMatchObject({ id: u.id, username: 'rev-deactivated', role: 'organizer', active: true });
    await a.http().post(`/api/users/${u.id}/deactivate`).set(bearer(admin)).expect(200);
    await expectRefused(b, u.token);
    await expectRefused(a, u.token);
    // The organizer's own session, also cached on B, is untouched.
    expect((await me(b, organizer)).status).toBe(200);

    await a.http().post(`/api/users/${u.id}/reactivate`).set(bearer(admin)).expect(200);
    // Deactivation ended the old session for good; a new login works on B at once.
    await expectRefused(b, u.token);
    const fresh = await login(a, 'rev-deactivated', PASSWORD);
    expect((await me(b, fresh)).body).toMatchObject({ id: u.id, active: true });
  });

  it('a password change on A ends the other sessions on B at once; a reset by the admin too', async () => {
    const u = await createUser(a, admin, { username: 'rev-password', role: 'organizer', password: PASSWORD });
    const other = await login(b, 'rev-password', PASSWORD);
    expect((await me(b, other)).status).toBe(200);
    expect((await me(b, u.token)).status).toBe(200);
    await a.http().post('/api/auth/password').set(bearer(u.token)).send({ oldPassword: PASSWORD, newPassword: NEW_PASSWORD }).expect(204);
    await expectRefused(b, other);
    await expectRefused(b, u.token);
    const after = await login(b, 'rev-password', NEW_PASSWORD);
    expect((await me(b, after)).body).toMatchObject({ id: u.id });

    await a.http().post(`/api/users/${u.id}/reset-password`).set(bearer(admin)).send({ password: PASSWORD }).expect(200);
    await expectRefused(b, after);
    expect((await me(b, await login(b, 'rev-password', PASSWORD))).status).toBe(200);
  });

  it("an expert's account is refused on B at once when its expert is deactivated on A (the guards' organisation ids and role come from the account)", async () => {
    const x = await a.http().post('/api/experts').set(bearer(organizer)).send({ name: '撤销专家', employerKind: 'other', employerName: '某大学质量研究所', fields: ['质量管理'] }).expect(201);
    await a.http().post(`/api/experts/${x.body.id}/accounts`).set(bearer(organizer)).send({ username: 'rev-expert', password: PASSWORD }).expect(201);
    const token = await login(b, 'rev-expert', PASSWORD);
    expect((await me(b, token)).body).toMatchObject({ username: 'rev-expert', role: 'expert', expertId: x.body.id });
    await a.http().post(`/api/experts/${x.body.id}/deactivate`).set(bearer(organizer)).expect(200);
    await expectRefused(b, token);
  });

  it('while B serves a steady load, no request sent after the deactivation was answered gets through', async () => {
    const u = await createUser(a, admin, { username: 'rev-busy', role: 'organizer', password: PASSWORD });
    let revokedAt = Infinity;
    let stop = false;
    const late: number[] = [];
    let served = 0;
    // Eight clients in a loop on B: a read of the change counter is nearly always in flight.
    const clients = Array.from({ length: 8 }, async () => {
      while (!stop) {
        const sent = performance.now();
        const res = await me(b, u.token);
        if (res.status === 200) served++;
        if (sent > revokedAt) late.push(res.status);
        else expect([200, 401]).toContain(res.status);
      }
    });
    while (served < 20) await new Promise((r) => setTimeout(r, 10));
    await a.http().post(`/api/users/${u.id}/deactivate`).set(bearer(admin)).expect(200);
    revokedAt = performance.now();
    while (late.length < 40) await new Promise((r) => setTimeout(r, 10));
    stop = true;
    await Promise.all(clients);
    expect(new Set(late)).toEqual(new Set([401]));
  });

  // SQLite: the counter is read only when the file may have changed (PRAGMA data_version, and the
  // instance's own bumps); a change by any other connection, even a script's, is seen at once.
  (TEST_DB === 'sqlite' ? it : it.skip)('on SQLite, B reads the counter only after a commit by another connection, including one outside the service', async () => {
    const u = await createUser(a, admin, { username: 'rev-sqlite', role: 'organizer', password: PASSWORD });
    const reads: string[] = [];
    const query = b.dataSource.query.bind(b.dataSource);
    b.dataSource.query = ((sql: string, ...rest: unknown[]) => {
      if (/auth_revision/.test(sql)) reads.push(sql);
      return (query as (...x: unknown[]) => Promise<unknown>)(sql, ...rest);
    }) as typeof b.dataSource.query;
    try {
      expect((await me(b, u.token)).status).toBe(200);
      reads.length = 0;
      for (let i = 0; i < 5; i++) expect((await me(b, u.token)).status).toBe(200);
      expect(reads).toEqual([]);

      // A commit on A (another connection to the file), of anything: B reads the counter again, once.
      await a.http().post('/api/users').set(bearer(admin)).send({ username: 'rev-sqlite-2', role: 'organizer', displayName: '另一位', password: PASSWORD }).expect(201);
      for (let i = 0; i < 3; i++) expect((await me(b, u.token)).status).toBe(200);
      expect(reads).toHaveLength(1);

      // A script's connection deactivates the account and bumps the counter: B refuses at once.
      const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => ScriptDb;
      const script = new Database(b.config.sqliteFile);
      try {
        script.transaction(() => {
          script.prepare('UPDATE users SET active = 0 WHERE id = ?').run(u.id);
          script.prepare('UPDATE auth_revision SET revision = revision + 1 WHERE id = 1').run();
        })();
      } finally {
        script.close();
      }
      await expectRefused(b, u.token);
      expect(reads).toHaveLength(2);
    } finally {
      b.dataSource.query = query;
    }
  });
});
