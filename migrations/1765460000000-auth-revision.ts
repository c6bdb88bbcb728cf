import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { col } from './columns.js';

/**
 * One counter, bumped in the same transaction as every change to an account that ends or changes its
 * sessions (deactivation, reactivation, password change or reset, its organisation deactivated): each
 * instance keeps the accounts it authenticated in memory and drops them when it reads a new value
 * (src/auth/auth-sessions.ts), so a revocation on one instance holds on every instance at once.
 */
export class AuthRevision1765460000000 implements MigrationInterface {
  name = 'AuthRevision1765460000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({ name: 'auth_revision', columns: [{ name: 'id', type: 'integer', isPrimary: true }, col.int('revision')] }));
    await q.query('INSERT INTO auth_revision (id, revision) VALUES (1, 0)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('auth_revision');
  }
}
