import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { col } from './columns.js';

const idx = (name: string, columnNames: string[], isUnique = false) => new TableIndex({ name, columnNames, isUnique });

export class ReviewPresentationScoring1764295200000 implements MigrationInterface {
  name = 'ReviewPresentationScoring1764295200000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('contests', [new TableColumn(col.datetime('review_closed_at', true)), new TableColumn(col.text('review_closure_note', true))]);
    await q.createTable(new Table({
      name: 'review_decisions',
      columns: [col.id(), col.int('contest_id'), col.int('entry_id'), col.int('round'), col.varchar('decision', 16), col.text('checklist'), col.text('reason', true), col.int('decided_by'), col.datetime('created_at')],
      indices: [idx('uq_review_decisions_round', ['entry_id', 'round'], true), idx('ix_review_decisions_contest', ['contest_id'])],
    }));
    await q.createTable(new Table({
      name: 'panels',
      columns: [col.id(), col.int('contest_id'), col.int('track_id'), col.varchar('name', 100), col.int('leader_expert_id', true), col.datetime('created_at')],
      indices: [idx('uq_panels_name', ['contest_id', 'name'], true)],
    }));
    await q.createTable(new Table({
      name: 'panel_members',
      columns: [col.id(), col.int('panel_id'), col.int('expert_id')],
      indices: [idx('uq_panel_members', ['panel_id', 'expert_id'], true), idx('ix_panel_members_expert', ['expert_id'])],
    }));
    await q.createTable(new Table({
      name: 'declared_conflicts',
      columns: [col.id(), col.int('contest_id'), col.int('expert_id'), col.int('entry_id'), col.varchar('declared_by_role', 16), col.text('reason'), col.int('declared_by'), col.datetime('created_at')],
      indices: [idx('uq_declared_conflicts', ['expert_id', 'entry_id'], true), idx('ix_declared_conflicts_contest', ['contest_id'])],
    }));
    await q.createTable(new Table({
      name: 'assignments',
      columns: [col.id(), col.int('contest_id'), col.int('panel_id'), col.int('expert_id'), col.int('entry_id'), col.datetime('created_at')],
      indices: [idx('uq_assignments', ['expert_id', 'entry_id'], true), idx('ix_assignments_entry', ['entry_id']), idx('ix_assignments_panel', ['panel_id'])],
    }));
    await q.createTable(new Table({
      name: 'presentation_sessions',
      columns: [
        col.id(), col.int('contest_id'), col.int('track_id'), col.int('panel_id', true), col.varchar('name', 100), col.varchar('venue', 200),
        col.datetime('starts_at'), col.int('slot_minutes'), col.int('qa_minutes'), col.varchar('seed_commitment', 64, true),
        col.datetime('committed_at', true), col.varchar('seed', 128, true), col.datetime('drawn_at', true), col.datetime('signed_off_at', true),
        col.int('signed_off_by', true), col.datetime('created_at'),
      ],
      indices: [idx('ix_presentation_sessions_contest', ['contest_id'])],
    }));
    await q.createTable(new Table({
      name: 'session_slots',
      columns: [col.id(), col.int('session_id'), col.int('entry_id'), col.int('position', true), col.datetime('starts_at', true), col.varchar('attendance', 16), col.datetime('checked_at', true)],
      indices: [idx('uq_session_slots_entry', ['entry_id'], true), idx('uq_session_slots_position', ['session_id', 'position'], true)],
    }));
    await q.createTable(new Table({
      name: 'score_sheets',
      columns: [
        col.id(), col.int('contest_id'), col.int('entry_id'), col.int('expert_id'), col.varchar('stage', 16), col.varchar('status', 16),
        col.text('marks'), col.text('comments'), col.int('total', true), col.int('rubric_id'), col.int('version'), col.int('lock_version'),
        col.text('reopen_reason', true), col.datetime('submitted_at', true), col.datetime('created_at'), col.datetime('updated_at'),
      ],
      indices: [idx('uq_score_sheets', ['expert_id', 'entry_id', 'stage'], true), idx('ix_score_sheets_entry', ['entry_id', 'stage']), idx('ix_score_sheets_contest', ['contest_id', 'status'])],
    }));
    await q.createTable(new Table({
      name: 'score_sheet_versions',
      columns: [col.id(), col.int('sheet_id'), col.int('version'), col.text('marks'), col.text('comments'), col.int('total'), col.varchar('content_hash', 64), col.int('submitted_by'), col.datetime('submitted_at')],
      indices: [idx('uq_score_sheet_versions', ['sheet_id', 'version'], true)],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['score_sheet_versions', 'score_sheets', 'session_slots', 'presentation_sessions', 'assignments', 'declared_conflicts', 'panel_members', 'panels', 'review_decisions']) {
      await q.dropTable(t);
    }
    await q.dropColumn('contests', 'review_closure_note');
    await q.dropColumn('contests', 'review_closed_at');
  }
}
