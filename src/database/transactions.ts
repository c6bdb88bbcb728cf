import type { DataSource } from 'typeorm';
import { isTransient } from './db-errors.js';

const DEADLOCK_ATTEMPTS = 3;

/**
 * Makes the root `transaction()` of the data source safe under concurrency, on each database:
 * - SQLite through TypeORM has one connection: two transactions started concurrently would be nested
 *   as savepoints of each other, so one's rollback could undo the other's rows. With the embedded
 *   database (one instance by design) root transactions run one at a time.
 * - MySQL/MariaDB roll a transaction back on a deadlock or lock-wait timeout and expect the client
 *   to run it again: the whole use case is retried (a few times) before the error surfaces.
 */
export function hardenTransactions(dataSource: DataSource): DataSource {
  const manager = dataSource.manager;
  const original = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  if (dataSource.options.type === 'better-sqlite3') {
    let queue: Promise<unknown> = Promise.resolve();
    manager.transaction = ((...args: unknown[]) => {
      const run = queue.then(() => original(...args));
      queue = run.catch(() => undefined);
      return run;
    }) as typeof manager.transaction;
  } else {
    manager.transaction = (async (...args: unknown[]) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await original(...args);
        } catch (e) {
          if (!isTransient(e) || attempt >= DEADLOCK_ATTEMPTS) throw e;
        }
      }
    }) as typeof manager.transaction;
  }
  return dataSource;
}
