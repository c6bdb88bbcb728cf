import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { col } from './columns.js';

export class AccountsAndAudit1764288000000 implements MigrationInterface {
  name = 'AccountsAndAudit1764288000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'users',
        columns: [
          col.id(),
          col.varchar('username', 64),
          col.varchar('display_name', 100),
          col.varchar('role', 16),
          col.bool('active'),
          col.varchar('password_hash', 255),
          col.int('token_version'),
          col.datetime('created_at'),
          col.datetime('updated_at'),
        ],
        indices: [new TableIndex({ name: 'uq_users_username', columnNames: ['username'], isUnique: true })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'login_throttle',
        columns: [{ ...col.varchar('bucket', 191), isPrimary: true }, col.int('failures'), col.datetime('window_start')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'audit_events',
        columns: [
          col.id(),
          col.varchar('chain_key', 64),
          col.int('seq'),
          col.int('actor_id', true),
          col.varchar('actor_role', 16),
          col.varchar('action', 64),
          col.varchar('target_type', 32),
          col.varchar('target_id', 64),
          col.text('before', true),
          col.text('after', true),
          col.varchar('request_id', 64, true),
          col.datetime('created_at'),
          col.varchar('prev_hash', 64),
          col.varchar('hash', 64),
        ],
        indices: [
          new TableIndex({ name: 'uq_audit_events_chain_seq', columnNames: ['chain_key', 'seq'], isUnique: true }),
          new TableIndex({ name: 'ix_audit_events_target', columnNames: ['target_type', 'target_id'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'audit_chain_heads',
        columns: [{ ...col.varchar('chain_key', 64), isPrimary: true }, col.int('seq'), col.varchar('last_hash', 64)],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['audit_chain_heads', 'audit_events', 'login_throttle', 'users']) await q.dropTable(t);
  }
}
