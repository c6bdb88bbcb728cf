import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.setup.js';
import { loadConfig, type AppConfig } from '../../src/config/app-config.js';

export const ADMIN = { username: 'admin', password: 'Tern-海河-钥匙-7391!' };
export const TEST_DB = (process.env.TEST_DB ?? 'sqlite') as 'sqlite' | 'mariadb';
const MARIADB = process.env.TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306';
let counter = 0;

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  dataSource: DataSource;
  http: () => ReturnType<typeof request>;
  close(): Promise<void>;
}

/** A fresh database of the kind TEST_DB names: SQLite in memory, or a new MariaDB database dropped at close. */
export async function testDatabaseEnv(): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'qc-test-'));
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    LOG_LEVEL: 'silent',
  };
  let dbName: string | null = null;
  if (TEST_DB === 'mariadb') {
    dbName = `qc_test_${process.pid}_${++counter}_${Date.now() % 100000}`;
    env.DATABASE_URL = `${MARIADB}/${dbName}`;
  } else {
    env.SQLITE_FILE = ':memory:';
  }
  return {
    env,
    drop: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      if (dbName) {
        const conn = await createConnection(MARIADB.replace(/^mariadb:/, 'mysql:'));
        await conn.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
        await conn.end();
      }
    },
  };
}

export async function createTestApp(extraEnv: Record<string, string> = {}): Promise<TestApp> {
  const { env, drop } = await testDatabaseEnv();
  const config = loadConfig({ ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, ...env, ...extraEnv });
  const app = await createApp(config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const server = app.getHttpServer();
  return {
    app,
    config,
    dataSource: app.get(DataSource),
    http: () => request(server),
    close: async () => {
      await app.close();
      await drop();
    },
  };
}

export async function login(t: TestApp, username: string, password: string): Promise<string> {
  const res = await t.http().post('/api/auth/login').send({ username, password });
  if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken as string;
}

/** Creates a user through the admin API and returns its id and a token. */
export async function createUser(
  t: TestApp,
  adminToken: string,
  user: { username: string; role: string; displayName?: string; password?: string },
): Promise<{ id: number; token: string; password: string }> {
  const password = user.password ?? 'Amber-海河-Lantern-42';
  const res = await t
    .http()
    .post('/api/users')
    .set('authorization', `Bearer ${adminToken}`)
    .send({ username: user.username, role: user.role, displayName: user.displayName ?? user.username, password });
  if (res.status !== 201) throw new Error(`create user failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, token: await login(t, user.username, password), password };
}

/** Asserts the one error body shape and returns it. */
export function expectErrorBody(body: Record<string, unknown>, status: number, code: string): void {
  const shape = { statusCode: body.statusCode, code: body.code, message: typeof body.message, requestId: typeof body.requestId };
  const want = { statusCode: status, code, message: 'string', requestId: 'string' };
  if (JSON.stringify(shape) !== JSON.stringify(want)) {
    throw new Error(`error body ${JSON.stringify(body)} is not ${JSON.stringify(want)}`);
  }
}
