import type { DataSource, DataSourceOptions } from 'typeorm';
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
  // Imported here: on SQLite (the embedded default) the MySQL client is never loaded.
  const { createConnection } = await import('mysql2/promise');
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
        // Busy timeout first, so switching a new file to WAL waits for another process opening it instead of failing.
        db.pragma('busy_timeout = 5000');
        db.pragma('journal_mode = WAL');
        // better-sqlite3 is built with SQLITE_DEFAULT_WAL_SYNCHRONOUS=1, so a file that is already in WAL
        // mode opens with synchronous = NORMAL; a new one, switched to WAL here, would keep FULL (an fsync
        // per commit) until the next start. Said once for both: NORMAL, WAL's recommended setting (a commit
        // survives a crash of the process; a power cut may lose the last commits, never corrupts the file).
        db.pragma('synchronous = NORMAL');
      },
      // Prepared statements kept per connection (TypeORM's default, 100, is first-in first-out and smaller
      // than the service's set of statements: with integers bound, see sqlite-binding.ts, ≈ 470 in a demo run).
      statementCacheSize: 2000,
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
    // While the server is down, requests should answer 503 within seconds: a connection attempt gives
    // up after connectTimeout (mysql2's default is 10 s), and limitPoolWait bounds the wait in the queue.
    // multipleStatements: the score submit sends its writes (version, audit event, chain head) in one
    // round trip (src/scoring/sql.ts batch()). Every query of the service binds its values (`?`), never
    // concatenates client input, so a multi-statement connection opens no injection path.
    // trace: false: mysql2 otherwise captures a JavaScript stack (Error.captureStackTrace) on every
    // query to decorate a possible error, ≈ 3 % of a score submit's CPU in the scoring benchmark's
    // profile; the service reports database errors by their code and SQL text, not by that stack.
    extra: { connectionLimit: 20, connectTimeout: DB_CONNECT_TIMEOUT_MS, multipleStatements: true, trace: false },
  };
}

/** A server on the network completes its handshake in milliseconds; longer means it is not answering. */
export const DB_CONNECT_TIMEOUT_MS = 3_000;
/** How long a query may wait for a pooled connection before the request answers 503. */
export const DB_ACQUIRE_TIMEOUT_MS = 5_000;

type PoolCallback = (err: Error | null, conn?: { release(): void }) => void;

/** mysql2's pool behind a MySQL/MariaDB data source (none on SQLite). */
function poolOf(dataSource: DataSource): { getConnection?: (cb: PoolCallback) => void } | undefined {
  return (dataSource.driver as unknown as { pool?: { getConnection?: (cb: PoolCallback) => void } }).pool;
}

/**
 * mysql2's pool queues a request for a connection without a time limit (it ignores TypeORM's
 * `acquireTimeout`): with a server that hangs instead of refusing, requests would pile up. This
 * bounds the wait; a connection that arrives after its caller gave up goes back to the pool.
 * Dead connections leave the pool by themselves (mysql2 drops one on its 'end' or 'error'), so the
 * service recovers when the server is back without a restart.
 */
export function limitPoolWait(dataSource: DataSource, ms = DB_ACQUIRE_TIMEOUT_MS): DataSource {
  const pool = poolOf(dataSource);
  if (!pool?.getConnection) return dataSource; // SQLite: no pool
  const getConnection = pool.getConnection.bind(pool);
  pool.getConnection = (cb: PoolCallback) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      cb(Object.assign(new Error('Timeout acquiring a database connection'), { code: 'POOL_ACQUIRE_TIMEOUT' }));
    }, ms);
    getConnection((err, conn) => {
      if (settled) return conn?.release();
      settled = true;
      clearTimeout(timer);
      cb(err, conn);
    });
  };
  return dataSource;
}

type PooledConnection = { release(): void; promise?: (promiseImpl?: unknown) => unknown };
const sharing = new WeakSet<object>();

/**
 * TypeORM asks mysql2 for a connection's promise wrapper before every query (`connection.promise().query(…)`)
 * and mysql2 makes a new one each time: a `require()` of its module, resolved again (≈ 3 % of the service's
 * CPU in bench:auth's profile), and an EventEmitter. The wrapper holds nothing but its connection (each query
 * passes its own callback), so each pooled connection keeps the first one made; a wrapper asked for with
 * another Promise implementation is made as before.
 */
export function sharePromiseWrappers(dataSource: DataSource): DataSource {
  const pool = poolOf(dataSource);
  if (!pool?.getConnection) return dataSource; // SQLite: no pool
  const getConnection = pool.getConnection.bind(pool);
  pool.getConnection = (cb: PoolCallback) =>
    getConnection((err, conn) => {
      if (conn) keepPromiseWrapper(conn as PooledConnection);
      cb(err, conn);
    });
  return dataSource;
}

function keepPromiseWrapper(conn: PooledConnection): void {
  if (sharing.has(conn) || typeof conn.promise !== 'function') return;
  sharing.add(conn);
  const make = conn.promise.bind(conn);
  let shared: unknown;
  conn.promise = (promiseImpl?: unknown) => (promiseImpl === undefined ? (shared ??= make()) : make(promiseImpl));
}

export function databaseKind(options: DataSourceOptions): DatabaseKind {
  return options.type === 'better-sqlite3' ? 'sqlite' : (options.type as DatabaseKind);
}
