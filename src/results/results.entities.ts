import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Level } from '../contests/contest-rules.js';

export const SNAPSHOT_STATUSES = ['computed', 'frozen', 'published', 'superseded'] as const;
export type SnapshotStatus = (typeof SNAPSHOT_STATUSES)[number];

/**
 * One computation of a contest's results. `computed` may be recomputed and adjusted; `frozen` is the
 * list shown during the notice (its SHA-256 fixes it); `published` is final; a later correction is a
 * new published version with a reason, and the earlier one becomes `superseded` (still readable).
 */
@Entity('result_snapshots')
@Index('uq_result_snapshots_version', ['contestId', 'version'], { unique: true })
export class ResultSnapshot {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'contest_id', type: 'int' }) contestId: number;
  @Column({ type: 'int' }) version: number;
  @Column({ type: 'varchar', length: 16 }) status: SnapshotStatus;
  /**
   * The full explained computation (judging core output + entry and unit labels + adjustments).
   * `json`: can exceed the 64 KB of a MySQL text; MySQL may reorder keys, so the hash is taken over
   * a canonical form (keys sorted) computed in code, never over the stored text.
   */
  @Column({ type: 'json' }) payload: unknown;
  /** sha256 of the canonical payload JSON. */
  @Column({ type: 'varchar', length: 64 }) hash: string;
  /** Why this version exists (required for a republication). */
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @Column({ name: 'created_by', type: 'int' }) createdBy: number;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt: Date;
  @Column({ name: 'frozen_at', type: 'datetime', nullable: true }) frozenAt: Date | null;
  @Column({ name: 'published_at', type: 'datetime', nullable: true }) publishedAt: Date | null;
}

/** An organizer's change of an entry's level, with its reason; the computed level stays visible. */
@Entity('result_adjustments')
@Index('ix_result_adjustments_contest', ['contestId', 'entryId'])
export class ResultAdjustment {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'contest_id', type: 'int' }) contestId: number;
  @Column({ name: 'entry_id', type: 'int' }) entryId: number;
  /** null: no award */
  @Column({ type: 'varchar', length: 16, nullable: true }) level: Level | null;
  @Column({ type: 'text' }) reason: string;
  @Column({ name: 'created_by', type: 'int' }) createdBy: number;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt: Date;
}

export const OBJECTION_STATUSES = ['open', 'answered'] as const;
export type ObjectionStatus = (typeof OBJECTION_STATUSES)[number];

/** 异议 filed against an entry during the notice period; each must be answered before publication. */
@Entity('objections')
@Index('ix_objections_contest', ['contestId', 'status'])
export class Objection {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'contest_id', type: 'int' }) contestId: number;
  @Column({ name: 'entry_id', type: 'int' }) entryId: number;
  @Column({ name: 'filed_by_name', type: 'varchar', length: 100 }) filedByName: string;
  @Column({ type: 'varchar', length: 100 }) contact: string;
  /** The user who filed it, when logged in. */
  @Column({ name: 'filed_by_user', type: 'int', nullable: true }) filedByUser: number | null;
  @Column({ type: 'text' }) content: string;
  @Column({ type: 'varchar', length: 16 }) status: ObjectionStatus;
  @Column({ type: 'text', nullable: true }) answer: string | null;
  @Column({ name: 'answered_by', type: 'int', nullable: true }) answeredBy: number | null;
  @Column({ name: 'answered_at', type: 'datetime', nullable: true }) answeredAt: Date | null;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt: Date;
}
