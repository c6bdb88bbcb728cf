// Response bodies of the contests routes, for the OpenAPI document (the swagger plugin reads these
// classes; controllers declare them as their return types so that tsc keeps them true).
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageOf } from '../common/pagination.js';
import type { EntryType, Phase } from './contest.entities.js';
import { TIE_BREAK_CRITERIA, type TieBreakCriterion } from '../judging/ranking.js';

/** A number per award level. */
export class LevelNumbersDto {
  first: number;
  second: number;
  third: number;
  excellence: number;
}

/** A minimum score per award level, in points (null: none). */
export class LevelMinimumsDto {
  first: number | null;
  second: number | null;
  third: number | null;
  excellence: number | null;
}

export class StageWeightsDto {
  /** Integer percent; material + presentation = 100. */
  material: number;
  presentation: number;
}

export class AggregationRulesDto {
  method: 'trimmed_mean' | 'mean' | 'median';
  /** The trimmed mean drops the highest and lowest mark only from this many sheets on (3–100). */
  trimMinSheets: number;
  normalizeByJudge: boolean;
}

export class QuotaRulesDto {
  mode: 'count' | 'ratio';
  scope: 'overall' | 'per_track';
  /** With mode `count`: how many entries per level. */
  counts?: LevelNumbersDto;
  /** With mode `ratio`: per mille of the eligible entries per level (sum ≤ 1000). */
  ratios?: LevelNumbersDto;
}

export class ExcellentUnitRulesDto {
  pointsPerLevel: LevelNumbersDto;
  /** Minimum number of awarded entries for a unit to be considered. */
  minEntries: number;
  topN: number;
}

export class CapsDto {
  entriesPerEnterprise: number;
  recommendedPerUnit: number;
  maxTeamMembers: number;
}

export class ChecklistItemDto {
  key: string;
  title: string;
}

/**
 * The contest's judging rules (one JSON document, versioned with the contest). A write sends a
 * partial document that is merged over the current rules (the defaults for a new contest):
 * top-level keys that are sent replace the current value whole, except `aggregation`,
 * `excellentUnits` and `caps`, whose own keys are merged one level deep (send just
 * `{ "caps": { "maxTeamMembers": 10 } }`). `stageWeights`, `quotas`, `minScores` and
 * `reviewChecklist` are replaced as a whole. Unknown keys are refused (400).
 */
export class ContestRulesDto {
  @ApiProperty({ type: [String] })
  allowedEntryTypes: EntryType[];
  stageWeights: StageWeightsDto;
  aggregation: AggregationRulesDto;
  quotas: QuotaRulesDto;
  minScores: LevelMinimumsDto;
  boundaryTiePolicy: 'include_all' | 'exclude_all' | 'report_only';
  excellentUnits: ExcellentUnitRulesDto;
  caps: CapsDto;
  /** The preliminary-review checklist. */
  @ApiProperty({ type: [ChecklistItemDto] })
  reviewChecklist: ChecklistItemDto[];
  /** Earliest allowed start of an activity period, YYYY-MM-DD (null: any). */
  activityNotBefore: string | null;
  showScoresPublicly: boolean;
  /**
   * How ties of the final score are broken, in order (the final score always first, a shared rank
   * always last); default: presentation_score, untrimmed_sum, organizer_decision.
   */
  @ApiProperty({ enum: TIE_BREAK_CRITERIA, isArray: true })
  tieBreakChain: TieBreakCriterion[];
  /** Certificates name the team members (组长 first). */
  certificateTeamMembers: boolean;
}

export class RubricItemResponse {
  key: string;
  title: string;
  description: string;
  /** Maximum in points. */
  max: number;
}

export class RubricResponseDto {
  id: number;
  entryType: EntryType;
  stage: 'material' | 'presentation';
  version: number;
  @ApiProperty({ type: [RubricItemResponse] })
  items: RubricItemResponse[];
  /** Sum of the maxima, in points. */
  total: number;
}

export class TrackResponse {
  id: number;
  contestId: number;
  name: string;
  /** Entries of this industry are placed here (null: any). */
  industry: string | null;
  /** Entries of this type are placed here (null: any). */
  entryType: EntryType | null;
}

export class ContestResponse {
  id: number;
  name: string;
  year: number;
  theme: string | null;
  phase: Phase;
  submissionOpensAt: string | null;
  submissionClosesAt: string | null;
  /** 推荐截止时间: units recommend or decline until then (null: until review ends); later 409 recommendation_deadline_passed. */
  recommendationClosesAt: string | null;
  /** The preliminary review's planned end (shown, not enforced). */
  reviewClosesAt: string | null;
  /** YYYY-MM-DD */
  presentationFrom: string | null;
  /** YYYY-MM-DD */
  presentationTo: string | null;
  noticeDays: number;
  noticeEndsAt: string | null;
  rules: ContestRulesDto;
  rulesVersion: number;
  createdAt: string | null;
  updatedAt: string | null;
  /** Present on GET /contests/{id}: the current rubric of each entry type and stage. */
  @ApiPropertyOptional({ type: [RubricResponseDto] })
  rubrics?: RubricResponseDto[];
  /** Present on GET /contests/{id}. */
  @ApiPropertyOptional({ type: [TrackResponse] })
  tracks?: TrackResponse[];
}

export class ContestPage extends PageOf(ContestResponse) {}

export class DefaultRubricsByType {
  @ApiProperty({ type: [RubricItemResponse] })
  problem_solving: RubricItemResponse[];
  @ApiProperty({ type: [RubricItemResponse] })
  innovation: RubricItemResponse[];
}

export class DefaultRubrics {
  material: DefaultRubricsByType;
  /** One presentation rubric for both entry types. */
  @ApiProperty({ type: [RubricItemResponse] })
  presentation: RubricItemResponse[];
}

export class ContestDefaultsResponse {
  rules: ContestRulesDto;
  rubrics: DefaultRubrics;
}

export class PhaseBlockerDto {
  code: string;
  message: string;
  count?: number;
  /** The fact a `fact_missing` blocker is about. */
  fact?: string;
}

export class PhaseConditionDto {
  key: string;
  label: string;
  met: boolean;
  /** The blockers' explanations when unmet. */
  message: string | null;
  count: number | null;
}

export class PhaseStatusResponse {
  phase: Phase;
  /** The next phase (null after the last one). */
  @ApiProperty({ enum: ['draft', 'open', 'review', 'presentation', 'finalizing', 'notice', 'published', 'archived'], nullable: true, type: String })
  next: Phase | null;
  /** Whether the contest may move to `next` now. */
  ready: boolean;
  @ApiProperty({ type: [PhaseBlockerDto] })
  blockers: PhaseBlockerDto[];
  @ApiProperty({ type: [PhaseConditionDto] })
  conditions: PhaseConditionDto[];
}
