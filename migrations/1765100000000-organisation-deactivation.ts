import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { col } from './columns.js';

/**
 * Units, enterprises and experts can be deactivated (never deleted: their history stays). A nullable
 * time rather than a boolean with a default: null is "active" on every existing row, on both databases,
 * with no default to keep in step between the migration and the entities.
 */
export class OrganisationDeactivation1765100000000 implements MigrationInterface {
  name = 'OrganisationDeactivation1765100000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['recommending_units', 'enterprises', 'experts']) await q.addColumn(table, new TableColumn(col.datetime('deactivated_at', true)));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['recommending_units', 'enterprises', 'experts']) await q.dropColumn(table, 'deactivated_at');
  }
}
