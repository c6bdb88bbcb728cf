import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { col } from './columns.js';

const idx = (name: string, columnNames: string[], isUnique = false) => new TableIndex({ name, columnNames, isUnique });

/** The projector display of a session: its timer state (shared by every instance) and its revocable display links. */
export class PresentationDisplay1765300000000 implements MigrationInterface {
  name = 'PresentationDisplay1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'session_timers',
      columns: [
        col.id(), col.int('session_id'), col.int('current_entry_id', true), col.int('duration_ms'), col.bool('running'), col.bigint('started_ms'),
        col.int('remaining_ms'), col.int('version'), col.int('updated_by', true), col.datetime('updated_at'),
      ],
      indices: [idx('uq_session_timers_session', ['session_id'], true)],
    }));
    await q.createTable(new Table({
      name: 'display_links',
      columns: [
        col.id(), col.int('session_id'), col.varchar('token_hash', 64), col.varchar('label', 50), col.int('created_by'), col.datetime('created_at'),
        col.datetime('revoked_at', true), col.int('revoked_by', true),
      ],
      indices: [idx('uq_display_links_hash', ['token_hash'], true), idx('ix_display_links_session', ['session_id'])],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('display_links');
    await q.dropTable('session_timers');
  }
}
