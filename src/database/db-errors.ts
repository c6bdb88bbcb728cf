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
