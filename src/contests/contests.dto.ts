import { ApiProperty, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsISO8601, IsNumber, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { PHASES, type Phase, type Contest, type Rubric, type Track, ENTRY_TYPES, type EntryType } from './contest.entities.js';
import { type ContestRules, withRuleDefaults } from './contest-rules.js';
import { IdParam } from '../common/id.pipe.js';
import { IsOptionalNonNull } from '../common/validation.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class CreateContestDto {
  /** e.g. 2020年滨海新区质量攻关活动 */
  @IsString() @MinLength(1) @MaxLength(200)
  name: string;

  @IsInt() @Min(2000) @Max(2100)
  year: number;

  @IsOptional() @IsString() @MaxLength(200)
  theme?: string | null;

  /** ISO 8601 date-time: when enterprises may start submitting. */
  @IsOptionalNonNull() @IsISO8601({ strict: true })
  submissionOpensAt?: string;

  /** ISO 8601 date-time: the submission deadline (server time decides). */
  @IsOptionalNonNull() @IsISO8601({ strict: true })
  submissionClosesAt?: string;

  /**
   * ISO 8601 date-time: 推荐截止时间, until which recommending units recommend or decline entries
   * (409 `recommendation_deadline_passed` after it). Not before the submission deadline; null: none.
   */
  @IsOptional() @IsISO8601({ strict: true })
  recommendationClosesAt?: string | null;

  /**
   * ISO 8601 date-time: 初审截止时间, the planned end of preliminary review. Not before the
   * recommendation (or submission) deadline, and on or before the first presentation day (China
   * Standard Time). Shown to everyone concerned, not enforced (review ends with the phase). null: none.
   */
  @IsOptional() @IsISO8601({ strict: true })
  reviewClosesAt?: string | null;

  /** First presentation day, YYYY-MM-DD. */
  @IsOptional() @Matches(DATE)
  presentationFrom?: string | null;

  /** Last presentation day, YYYY-MM-DD. */
  @IsOptional() @Matches(DATE)
  presentationTo?: string | null;

  /** Length of the public notice (公示), 1–30 days; 7 by default. */
  @IsOptionalNonNull() @IsInt() @Min(1) @Max(30)
  noticeDays?: number;

  /**
   * Partial judging rules (shape: ContestRulesDto), merged over the defaults (GET /api/contests/defaults)
   * or, on PATCH, over the current rules. Merge depth: a top-level key replaces its value whole,
   * except `aggregation`, `excellentUnits` and `caps`, whose keys merge one level deep; unknown keys → 400.
   */
  @IsOptionalNonNull() @IsObject()
  rules?: Record<string, unknown>;
}

/**
 * Every field of a new contest may change (rules are merged over the current ones). null clears
 * theme and the presentation days; for any other field it is refused (skipNullProperties: false).
 */
export class UpdateContestDto extends PartialType(CreateContestDto, { skipNullProperties: false }) {
  /**
   * End of the public notice (公示), ISO 8601; only during the notice phase. Moving it earlier than
   * noticeDays allow needs a `reason` (kept in the audit trail), e.g. to match the official notice.
   */
  @IsOptionalNonNull() @IsISO8601({ strict: true })
  noticeEndsAt?: string;

  /** Why the change was made (required when the notice is shortened). */
  @IsOptional() @IsString() @MinLength(1) @MaxLength(500)
  reason?: string;
}

export class ChangePhaseDto {
  /** The next phase; only the one after the current phase is accepted. */
  @IsIn(PHASES)
  to: Phase;
}

export class RubricItemDto {
  /** Stable ascii key, snake_case. */
  @IsString() @MaxLength(64)
  key: string;

  @IsString() @MinLength(1) @MaxLength(100)
  title: string;

  @IsOptional() @IsString() @MaxLength(500)
  description?: string;

  /** Maximum in points, at most one decimal (e.g. 15 or 7.5). */
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 1 }) @Min(0.1) @Max(1000)
  max: number;
}

export class PutRubricDto {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => RubricItemDto)
  @ApiProperty({ type: [RubricItemDto] })
  items: RubricItemDto[];
}

export class RubricParams {
  @IdParam() @IsInt()
  id: number;

  @IsIn(ENTRY_TYPES)
  entryType: EntryType;

  @IsIn(['material', 'presentation'])
  stage: 'material' | 'presentation';
}

export class CreateTrackDto {
  /** e.g. 制造类·问题解决型 */
  @IsString() @MinLength(1) @MaxLength(100)
  name: string;

  /** Entries of this industry are placed here (omit: any industry). */
  @IsOptional() @IsString() @MaxLength(50)
  industry?: string;

  /** Entries of this type are placed here (omit: any type). */
  @IsOptional() @IsIn(ENTRY_TYPES)
  entryType?: EntryType;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export interface RubricResponse {
  id: number;
  entryType: EntryType;
  stage: 'material' | 'presentation';
  version: number;
  /** max in points */
  items: { key: string; title: string; description: string; max: number }[];
  total: number;
}

export function toRubricResponse(r: Rubric): RubricResponse {
  const items = r.items.map((i) => ({ key: i.key, title: i.title, description: i.description, max: i.max / 10 }));
  return { id: r.id, entryType: r.entryType, stage: r.stage, version: r.version, items, total: r.items.reduce((s, i) => s + i.max, 0) / 10 };
}

export function toContestResponse(c: Contest, extra: { rubrics?: Rubric[]; tracks?: Track[] } = {}) {
  return {
    id: c.id,
    name: c.name,
    year: c.year,
    theme: c.theme,
    phase: c.phase,
    submissionOpensAt: iso(c.submissionOpensAt),
    submissionClosesAt: iso(c.submissionClosesAt),
    recommendationClosesAt: iso(c.recommendationClosesAt),
    reviewClosesAt: iso(c.reviewClosesAt),
    presentationFrom: c.presentationFrom,
    presentationTo: c.presentationTo,
    noticeDays: c.noticeDays,
    noticeEndsAt: iso(c.noticeEndsAt),
    rules: withRuleDefaults(c.rules as ContestRules),
    rulesVersion: c.rulesVersion,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
    ...(extra.rubrics ? { rubrics: extra.rubrics.map(toRubricResponse) } : {}),
    ...(extra.tracks ? { tracks: extra.tracks.map(toTrackResponse) } : {}),
  };
}

export function toTrackResponse(t: Track) {
  return { id: t.id, contestId: t.contestId, name: t.name, industry: t.industry, entryType: t.entryType };
}
