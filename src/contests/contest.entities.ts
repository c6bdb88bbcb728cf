import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { jsonText } from '../database/transformers.js';
import type { ContestRules } from './contest-rules.js';

export const PHASES = ['draft', 'open', 'review', 'presentation', 'finalizing', 'notice', 'published', 'archived'] as const;
export type Phase = (typeof PHASES)[number];
export const ENTRY_TYPES = ['problem_solving', 'innovation'] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];
export const STAGES = ['material', 'presentation'] as const;
export type Stage = (typeof STAGES)[number];

/** 质量攻关活动: one yearly competition with its own rules, calendar and phase. */
@Entity('contests')
export class Contest {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'varchar', length: 200 }) name: string;
  @Column({ type: 'int' }) year: number;
  @Column({ type: 'varchar', length: 200, nullable: true }) theme: string | null;
  @Column({ type: 'varchar', length: 16 }) phase: Phase;
  @Column({ name: 'submission_opens_at', type: 'datetime', nullable: true }) submissionOpensAt: Date | null;
  @Column({ name: 'submission_closes_at', type: 'datetime', nullable: true }) submissionClosesAt: Date | null;
  /** 推荐截止时间: recommending units decide (recommend or decline) until then; null: until review ends. */
  @Column({ name: 'recommendation_closes_at', type: 'datetime', nullable: true }) recommendationClosesAt: Date | null;
  /**
   * 初审截止时间: when the organizer plans to have decided every entry. Shown (desk, units,
   * enterprises) and kept in order with the other dates, deliberately not enforced: review ends when
   * the organizer moves the contest on (with a closure note for entries still undecided), and refusing
   * a late decision would only strand entries that a returned-and-resubmitted entry legitimately needs.
   */
  @Column({ name: 'review_closes_at', type: 'datetime', nullable: true }) reviewClosesAt: Date | null;
  /** Presentation days, 'YYYY-MM-DD'. */
  @Column({ name: 'presentation_from', type: 'varchar', length: 10, nullable: true }) presentationFrom: string | null;
  @Column({ name: 'presentation_to', type: 'varchar', length: 10, nullable: true }) presentationTo: string | null;
  @Column({ name: 'notice_days', type: 'int' }) noticeDays: number;
  @Column({ name: 'notice_ends_at', type: 'datetime', nullable: true }) noticeEndsAt: Date | null;
  /** When the organizer closed preliminary review with entries still undecided, and what became of them. */
  @Column({ name: 'review_closed_at', type: 'datetime', nullable: true }) reviewClosedAt: Date | null;
  @Column({ name: 'review_closure_note', type: 'text', nullable: true }) reviewClosureNote: string | null;
  /** Judging rules (weights, aggregation, quotas, tie policy, excellent units, caps, checklist). */
  @Column({ type: 'text', transformer: jsonText }) rules: ContestRules;
  /** Bumped on every change of rules or rubrics; frozen once scoring has started. */
  @Column({ name: 'rules_version', type: 'int' }) rulesVersion: number;
  @Column({ name: 'created_by', type: 'int', nullable: true }) createdBy: number | null;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'datetime' }) updatedAt: Date;
}

export interface RubricItem {
  key: string;
  title: string;
  description: string;
  /** tenths of a point */
  max: number;
}

/** 评分表 template: one per contest × entry type × stage; each change is a new version. */
@Entity('rubrics')
@Index('uq_rubrics_version', ['contestId', 'entryType', 'stage', 'version'], { unique: true })
export class Rubric {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'contest_id', type: 'int' }) contestId: number;
  @Column({ name: 'entry_type', type: 'varchar', length: 16 }) entryType: EntryType;
  @Column({ type: 'varchar', length: 16 }) stage: Stage;
  @Column({ type: 'int' }) version: number;
  @Column({ type: 'text', transformer: jsonText }) items: RubricItem[];
  @Column({ name: 'created_at', type: 'datetime' }) createdAt: Date;
}

/** 分组 / 专业组: a judging group, e.g. 制造类 × 问题解决型. */
@Entity('tracks')
@Index('uq_tracks_name', ['contestId', 'name'], { unique: true })
export class Track {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'contest_id', type: 'int' }) contestId: number;
  @Column({ type: 'varchar', length: 100 }) name: string;
  /** Placement rule: entries of this industry (null: any) and type (null: any) go here. */
  @Column({ type: 'varchar', length: 50, nullable: true }) industry: string | null;
  @Column({ name: 'entry_type', type: 'varchar', length: 16, nullable: true }) entryType: EntryType | null;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt: Date;
}
