import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { bindSqliteIntegers } from './sqlite-binding.js';

describe('bindSqliteIntegers', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = await bindSqliteIntegers(new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [] })).initialize();
  });
  afterAll(() => ds.destroy());

  const run = (expr: string, parameters: Record<string, unknown>) =>
    ds.createQueryBuilder().select(expr, 'v').from('(SELECT 1)', 'd').setParameters(parameters);

  it('binds safe integers instead of writing them into the SQL text: one statement for every id', () => {
    const [sql, params] = run(':a + :b', { a: 41, b: -1 }).getQueryAndParameters();
    expect(sql).not.toMatch(/41/);
    expect(params).toEqual([41n, -1n]);
    expect(run(':a + :b', { a: 7, b: 8 }).getQueryAndParameters()[0]).toBe(sql);
  });

  it('binds them as INTEGER, as the literal was (a JS number would bind as REAL and read "1.0" as text)', async () => {
    expect(await run('typeof(:n)', { n: 1 }).getRawOne()).toEqual({ v: 'integer' });
    expect(await run(":n || ''", { n: 1 }).getRawOne()).toEqual({ v: '1' });
    expect(await run(':n', { n: 2 ** 53 - 1 }).getRawOne()).toEqual({ v: 2 ** 53 - 1 });
  });

  it('leaves fractions, big numbers, booleans, dates, strings, null and lists as TypeORM treats them', async () => {
    const [sql, params] = run(':f, :big, :yes, :s, :nul, :at', { f: 1.5, big: 2 ** 60, yes: true, s: '7', nul: null, at: new Date('2020-01-02T03:04:05Z') }).getQueryAndParameters();
    expect(sql).toContain('1.5');
    expect(sql).toContain(String(2 ** 60));
    expect(params).toEqual([1, '7', null, '2020-01-02 03:04:05.000']);
    expect(await run('typeof(:s)', { s: '7' }).getRawOne()).toEqual({ v: 'text' });
    expect((await ds.createQueryBuilder().select('COUNT(*)', 'v').from('(SELECT 1 AS x UNION SELECT 2)', 'd').where('x IN (:...xs)', { xs: [1, 2] }).getRawOne())).toEqual({ v: 2 });
  });
});
