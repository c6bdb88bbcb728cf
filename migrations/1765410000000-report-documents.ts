import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { col } from './columns.js';

/** The year's documents of a contest: the award notice's 文号, issuing body and addressee line, set by an organizer. */
export class ReportDocuments1765410000000 implements MigrationInterface {
  name = 'ReportDocuments1765410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'report_documents',
      columns: [
        col.id(), col.int('contest_id'), col.varchar('document_number', 60), col.varchar('issuer', 100, true), col.varchar('addressee', 200, true),
        col.int('updated_by'), col.datetime('updated_at'),
      ],
      indices: [new TableIndex({ name: 'uq_report_documents_contest', columnNames: ['contest_id'], isUnique: true })],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('report_documents');
  }
}
