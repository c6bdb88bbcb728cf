import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { col } from './columns.js';

export class Results1764298800000 implements MigrationInterface {
  name = 'Results1764298800000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'result_snapshots',
      columns: [
        col.id(), col.int('contest_id'), col.int('version'), col.varchar('status', 16), { name: 'payload', type: 'json', isNullable: false }, col.varchar('hash', 64),
        col.text('reason', true), col.int('created_by'), col.datetime('created_at'), col.datetime('frozen_at', true), col.datetime('published_at', true),
      ],
      indices: [new TableIndex({ name: 'uq_result_snapshots_version', columnNames: ['contest_id', 'version'], isUnique: true })],
    }));
    await q.createTable(new Table({
      name: 'result_adjustments',
      columns: [col.id(), col.int('contest_id'), col.int('entry_id'), col.varchar('level', 16, true), col.text('reason'), col.int('created_by'), col.datetime('created_at')],
      indices: [new TableIndex({ name: 'ix_result_adjustments_contest', columnNames: ['contest_id', 'entry_id'] })],
    }));
    await q.createTable(new Table({
      name: 'objections',
      columns: [
        col.id(), col.int('contest_id'), col.int('entry_id'), col.varchar('filed_by_name', 100), col.varchar('contact', 100), col.int('filed_by_user', true),
        col.text('content'), col.varchar('status', 16), col.text('answer', true), col.int('answered_by', true), col.datetime('answered_at', true), col.datetime('created_at'),
      ],
      indices: [new TableIndex({ name: 'ix_objections_contest', columnNames: ['contest_id', 'status'] })],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['objections', 'result_adjustments', 'result_snapshots']) await q.dropTable(t);
  }
}
