import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
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
   * The explained computation (judging core output + unit labels + adjustments) without its
   * `entries`, which are rows of result_snapshot_entries (see there). `json`: can exceed the 64 KB
   * of a MySQL text; MySQL may reorder keys, so the hash is taken over a canonical form (keys
   * sorted) computed in code, never over the stored text.
   */
  @Column({ type: 'json' }) payload: unknown;
  /** sha256 of the canonical JSON of the whole payload (`{...payload, entries}`). */
  @Column({ type: 'varchar', length: 64 }) hash: string;
  /** Why this version exists (required for a republication). */
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @Column({ name: 'created_by', type: 'int' }) createdBy: number;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt: Date;
  @Column({ name: 'frozen_at', type: 'datetime', nullable: true }) frozenAt: Date | null;
  @Column({ name: 'published_at', type: 'datetime', nullable: true }) publishedAt: Date | null;
}

/**
 * One entry of a snapshot's payload (`payload.entries[position]`), a row each: a snapshot of a large
 * contest is tens of MB of JSON, which as one value would not fit MySQL/MariaDB's max_allowed_packet
 * (16 MB by default). The snapshot row keeps the rest of the payload; the hash is still taken over
 * the canonical JSON of the whole (`{...rest, entries}`). `level` (the level shown) is repeated out of
 * the body so that the award list, publication and objections read what they need without parsing.
 */
@Entity('result_snapshot_entries')
@Index('ix_result_snapshot_entries_entry', ['snapshotId', 'entryId'])
export class ResultSnapshotEntry {
  @PrimaryColumn({ name: 'snapshot_id', type: 'int' }) snapshotId: number;
  /** Index in `payload.entries` (ranked by rank, then unranked, absent and withdrawn). */
  @PrimaryColumn({ type: 'int' }) position: number;
  @Column({ name: 'entry_id', type: 'int' }) entryId: number;
  @Column({ type: 'varchar', length: 16, nullable: true }) level: Level | null;
  /** The PayloadEntry as JSON (a few KB; `json` for the same reason as the payload). */
  @Column({ type: 'json' }) body: unknown;
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
