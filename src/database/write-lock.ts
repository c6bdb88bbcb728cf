import type { EntityManager } from 'typeorm';
import type { Clock } from '../common/clock.js';

/** Row locks where the database has them (MySQL/MariaDB); SQLite serialises writers anyway. */
export function writeLock(m: EntityManager): { mode: 'pessimistic_write' } | undefined {
  const type = m.dataSource.driver.options.type;
  return type === 'mysql' || type === 'mariadb' ? { mode: 'pessimistic_write' } : undefined;
}

/** Second precision: what both databases keep of a datetime, so a response equals a later read. */
export function nowSeconds(clock: Clock): Date {
  const now = clock.now();
  now.setMilliseconds(0);
  return now;
}
