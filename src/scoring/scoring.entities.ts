import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Entry } from '../entries/entry.entities.js';
import { Expert } from '../organisations/organisation.entities.js';
import { jsonText } from '../database/transformers.js';
import type { Stage } from '../contests/contest.entities.js';

export const SHEET_STATUSES = ['draft', 'submitted'] as const;
export type SheetStatus = (typeof SHEET_STATUSES)[number];

/** 评分表: one expert's marks for one entry at one stage; submitting locks it. */
@Entity('score_sheets')
@Index('uq_score_sheets', ['expertId', 'entryId', 'stage'], { unique: true })
@Index('ix_score_sheets_entry', ['entryId', 'stage'])
@Index('ix_score_sheets_contest', ['contestId', 'status'])
export class ScoreSheet {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'contest_id', type: 'int' }) contestId: number;
  // Foreign keys (migrations/1765430000000-scoring-foreign-keys.ts): not contest_id nor rubric_id, see there.
  @ForeignKey(() => Entry, { name: 'fk_score_sheets_entry', onDelete: 'NO ACTION', onUpdate: 'NO ACTION' })
  @Column({ name: 'entry_id', type: 'int' }) entryId: number;
  @ForeignKey(() => Expert, { name: 'fk_score_sheets_expert', onDelete: 'NO ACTION', onUpdate: 'NO ACTION' })
  @Column({ name: 'expert_id', type: 'int' }) expertId: number;
  @Column({ type: 'varchar', length: 16 }) stage: Stage;
  @Column({ type: 'varchar', length: 16 }) status: SheetStatus;
  /** item key → tenths of a point */
  @Column({ type: 'text', transformer: jsonText }) marks: Record<string, number>;
  /** item key → comment */
  @Column({ type: 'text', transformer: jsonText }) comments: Record<string, string>;
  /** Server-computed total in tenths; null while a draft is incomplete. */
  @Column({ type: 'int', nullable: true }) total: number | null;
  @Column({ name: 'rubric_id', type: 'int' }) rubricId: number;
  /** Number of submitted versions. */
  @Column({ type: 'int' }) version: number;
  /** Optimistic lock over every change (drafts, submits, reopens): no lost update. */
  @Column({ name: 'lock_version', type: 'int' }) lockVersion: number;
  @Column({ name: 'reopen_reason', type: 'text', nullable: true }) reopenReason: string | null;
  @Column({ name: 'submitted_at', type: 'datetime', nullable: true }) submittedAt: Date | null;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'datetime' }) updatedAt: Date;
}

/** Every submitted version of a sheet, kept. */
@Entity('score_sheet_versions')
@Index('uq_score_sheet_versions', ['sheetId', 'version'], { unique: true })
export class ScoreSheetVersion {
  @PrimaryGeneratedColumn() id: number;
  @ForeignKey(() => ScoreSheet, { name: 'fk_score_sheet_versions_sheet', onDelete: 'NO ACTION', onUpdate: 'NO ACTION' })
  @Column({ name: 'sheet_id', type: 'int' }) sheetId: number;
  @Column({ type: 'int' }) version: number;
  @Column({ type: 'text', transformer: jsonText }) marks: Record<string, number>;
  @Column({ type: 'text', transformer: jsonText }) comments: Record<string, string>;
  @Column({ type: 'int' }) total: number;
  /** sha256 of the canonical marks and comments: the same content submitted twice is one version. */
  @Column({ name: 'content_hash', type: 'varchar', length: 64 }) contentHash: string;
  @Column({ name: 'submitted_by', type: 'int' }) submittedBy: number;
  @Column({ name: 'submitted_at', type: 'datetime' }) submittedAt: Date;
}
