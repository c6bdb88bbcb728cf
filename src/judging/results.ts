/**
 * The results of a whole contest, composed from the judging rules:
 * sheets → (optional per-judge normalisation per panel and stage) → aggregation per entry and stage
 * → weighted final score → ranking → award allocation → excellent recommending units, plus a panel
 * quality report per panel and stage.
 *
 * - Rounding: see aggregation.ts (exact integers, round-half-up once to Score4) and final-score.ts.
 * - The panel of an entry is its `panelId`; an entry without one is judged by its track's panel
 *   (panels are per track in this domain), so normalisation then runs within the track.
 * - The ranking's `untrimmed_sum` tie-break is the sum of ALL raw marks (tenths) of the entry, both
 *   stages together, before trimming and normalisation.
 * - An entry missing the score of a stage with a positive weight is not ranked and gets no level;
 *   it is listed with the reason (it still counts as an entry of its recommending unit).
 * - The output does not depend on the order of the input arrays: everything is keyed and sorted by
 *   ids. `tieBreakOrder` is the one ordered input: it IS the organizer's recorded decision.
 */
import {
  JudgingInputError,
  aggregateMarks,
  aggregateNormalizedMarks,
  assertSafeInteger,
  normalizeByJudge,
  type Aggregation,
  type AggregationMethod,
  type NormalizedMark,
  type Score4,
  type Tenths,
} from './aggregation.js';
import {
  AWARD_LEVELS,
  allocateAwards,
  validateAllocationRules,
  type AllocationReport,
  type AllocationScope,
  type AwardLevel,
  type BoundaryTiePolicy,
  type Quotas,
} from './award-allocation.js';
import { selectExcellentUnits, validateExcellentUnitFormula, type ExcellentUnitFormula, type ExcellentUnitsResult } from './excellent-units.js';
import { STAGES, computeFinalScore, validateWeights, type Stage, type StageWeights } from './final-score.js';
import { assessPanel, type PanelQualityReport } from './panel-quality.js';
import { rankEntries, type TieBreakStep } from './ranking.js';

export interface ContestRules {
  aggregationMethod: AggregationMethod;
  trimMinSheets: number;
  normalizeByJudge: boolean;
  weights: StageWeights;
  quotas: Quotas;
  scope: AllocationScope;
  minimumScores?: Partial<Record<AwardLevel, Score4>>;
  boundaryTiePolicy: BoundaryTiePolicy;
  excellentUnits: ExcellentUnitFormula;
  /** The organizer's recorded order for ties the scores do not break. */
  tieBreakOrder?: readonly number[];
}

export interface ContestEntry {
  id: number;
  trackId: number;
  unitId: number;
  panelId?: number | null;
}

export interface ScoreSheet {
  expertId: number;
  entryId: number;
  stage: Stage;
  /** tenths of a point */
  total: Tenths;
}

export interface ResultsInput {
  rules: ContestRules;
  entries: readonly ContestEntry[];
  sheets: readonly ScoreSheet[];
}

export interface EntryResult {
  entryId: number;
  trackId: number;
  unitId: number;
  /** 'panel:<id>' or, without a panel, 'track:<trackId>' */
  panel: string;
  stages: Record<Stage, Aggregation | null>;
  finalScore: Score4 | null;
  finalScoreExplanation: string;
  untrimmedSum: Tenths;
  ranked: boolean;
  rank: number | null;
  decidedBy: TieBreakStep | null;
  tiedWith: number[];
  rankReason: string;
  level: AwardLevel | null;
  levelReason: string;
  levelTrail: string[];
  needsOrganizerDecision: boolean;
}

export interface PanelStageQuality {
  panel: string;
  stage: Stage;
  report: PanelQualityReport;
}

export interface ContestResults {
  /** Ranked entries by (rank, entryId), then unranked entries by entryId. */
  entries: EntryResult[];
  ranking: { unresolvedTies: { rank: number; entryIds: number[] }[]; unknownTieBreakIds: number[] };
  allocation: AllocationReport;
  levelCounts: Record<AwardLevel, number>;
  excellentUnits: ExcellentUnitsResult;
  panelQuality: PanelStageQuality[];
  unranked: { entryId: number; reason: string }[];
}

function panelOf(e: ContestEntry): string {
  return e.panelId === undefined || e.panelId === null ? `track:${e.trackId}` : `panel:${e.panelId}`;
}

function validate(input: ResultsInput): void {
  const { rules } = input;
  validateWeights(rules.weights);
  validateAllocationRules({ quotas: rules.quotas, scope: rules.scope, minimumScores: rules.minimumScores, boundaryTiePolicy: rules.boundaryTiePolicy });
  validateExcellentUnitFormula(rules.excellentUnits);
  if (!['trimmed_mean', 'mean', 'median'].includes(rules.aggregationMethod)) {
    throw new JudgingInputError(`unknown aggregation method ${String(rules.aggregationMethod)}`);
  }
  assertSafeInteger(rules.trimMinSheets, 'trimMinSheets');
  if (rules.trimMinSheets < 3) throw new JudgingInputError('trimMinSheets must be at least 3');
  const ids = new Set<number>();
  for (const e of input.entries) {
    assertSafeInteger(e.id, 'entry id');
    assertSafeInteger(e.trackId, `trackId of entry ${e.id}`);
    assertSafeInteger(e.unitId, `unitId of entry ${e.id}`);
    if (e.panelId !== undefined && e.panelId !== null) assertSafeInteger(e.panelId, `panelId of entry ${e.id}`);
    if (ids.has(e.id)) throw new JudgingInputError(`entry ${e.id} given twice`);
    ids.add(e.id);
  }
  const sheetKeys = new Set<string>();
  for (const s of input.sheets) {
    assertSafeInteger(s.expertId, 'expertId');
    assertSafeInteger(s.total, `total of expert ${s.expertId} on entry ${s.entryId}`);
    if (!ids.has(s.entryId)) throw new JudgingInputError(`sheet for unknown entry ${s.entryId}`);
    if (!STAGES.includes(s.stage)) throw new JudgingInputError(`unknown stage ${String(s.stage)}`);
    const key = `${s.entryId}:${s.stage}:${s.expertId}`;
    if (sheetKeys.has(key)) throw new JudgingInputError(`expert ${s.expertId} has two ${s.stage} sheets for entry ${s.entryId}`);
    sheetKeys.add(key);
  }
}

export function computeResults(input: ResultsInput): ContestResults {
  validate(input);
  const { rules } = input;
  const entries = [...input.entries].sort((a, b) => a.id - b.id);
  const sheets = [...input.sheets].sort(
    (a, b) => STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage) || a.entryId - b.entryId || a.expertId - b.expertId,
  );
  const entryById = new Map(entries.map((e) => [e.id, e]));

  // Sheets per (entry, stage) and per (panel, stage).
  const byEntryStage = new Map<string, ScoreSheet[]>();
  const byPanelStage = new Map<string, { panel: string; stage: Stage; sheets: ScoreSheet[] }>();
  for (const s of sheets) {
    const ek = `${s.entryId}:${s.stage}`;
    byEntryStage.set(ek, [...(byEntryStage.get(ek) ?? []), s]);
    const panel = panelOf(entryById.get(s.entryId)!);
    const pk = `${panel}|${s.stage}`;
    const group = byPanelStage.get(pk) ?? { panel, stage: s.stage, sheets: [] };
    group.sheets.push(s);
    byPanelStage.set(pk, group);
  }
  const panelGroups = [...byPanelStage.values()].sort((a, b) => (a.panel < b.panel ? -1 : a.panel > b.panel ? 1 : 0) || STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage));

  const normalized = new Map<string, NormalizedMark>(); // `${entryId}:${stage}:${expertId}`
  if (rules.normalizeByJudge) {
    for (const g of panelGroups) {
      for (const m of normalizeByJudge(g.sheets).marks) normalized.set(`${m.entryId}:${g.stage}:${m.expertId}`, m);
    }
  }

  interface Working {
    entry: ContestEntry;
    stages: Record<Stage, Aggregation | null>;
    finalScore: Score4 | null;
    finalScoreExplanation: string;
    untrimmedSum: Tenths;
  }
  const working: Working[] = entries.map((entry) => {
    const stages = { material: null, presentation: null } as Record<Stage, Aggregation | null>;
    for (const stage of STAGES) {
      const marks = byEntryStage.get(`${entry.id}:${stage}`) ?? [];
      if (marks.length === 0) continue;
      stages[stage] = rules.normalizeByJudge
        ? aggregateNormalizedMarks({
            marks: marks.map((m) => normalized.get(`${m.entryId}:${stage}:${m.expertId}`)!),
            method: rules.aggregationMethod,
            trimMinSheets: rules.trimMinSheets,
          })
        : aggregateMarks({ marks, method: rules.aggregationMethod, trimMinSheets: rules.trimMinSheets });
    }
    const final = computeFinalScore({ material: stages.material?.value ?? null, presentation: stages.presentation?.value ?? null }, rules.weights);
    return {
      entry,
      stages,
      finalScore: final.ok ? final.value : null,
      finalScoreExplanation: final.explanation,
      untrimmedSum: (stages.material?.untrimmedSum ?? 0) + (stages.presentation?.untrimmedSum ?? 0),
    };
  });

  const rankable = working.filter((w) => w.finalScore !== null);
  const ranking = rankEntries(
    rankable.map((w) => ({
      entryId: w.entry.id,
      finalScore: w.finalScore!,
      presentationScore: w.stages.presentation?.value ?? null,
      untrimmedSum: w.untrimmedSum,
    })),
    { tieBreakOrder: rules.tieBreakOrder ?? [] },
  );
  const rankById = new Map(ranking.entries.map((r) => [r.entryId, r]));

  const allocation = allocateAwards(
    ranking.entries.map((r) => ({ entryId: r.entryId, trackId: entryById.get(r.entryId)!.trackId, rank: r.rank, finalScore: r.finalScore })),
    { quotas: rules.quotas, scope: rules.scope, minimumScores: rules.minimumScores, boundaryTiePolicy: rules.boundaryTiePolicy },
  );
  const awardById = new Map(allocation.entries.map((a) => [a.entryId, a]));

  const results: EntryResult[] = working.map((w) => {
    const r = rankById.get(w.entry.id);
    const a = awardById.get(w.entry.id);
    const notRanked = `not ranked: ${w.finalScoreExplanation}`;
    return {
      entryId: w.entry.id,
      trackId: w.entry.trackId,
      unitId: w.entry.unitId,
      panel: panelOf(w.entry),
      stages: w.stages,
      finalScore: w.finalScore,
      finalScoreExplanation: w.finalScoreExplanation,
      untrimmedSum: w.untrimmedSum,
      ranked: r !== undefined,
      rank: r?.rank ?? null,
      decidedBy: r?.decidedBy ?? null,
      tiedWith: r?.tiedWith ?? [],
      rankReason: r?.reason ?? notRanked,
      level: a?.level ?? null,
      levelReason: a?.reason ?? notRanked,
      levelTrail: a?.trail ?? [],
      needsOrganizerDecision: a?.needsOrganizerDecision ?? false,
    };
  });
  results.sort((x, y) => (x.rank ?? Number.MAX_SAFE_INTEGER) - (y.rank ?? Number.MAX_SAFE_INTEGER) || x.entryId - y.entryId);

  const levelCounts = Object.fromEntries(AWARD_LEVELS.map((l) => [l, results.filter((r) => r.level === l).length])) as Record<AwardLevel, number>;
  const excellentUnits = selectExcellentUnits(
    results.map((r) => ({ entryId: r.entryId, unitId: r.unitId, level: r.level })),
    rules.excellentUnits,
  );

  const panelQuality: PanelStageQuality[] = panelGroups.map((g) => ({
    panel: g.panel,
    stage: g.stage,
    report: assessPanel({
      marks: g.sheets,
      dropped: results
        .filter((r) => r.panel === g.panel)
        .flatMap((r) => (r.stages[g.stage]?.dropped ?? []).map((d) => ({ expertId: d.expertId, entryId: r.entryId, why: d.why }))),
    }),
  }));

  return {
    entries: results,
    ranking: { unresolvedTies: ranking.unresolvedTies, unknownTieBreakIds: ranking.unknownTieBreakIds },
    allocation: allocation.report,
    levelCounts,
    excellentUnits,
    panelQuality,
    unranked: results.filter((r) => !r.ranked).map((r) => ({ entryId: r.entryId, reason: r.rankReason })),
  };
}
