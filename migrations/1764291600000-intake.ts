import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { col } from './columns.js';

const stamps = () => [col.datetime('created_at'), col.datetime('updated_at')];

export class Intake1764291600000 implements MigrationInterface {
  name = 'Intake1764291600000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'recommending_units',
      columns: [col.id(), col.varchar('name', 200), col.varchar('kind', 32), col.varchar('contact_person', 50, true), col.varchar('phone', 32, true), ...stamps()],
      indices: [new TableIndex({ name: 'uq_recommending_units_name', columnNames: ['name'], isUnique: true })],
    }));
    await q.createTable(new Table({
      name: 'enterprises',
      columns: [
        col.id(), col.varchar('name', 200), col.varchar('uscc', 18), col.varchar('industry', 50, true), col.varchar('address', 200, true),
        col.varchar('contact_person', 50, true), col.varchar('phone', 32, true), col.int('default_unit_id', true),
        col.varchar('status', 16), col.varchar('status_reason', 500, true), ...stamps(),
      ],
      indices: [
        new TableIndex({ name: 'uq_enterprises_uscc', columnNames: ['uscc'], isUnique: true }),
        new TableIndex({ name: 'ix_enterprises_default_unit', columnNames: ['default_unit_id'] }),
      ],
    }));
    await q.createTable(new Table({
      name: 'experts',
      columns: [
        col.id(), col.varchar('name', 50), col.varchar('employer_kind', 16), col.int('employer_enterprise_id', true), col.int('employer_unit_id', true),
        col.varchar('employer_name', 200, true), col.varchar('title', 50, true), col.text('fields'), col.varchar('phone', 32, true), ...stamps(),
      ],
    }));
    await q.addColumns('users', [
      new TableColumn(col.int('enterprise_id', true)),
      new TableColumn(col.int('unit_id', true)),
      new TableColumn(col.int('expert_id', true)),
    ]);
    await q.createIndices('users', [
      new TableIndex({ name: 'ix_users_enterprise', columnNames: ['enterprise_id'] }),
      new TableIndex({ name: 'ix_users_unit', columnNames: ['unit_id'] }),
      new TableIndex({ name: 'ix_users_expert', columnNames: ['expert_id'] }),
    ]);
    await q.createTable(new Table({
      name: 'contests',
      columns: [
        col.id(), col.varchar('name', 200), col.int('year'), col.varchar('theme', 200, true), col.varchar('phase', 16),
        col.datetime('submission_opens_at', true), col.datetime('submission_closes_at', true),
        col.varchar('presentation_from', 10, true), col.varchar('presentation_to', 10, true),
        col.int('notice_days'), col.datetime('notice_ends_at', true), col.text('rules'), col.int('rules_version'),
        col.int('created_by', true), ...stamps(),
      ],
    }));
    await q.createTable(new Table({
      name: 'rubrics',
      columns: [col.id(), col.int('contest_id'), col.varchar('entry_type', 16), col.varchar('stage', 16), col.int('version'), col.text('items'), col.datetime('created_at')],
      indices: [new TableIndex({ name: 'uq_rubrics_version', columnNames: ['contest_id', 'entry_type', 'stage', 'version'], isUnique: true })],
    }));
    await q.createTable(new Table({
      name: 'tracks',
      columns: [col.id(), col.int('contest_id'), col.varchar('name', 100), col.varchar('industry', 50, true), col.varchar('entry_type', 16, true), col.datetime('created_at')],
      indices: [new TableIndex({ name: 'uq_tracks_name', columnNames: ['contest_id', 'name'], isUnique: true })],
    }));
    await q.createTable(new Table({
      name: 'entries',
      columns: [
        col.id(), col.int('contest_id'), col.int('enterprise_id'), col.int('unit_id'), col.int('track_id', true),
        col.varchar('title', 200), col.varchar('entry_type', 16), col.varchar('status', 16), col.varchar('team_name', 100), col.text('team'),
        col.text('summary'), col.varchar('activity_start', 10), col.varchar('activity_end', 10), col.bigint('economic_benefit'),
        col.text('benefit_description'), col.datetime('submitted_at', true), col.int('version'), ...stamps(),
      ],
      indices: [
        new TableIndex({ name: 'ix_entries_contest_status', columnNames: ['contest_id', 'status'] }),
        new TableIndex({ name: 'ix_entries_enterprise', columnNames: ['enterprise_id'] }),
        new TableIndex({ name: 'ix_entries_unit', columnNames: ['unit_id'] }),
      ],
    }));
    await q.createTable(new Table({
      name: 'entry_events',
      columns: [
        col.id(), col.int('entry_id'), col.varchar('from_status', 16, true), col.varchar('to_status', 16), col.int('actor_id', true),
        col.varchar('actor_role', 16), col.text('reason', true), col.datetime('created_at'),
      ],
      indices: [new TableIndex({ name: 'ix_entry_events_entry', columnNames: ['entry_id'] })],
    }));
    await q.createTable(new Table({
      name: 'attachments',
      columns: [
        col.id(), col.int('entry_id'), col.varchar('kind', 16), col.int('version'), col.varchar('original_name', 255), col.varchar('mime', 100),
        col.int('size'), col.varchar('sha256', 64), col.varchar('storage_key', 255), col.int('uploaded_by'), col.datetime('created_at'),
      ],
      indices: [new TableIndex({ name: 'ix_attachments_entry', columnNames: ['entry_id', 'kind'] })],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['attachments', 'entry_events', 'entries', 'tracks', 'rubrics', 'contests']) await q.dropTable(t);
    for (const i of ['ix_users_enterprise', 'ix_users_unit', 'ix_users_expert']) await q.dropIndex('users', i);
    for (const c of ['enterprise_id', 'unit_id', 'expert_id']) await q.dropColumn('users', c);
    for (const t of ['experts', 'enterprises', 'recommending_units']) await q.dropTable(t);
  }
}
