// The migration that moved a snapshot's entries into rows of their own (1765440000000): snapshots
// stored before it (the whole payload in result_snapshots.payload) are split with their hash
// unchanged, and `down` joins them again.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { SnapshotEntries1765440000000 } from '../../migrations/1765440000000-snapshot-entries.js';
import { loadConfig } from '../../src/config/app-config.js';
import { buildDataSourceOptions } from '../../src/database/data-source.js';
import { canonicalHash } from '../../src/results/canonical-json.js';
import { wholePayload } from '../../src/results/results.repository.js';
import { TEST_DB, testDatabaseEnv } from '../support/test-app.js';

/** A payload as the service stored it before the migration (its shape matters, not its numbers). */
function legacyPayload(entries: number) {
  return {
    format: 1,
    contestId: 1,
    rules: { aggregationMethod: 'trimmed_mean', weights: { material: 0.6, presentation: 0.4 } },
    tieBreakOrder: [3, 1],
    entries: Array.from({ length: entries }, (_, i) => ({
      entryId: i + 1,
      title: `降低焊接缺陷率课题 ${i + 1} 🎯`,
      level: i < 2 ? 'first' : i < 4 ? null : 'second',
      participation: i === 3 ? 'absent' : 'judged',
      stages: { material: { value: 900000 - i, marks: [{ expertId: 7, value: 900, dropped: null }] }, presentation: null },
      rank: i === 3 ? null : i + 1,
      levelTrail: ['a', 'b'],
    })),
    levelCounts: { first: 2, second: entries - 4, third: 0, excellence: 0 },
    excellentUnits: { units: [{ unitId: 1, unitName: '推荐单位', selected: true, place: 1, points: 10, awardedEntries: 2 }], topN: 5, selectedCount: 1, tieAtCutoff: null },
  };
}

describe(`migration: snapshot entries as rows (${TEST_DB})`, () => {
  let ds: DataSource;
  let drop: () => Promise<void>;
  const migration = new SnapshotEntries1765440000000();

  beforeAll(async () => {
    const db = await testDatabaseEnv();
    drop = db.drop;
    ds = new DataSource(await buildDataSourceOptions(loadConfig(db.env)));
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
  });
  afterAll(async () => {
    await ds.destroy();
    await drop();
  });

  it('splits existing snapshots into entry rows with the hash unchanged, and joins them again on the way down', async () => {
    const q = ds.createQueryRunner();
    try {
      await migration.down(q); // the schema as it was before, with no entry table
      const payloads = [legacyPayload(450), legacyPayload(3)];
      const hashes = payloads.map((p) => canonicalHash(p));
      for (const [k, p] of payloads.entries()) {
        await q.query('INSERT INTO result_snapshots (contest_id, version, status, payload, hash, reason, created_by, created_at) VALUES (?,?,?,?,?,?,?,?)', [
          1, k + 1, k === 0 ? 'superseded' : 'published', JSON.stringify(p), hashes[k], null, 1, '2026-01-01 00:00:00',
        ]);
      }
      const ids = ((await q.query('SELECT id FROM result_snapshots ORDER BY id')) as { id: number }[]).map((r) => Number(r.id));

      await migration.up(q);
      for (const [k, id] of ids.entries()) {
        const [row] = (await q.query('SELECT payload FROM result_snapshots WHERE id = ?', [id])) as { payload: unknown }[];
        const rest = (typeof row!.payload === 'string' ? JSON.parse(row!.payload) : row!.payload) as Record<string, unknown>;
        expect(rest.entries).toBeUndefined();
        const levels = (await q.query('SELECT position, entry_id, level FROM result_snapshot_entries WHERE snapshot_id = ? ORDER BY position', [id])) as { position: number; entry_id: number; level: string | null }[];
        expect(levels.map((r) => [Number(r.position), Number(r.entry_id), r.level])).toEqual(payloads[k]!.entries.map((e, i) => [i, e.entryId, e.level]));
        const whole = await wholePayload(ds.manager, id);
        expect(canonicalHash(whole)).toBe(hashes[k]);
        expect(whole.entries[0]!.title).toBe('降低焊接缺陷率课题 1 🎯');
      }

      await migration.down(q);
      for (const [k, id] of ids.entries()) {
        const [row] = (await q.query('SELECT payload FROM result_snapshots WHERE id = ?', [id])) as { payload: unknown }[];
        const back = typeof row!.payload === 'string' ? JSON.parse(row!.payload) : row!.payload;
        expect(canonicalHash(back)).toBe(hashes[k]);
      }
      await migration.up(q);
      expect((await ds.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
    } finally {
      await q.release();
    }
  });
});
