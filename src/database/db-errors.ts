import { QueryFailedError } from 'typeorm';

function driverCode(err: unknown): { code?: string; errno?: number } {
  return err instanceof QueryFailedError ? ((err.driverError ?? {}) as { code?: string; errno?: number }) : {};
}

/** A unique or primary key violation, on MySQL/MariaDB or SQLite. */
export function isDuplicateKey(err: unknown): boolean {
  const d = driverCode(err);
  return d.code === 'ER_DUP_ENTRY' || d.errno === 1062 || /^SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)$/.test(d.code ?? '');
}

/** Deadlocks and lock-wait timeouts: the transaction was rolled back and may simply run again. */
export function isTransient(err: unknown): boolean {
  const d = driverCode(err);
  return d.errno === 1213 || d.errno === 1205 || d.code === 'ER_LOCK_DEADLOCK' || d.code === 'ER_LOCK_WAIT_TIMEOUT' || d.code === 'SQLITE_BUSY';
}

/** Socket errors: only a database outage when the driver raised them (mysql2 marks them `fatal`). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'EHOSTDOWN', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** Server and client codes that say the server is gone, going, or refuses new connections. */
const UNAVAILABLE_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR', // 1040 too many connections
  'ER_SERVER_SHUTDOWN', // 1053
  'ER_CONNECTION_KILLED', // 1927 (MariaDB)
  'CR_CONNECTION_ERROR', // 2002
  'CR_CONN_HOST_ERROR', // 2003
  'CR_SERVER_GONE_ERROR', // 2006
  'CR_SERVER_LOST', // 2013
  'SQLITE_CANTOPEN',
  'POOL_ACQUIRE_TIMEOUT', // ours: see limitPoolWait in data-source.ts
]);
const UNAVAILABLE_ERRNOS = new Set([1040, 1053, 1927, 2002, 2003, 2006, 2013]);
/** mysql2, TypeORM and better-sqlite3 raise these without a code. */
const UNAVAILABLE_MESSAGES = [
  /^Pool is closed/,
  /^Connection lost/,
  /connection is in closed state/,
  /^Can't write in closed state/,
  /^Queue limit reached/,
  /^No connections available/,
  /^Connection is not established/,
  /^The database connection is not open/,
];

function unavailableHere(e: Record<string, unknown>): boolean {
  const code = typeof e.code === 'string' ? e.code : '';
  if (UNAVAILABLE_CODES.has(code) || code.startsWith('SQLITE_IOERR')) return true;
  if (typeof e.errno === 'number' && UNAVAILABLE_ERRNOS.has(e.errno)) return true;
  if (NETWORK_CODES.has(code) && e.fatal === true) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  return UNAVAILABLE_MESSAGES.some((re) => re.test(message));
}

/**
 * The database cannot be reached (refused, lost, timed out, shut down, full of connections, pool
 * closed, embedded file unopenable): the request may succeed later, so it is a 503, never a 401 or
 * a 500. Looks through TypeORM's `driverError` and `cause`. Not lock conflicts (see isTransient).
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const o = e as Record<string, unknown>;
    if (unavailableHere(o)) return true;
    e = o.driverError ?? o.cause;
  }
  return false;
}
