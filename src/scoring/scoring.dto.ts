import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageQuery } from '../common/pagination.js';
import { STAGES, type Stage } from '../contests/contest.entities.js';
import { MARK_DECIMALS, type RubricItem } from '../judging/rubric.js';
import type { SheetStatus } from './scoring.entities.js';
import { keepingLastText } from './sql.js';
import { IdParam } from '../common/id.pipe.js';

/** Path of one expert's sheet: the entry and the stage (material | presentation). */
export class SheetParams {
  @IdParam() @IsInt()
  entryId: number;

  @IsIn(STAGES)
  stage: Stage;
}

export class MySheetsQuery extends PageQuery {
  /** Only the sheets of this contest. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(2147483647)
  contestId?: number;
}

/**
 * Marks in POINTS with at most one decimal, keyed by rubric item (`{ "topic": 12.5 }`); null or a
 * missing key means "not marked yet" (allowed in a draft only). Each value is checked against the
 * rubric: codes required, unknown_item, not_a_number, below_zero, above_max, too_many_decimals.
 */
export class SaveSheetDto {
  @IsObject()
  marks: Record<string, unknown>;

  /** Optional comment per rubric item (at most 500 characters); omitted: the saved comments are kept. */
  @IsOptional() @IsObject()
  comments?: Record<string, unknown>;

  /** The sheet's lockVersion the client last read (0 before the first save): a stale one is refused with 409 stale_version. */
  @IsOptional() @IsInt() @Min(0) @Max(2147483647)
  lockVersion?: number;
}

export class ReopenSheetDto {
  /** Why the submitted sheet is reopened, 1–500 characters (kept on the sheet and in the audit trail). */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString() @MinLength(1) @MaxLength(500)
  reason: string;
}

export class ProgressQuery {
  /** Only this presentation session. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(2147483647)
  sessionId?: number;
}

export class ProgressStreamQuery extends ProgressQuery {
  /**
   * The bearer token, for browsers' EventSource (which cannot send an Authorization header).
   * Accepted on this route only; prefer the header where the client can send it.
   */
  @IsOptional() @IsString() @MaxLength(4096)
  access_token?: string;
}

export class SheetRubricItem {
  key: string;
  title: string;
  description: string;
  /** Maximum in points. */
  max: number;
}

export class SheetRubricResponse {
  id: number;
  @ApiProperty({ type: [SheetRubricItem] })
  items: SheetRubricItem[];
  /** Sum of the maxima, in points. */
  maxTotal: number;
  /** How many decimals a mark may have (1: tenths of a point); more is refused with 400 `too_many_decimals`. */
  markDecimals: number;
}

export class SheetResponse {
  /** null while the expert has not saved anything yet. */
  id: number | null;
  contestId: number;
  entryId: number;
  expertId: number;
  stage: Stage;
  status: SheetStatus;
  /** Points per rubric item; null where not marked yet. */
  marks: Record<string, number | null>;
  comments: Record<string, string>;
  /** Server-computed total in points; null while incomplete. */
  total: number | null;
  rubricId: number;
  /** Number of submitted versions. */
  version: number;
  /** Send it back with the next save or submit. */
  lockVersion: number;
  reopenReason: string | null;
  submittedAt: string | null;
  createdAt: string | null;
  updatedAt: string | null;
}

export class MySheetResponse extends SheetResponse {
  entryTitle: string;
  entryType: string;
  rubric: SheetRubricResponse;
}

export class SheetListItem {
  id: number;
  contestId: number;
  entryId: number;
  entryTitle: string;
  stage: Stage;
  status: SheetStatus;
  /** Points; null while incomplete. */
  total: number | null;
  version: number;
  lockVersion: number;
  submittedAt: string | null;
  updatedAt: string;
}

export class SheetVersionResponse {
  id: number;
  sheetId: number;
  version: number;
  marks: Record<string, number>;
  comments: Record<string, string>;
  total: number;
  contentHash: string;
  submittedBy: number;
  submittedAt: string;
}

export class OrganizerSheetResponse extends SheetResponse {
  expertName: string;
  entryTitle: string;
  /** The rubric the marks are keyed by (item titles and maxima), to show versions side by side. */
  rubric: SheetRubricResponse;
  @ApiProperty({ type: [SheetVersionResponse] })
  versions: SheetVersionResponse[];
}

export class SignOffResponse {
  sessionId: number;
  signedOffAt: string | null;
  /** The user id of the panel leader who signed. */
  signedOffBy: number | null;
}

/** One sheet of an entry as the organizer lists them. */
export class EntrySheetItem {
  id: number;
  expertId: number;
  expertName: string;
  /** The expert's employer as recorded on the expert (may be empty). */
  expertEmployer: string | null;
  stage: Stage;
  status: SheetStatus;
  /** Points; null while incomplete. */
  total: number | null;
  /** Number of submitted versions. */
  version: number;
  reopenReason: string | null;
  submittedAt: string | null;
  updatedAt: string;
}

export class EntrySheetList {
  @ApiProperty({ type: [EntrySheetItem] })
  items: EntrySheetItem[];
}

/** A sheet the sign-off waits for. */
export class MissingSheet {
  entryId: number;
  entryTitle: string;
  expertId: number;
  expertName: string;
  /** material | presentation */
  stage: string;
  /** not_started | draft */
  status: string;
}

export class SignOffStatusResponse extends SignOffResponse {
  /** Assigned sheets of the session's present entries not submitted yet (both stages); empty when the leader can sign. */
  @ApiProperty({ type: [MissingSheet] })
  missing: MissingSheet[];
}

export class ProgressCounts {
  /** Sheets expected: assigned experts × 2 stages, for entries not absent. */
  expected: number;
  /** Sheets saved as drafts and not submitted yet. */
  drafted: number;
  submitted: number;
  /** expected − submitted. */
  missing: number;
}

export class ProgressExpert {
  expertId: number;
  name: string;
}

export class MissingExpert extends ProgressExpert {
  /** The stages this expert still owes a submitted sheet for. */
  @ApiProperty({ type: [String] })
  stages: string[];
}

export class EntryProgress extends ProgressCounts {
  entryId: number;
  title: string;
  position: number | null;
  /** pending | present | absent (absent entries expect no sheet). */
  attendance: string;
  @ApiProperty({ type: [ProgressExpert] })
  assignedExperts: ProgressExpert[];
  @ApiProperty({ type: [MissingExpert] })
  missingExperts: MissingExpert[];
}

export class SessionProgress extends ProgressCounts {
  sessionId: number;
  name: string;
  panelId: number | null;
  panelName: string | null;
  signedOffAt: string | null;
  signedOffBy: number | null;
  @ApiProperty({ type: [EntryProgress] })
  entries: EntryProgress[];
}

export class PanelProgress extends ProgressCounts {
  panelId: number;
  name: string;
  sessions: number;
  signedOffSessions: number;
}

/** Scoring progress: counts and names only, never marks. */
export class ContestProgress {
  contestId: number;
  phase: string;
  generatedAt: string;
  totals: ProgressCounts;
  @ApiProperty({ type: [SessionProgress] })
  sessions: SessionProgress[];
  @ApiProperty({ type: [PanelProgress] })
  panels: PanelProgress[];
}

/** Tenths of a point → points (125 → 12.5; exact for display since n/10 rounds to the decimal). */
export function points(tenths: number): number {
  return tenths / 10;
}

export function toSheetRubricResponse(id: number, items: readonly RubricItem[]): SheetRubricResponse {
  return {
    id,
    items: items.map((i) => ({ key: i.key, title: i.title, description: i.description, max: points(i.max) })),
    maxTotal: points(items.reduce((s, i) => s + i.max, 0)),
    markDecimals: MARK_DECIMALS,
  };
}

/** Every rubric item, in rubric order, with its mark in points or null. */
export function marksInPoints(items: readonly RubricItem[], tenths: Record<string, number>): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const i of items) out[i.key] = typeof tenths[i.key] === 'number' ? points(tenths[i.key]!) : null;
  return out;
}

export function iso(d: Date | null): string | null {
  return d ? isoText(d) : null;
}
// The sheets of a submit batch share one `now`.
const isoText = keepingLastText((d) => d.toISOString());
