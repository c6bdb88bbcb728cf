import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type DataSource, type EntityManager, type Migration, MigrationExecutor, type QueryRunner } from 'typeorm';
import { isTransient } from './db-errors.js';

/**
 * Start-up work that must happen once however many instances start at the same moment (issue 17):
 * migrations and the first admin. MySQL/MariaDB: a named lock (GET_LOCK) held by one dedicated
 * connection for the whole run; SQLite: one write transaction taken up front (BEGIN IMMEDIATE),
 * which every other connection to the file waits for.
 */

/** Waited too long for another instance (lock still held, or migrations still pending): not worth a retry. */
export class StartupWaitError extends Error {}

function isSqlite(ds: DataSource): boolean {
  return ds.options.type === 'better-sqlite3';
}

/** GET_LOCK names are server-wide: one per database, at most 64 characters. */
function lockName(ds: DataSource, purpose: string): string {
  const name = `qc_${purpose}:${String(ds.options.database)}`;
  return name.length <= 64 ? name : `qc_${purpose}:${createHash('sha256').update(name).digest('hex').slice(0, 40)}`;
}

/** Runs `fn` on one connection that holds the named lock of this database throughout (MySQL/MariaDB). */
async function withNamedLock<T>(ds: DataSource, purpose: string, timeoutSeconds: number, fn: (runner: QueryRunner) => Promise<T>): Promise<T> {
  const name = lockName(ds, purpose);
  // GET_LOCK belongs to the session: the runner keeps its one pooled connection until release().
  const runner = ds.createQueryRunner('master');
  try {
    await runner.connect();
    const [{ got }] = (await runner.query('SELECT GET_LOCK(?, ?) AS got', [name, Math.max(0, Math.ceil(timeoutSeconds))])) as { got: number | null }[];
    if (Number(got) !== 1) {
      throw new StartupWaitError(`Could not take the database lock "${name}" within ${timeoutSeconds} s: another instance is still holding it (raise MIGRATIONS_WAIT_SECONDS for long migrations).`);
    }
    try {
      return await fn(runner);
    } finally {
      // A failed release (connection lost) must not hide fn's outcome; the server frees the lock with the session.
      await runner.query('SELECT RELEASE_LOCK(?)', [name]).catch(() => undefined);
    }
  } finally {
    await runner.release();
  }
}

/**
 * Opens a write transaction on `runner` before anything is read (SQLite). The busy handler is
 * switched off while trying and the wait is done here, asynchronously: better-sqlite3 would
 * otherwise block the whole process, including another connection of the same process that holds the lock.
 */
// Waits here are measured on the monotonic clock (performance.now), not the service's Clock: a set clock
// standing still must not make a lock wait endless.
async function beginImmediate(runner: QueryRunner, timeoutSeconds: number): Promise<void> {
  const deadline = performance.now() + timeoutSeconds * 1000;
  const [{ timeout: busyTimeout }] = (await runner.query('PRAGMA busy_timeout')) as { timeout: number }[];
  await runner.query('PRAGMA busy_timeout = 0');
  try {
    for (;;) {
      try {
        await runner.query('BEGIN IMMEDIATE');
        break;
      } catch (e) {
        if (!isTransient(e)) throw e;
        if (performance.now() >= deadline) {
          throw new StartupWaitError(`Could not take the SQLite write lock within ${timeoutSeconds} s: another process keeps the database busy.`);
        }
        await sleep(25 + Math.random() * 50);
      }
    }
  } finally {
    await runner.query(`PRAGMA busy_timeout = ${Number(busyTimeout)}`);
  }
  // TypeORM did not start this transaction: tell it, so nested saves use savepoints and commit/rollback work.
  const state = runner as unknown as { isTransactionActive: boolean; transactionDepth: number };
  state.isTransactionActive = true;
  state.transactionDepth = 1;
}

async function commitOrRollback<T>(runner: QueryRunner, fn: () => Promise<T>): Promise<T> {
  try {
    const out = await fn();
    await runner.commitTransaction();
    return out;
  } catch (e) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw e;
  }
}

/**
 * Runs `fn` in a transaction that no other instance can run at the same time (under the lock
 * `purpose` on MySQL/MariaDB, in an immediate write transaction on SQLite), waiting up to timeoutSeconds.
 */
export async function exclusiveTransaction<T>(ds: DataSource, purpose: string, timeoutSeconds: number, fn: (m: EntityManager) => Promise<T>): Promise<T> {
  if (isSqlite(ds)) {
    const runner = ds.createQueryRunner();
    try {
      await beginImmediate(runner, timeoutSeconds);
      return await commitOrRollback(runner, () => fn(runner.manager));
    } finally {
      await runner.release();
    }
  }
  return withNamedLock(ds, purpose, timeoutSeconds, async (runner) => {
    await runner.startTransaction();
    return commitOrRollback(runner, () => fn(runner.manager));
  });
}

/**
 * Runs `work` with a migration executor that holds the migration lock: on MySQL/MariaDB each
 * migration in its own transaction (DDL commits implicitly), on one connection holding
 * GET_LOCK; on SQLite all of them in one immediate transaction (SQLite's DDL is transactional).
 */
async function underMigrationLock<T>(ds: DataSource, timeoutSeconds: number, work: (executor: MigrationExecutor) => Promise<T>): Promise<T> {
  if (isSqlite(ds)) {
    const runner = ds.createQueryRunner();
    try {
      // foreign_keys = OFF is ignored inside a transaction: switch it before BEGIN, back after COMMIT.
      await runner.beforeMigration();
      await beginImmediate(runner, timeoutSeconds);
      const executor = new MigrationExecutor(ds, runner);
      executor.transaction = 'none';
      return await commitOrRollback(runner, () => work(executor));
    } finally {
      await runner.afterMigration();
      await runner.release();
    }
  }
  return withNamedLock(ds, 'migrations', timeoutSeconds, (runner) => {
    const executor = new MigrationExecutor(ds, runner);
    executor.transaction = 'each';
    return work(executor);
  });
}

/** Applies the pending migrations, once across instances; the one function behind start-up and `npm run migration:run`. */
export function runPendingMigrations(ds: DataSource, timeoutSeconds: number): Promise<Migration[]> {
  return underMigrationLock(ds, timeoutSeconds, (executor) => executor.executePendingMigrations());
}

/** `npm run migration:revert`, under the same lock. */
export function revertLastMigration(ds: DataSource, timeoutSeconds: number): Promise<void> {
  return underMigrationLock(ds, timeoutSeconds, (executor) => executor.undoLastMigration());
}

/**
 * MIGRATIONS_RUN=false: waits (up to timeoutSeconds) until another instance or `npm run
 * migration:run` has applied every migration this code knows, then lets the start proceed.
 */
export async function waitForMigrations(ds: DataSource, timeoutSeconds: number): Promise<void> {
  const deadline = performance.now() + timeoutSeconds * 1000;
  for (;;) {
    const remaining = Math.max(0, (deadline - performance.now()) / 1000);
    // On MySQL/MariaDB the check waits for a migration in progress to finish, then answers at once.
    const pending = isSqlite(ds)
      ? await new MigrationExecutor(ds).getPendingMigrations()
      : await withNamedLock(ds, 'migrations', remaining, (runner) => new MigrationExecutor(ds, runner).getPendingMigrations());
    if (!pending.length) return;
    if (performance.now() >= deadline) {
      throw new StartupWaitError(
        `MIGRATIONS_RUN=false and ${pending.length} migration(s) still not applied after ${timeoutSeconds} s (${pending.map((m) => m.name).join(', ')}): ` +
          'run `npm run migration:run`, or start one instance with MIGRATIONS_RUN=true.',
      );
    }
    await sleep(Math.min(500, Math.max(10, deadline - performance.now())));
  }
}

/** What the service does with the schema at start: migrate (MIGRATIONS_RUN=true) or wait until it is migrated. */
export async function prepareSchema(ds: DataSource, config: { migrationsRun: boolean; migrationsWaitSeconds: number }): Promise<void> {
  if (config.migrationsRun) await runPendingMigrations(ds, config.migrationsWaitSeconds);
  else await waitForMigrations(ds, config.migrationsWaitSeconds);
}
