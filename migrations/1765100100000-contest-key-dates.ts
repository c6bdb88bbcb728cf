import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { col } from './columns.js';

/** The key dates after the submission deadline: the units' recommendation deadline and the preliminary-review deadline (null: not set). */
export class ContestKeyDates1765100100000 implements MigrationInterface {
  name = 'ContestKeyDates1765100100000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('contests', new TableColumn(col.datetime('recommendation_closes_at', true)));
    await q.addColumn('contests', new TableColumn(col.datetime('review_closes_at', true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('contests', 'review_closes_at');
    await q.dropColumn('contests', 'recommendation_closes_at');
  }
}
