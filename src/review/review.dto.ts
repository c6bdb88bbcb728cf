import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Min, MinLength, ValidateNested,
} from 'class-validator';
import type { ChecklistItem } from '../contests/contest-rules.js';
import { ChecklistItemDto } from '../contests/contest-responses.dto.js';
import type { EntryType } from '../contests/contest.entities.js';
import { PageQuery } from '../common/pagination.js';
import type { EntryStatus } from '../entries/entry.entities.js';
import { REVIEW_DECISIONS, type ChecklistResult, type ReviewDecision, type ReviewDecisionKind } from './review.entities.js';

/** Something other than white space. */
const NOT_BLANK = /\S/;
const iso = (d: Date | string) => new Date(d).toISOString();

export class ChecklistResultDto {
  /** A key of the contest's rules.reviewChecklist. */
  @IsString() @MaxLength(64)
  key: string;

  /** Whether the entry meets this item. */
  @IsBoolean()
  ok: boolean;

  /** Why the item failed (required for each failed item of a return), up to 500 characters. */
  @IsOptional() @IsString() @MaxLength(500)
  note?: string | null;
}

export class DecideDto {
  /** pass (通过), return (退回修改) or reject (不予通过). */
  @IsIn(REVIEW_DECISIONS)
  decision: ReviewDecisionKind;

  /** One result for each item of the contest's review checklist, no more, no less. */
  @IsArray() @ArrayMaxSize(30) @ValidateNested({ each: true }) @Type(() => ChecklistResultDto)
  @ApiProperty({ type: [ChecklistResultDto] })
  checklist: ChecklistResultDto[];

  /** Required for a reject; optional otherwise. Up to 1000 characters. */
  @IsOptional() @IsString() @MaxLength(1000)
  reason?: string | null;
}

export class BulkPassDto {
  /** 1–500 entries of the contest, each awaiting a decision; all pass or none does. */
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(500) @ArrayUnique() @IsInt({ each: true }) @Min(1, { each: true })
  @ApiProperty({ type: [Number] })
  entryIds: number[];
}

export const CLOSE_OUTCOMES = ['reject_undecided'] as const;

export class CloseReviewDto {
  /** What becomes of entries still awaiting a decision or returned: `reject_undecided` rejects them. */
  @IsIn(CLOSE_OUTCOMES)
  outcome: (typeof CLOSE_OUTCOMES)[number];

  /** The reason recorded on each rejected entry and on the contest, 1–1000 characters. */
  @IsString() @MinLength(1) @MaxLength(1000) @Matches(NOT_BLANK)
  note: string;
}

export class ReviewQueueQuery extends PageQuery {
  /** Only entries recommended by this unit. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  unitId?: number;

  /** Only entries of this track. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  trackId?: number;
}

export class ChecklistResultResponse {
  key: string;
  /** The item's title in the contest's current checklist (null if the item was removed since). */
  title: string | null;
  ok: boolean;
  note: string | null;
}

export class ReviewDecisionResponse {
  id: number;
  entryId: number;
  round: number;
  decision: ReviewDecisionKind;
  @ApiProperty({ type: [ChecklistResultResponse] })
  checklist: ChecklistResultResponse[];
  reason: string | null;
  /** The organizer who decided (shown to organizers only; null for others). */
  decidedBy: number | null;
  createdAt: string;
}

export function toReviewDecisionResponse(d: ReviewDecision, checklist: readonly ChecklistItem[], showDecider: boolean): ReviewDecisionResponse {
  const titles = new Map(checklist.map((c) => [c.key, c.title]));
  return {
    id: d.id,
    entryId: d.entryId,
    round: d.round,
    decision: d.decision,
    checklist: (d.checklist ?? []).map((r: ChecklistResult) => ({ key: r.key, title: titles.get(r.key) ?? null, ok: !!r.ok, note: r.note ?? null })),
    reason: d.reason ?? null,
    decidedBy: showDecider ? d.decidedBy : null,
    createdAt: iso(d.createdAt),
  };
}

export class QueueItemResponse {
  entryId: number;
  title: string;
  entryType: EntryType;
  status: EntryStatus;
  enterpriseId: number;
  enterpriseName: string | null;
  unitId: number;
  unitName: string | null;
  trackId: number | null;
  trackName: string | null;
  /** When the entry was (re)submitted. */
  submittedAt: string | null;
  /** The round this decision will be (1 for a first review, 2 after one return, …). */
  round: number;
  /** Earlier decisions, oldest first. */
  @ApiProperty({ type: [ReviewDecisionResponse] })
  history: ReviewDecisionResponse[];
}

export class ReviewQueueResponse {
  @ApiProperty({ type: [QueueItemResponse] })
  items: QueueItemResponse[];
  total: number;
  page: number;
  pageSize: number;
  /** The contest's review checklist, which each decision answers item by item. */
  @ApiProperty({ type: [ChecklistItemDto] })
  checklist: ChecklistItem[];
}

export class DecisionOutcomeResponse {
  decision: ReviewDecisionResponse;
  /** The entry's status after the decision. */
  entryStatus: EntryStatus;
  entryVersion: number;
}

export class BulkPassResponse {
  passed: number;
  @ApiProperty({ type: [ReviewDecisionResponse] })
  decisions: ReviewDecisionResponse[];
}

export class ReviewCounts {
  awaiting: number;
  passed: number;
  returned: number;
  rejected: number;
  total: number;
}

export class UnitReviewCounts extends ReviewCounts {
  unitId: number;
  unitName: string | null;
}

export class TrackReviewCounts extends ReviewCounts {
  /** null: entries not yet placed in a track. */
  trackId: number | null;
  trackName: string | null;
}

export class ReviewStatsResponse {
  contestId: number;
  totals: ReviewCounts;
  @ApiProperty({ type: [UnitReviewCounts] })
  byUnit: UnitReviewCounts[];
  @ApiProperty({ type: [TrackReviewCounts] })
  byTrack: TrackReviewCounts[];
  reviewClosedAt: string | null;
  reviewClosureNote: string | null;
}

export class ReviewClosureResponse {
  contestId: number;
  reviewClosedAt: string;
  reviewClosureNote: string;
  /** The entries rejected by the closure (they were awaiting a decision or returned). */
  @ApiProperty({ type: [Number] })
  rejectedEntryIds: number[];
}

export class EntryReviewResponse {
  entryId: number;
  contestId: number;
  status: EntryStatus;
  /** Whether the entry waits for a decision of round `currentRound`. */
  awaitingDecision: boolean;
  /** The round of the latest decision, or of the decision awaited. */
  currentRound: number;
  /** The contest's current review checklist. */
  @ApiProperty({ type: [ChecklistItemDto] })
  checklist: ChecklistItem[];
  /** Every decision, oldest first, with the result and note of each checklist item. */
  @ApiProperty({ type: [ReviewDecisionResponse] })
  decisions: ReviewDecisionResponse[];
}
