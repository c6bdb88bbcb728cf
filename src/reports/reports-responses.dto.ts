// Response bodies of the year's report routes, for the OpenAPI document.
import { ApiProperty } from '@nestjs/swagger';

export class CountRowDto {
  /** Stable key (unit id, industry, entry type, track id; '' for none). */
  key: string;
  label: string;
  count: number;
}

export class UnitCountRowDto extends CountRowDto {
  /** Enterprises of the unit taking part. */
  enterprises: number;
}

export class LevelCountsDto {
  first: number;
  second: number;
  third: number;
  excellence: number;
  total: number;
}

export class LevelRowDto extends LevelCountsDto {
  key: string;
  label: string;
}

export class ParticipationDto {
  /** Entries taking part (submitted at least once, not withdrawn). */
  entries: number;
  enterprises: number;
  /** Recommending units with entries taking part. */
  units: number;
  /** Team members over all entries taking part. */
  teamMembers: number;
  /** Team members per entry, one decimal, e.g. "7.4". */
  membersPerEntry: string;
}

export class ReviewFiguresDto {
  /** Entries with at least one review decision. */
  reviewed: number;
  passedFirstTime: number;
  returnedThenPassed: number;
  /** Returned and not (yet) passed or rejected. */
  returnedPending: number;
  rejected: number;
  /** Declined by their recommending unit (never reviewed). */
  declined: number;
  /** (passed first time + returned then passed) / reviewed, e.g. "94.9%". */
  passRate: string;
  /** Checklist items failed in returns and rejections, most often first. */
  @ApiProperty({ type: [CountRowDto] }) failedItems: CountRowDto[];
}

export class AttendanceDto {
  present: number;
  absent: number;
  pending: number;
}

export class ExpertWorkloadDto {
  expertId: number;
  expertName: string;
  sheets: number;
  submitted: number;
  materialSheets: number;
  presentationSheets: number;
  /** Mean minutes from the entry's presentation slot to the submission of the presentation sheet, one decimal; null without timed sheets. */
  meanMinutesToSubmit: string | null;
  maxMinutesToSubmit: number | null;
}

export class ScoreBinDto {
  /** Lower bound, percent of the rubric's maximum. */
  from: number;
  /** Upper bound (exclusive, except 100). */
  to: number;
  count: number;
}

export class ScoreDistributionDto {
  @ApiProperty({ enum: ['material', 'presentation'], type: String }) stage: string;
  label: string;
  sheets: number;
  @ApiProperty({ type: [ScoreBinDto] }) bins: ScoreBinDto[];
}

export class AwardFiguresDto {
  /** The list the awards come from: published (or the notice list), or for an organizer the current computed one; null before computation. */
  @ApiProperty({ enum: ['computed', 'notice', 'published'], type: String, nullable: true }) status: 'computed' | 'notice' | 'published' | null;
  version: number | null;
  counts: LevelCountsDto;
  @ApiProperty({ type: [LevelRowDto] }) byUnit: LevelRowDto[];
  @ApiProperty({ type: [LevelRowDto] }) byIndustry: LevelRowDto[];
  @ApiProperty({ type: [LevelRowDto] }) byType: LevelRowDto[];
}

export class ExcellentUnitFigureDto {
  place: number;
  unitName: string;
  points: number;
  awardedEntries: number;
}

export class ObjectionFiguresDto {
  filed: number;
  answered: number;
  open: number;
  /** Objections after which the entry's result was adjusted. */
  upheld: number;
}

export class BenefitUnitDto {
  key: string;
  label: string;
  entries: number;
  totalYuan: number;
  /** 万元, two decimals. */
  totalWanYuan: string;
}

export class BenefitFiguresDto {
  /** Entries declaring an economic benefit above 0. */
  declaringEntries: number;
  /** Sum of the declared benefits, whole yuan. */
  totalYuan: number;
  /** The same in 万元, two decimals (truncated). */
  totalWanYuan: string;
  @ApiProperty({ type: [BenefitUnitDto] }) byUnit: BenefitUnitDto[];
}

export class GrowthDto {
  delta: number;
  /** e.g. "+12.5%"; null when the year before had none. */
  percent: string | null;
}

export class YearGrowthDto {
  entries: GrowthDto;
  enterprises: GrowthDto;
  awards: GrowthDto;
}

export class YearRowDto {
  contestId: number;
  name: string;
  year: number;
  entries: number;
  enterprises: number;
  units: number;
  reviewed: number;
  passed: number;
  passRate: string;
  awards: LevelCountsDto;
  excellentUnits: number;
  /** Against the row before; null for the first year. */
  growth: YearGrowthDto | null;
}

export class ReportContestDto {
  id: number;
  name: string;
  year: number;
  phase: string;
}

export class ReportDocumentDto {
  /** 文号 of the award notice; null until an organizer sets it. */
  documentNumber: string | null;
  /** 发文机关 (default: the contest's 组委会). */
  issuer: string;
  /** 主送 line (default 各推荐单位、各有关企业). */
  addressee: string;
  updatedAt: string | null;
  /** Whether the notice can be generated now (results published and a 文号 set). */
  noticeReady: boolean;
}

export class StatisticsResponse {
  contest: ReportContestDto;
  /** full: an organizer's; public: the subset shown once the results are published. */
  @ApiProperty({ enum: ['full', 'public'], type: String }) scope: 'full' | 'public';
  participation: ParticipationDto;
  @ApiProperty({ type: [UnitCountRowDto] }) entriesByUnit: UnitCountRowDto[];
  @ApiProperty({ type: [CountRowDto] }) entriesByIndustry: CountRowDto[];
  @ApiProperty({ type: [CountRowDto] }) entriesByType: CountRowDto[];
  @ApiProperty({ type: [CountRowDto] }) entriesByTrack: CountRowDto[];
  awards: AwardFiguresDto;
  @ApiProperty({ type: [ExcellentUnitFigureDto] }) excellentUnits: ExcellentUnitFigureDto[];
  /** The seed's sentence (经材料初审、现场发表、专家评审，评选出…) from the award counts; null before computation. */
  summarySentence: string | null;
  /** Earlier contests of this deployment and this one, oldest first. */
  @ApiProperty({ type: [YearRowDto] }) yearOnYear: YearRowDto[];
  review?: ReviewFiguresDto;
  attendance?: AttendanceDto;
  @ApiProperty({ type: [ExpertWorkloadDto], required: false }) expertWorkload?: ExpertWorkloadDto[];
  @ApiProperty({ type: [ScoreDistributionDto], required: false }) scoreDistribution?: ScoreDistributionDto[];
  objections?: ObjectionFiguresDto;
  benefits?: BenefitFiguresDto;
  /** The year's summary paragraph (participation, review, then the seed's sentence), to copy. */
  summaryParagraph?: string | null;
  document?: ReportDocumentDto;
}
