import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { col } from './columns.js';

const idx = (name: string, columnNames: string[], isUnique = false) => new TableIndex({ name, columnNames, isUnique });

/** Assignment by expertise: the organizer's list of methods and specialties, expert profiles, entry topics. */
export class Expertise1765420000000 implements MigrationInterface {
  name = 'Expertise1765420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'expertise_topics',
      columns: [col.id(), col.varchar('name', 50), col.datetime('created_at')],
      indices: [idx('uq_expertise_topics_name', ['name'], true)],
    }));
    await q.createTable(new Table({
      name: 'expert_profiles',
      columns: [
        col.id(), col.int('expert_id'), col.text('industries'), col.text('entry_types'), col.text('topics'), col.int('years_of_experience', true),
        col.text('keywords'), col.text('proposed', true), col.datetime('proposed_at', true), col.datetime('updated_at'),
      ],
      indices: [idx('uq_expert_profiles_expert', ['expert_id'], true)],
    }));
    await q.createTable(new Table({
      name: 'entry_topics',
      columns: [col.id(), col.int('entry_id'), col.text('topics'), col.datetime('updated_at')],
      indices: [idx('uq_entry_topics_entry', ['entry_id'], true)],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('entry_topics');
    await q.dropTable('expert_profiles');
    await q.dropTable('expertise_topics');
  }
}
