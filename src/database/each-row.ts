import { QueryFailedError, type EntityManager } from 'typeorm';

/** The part of mysql2's (callback) connection and its query emitter that eachRow uses. */
interface RowEmitter {
  on(event: 'result', listener: (row: unknown) => void): RowEmitter;
  on(event: 'error', listener: (err: Error) => void): RowEmitter;
  on(event: 'end', listener: () => void): RowEmitter;
}
interface CallbackConnection {
  query(sql: string, values: unknown[]): RowEmitter;
  on(event: 'error', listener: (err: Error) => void): unknown;
  removeListener(event: 'error', listener: (err: Error) => void): unknown;
}

/**
 * Runs a SELECT and hands each row to `onRow` as the driver reads it, without collecting the rows.
 * On MySQL/MariaDB the rows come from the connection's row events (the manager's own connection
 * inside a transaction, else one from the pool for this query): a row is garbage as soon as it is
 * handled, so a query of 140,000 rows neither holds them all at once nor makes the garbage collector
 * copy them. On SQLite (in-process, rows read synchronously) it is the plain query.
 *
 * Errors are those of `m.query`: a failing statement rejects with TypeORM's QueryFailedError
 * around the driver's error (what isTransient / isDatabaseUnavailable look into). An error thrown
 * by `onRow` stops the handling of rows; the promise rejects with it once the statement is done
 * (the connection stays usable).
 */
export async function eachRow<T>(m: EntityManager, sql: string, params: unknown[], onRow: (row: T) => void): Promise<void> {
  const type = m.connection.options.type;
  if (type !== 'mysql' && type !== 'mariadb') {
    const rows = (await m.query(sql, params)) as T[];
    for (const row of rows) onRow(row);
    return;
  }
  const own = m.queryRunner === undefined || m.queryRunner.isReleased;
  const runner = own ? m.connection.createQueryRunner() : m.queryRunner!;
  try {
    const conn = (await runner.connect()) as CallbackConnection;
    let lost: ((err: Error) => void) | null = null;
    await new Promise<void>((resolve, reject) => {
      let failed: unknown = null;
      // A fatal error (connection lost) reaches only the connection, not a query without a callback.
      lost = (err) => reject(new QueryFailedError(sql, params, err));
      conn.on('error', lost);
      conn
        .query(sql, params)
        .on('result', (row) => {
          if (failed !== null) return;
          try {
            onRow(row as T);
          } catch (err) {
            failed = err;
          }
        })
        .on('error', (err) => {
          if (failed === null) failed = new QueryFailedError(sql, params, err);
        })
        .on('end', () => (failed === null ? resolve() : reject(failed)));
    }).finally(() => conn.removeListener('error', lost!));
  } finally {
    if (own) await runner.release();
  }
}
