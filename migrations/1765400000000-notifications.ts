import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { col } from './columns.js';

const idx = (name: string, columnNames: string[], isUnique = false) => new TableIndex({ name, columnNames, isUnique });

/** Notifications: the outbox/inbox, muted channels, contact addresses and the scheduler's lock rows. */
export class Notifications1765400000000 implements MigrationInterface {
  name = 'Notifications1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'notifications',
      columns: [
        col.id(), col.int('user_id', true), col.varchar('kind', 40), col.varchar('channel', 16), col.int('contest_id', true),
        col.varchar('subject', 200), col.text('body'), col.varchar('link', 300), col.varchar('address', 200, true), col.varchar('status', 16),
        col.int('attempts'), col.datetime('next_attempt_at'), col.varchar('lease_owner', 64, true), col.datetime('lease_until', true),
        col.varchar('last_error', 1000, true), col.varchar('idempotency_key', 191), col.datetime('read_at', true), col.datetime('created_at'),
        col.datetime('sent_at', true),
      ],
      indices: [
        idx('uq_notifications_key', ['idempotency_key'], true),
        idx('ix_notifications_due', ['status', 'next_attempt_at']),
        idx('ix_notifications_user', ['user_id', 'channel', 'read_at']),
        idx('ix_notifications_lease', ['lease_owner']),
      ],
    }));
    await q.createTable(new Table({
      name: 'notification_mutes',
      columns: [
        { name: 'user_id', type: 'integer', isPrimary: true },
        { name: 'kind', type: 'varchar', length: '40', isPrimary: true },
        { name: 'channel', type: 'varchar', length: '16', isPrimary: true },
      ],
    }));
    await q.createTable(new Table({
      name: 'notification_contacts',
      columns: [{ name: 'user_id', type: 'integer', isPrimary: true }, col.varchar('email', 200, true), col.varchar('phone', 32, true), col.datetime('updated_at')],
    }));
    await q.createTable(new Table({
      name: 'scheduler_locks',
      columns: [{ name: 'name', type: 'varchar', length: '64', isPrimary: true }, col.datetime('locked_until'), col.varchar('owner', 64, true)],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('scheduler_locks');
    await q.dropTable('notification_contacts');
    await q.dropTable('notification_mutes');
    await q.dropTable('notifications');
  }
}
