import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { col } from './columns.js';

const BATCH = 200;

const parse = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

/**
 * A results snapshot's entries as rows of their own (result_snapshot_entries), the snapshot row
 * keeping the rest of the payload: the payload of a 10,000-entry contest is ~25 MB of JSON, over
 * MariaDB's default max_allowed_packet (16 MB), so such a contest could not be computed on a stock
 * server. Existing snapshots are split here, one at a time (their hashes, taken over the canonical
 * JSON of the whole payload, do not change). `down` joins them again (a snapshot larger than the
 * packet limit cannot be joined back on MySQL/MariaDB).
 */
export class SnapshotEntries1765440000000 implements MigrationInterface {
  name = 'SnapshotEntries1765440000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'result_snapshot_entries',
      columns: [
        { ...col.int('snapshot_id'), isPrimary: true }, { ...col.int('position'), isPrimary: true }, col.int('entry_id'), col.varchar('level', 16, true),
        { name: 'body', type: 'json', isNullable: false },
      ],
      indices: [new TableIndex({ name: 'ix_result_snapshot_entries_entry', columnNames: ['snapshot_id', 'entry_id'] })],
    }));
    const snapshots = (await q.query('SELECT id FROM result_snapshots ORDER BY id')) as { id: number }[];
    for (const { id } of snapshots) {
      const [row] = (await q.query('SELECT payload FROM result_snapshots WHERE id = ?', [id])) as { payload: unknown }[];
      const payload = parse(row?.payload) as Record<string, unknown> | null;
      if (!payload || !Array.isArray(payload.entries)) continue;
      const { entries, ...rest } = payload as { entries: Record<string, unknown>[] };
      for (let i = 0; i < entries.length; i += BATCH) {
        const chunk = entries.slice(i, i + BATCH);
        await q.query(
          `INSERT INTO result_snapshot_entries (snapshot_id, position, entry_id, level, body) VALUES ${chunk.map(() => '(?,?,?,?,?)').join(',')}`,
          chunk.flatMap((e, k) => [id, i + k, Number(e.entryId), typeof e.level === 'string' ? e.level : null, JSON.stringify(e)]),
        );
      }
      await q.query('UPDATE result_snapshots SET payload = ? WHERE id = ?', [JSON.stringify(rest), id]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    const snapshots = (await q.query('SELECT id, payload FROM result_snapshots ORDER BY id')) as { id: number; payload: unknown }[];
    for (const { id, payload } of snapshots) {
      const rows = (await q.query('SELECT body FROM result_snapshot_entries WHERE snapshot_id = ? ORDER BY position', [id])) as { body: unknown }[];
      const whole = { ...(parse(payload) as Record<string, unknown>), entries: rows.map((r) => parse(r.body)) };
      await q.query('UPDATE result_snapshots SET payload = ? WHERE id = ?', [JSON.stringify(whole), id]);
    }
    await q.dropTable('result_snapshot_entries');
  }
}
