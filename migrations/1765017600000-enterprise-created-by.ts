import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { col } from './columns.js';

/** Who registered an enterprise (null: an organizer's import, self-registration or earlier rows), so its approval can require someone else. */
export class EnterpriseCreatedBy1765017600000 implements MigrationInterface {
  name = 'EnterpriseCreatedBy1765017600000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('enterprises', new TableColumn(col.int('created_by', true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('enterprises', 'created_by');
  }
}
