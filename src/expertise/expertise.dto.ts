import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import { ENTRY_TYPES, type EntryType } from '../contests/contest.entities.js';
import { MaxChars } from '../organisations/organisations.dto.js';
import { IsOptionalNonNull } from '../common/validation.js';
import type { AffinityDimension } from '../judging/affinity.js';
import { AutoAssignDto } from '../presentation/presentation.dto.js';
import type { ExpertiseTopic, ProfileFields } from './expertise.entities.js';

/** Trims every string of a list; other values pass through so that the type check reports them. */
const TrimEach = () => Transform(({ value }: { value: unknown }) => (Array.isArray(value) ? value.map((v: unknown) => (typeof v === 'string' ? v.trim() : v)) : value));

// ---------------------------------------------------------------- requests

export class CreateTopicDto {
  /** A method or specialty, e.g. 统计技术 (1–50 characters). */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString() @MinLength(1) @MaxChars(50)
  name: string;
}

/** An expert's profile of expertise (the whole profile is replaced). */
export class ProfileDto {
  /** Industries, from the same vocabulary as the enterprises' industries (at most 10, each 1–50 characters). */
  @TrimEach() @IsArray() @ArrayMaxSize(10) @ArrayUnique() @IsString({ each: true }) @MinLength(1, { each: true }) @MaxChars(50, { each: true })
  @ApiProperty({ type: [String] })
  industries: string[];

  /** Entry types the expert judges well. */
  @IsArray() @ArrayUnique() @IsIn(ENTRY_TYPES, { each: true })
  @ApiProperty({ enum: ENTRY_TYPES, isArray: true })
  entryTypes: EntryType[];

  /** Methods and specialties, from the organizer's list (at most 20). */
  @TrimEach() @IsArray() @ArrayMaxSize(20) @ArrayUnique() @IsString({ each: true }) @MinLength(1, { each: true }) @MaxChars(50, { each: true })
  @ApiProperty({ type: [String] })
  topics: string[];

  /** Years of experience in quality work (0–70), or null. */
  @IsOptionalNonNull() @IsInt() @Min(0) @Max(70)
  yearsOfExperience?: number | null;

  /** Free keywords, matched against entry titles (at most 10, each 1–20 characters). */
  @IsOptional() @TrimEach() @IsArray() @ArrayMaxSize(10) @ArrayUnique() @IsString({ each: true }) @MinLength(1, { each: true }) @MaxChars(20, { each: true })
  @ApiProperty({ type: [String], required: false })
  keywords?: string[];
}

export class EntryTopicsDto {
  /** Topics from the organizer's list (at most 5). */
  @TrimEach() @IsArray() @ArrayMaxSize(5) @ArrayUnique() @IsString({ each: true }) @MinLength(1, { each: true }) @MaxChars(50, { each: true })
  @ApiProperty({ type: [String] })
  topics: string[];
}

/** The automatic assignment's limits and seed (as AutoAssignDto), and the fairness option. */
export class ExpertiseAssignDto extends AutoAssignDto {
  /** Raise the entry with the fewest specialists first, before total affinity (default false). */
  @IsOptional() @IsBoolean()
  fairness?: boolean;
}

// ---------------------------------------------------------------- responses

export class TopicResponse {
  id: number;
  name: string;
  createdAt: string;
}

export function toTopicResponse(t: ExpertiseTopic): TopicResponse {
  return { id: t.id, name: t.name, createdAt: t.createdAt.toISOString() };
}

export class VocabularyResponse {
  /** The organizer's list of methods and specialties. */
  @ApiProperty({ type: [TopicResponse] })
  topics: TopicResponse[];
  /** The industries the enterprises use (their distinct values), the vocabulary of expert industries. */
  @ApiProperty({ type: [String] })
  industries: string[];
  @ApiProperty({ enum: ENTRY_TYPES, isArray: true })
  entryTypes: EntryType[];
}

export class ProfileFieldsResponse {
  @ApiProperty({ type: [String] })
  industries: string[];
  @ApiProperty({ type: [String] })
  entryTypes: string[];
  @ApiProperty({ type: [String] })
  topics: string[];
  yearsOfExperience: number | null;
  @ApiProperty({ type: [String] })
  keywords: string[];
}

export class ExpertProfileResponse extends ProfileFieldsResponse {
  expertId: number;
  expertName: string;
  /** The expert's own change waiting for the organizer's approval, or null. */
  @ApiProperty({ type: ProfileFieldsResponse, nullable: true })
  pending: ProfileFieldsResponse | null;
  pendingSince: string | null;
  /** When the live profile last changed; null when it has never been filled in. */
  updatedAt: string | null;
}

export class ExpertProfileList {
  @ApiProperty({ type: [ExpertProfileResponse] })
  items: ExpertProfileResponse[];
}

export function fieldsOf(p: ProfileFields): ProfileFieldsResponse {
  return { industries: p.industries, entryTypes: p.entryTypes, topics: p.topics, yearsOfExperience: p.yearsOfExperience, keywords: p.keywords };
}

export class EntryTopicsResponse {
  entryId: number;
  title: string;
  /** The industry of the entry's enterprise. */
  industry: string | null;
  @ApiProperty({ enum: ENTRY_TYPES, nullable: true })
  entryType: EntryType | null;
  @ApiProperty({ type: [String] })
  topics: string[];
}

export class AffinityMatchResponse {
  @ApiProperty({ enum: ['industry', 'topic', 'keyword', 'entryType', 'experience'] })
  dimension: AffinityDimension;
  value: string;
  points: number;
}

export class ScoredPairResponse {
  expertId: number;
  entryId: number;
  affinity: number;
  /** Why: the matched dimensions. */
  @ApiProperty({ type: [AffinityMatchResponse] })
  matches: AffinityMatchResponse[];
}

export class AffinityExpert {
  id: number;
  name: string;
  /** Whether the expert has filled in a profile. */
  hasProfile: boolean;
}

export class AffinityEntry {
  id: number;
  title: string;
  industry: string | null;
  @ApiProperty({ enum: ENTRY_TYPES, nullable: true })
  entryType: EntryType | null;
  @ApiProperty({ type: [String] })
  topics: string[];
}

export class CurrentAssignmentAffinity extends ScoredPairResponse {
  assignmentId: number;
}

export class UncoveredEntry {
  entryId: number;
  title: string;
  judges: number;
}

export class WeakExpert {
  expertId: number;
  name: string;
  /** Mean affinity over the entries assigned to the expert. */
  meanAffinity: number;
  /** Mean affinity over all the panel's assignments. */
  panelMeanAffinity: number;
  entries: number;
}

export class CoverageResponse {
  /** Entries with judges of which none is a specialist (matches the entry's industry, a topic or a keyword). */
  @ApiProperty({ type: [UncoveredEntry] })
  entriesWithoutSpecialist: UncoveredEntry[];
  /** Experts whose mean affinity on their assigned entries is at most half the panel's and at least 2 points below it. */
  @ApiProperty({ type: [WeakExpert] })
  expertsBelowPanel: WeakExpert[];
}

export class PanelAffinityResponse {
  panelId: number;
  panelName: string;
  maxAffinity: number;
  @ApiProperty({ type: [AffinityExpert] })
  experts: AffinityExpert[];
  @ApiProperty({ type: [AffinityEntry] })
  entries: AffinityEntry[];
  /** scores[i][j]: affinity of experts[j] for entries[i]; null where the expert is conflicted (回避). */
  @ApiProperty({ type: 'array', items: { type: 'array', items: { type: 'integer', nullable: true } } })
  scores: (number | null)[][];
  /** The panel's current assignments with their affinity and reasons. */
  @ApiProperty({ type: [CurrentAssignmentAffinity] })
  assignments: CurrentAssignmentAffinity[];
  totalAffinity: number;
  @ApiProperty({ type: CoverageResponse })
  coverage: CoverageResponse;
}

export class ExpertLoad {
  expertId: number;
  load: number;
}

export class ExpertiseAssignmentResponse {
  panelId: number;
  mode: 'expertise';
  minJudgesPerEntry: number;
  maxLoadPerExpert: number;
  seed: string;
  fairness: boolean;
  @ApiProperty({ type: [ScoredPairResponse] })
  pairs: ScoredPairResponse[];
  totalAffinity: number;
  /** Total affinity of the assignment this one replaced. */
  previousTotalAffinity: number;
  /** No affinity information (no profiles or topics): the balanced assignment was used. */
  fallback: boolean;
  /** The fewest specialists any entry got. */
  minSpecialists: number;
  @ApiProperty({ type: [ExpertLoad] })
  loads: ExpertLoad[];
  balanced: boolean;
}
