import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config.js';
import { buildDataSourceOptions } from '../../src/database/data-source.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { TEST_DB, testDatabaseEnv } from '../support/test-app.js';

describe(`migrations and schema drift (${TEST_DB})`, () => {
  let ds: DataSource;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await testDatabaseEnv();
    drop = db.drop;
    ds = new DataSource(await buildDataSourceOptions(loadConfig(db.env)));
    await ds.initialize();
  });
  afterAll(async () => {
    await ds.destroy();
    await drop();
  });

  it('migrates an empty database, and the entities then match the schema exactly', async () => {
    const applied = await ds.runMigrations({ transaction: 'each' });
    expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((M) => new M().name));
    const sql = await ds.driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('reverts every migration and applies them again', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    const tables = await ds.createQueryRunner().getTables(['users']);
    expect(tables).toHaveLength(0);
    await ds.runMigrations({ transaction: 'each' });
    expect((await ds.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
  });

  it('stores 4-byte UTF-8 (emoji) on this database', async () => {
    await ds.query(`INSERT INTO login_throttle (bucket, failures, window_start) VALUES ('u:测试🎉', 1, '2026-01-01 00:00:00')`);
    const rows = await ds.query(`SELECT bucket FROM login_throttle WHERE bucket = 'u:测试🎉'`);
    expect(rows).toEqual([{ bucket: 'u:测试🎉' }]);
  });
});
