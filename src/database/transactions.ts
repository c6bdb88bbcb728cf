import type { DataSource, EntityManager } from 'typeorm';
import { isTransient } from './db-errors.js';
import { registerUnretriedTransaction, retrying } from './retry.js';

/**
 * Makes the root `transaction()` of the data source safe under concurrency, on each database:
 * - SQLite through TypeORM has one connection: two transactions started concurrently would be nested
 *   as savepoints of each other, so one's rollback could undo the other's rows. With the embedded
 *   database (one instance by design) root transactions run one at a time (a queue).
 * - MySQL/MariaDB roll a transaction back on a deadlock or lock-wait timeout and expect the client
 *   to run it again: the whole use case is retried through the one retry mechanism (retry.ts).
 * The transaction without the retry layer stays reachable for use cases that retry their own races
 * in the same loop (retryingTransaction), so attempts never multiply.
 */
export function hardenTransactions(dataSource: DataSource): DataSource {
  const manager = dataSource.manager;
  const original = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  if (dataSource.options.type === 'better-sqlite3') {
    let queue: Promise<unknown> = Promise.resolve();
    const serial = ((...args: unknown[]) => {
      const run = queue.then(() => original(...args));
      queue = run.catch(() => undefined);
      return run;
    }) as typeof manager.transaction;
    manager.transaction = serial;
    registerUnretriedTransaction(manager, (fn) => serial(fn));
  } else {
    manager.transaction = ((...args: unknown[]) => retrying(() => original(...args), isTransient)) as typeof manager.transaction;
    registerUnretriedTransaction(manager, (fn: (m: EntityManager) => Promise<unknown>) => original(fn));
  }
  return dataSource;
}
