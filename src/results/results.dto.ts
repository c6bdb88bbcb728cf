import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf, ValidateNested,
} from 'class-validator';
import type { Level } from '../contests/contest-rules.js';
import type { Phase } from '../contests/contest.entities.js';
import type { Stage } from '../judging/final-score.js';
import { explainEntryZh } from '../judging/explanation-zh.js';
import { PageQuery } from '../common/pagination.js';
import type { Objection, ResultSnapshot } from './results.entities.js';
import { formatPoints, formatTenths, LEVELS, type PayloadEntry, type PayloadUnit, type ResultsPayload } from './results-payload.js';

const NOT_BLANK = /\S/;
const MAX_ID = 2_147_483_647;

export class ComputeResultsDto {
  /**
   * The organizer's recorded order for ties the scores do not break (entry ids, first = placed
   * higher). Omitted: the order of the previous computation is kept; [] clears it.
   */
  @IsOptional() @IsArray() @ArrayMaxSize(100000) @ArrayUnique() @IsInt({ each: true }) @Min(1, { each: true }) @Max(MAX_ID, { each: true })
  @ApiPropertyOptional({ type: [Number] })
  tieBreakOrder?: number[];

  /** Why this computation (e.g. the decision recorded for a tie), kept with the snapshot. */
  @IsOptional() @IsString() @Matches(NOT_BLANK) @MaxLength(500)
  reason?: string;
}

export class AdjustmentDto {
  @IsInt() @Min(1) @Max(MAX_ID)
  entryId: number;

  /** The level to show: first, second, third, excellence, or null for no award. */
  @ValidateIf((_o: object, v: unknown) => v !== null) @IsIn(LEVELS)
  level: Level | null;

  /** Why (required; kept with the result and in the audit trail). */
  @IsString() @Matches(NOT_BLANK) @MinLength(1) @MaxLength(500)
  reason: string;
}

export class RepublishDto {
  /** Why a new version of the published result is issued (required). */
  @IsString() @Matches(NOT_BLANK) @MinLength(1) @MaxLength(500)
  reason: string;

  /** Level corrections applied in the new version. */
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => AdjustmentDto)
  @ApiPropertyOptional({ type: [AdjustmentDto] })
  adjustments?: AdjustmentDto[];
}

export class VersionQuery {
  /** A snapshot version (default: the current one). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_ID)
  version?: number;
}

export class ResultsQuery extends PageQuery {
  /** A snapshot version (default: the current one). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_ID)
  version?: number;
}

export class FileObjectionDto {
  /** The entry objected to (any entry of the notice list, awarded or not). */
  @IsInt() @Min(1) @Max(MAX_ID)
  entryId: number;

  /** Who files it (a person or an organisation). */
  @IsString() @Matches(NOT_BLANK) @MinLength(1) @MaxLength(100)
  name: string;

  /** How to reach them (phone or e-mail). */
  @IsString() @Matches(NOT_BLANK) @MinLength(1) @MaxLength(100)
  contact: string;

  /** The objection itself. */
  @IsString() @Matches(NOT_BLANK) @MinLength(1) @MaxLength(5000)
  content: string;
}

export class AnswerObjectionDto {
  @IsString() @Matches(NOT_BLANK) @MinLength(1) @MaxLength(5000)
  answer: string;
}

export class ObjectionsQuery extends PageQuery {
  @IsOptional() @IsIn(['open', 'answered'])
  status?: 'open' | 'answered';
}

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

const iso = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

export function toSnapshotResponse(s: ResultSnapshot) {
  return {
    id: s.id,
    version: s.version,
    status: s.status,
    hash: s.hash,
    reason: s.reason,
    createdBy: s.createdBy,
    createdAt: iso(s.createdAt),
    frozenAt: iso(s.frozenAt),
    publishedAt: iso(s.publishedAt),
  };
}

type Names = Map<number, string>;

function toStageView(a: PayloadEntry['stages'][Stage], experts: Names) {
  if (!a) return null;
  return {
    method: a.method,
    requestedMethod: a.requestedMethod,
    reason: a.reason,
    score: formatPoints(a.value),
    normalized: a.normalized,
    count: a.count,
    used: a.used,
    marks: a.marks.map((m) => ({
      expertId: m.expertId,
      expertName: experts.get(m.expertId) ?? null,
      points: formatTenths(m.total),
      ...(m.adjusted !== undefined ? { normalizedPoints: formatPoints(m.adjusted) } : {}),
      status: m.status,
    })),
    dropped: a.dropped.map((d) => ({ expertId: d.expertId, expertName: experts.get(d.expertId) ?? null, points: formatTenths(d.total), why: d.why })),
    untrimmedSum: formatTenths(a.untrimmedSum),
    min: formatTenths(a.min),
    max: formatTenths(a.max),
  };
}

/** One entry of the organizer's ranking, with everything that decided its place and level. */
export function toEntryExplanation(e: PayloadEntry, payload: Omit<ResultsPayload, 'entries'>, experts: Names) {
  const adj = e.adjustmentId === null ? null : payload.adjustments.find((a) => a.id === e.adjustmentId) ?? null;
  return {
    entryId: e.entryId,
    title: e.title,
    enterpriseId: e.enterpriseId,
    enterpriseName: e.enterpriseName,
    teamName: e.teamName,
    unitId: e.unitId,
    unitName: e.unitName,
    trackId: e.trackId,
    trackName: e.trackName,
    panelId: e.panelId,
    panelName: e.panelName,
    participation: e.participation,
    rank: e.rank,
    decidedBy: e.decidedBy,
    tiedWith: e.tiedWith,
    rankReason: e.rankReason,
    /** points, 4 decimals */
    finalScore: e.finalScore === null ? null : formatPoints(e.finalScore),
    finalScoreExplanation: e.finalScoreExplanation,
    untrimmedSum: formatTenths(e.untrimmedSum),
    stages: { material: toStageView(e.stages.material, experts), presentation: toStageView(e.stages.presentation, experts) },
    computedLevel: e.computedLevel,
    levelReason: e.levelReason,
    levelTrail: e.levelTrail,
    /** The same steps in Chinese, one sentence each (code + params + text): what every client shows. */
    explanationZh: explainEntryZh({ ...e, adjustment: adj ? { level: adj.level, reason: adj.reason } : null }, {
      weights: payload.rules.weights, trimMinSheets: payload.rules.trimMinSheets, scope: payload.rules.scope,
      policy: payload.rules.boundaryTiePolicy, scopes: payload.allocation.scopes, boundaryTies: payload.allocation.boundaryTies,
    }),
    needsOrganizerDecision: e.needsOrganizerDecision,
    level: e.level,
    adjusted: adj !== null,
    adjustment: adj ? { id: adj.id, level: adj.level, reason: adj.reason, createdBy: adj.createdBy, createdAt: adj.createdAt } : null,
  };
}

function toUnitsView(u: ResultsPayload['excellentUnits']) {
  return {
    topN: u.topN,
    selectedCount: u.selectedCount,
    tieAtCutoff: u.tieAtCutoff,
    units: u.units.map((x: PayloadUnit) => ({
      unitId: x.unitId,
      unitName: x.unitName,
      place: x.place,
      selected: x.selected,
      eligible: x.eligible,
      points: x.points,
      counts: x.counts,
      awardedEntries: x.awardedEntries,
      totalEntries: x.totalEntries,
      decidedBy: x.decidedBy,
      tiedWith: x.tiedWith,
      reason: x.reason,
    })),
  };
}

export function toResultsView(
  contest: { id: number; name: string; phase: Phase },
  snapshot: ResultSnapshot,
  payload: Omit<ResultsPayload, 'entries'>,
  /** The page of entries shown, how many the snapshot has, and the titles of the entries its adjustments and unranked list name. */
  ranking: { entries: PayloadEntry[]; total: number; titles: ReadonlyMap<number, string> },
  window: { skip: number; take: number; page: number; pageSize: number },
  experts: Names,
) {
  const titles = ranking.titles;
  const minimum = (v: number | null) => (v === null ? null : formatPoints(v));
  return {
    contest,
    snapshot: toSnapshotResponse(snapshot),
    rules: {
      ...payload.rules,
      minimumScores: Object.fromEntries(Object.entries(payload.rules.minimumScores ?? {}).map(([k, v]) => [k, formatPoints(v as number)])),
    },
    tieBreakOrder: payload.tieBreakOrder,
    levelCounts: payload.levelCounts,
    computedLevelCounts: payload.computedLevelCounts,
    allocation: {
      ...payload.allocation,
      scopes: payload.allocation.scopes.map((s) => ({ ...s, levels: s.levels.map((l) => ({ ...l, minimumScore: minimum(l.minimumScore) })) })),
    },
    boundaryTies: payload.boundaryTies,
    unresolvedTieCount: payload.unresolvedTieCount,
    unresolvedRankTies: payload.ranking.unresolvedTies,
    excellentUnits: toUnitsView(payload.excellentUnits),
    computedExcellentUnits: toUnitsView(payload.computedExcellentUnits),
    adjustments: payload.adjustments.map((a) => ({ ...a, title: titles.get(a.entryId) ?? null })),
    unranked: payload.unranked.map((u) => ({ ...u, title: titles.get(u.entryId) ?? null })),
    ranking: {
      items: ranking.entries.map((e) => toEntryExplanation(e, payload, experts)),
      total: ranking.total,
      page: window.page,
      pageSize: window.pageSize,
    },
  };
}

export function toObjectionResponse(o: Objection, entryTitle: string | null) {
  return {
    id: o.id,
    contestId: o.contestId,
    entryId: o.entryId,
    entryTitle,
    name: o.filedByName,
    contact: o.contact,
    content: o.content,
    status: o.status,
    answer: o.answer,
    answeredBy: o.answeredBy,
    answeredAt: iso(o.answeredAt),
    createdAt: iso(o.createdAt),
  };
}
