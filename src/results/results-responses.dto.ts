// Response bodies of the results routes, for the OpenAPI document (scores are decimal strings,
// e.g. "87.5000", so that no client rounds them; levels are first, second, third, excellence).
import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../common/pagination.js';
import { LevelNumbersDto, StageWeightsDto } from '../contests/contest-responses.dto.js';
import type { Level } from '../contests/contest-rules.js';
import type { Phase } from '../contests/contest.entities.js';
import type { TieBreakStep } from '../judging/ranking.js';
import { EXPLANATION_CODES, type ExplanationCode } from '../judging/explanation-zh.js';
import type { UnitTieBreakStep } from '../judging/excellent-units.js';
import type { Participation } from './results-payload.js';

const LEVEL = { enum: ['first', 'second', 'third', 'excellence'], type: String } as const;
type AggregationMethod = 'trimmed_mean' | 'mean' | 'median';

export class SnapshotResponse {
  id: number;
  version: number;
  status: 'computed' | 'frozen' | 'published' | 'superseded';
  /** sha256 of the canonical payload. */
  hash: string;
  reason: string | null;
  createdBy: number;
  createdAt: string | null;
  frozenAt: string | null;
  publishedAt: string | null;
}

export class LevelQuotaDto {
  @ApiProperty(LEVEL) level: Level;
  quota: number;
  awarded: number;
  /** Awarded beyond the quota (boundary ties included). */
  exceededBy: number;
}

export class PayloadBoundaryTieDto {
  scope: string;
  @ApiProperty(LEVEL) level: Level;
  policy: string;
  rank: number;
  @ApiProperty({ type: [Number] })
  entryIds: number[];
  seatsLeft: number;
  outcome: string;
  needsOrganizerDecision: boolean;
  /** A tie needing a decision is settled once any of its entries has an adjustment. */
  settledByAdjustment: boolean;
}

export class RankTieDto {
  rank: number;
  @ApiProperty({ type: [Number] })
  entryIds: number[];
}

export class UnrankedDto {
  entryId: number;
  reason: string;
}

export class SelectedUnitDto {
  place: number | null;
  unitId: number;
  unitName: string;
  points: number;
}

/** What a computation, freeze or republication produced, in short. */
export class ResultsSummaryResponse {
  snapshot: SnapshotResponse;
  entryCount: number;
  rankedCount: number;
  /** After adjustments. */
  levelCounts: LevelNumbersDto;
  /** As the rules gave them. */
  computedLevelCounts: LevelNumbersDto;
  @ApiProperty({ type: [LevelQuotaDto] })
  quotas: LevelQuotaDto[];
  @ApiProperty({ type: [PayloadBoundaryTieDto] })
  boundaryTies: PayloadBoundaryTieDto[];
  unresolvedTieCount: number;
  @ApiProperty({ type: [RankTieDto] })
  unresolvedRankTies: RankTieDto[];
  @ApiProperty({ type: [UnrankedDto] })
  unranked: UnrankedDto[];
  adjustmentCount: number;
  /** The selected excellent recommending units. */
  @ApiProperty({ type: [SelectedUnitDto] })
  excellentUnits: SelectedUnitDto[];
}

export class RepublishResponse extends ResultsSummaryResponse {
  /** The published version this one replaces. */
  supersededVersion: number;
}

export class AdjustmentRecord {
  id: number;
  entryId: number;
  @ApiProperty({ ...LEVEL, nullable: true }) level: Level | null;
  reason: string;
  createdBy: number;
  createdAt: string;
}

export class EntryAdjustmentRef {
  id: number;
  @ApiProperty({ ...LEVEL, nullable: true }) level: Level | null;
  reason: string;
  createdBy: number;
  createdAt: string;
}

export class AppliedAdjustment extends AdjustmentRecord {
  title: string | null;
  @ApiProperty({ ...LEVEL, nullable: true }) computedLevel: Level | null;
}

/** In finalizing: the recorded adjustment and the recomputed summary; after publication: a new version. */
export class AdjustmentResultResponse extends ResultsSummaryResponse {
  /** Present in finalizing. */
  adjustment?: AppliedAdjustment;
  /** Present after publication (a new published version was issued). */
  supersededVersion?: number;
}

export class ResultsContestRef {
  id: number;
  name: string;
  phase: Phase;
}

export class AppliedQuotas {
  mode: 'count' | 'ratio';
  /** With mode `count`. */
  counts?: LevelNumbersDto;
  /** With mode `ratio`: per mille. */
  ratios?: LevelNumbersDto;
}

export class AppliedRules {
  /** Minimum final score per level (points, 4 decimals), for levels that have one. */
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  minimumScores: Record<string, string>;
  aggregationMethod: AggregationMethod;
  trimMinSheets: number;
  normalizeByJudge: boolean;
  weights: StageWeightsDto;
  quotas: AppliedQuotas;
  scope: 'overall' | 'per_track';
  boundaryTiePolicy: 'include_all' | 'exclude_all' | 'report_only';
  excellentUnits: AppliedExcellentUnitFormula;
}

export class AppliedExcellentUnitFormula {
  pointsPerLevel: LevelNumbersDto;
  minEntries: number;
  topN: number;
}

export class LevelReportDto {
  @ApiProperty(LEVEL) level: Level;
  quota: number;
  awarded: number;
  exceededBy: number;
  /** Points, 4 decimals (null: none). */
  minimumScore: string | null;
  closedBy: 'quota_filled' | 'minimum_score' | 'boundary_tie' | 'no_more_entries';
}

export class ScopeReportDto {
  /** `overall` or `track:<id>`. */
  scope: string;
  trackId: number | null;
  eligible: number;
  @ApiProperty({ type: [LevelReportDto] })
  levels: LevelReportDto[];
}

export class BoundaryTieDto {
  scope: string;
  @ApiProperty(LEVEL) level: Level;
  policy: 'include_all' | 'exclude_all' | 'report_only';
  rank: number;
  @ApiProperty({ type: [Number] })
  entryIds: number[];
  seatsLeft: number;
  outcome: 'all_awarded' | 'fell_to_next_level';
  needsOrganizerDecision: boolean;
}

export class AllocationReportDto {
  scope: 'overall' | 'per_track';
  policy: 'include_all' | 'exclude_all' | 'report_only';
  quotaMode: 'count' | 'ratio';
  @ApiProperty({ type: [ScopeReportDto] })
  scopes: ScopeReportDto[];
  @ApiProperty({ type: [LevelQuotaDto] })
  totals: LevelQuotaDto[];
  @ApiProperty({ type: [BoundaryTieDto] })
  boundaryTies: BoundaryTieDto[];
  quotaExceeded: boolean;
  needsOrganizerDecision: boolean;
}

export class CutoffTie {
  place: number;
  @ApiProperty({ type: [Number] })
  unitIds: number[];
}

export class UnitStandingDto {
  unitId: number;
  unitName: string;
  /** null for ineligible units. */
  place: number | null;
  selected: boolean;
  eligible: boolean;
  points: number;
  counts: LevelNumbersDto;
  awardedEntries: number;
  totalEntries: number;
  decidedBy: UnitTieBreakStep | null;
  @ApiProperty({ type: [Number] })
  tiedWith: number[];
  reason: string;
}

export class ExcellentUnitsView {
  topN: number;
  selectedCount: number;
  /** The units sharing the place that straddles the top N, when there are such. */
  tieAtCutoff: CutoffTie | null;
  @ApiProperty({ type: [UnitStandingDto] })
  units: UnitStandingDto[];
}

export class AdjustmentView extends AdjustmentRecord {
  title: string | null;
  /** Whether it decides the entry's level (the latest per entry does). */
  applied: boolean;
}

export class UnrankedView extends UnrankedDto {
  title: string | null;
}

export class StageMarkView {
  expertId: number;
  expertName: string | null;
  /** The sheet total, points with one decimal. */
  points: string;
  /** The normalised mark (points, 4 decimals), when marks were normalised. */
  normalizedPoints?: string;
  status: 'used' | 'dropped_highest' | 'dropped_lowest' | 'not_middle';
}

export class DroppedMarkView {
  expertId: number;
  expertName: string | null;
  points: string;
  why: 'highest' | 'lowest';
}

export class StageView {
  /** The method applied ('mean' when a trimmed mean fell back for lack of marks). */
  method: AggregationMethod;
  requestedMethod: AggregationMethod;
  reason: string;
  /** Points, 4 decimals. */
  score: string;
  normalized: boolean;
  count: number;
  @ApiProperty({ type: [Number] })
  used: number[];
  @ApiProperty({ type: [StageMarkView] })
  marks: StageMarkView[];
  @ApiProperty({ type: [DroppedMarkView] })
  dropped: DroppedMarkView[];
  untrimmedSum: string;
  min: string;
  max: string;
}

export class EntryStagesView {
  material: StageView | null;
  presentation: StageView | null;
}

/** One sentence of the explanation in Chinese: its code, the values it is made of, and the text. */
export class ExplanationStepDto {
  @ApiProperty({ enum: EXPLANATION_CODES })
  code: ExplanationCode;
  /** The values of the sentence (points as text with their decimals, ids, counts, Chinese names). */
  @ApiProperty({ type: 'object', additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }] } })
  params: Record<string, string | number>;
  /** The Chinese sentence. */
  text: string;
}

export class EntryExplanation {
  entryId: number;
  title: string;
  enterpriseId: number;
  enterpriseName: string;
  teamName: string;
  unitId: number;
  unitName: string;
  trackId: number | null;
  trackName: string | null;
  panelId: number | null;
  panelName: string | null;
  participation: Participation;
  rank: number | null;
  decidedBy: TieBreakStep | null;
  @ApiProperty({ type: [Number] })
  tiedWith: number[];
  rankReason: string;
  /** Points, 4 decimals. */
  finalScore: string | null;
  finalScoreExplanation: string;
  untrimmedSum: string;
  stages: EntryStagesView;
  @ApiProperty({ ...LEVEL, nullable: true }) computedLevel: Level | null;
  levelReason: string;
  @ApiProperty({ type: [String] })
  levelTrail: string[];
  needsOrganizerDecision: boolean;
  /** The level shown: the computed one, or the organizer's adjustment. */
  @ApiProperty({ ...LEVEL, nullable: true }) level: Level | null;
  adjusted: boolean;
  /** The adjustment that decided `level`, when there is one. */
  adjustment: EntryAdjustmentRef | null;
  /** The same explanation as Chinese sentences (one per stage, the final score, the place, each level considered). */
  @ApiProperty({ type: [ExplanationStepDto] })
  explanationZh: ExplanationStepDto[];
}

export class RankingPage extends PageOf(EntryExplanation) {}

/** The organizer's view of a snapshot: the ranking (paged) with every entry's explanation. */
export class ResultsViewResponse {
  contest: ResultsContestRef;
  snapshot: SnapshotResponse;
  rules: AppliedRules;
  @ApiProperty({ type: [Number] })
  tieBreakOrder: number[];
  levelCounts: LevelNumbersDto;
  computedLevelCounts: LevelNumbersDto;
  allocation: AllocationReportDto;
  @ApiProperty({ type: [PayloadBoundaryTieDto] })
  boundaryTies: PayloadBoundaryTieDto[];
  unresolvedTieCount: number;
  @ApiProperty({ type: [RankTieDto] })
  unresolvedRankTies: RankTieDto[];
  excellentUnits: ExcellentUnitsView;
  computedExcellentUnits: ExcellentUnitsView;
  @ApiProperty({ type: [AdjustmentView] })
  adjustments: AdjustmentView[];
  @ApiProperty({ type: [UnrankedView] })
  unranked: UnrankedView[];
  ranking: RankingPage;
}
