import { describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { limitPoolWait, sharePromiseWrappers } from './data-source.js';
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

describe('sharePromiseWrappers', () => {
  /** A pooled connection as mysql2 makes it: promise() builds a new wrapper at each call. */
  const pooled = () => {
    let made = 0;
    const conn = { release: () => undefined, promise: (impl?: unknown) => ({ wrapper: ++made, impl, conn }) };
    return { conn, made: () => made };
  };

  it('gives each pooled connection one promise wrapper, the first made, however often it is asked for', () => {
    const f = fakePool();
    sharePromiseWrappers(f.ds);
    const a = pooled();
    const b = pooled();
    const got: { promise: (impl?: unknown) => unknown }[] = [];
    for (let k = 0; k < 3; k++) f.pool.getConnection((_err, conn) => got.push(conn as never));
    f.waiting[0]!(null, a.conn);
    f.waiting[1]!(null, b.conn);
    f.waiting[2]!(null, a.conn); // the same connection again, from the pool
    const first = got[0]!.promise();
    expect(got[0]!.promise()).toBe(first);
    expect(got[2]!.promise()).toBe(first);
    expect(first).toMatchObject({ wrapper: 1, conn: a.conn });
    expect(a.made()).toBe(1);
    expect(got[1]!.promise()).toMatchObject({ wrapper: 1, conn: b.conn });
    // Another Promise implementation: a wrapper of its own, as mysql2 makes it.
    const other = got[0]!.promise(class {});
    expect(other).not.toBe(first);
    expect(a.made()).toBe(2);
  });

  it('passes errors through and leaves a data source without a pool (SQLite) alone', () => {
    const f = fakePool();
    sharePromiseWrappers(f.ds);
    const answers: unknown[] = [];
    f.pool.getConnection((err, conn) => answers.push(err ?? conn));
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    f.waiting[0]!(refused);
    expect(answers).toEqual([refused]);
    const ds = { driver: {} } as unknown as DataSource;
    expect(sharePromiseWrappers(ds)).toBe(ds);
  });
});
