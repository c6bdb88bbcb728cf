import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource, QueryFailedError } from 'typeorm';
import { loadConfig } from '../../src/config/app-config.js';
import { buildDataSourceOptions } from '../../src/database/data-source.js';
import { isDatabaseUnavailable } from '../../src/database/db-errors.js';
import { eachRow } from '../../src/database/each-row.js';
import { TEST_DB, testDatabaseEnv } from '../support/test-app.js';

/** eachRow (src/database/each-row.ts): rows handed over one at a time, errors as m.query gives them. */
describe(`eachRow (${TEST_DB})`, () => {
  let ds: DataSource;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await testDatabaseEnv();
    drop = db.drop;
    ds = new DataSource(await buildDataSourceOptions(loadConfig(db.env)));
    await ds.initialize();
    await ds.query('CREATE TABLE each_row_probe (id INTEGER PRIMARY KEY, label VARCHAR(40) NOT NULL)');
    const values = Array.from({ length: 2500 }, (_, i) => `(${i + 1}, 'row ${i + 1} 评审')`).join(',');
    await ds.query(`INSERT INTO each_row_probe (id, label) VALUES ${values}`);
  });
  afterAll(async () => {
    await ds.destroy();
    await drop();
  });

  it('hands over every row of the query, in order, as m.query returns them', async () => {
    const seen: { id: number; label: string }[] = [];
    await eachRow<{ id: number; label: string }>(ds.manager, 'SELECT id, label FROM each_row_probe WHERE id > ? ORDER BY id', [10], (r) => seen.push(r));
    expect(seen).toEqual(await ds.query('SELECT id, label FROM each_row_probe WHERE id > ? ORDER BY id', [10]));
    expect(seen).toHaveLength(2490);
  });

  it('reads inside a transaction on its connection (sees the uncommitted row)', async () => {
    const ROLLBACK = new Error('rollback');
    await expect(
      ds.transaction(async (m) => {
        await m.query("INSERT INTO each_row_probe (id, label) VALUES (9999, 'uncommitted')");
        const labels: string[] = [];
        await eachRow<{ label: string }>(m, 'SELECT label FROM each_row_probe WHERE id = ?', [9999], (r) => labels.push(r.label));
        expect(labels).toEqual(['uncommitted']);
        throw ROLLBACK;
      }),
    ).rejects.toBe(ROLLBACK);
    expect(await ds.query('SELECT id FROM each_row_probe WHERE id = 9999')).toEqual([]);
  });

  it('rejects a failing statement with QueryFailedError, like m.query (not an outage)', async () => {
    const err = await eachRow(ds.manager, 'SELECT nope FROM each_row_probe', [], () => undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryFailedError);
    expect(isDatabaseUnavailable(err)).toBe(false);
  });

  it('stops handing over rows after the handler throws, rejects with that error, and leaves the connection usable', async () => {
    const boom = new Error('handler failed');
    let calls = 0;
    await ds.transaction(async (m) => {
      const err = await eachRow(m, 'SELECT id FROM each_row_probe ORDER BY id', [], () => {
        calls++;
        if (calls === 3) throw boom;
      }).catch((e: unknown) => e);
      expect(err).toBe(boom);
      expect(calls).toBe(3);
      // The same connection answers the next statement.
      expect(Number((await m.query('SELECT COUNT(*) AS n FROM each_row_probe'))[0].n)).toBe(2500);
    });
  });
});
