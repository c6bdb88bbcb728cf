// The one retry mechanism of the service. A transaction that lost to a concurrent one runs again,
// whole, on fresh data, with ONE attempt budget per use case:
// - every root transaction (`dataSource.transaction`, see transactions.ts) is retried on the
//   database's own "run me again" errors: MySQL/MariaDB deadlocks and lock-wait timeouts;
// - a use case that detects lost races itself (an optimistic lock that matched no row, a parallel
//   first insert refused by a unique key) runs through `retryingTransaction`, which retries those AND
//   the transient errors in the same loop. It calls the un-retried transaction underneath, so the two
//   never nest (no attempts multiplied: the budget below is the total).
// On SQLite root transactions are serialised (transactions.ts): races cannot happen there, and a
// transient error (SQLITE_BUSY after the busy timeout: another process) is not retried by plain
// transactions, as before.
import type { DataSource, EntityManager } from 'typeorm';
import { isDuplicateKey, isTransient } from './db-errors.js';

/** Attempts per use case, first one included. */
export const MAX_ATTEMPTS = 6;

/** Thrown inside a transaction when a concurrent writer won (e.g. lock_version moved): the use case runs again. */
export class RaceLost extends Error {
  constructor() {
    super('lost a race with a concurrent transaction');
  }
}

/** Worth running again: the database rolled the transaction back, or the use case lost a race. */
export function isRetryableRace(e: unknown): boolean {
  return e instanceof RaceLost || isDuplicateKey(e) || isTransient(e);
}

/** Runs `attempt` until it succeeds, fails with a non-retryable error, or the budget is spent. */
export async function retrying<T>(attempt: () => Promise<T>, retryable: (e: unknown) => boolean, exhausted?: (last: unknown) => unknown): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      if (!retryable(e)) throw e;
      if (n >= MAX_ATTEMPTS) throw exhausted ? exhausted(e) : e;
    }
  }
}

type TransactionFn = (fn: (m: EntityManager) => Promise<unknown>) => Promise<unknown>;

/** The transaction of a data source before its retry layer (serialised on SQLite): set by hardenTransactions. */
const unretried = new WeakMap<EntityManager, TransactionFn>();

export function registerUnretriedTransaction(manager: EntityManager, fn: TransactionFn): void {
  unretried.set(manager, fn);
}

/**
 * A use case that retries its own lost races (RaceLost, duplicate first insert) as well as deadlocks,
 * in one loop with one budget; `exhausted` maps the last error when every attempt lost.
 */
export function retryingTransaction<T>(dataSource: DataSource, fn: (m: EntityManager) => Promise<T>, exhausted: (last: unknown) => unknown): Promise<T> {
  const manager = dataSource.manager;
  const run = unretried.get(manager) ?? ((f: (m: EntityManager) => Promise<unknown>) => manager.transaction(f));
  return retrying(() => run(fn) as Promise<T>, isRetryableRace, exhausted);
}
