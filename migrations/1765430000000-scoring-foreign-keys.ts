import { type MigrationInterface, type QueryRunner, TableForeignKey } from 'typeorm';

/**
 * The first foreign keys of the schema, on score sheets (see migrations/README.md for where keys go
 * and where they do not): a version belongs to an existing sheet, a sheet to an existing entry and an
 * existing expert. Deleting a referenced row is refused (NO ACTION): sheets and versions are the
 * evidence of the judging and are never deleted with their parents.
 *
 * Not keyed, on purpose: score_sheets.contest_id (every submit of a contest would share-lock its one
 * contest row, which the organizer's phase change locks exclusively; the contest follows from the
 * entry anyway) and score_sheets.rubric_id (rubric rows are immutable and never deleted).
 *
 * Every keyed column leads an existing index (uq_score_sheet_versions, ix_score_sheets_entry,
 * uq_score_sheets), so MySQL/MariaDB add no index of their own. SQLite cannot add a key to a table:
 * TypeORM rebuilds the table (copy, drop, rename, indices again) inside the migration's transaction,
 * with foreign_keys switched off around it by the migration runner (src/database/startup-lock.ts).
 */
export const SCORING_FOREIGN_KEYS = [
  { table: 'score_sheet_versions', fk: new TableForeignKey({ name: 'fk_score_sheet_versions_sheet', columnNames: ['sheet_id'], referencedTableName: 'score_sheets', referencedColumnNames: ['id'], onDelete: 'NO ACTION', onUpdate: 'NO ACTION' }) },
  { table: 'score_sheets', fk: new TableForeignKey({ name: 'fk_score_sheets_entry', columnNames: ['entry_id'], referencedTableName: 'entries', referencedColumnNames: ['id'], onDelete: 'NO ACTION', onUpdate: 'NO ACTION' }) },
  { table: 'score_sheets', fk: new TableForeignKey({ name: 'fk_score_sheets_expert', columnNames: ['expert_id'], referencedTableName: 'experts', referencedColumnNames: ['id'], onDelete: 'NO ACTION', onUpdate: 'NO ACTION' }) },
];

export class ScoringForeignKeys1765430000000 implements MigrationInterface {
  name = 'ScoringForeignKeys1765430000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['score_sheets', 'score_sheet_versions']) {
      await q.createForeignKeys(table, SCORING_FOREIGN_KEYS.filter((k) => k.table === table).map((k) => k.fk));
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['score_sheet_versions', 'score_sheets']) {
      await q.dropForeignKeys(table, SCORING_FOREIGN_KEYS.filter((k) => k.table === table).map((k) => k.fk));
    }
  }
}
