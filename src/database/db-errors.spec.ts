import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createConnection } from 'mysql2/promise';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable, isDuplicateKey, isTransient } from './db-errors.js';

// better-sqlite3 ships no types (TypeORM loads it the same way).
const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => { prepare(sql: string): { get(): unknown }; close(): void };

/** What mysql2 rejects with when connecting to `port` (a real driver error, not a hand-made shape). */
async function connectError(port: number, connectTimeout = 2000): Promise<Error & Record<string, unknown>> {
  try {
    const conn = await createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout });
    await conn.end();
  } catch (e) {
    return e as Error & Record<string, unknown>;
  }
  throw new Error('connected');
}

const wrapped = (driverError: object) => new QueryFailedError('SELECT 1', [], driverError as unknown as Error);
const mysqlError = (code: string, errno: number, message = code) => Object.assign(new Error(message), { code, errno, sqlState: 'HY000', fatal: true });

describe('isDatabaseUnavailable', () => {
  // Three fake servers: nothing listening, one that hangs up at once, one that never greets.
  let refusedPort: number;
  let hangUp: Server;
  let silent: Server;
  const listen = async (s: Server) => new Promise<number>((ok) => s.listen(0, '127.0.0.1', () => ok((s.address() as AddressInfo).port)));
  beforeAll(async () => {
    const probe = createServer();
    refusedPort = await listen(probe);
    await new Promise((ok) => probe.close(ok));
    hangUp = createServer((socket) => socket.destroy());
    silent = createServer(() => undefined);
  });
  afterAll(async () => {
    await new Promise((ok) => hangUp.close(ok));
    await new Promise((ok) => silent.close(ok));
  });

  it('recognises what mysql2 raises when the server is down, drops the connection or never answers', async () => {
    const refused = await connectError(refusedPort);
    expect(refused).toMatchObject({ code: 'ECONNREFUSED', fatal: true });
    expect(isDatabaseUnavailable(refused)).toBe(true);

    const lost = await connectError(await listen(hangUp));
    expect(lost.code).toMatch(/^(PROTOCOL_CONNECTION_LOST|ECONNRESET)$/);
    expect(isDatabaseUnavailable(lost)).toBe(true);

    const timedOut = await connectError(await listen(silent), 200);
    expect(timedOut).toMatchObject({ code: 'ETIMEDOUT', fatal: true });
    expect(isDatabaseUnavailable(timedOut)).toBe(true);

    // The same errors wrapped by TypeORM around a query.
    for (const e of [refused, lost, timedOut]) expect(isDatabaseUnavailable(wrapped(e))).toBe(true);
  });

  it('recognises the server-side and client-side codes of a server that is gone or refusing connections', () => {
    const shapes = [
      mysqlError('ER_CON_COUNT_ERROR', 1040, 'Too many connections'),
      mysqlError('ER_SERVER_SHUTDOWN', 1053, 'Server shutdown in progress'),
      mysqlError('ER_CONNECTION_KILLED', 1927, 'Connection was killed'),
      mysqlError('CR_SERVER_GONE_ERROR', 2006, 'MySQL server has gone away'),
      mysqlError('CR_SERVER_LOST', 2013, 'Lost connection to MySQL server during query'),
      { errno: 2006, message: 'MySQL server has gone away' },
      Object.assign(new Error('Connection lost: The server closed the connection.'), { code: 'PROTOCOL_CONNECTION_LOST', fatal: true }),
      Object.assign(new Error("Can't add new command when connection is in closed state"), { fatal: true }),
      new Error('Pool is closed.'),
      new Error('Queue limit reached.'),
      Object.assign(new Error('Timeout acquiring a database connection'), { code: 'POOL_ACQUIRE_TIMEOUT' }),
      new Error('Connection is not established with mysql database'),
    ];
    for (const e of shapes) {
      expect([e.message, isDatabaseUnavailable(e)]).toEqual([e.message, true]);
      expect([e.message, isDatabaseUnavailable(wrapped(e))]).toEqual([e.message, true]);
    }
    // Wrapped once more, as a cause.
    expect(isDatabaseUnavailable(new Error('save failed', { cause: wrapped(mysqlError('CR_SERVER_LOST', 2013)) }))).toBe(true);
  });

  it('recognises an embedded database that cannot be opened or read, but not a busy one', () => {
    let cantOpen: unknown;
    try {
      new Database(tmpdir()); // a directory: SQLite cannot open it as a database file
    } catch (e) {
      cantOpen = e;
    }
    expect(cantOpen).toMatchObject({ code: 'SQLITE_CANTOPEN' });
    expect(isDatabaseUnavailable(cantOpen)).toBe(true);
    expect(isDatabaseUnavailable(wrapped({ code: 'SQLITE_IOERR_SHORT_READ', message: 'disk I/O error' }))).toBe(true);

    const db = new Database(':memory:');
    db.close();
    let closed: unknown;
    try {
      db.prepare('SELECT 1').get();
    } catch (e) {
      closed = e;
    }
    expect(isDatabaseUnavailable(closed)).toBe(true);

    const busy = wrapped({ code: 'SQLITE_BUSY', message: 'database is locked' });
    expect(isDatabaseUnavailable(busy)).toBe(false);
    expect(isTransient(busy)).toBe(true);
  });

  it('leaves other errors alone: lock conflicts, duplicates, syntax, bad credentials, and socket errors not raised by the driver', () => {
    const others: unknown[] = [
      wrapped(mysqlError('ER_LOCK_DEADLOCK', 1213)),
      wrapped(mysqlError('ER_LOCK_WAIT_TIMEOUT', 1205)),
      wrapped(mysqlError('ER_DUP_ENTRY', 1062)),
      wrapped(mysqlError('ER_PARSE_ERROR', 1064)),
      wrapped({ code: 'SQLITE_CONSTRAINT_UNIQUE', message: 'UNIQUE constraint failed' }),
      mysqlError('ER_ACCESS_DENIED_ERROR', 1045, "Access denied for user 'root'@'localhost'"),
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', errno: -104 }), // a client's socket, not the database's
      new Error('boom'),
      new TypeError("Cannot read properties of undefined (reading 'id')"),
      null,
      undefined,
      'ECONNREFUSED',
      { code: 'ECONNREFUSED' },
    ];
    for (const e of others) expect([String(e), isDatabaseUnavailable(e)]).toEqual([String(e), false]);
    expect(isDuplicateKey(wrapped(mysqlError('ER_DUP_ENTRY', 1062)))).toBe(true);
  });
});
