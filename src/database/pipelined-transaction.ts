// A transaction without round trips of its own, for a use case that sends its statements in a few
// multi-statement batches (MySQL/MariaDB: see src/scoring/sql.ts batch()): BEGIN rides on its first
// batch and COMMIT on its last, so the group-committed score submit costs three round trips per
// batch instead of five. The use case puts them there itself.
import type { DataSource, EntityManager } from 'typeorm';

export const BEGIN_STATEMENT = { sql: 'START TRANSACTION', params: [] as unknown[] };
export const COMMIT_STATEMENT = { sql: 'COMMIT', params: [] as unknown[] };

/**
 * Runs `fn` on one pooled connection; `fn` opens the transaction with BEGIN_STATEMENT in its first
 * batch and commits it with COMMIT_STATEMENT at the end of its last (the server stops a batch at its
 * first failing statement, so a failure never reaches the COMMIT). On any failure the transaction is
 * rolled back and the error thrown; not retried here (the caller's loop runs the use case again).
 * `fn` must not use TypeORM's transactional helpers (locks, save, manager.transaction): the runner
 * does not know that a transaction is open.
 */
export async function pipelinedTransaction<T>(dataSource: DataSource, fn: (m: EntityManager) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    return await fn(runner.manager);
  } catch (e) {
    // A deadlock already rolled back, a lost connection too: then this does nothing.
    await runner.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    await runner.release();
  }
}
