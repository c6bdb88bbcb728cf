import { type MigrationInterface, type QueryRunner, TableColumn, type TableColumnOptions } from 'typeorm';
import { col } from './columns.js';

/** An entry's content columns as they were (NOT NULL) and as they are now (nullable: a draft may lack any of them). */
const CONTENT: ((nullable: boolean) => TableColumnOptions)[] = [
  (n) => col.varchar('entry_type', 16, n),
  (n) => col.varchar('team_name', 100, n),
  (n) => col.text('team', n),
  (n) => col.text('summary', n),
  (n) => col.varchar('activity_start', 10, n),
  (n) => col.varchar('activity_end', 10, n),
  (n) => ({ ...col.bigint('economic_benefit'), isNullable: n }),
  (n) => col.text('benefit_description', n),
];

/**
 * Partial drafts: an entry draft needs only its contest and title; the content is checked when it is
 * submitted (422 entry_incomplete). Down fills the gaps of incomplete drafts so NOT NULL can return.
 */
export class PartialEntryDrafts1765200000000 implements MigrationInterface {
  name = 'PartialEntryDrafts1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.changeColumns('entries', CONTENT.map((c) => ({ oldColumn: new TableColumn(c(false)), newColumn: new TableColumn(c(true)) })));
  }

  async down(q: QueryRunner): Promise<void> {
    const fill: [string, string][] = [
      ['entry_type', `'problem_solving'`], ['team_name', `''`], ['team', `'{"name":"","leader":"","members":[]}'`], ['summary', `''`],
      ['activity_start', `''`], ['activity_end', `''`], ['economic_benefit', '0'], ['benefit_description', `''`],
    ];
    for (const [column, value] of fill) await q.query(`UPDATE entries SET ${column} = ${value} WHERE ${column} IS NULL`);
    await q.changeColumns('entries', CONTENT.map((c) => ({ oldColumn: new TableColumn(c(true)), newColumn: new TableColumn(c(false)) })));
  }
}
