import { describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { limitPoolWait } from './data-source.js';
import { isDatabaseUnavailable } from './db-errors.js';

type Cb = (err: Error | null, conn?: { release(): void }) => void;

/** A pool whose connections arrive when the test says so (a server that hangs instead of refusing). */
function fakePool() {
  const waiting: Cb[] = [];
  const released: string[] = [];
  const pool = { getConnection: (cb: Cb) => void waiting.push(cb) };
  const ds = { driver: { pool } } as unknown as DataSource;
  const connection = (name: string) => ({ name, release: () => void released.push(name) });
  return { ds, pool, waiting, released, connection };
}
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

describe('limitPoolWait', () => {
  it('gives up waiting for a connection after the limit with an error that reads as "database unavailable"', async () => {
    const f = fakePool();
    limitPoolWait(f.ds, 30);
    const answers: unknown[] = [];
    f.pool.getConnection((err, conn) => answers.push(err ?? conn));
    await sleep(60);
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ code: 'POOL_ACQUIRE_TIMEOUT' });
    expect(isDatabaseUnavailable(answers[0])).toBe(true);
    // The connection that turns up afterwards goes back to the pool; the caller is not called again.
    f.waiting[0]!(null, f.connection('late'));
    expect(f.released).toEqual(['late']);
    expect(answers).toHaveLength(1);
  });

  it('hands over a connection that arrives in time, once, and passes errors through', async () => {
    const f = fakePool();
    limitPoolWait(f.ds, 30);
    const answers: unknown[] = [];
    f.pool.getConnection((err, conn) => answers.push(err ?? conn));
    f.pool.getConnection((err, conn) => answers.push(err ?? conn));
    const conn = f.connection('ok');
    f.waiting[0]!(null, conn);
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', fatal: true });
    f.waiting[1]!(refused);
    await sleep(60);
    expect(answers).toEqual([conn, refused]);
    expect(f.released).toEqual([]);
  });

  it('leaves a data source without a pool (SQLite) alone', () => {
    const ds = { driver: {} } as unknown as DataSource;
    expect(limitPoolWait(ds)).toBe(ds);
  });
});
