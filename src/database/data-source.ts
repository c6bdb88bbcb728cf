import { createConnection } from 'mysql2/promise';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { ENTITIES } from './entities.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { ParameterFreeQueryLogger } from './query-logger.js';

export type DatabaseKind = 'sqlite' | 'mysql' | 'mariadb';

/**
 * Prepares the server database (created if missing, utf8mb4) and tells MySQL from MariaDB:
 * TypeORM's `mysql` type reports schema drift on MariaDB that never goes away, `mariadb` does not.
 */
async function prepareServerDatabase(url: URL): Promise<'mysql' | 'mariadb'> {
  const database = url.pathname.slice(1);
  const conn = await createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  });
  try {
    await conn.query(
      `CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    const [rows] = await conn.query('SELECT VERSION() AS v');
    return /mariadb/i.test(String((rows as { v: string }[])[0].v)) ? 'mariadb' : 'mysql';
  } finally {
    await conn.end();
  }
}

/** The one data-source definition, used by the app, the migration command and the tests. */
export async function buildDataSourceOptions(config: AppConfig): Promise<DataSourceOptions> {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    // MySQL commits DDL implicitly, so each migration is its own transaction.
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    // Should logging be turned on: SQL text only, never the bound values (see query-logger.ts).
    logger: new ParameterFreeQueryLogger(false),
  };
  if (!config.databaseUrl) {
    return {
      ...common,
      type: 'better-sqlite3',
      database: config.sqliteFile,
      // WAL lets readers proceed while a writer commits; the busy timeout covers a second process.
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('journal_mode = WAL');
        db.pragma('busy_timeout = 5000');
      },
    };
  }
  const url = new URL(config.databaseUrl);
  const type = await prepareServerDatabase(url);
  return {
    ...common,
    type,
    host: url.hostname,
    port: Number(url.port || 3306),
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: url.pathname.slice(1),
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    extra: { connectionLimit: 20 },
  };
}

export function databaseKind(options: DataSourceOptions): DatabaseKind {
  return options.type === 'better-sqlite3' ? 'sqlite' : (options.type as DatabaseKind);
}
