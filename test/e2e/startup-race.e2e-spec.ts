import { describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';
import { createApp } from '../../src/app.setup.js';
import { loadConfig } from '../../src/config/app-config.js';
import { buildDataSourceOptions } from '../../src/database/data-source.js';
import { revertLastMigration, runPendingMigrations } from '../../src/database/startup-lock.js';
import { TEST_DB, testDatabaseEnv } from '../support/test-app.js';

// Several instances of the service started at the same moment on one fresh database (issue 17):
// migrations must run once, the first admin must be created once, and no instance may crash.
const ADMIN = { username: 'chief', password: 'Qc-评审-2026-北辰!' };
const MIGRATION_NAMES = MIGRATIONS.map((M) => new M().name).sort();

interface Round {
  started: number;
  failures: string[];
  admins: number;
  adminCreations: number;
  migrationRows: { name: string; n: number }[];
  drift: string[];
  auditOk: boolean[];
}

async function startOne(env: Record<string, string>): Promise<NestFastifyApplication> {
  const app = await createApp(loadConfig(env));
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/**
 * Starts one instance per entry of `perInstance` (extra env) at the same moment on one fresh
 * database, then inspects the database and logs in as the admin through every instance that started.
 */
async function startTogether(perInstance: Record<string, string>[], opts: { premigrated?: boolean } = {}): Promise<Round> {
  const { env, drop } = await testDatabaseEnv();
  // SQLite: one file shared by every instance, each with its own connection as separate processes would have.
  if (TEST_DB === 'sqlite') env.SQLITE_FILE = join(env.DATA_DIR, 'race.sqlite');
  const base = { ...env, ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password };
  const inspector = async () => new DataSource(await buildDataSourceOptions(loadConfig(base))).initialize();
  // Unless migrated beforehand, the database does not exist yet: the instances also race to create it.
  let ds = opts.premigrated ? await inspector() : null;
  let started: NestFastifyApplication[] = [];
  try {
    if (ds) await runPendingMigrations(ds, 30);
    const settled = await Promise.allSettled(perInstance.map((extra) => startOne({ ...base, ...extra })));
    ds ??= await inspector();
    started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failures = settled.flatMap((s) => (s.status === 'rejected' ? [String((s.reason as Error)?.message ?? s.reason)] : []));
    const [{ n: admins }] = await ds.query(`SELECT COUNT(*) AS n FROM users WHERE role = 'admin'`);
    const [{ n: adminCreations }] = await ds.query(`SELECT COUNT(*) AS n FROM audit_events WHERE action = 'user.create'`);
    const rows: { name: string; n: number | string }[] = await ds.query('SELECT name, COUNT(*) AS n FROM migrations GROUP BY name ORDER BY name');
    const drift = (await ds.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
    // The one admin logs in through each instance, and each sees an intact audit trail.
    const auditOk: boolean[] = [];
    for (const app of started) {
      const login = await request(app.getHttpServer()).post('/api/auth/login').send(ADMIN);
      expect({ status: login.status, role: login.body.user?.role }).toEqual({ status: 200, role: 'admin' });
      const verify = await request(app.getHttpServer()).post('/api/audit/verify').set('authorization', `Bearer ${login.body.accessToken}`);
      auditOk.push(verify.status === 200 && verify.body.ok === true);
    }
    return {
      started: started.length,
      failures,
      admins: Number(admins),
      adminCreations: Number(adminCreations),
      migrationRows: rows.map((r) => ({ name: r.name, n: Number(r.n) })),
      drift,
      auditOk,
    };
  } finally {
    for (const app of started) await app.close();
    await ds?.destroy();
    await drop();
  }
}

function expectClean(r: Round, instances: number): void {
  expect(r.failures).toEqual([]);
  expect(r.started).toBe(instances);
  expect({ admins: r.admins, adminCreations: r.adminCreations }).toEqual({ admins: 1, adminCreations: 1 });
  expect(r.migrationRows).toEqual(MIGRATION_NAMES.map((name) => ({ name, n: 1 })));
  expect(r.drift).toEqual([]);
  expect(r.auditOk).toEqual(Array(instances).fill(true));
}

describe(`instances started together (${TEST_DB})`, () => {
  if (TEST_DB === 'mariadb') {
    it.each([1, 2, 3, 4, 5])('round %i: three instances migrating at once on a fresh database all start, one admin, each migration once', async () => {
      expectClean(await startTogether([{}, {}, {}]), 3);
    });
  } else {
    it('three instances on one SQLite file start at once: all start, one admin, each migration once', async () => {
      expectClean(await startTogether([{}, {}, {}]), 3);
    });
  }

  it('one instance migrates while two with MIGRATIONS_RUN=false wait for it, then all start', async () => {
    expectClean(await startTogether([{ MIGRATIONS_RUN: 'false' }, { MIGRATIONS_RUN: 'true' }, { MIGRATIONS_RUN: 'false' }]), 3);
  });

  it('three instances with MIGRATIONS_RUN=false on a migrated database create the first admin once', async () => {
    const off = { MIGRATIONS_RUN: 'false' };
    expectClean(await startTogether([off, off, off], { premigrated: true }), 3);
  });

  it('`npm run migration:run` twice at once (its function, from two data sources) applies each migration once; revert takes the same lock', async () => {
    const { env, drop } = await testDatabaseEnv();
    if (TEST_DB === 'sqlite') env.SQLITE_FILE = join(env.DATA_DIR, 'race.sqlite');
    const sources = [0, 1].map(async () => new DataSource(await buildDataSourceOptions(loadConfig(env))).initialize());
    const [a, b] = await Promise.all(sources);
    try {
      const applied = await Promise.all([runPendingMigrations(a, 30), runPendingMigrations(b, 30)]);
      expect(applied.map((list) => list.map((m) => m.name).sort()).sort((x, y) => y.length - x.length)).toEqual([MIGRATION_NAMES, []]);
      const last = MIGRATIONS.map((M) => new M().name).at(-1);
      await revertLastMigration(a, 30);
      expect((await runPendingMigrations(b, 30)).map((m) => m.name)).toEqual([last]);
      const rows: { n: number | string }[] = await a.query('SELECT COUNT(*) AS n FROM migrations');
      expect(Number(rows[0].n)).toBe(MIGRATIONS.length);
      expect((await a.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
    } finally {
      await a.destroy();
      await b.destroy();
      await drop();
    }
  });

  it('MIGRATIONS_RUN=false with nobody migrating fails clearly after MIGRATIONS_WAIT_SECONDS, without retrying', async () => {
    const { env, drop } = await testDatabaseEnv();
    if (TEST_DB === 'sqlite') env.SQLITE_FILE = join(env.DATA_DIR, 'race.sqlite');
    const t0 = Date.now();
    try {
      const outcome = await startOne({ ...env, ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, MIGRATIONS_RUN: 'false', MIGRATIONS_WAIT_SECONDS: '1' }).then(
        async (app) => {
          await app.close();
          return 'started';
        },
        (e: Error) => e.message,
      );
      expect(outcome).toMatch(new RegExp(`^MIGRATIONS_RUN=false and ${MIGRATIONS.length} migration\\(s\\) still not applied after 1 s .*npm run migration:run`));
      // One wait of a second, not three (TypeORM's connection retries are skipped for this error):
      // three waits with two 1 s retry delays would take 5 s; the margin is for a busy machine.
      expect(Date.now() - t0).toBeLessThan(4500);
    } finally {
      await drop();
    }
  });
});
