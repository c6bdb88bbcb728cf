import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { jsonText } from '../database/transformers.js';

export const REVIEW_DECISIONS = ['pass', 'return', 'reject'] as const;
export type ReviewDecisionKind = (typeof REVIEW_DECISIONS)[number];

export interface ChecklistResult {
  key: string;
  ok: boolean;
  /** Why an item failed (required for a failed item of a return). */
  note: string | null;
}

/** 材料初审: one decision per review round of an entry; a returned entry comes back in the next round. */
@Entity('review_decisions')
@Index('uq_review_decisions_round', ['entryId', 'round'], { unique: true })
@Index('ix_review_decisions_contest', ['contestId'])
export class ReviewDecision {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'contest_id', type: 'int' }) contestId: number;
  @Column({ name: 'entry_id', type: 'int' }) entryId: number;
  @Column({ type: 'int' }) round: number;
  @Column({ type: 'varchar', length: 16 }) decision: ReviewDecisionKind;
  @Column({ type: 'text', transformer: jsonText }) checklist: ChecklistResult[];
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @Column({ name: 'decided_by', type: 'int' }) decidedBy: number;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt: Date;
}
