/**
 * The results of a whole contest, composed from the judging rules:
 * sheets → (optional per-judge normalisation per panel and stage) → aggregation per entry and stage
 * → weighted final score → ranking → award allocation → excellent recommending units, plus (unless
 * `{ quality: false }`) a panel quality report per panel and stage.
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
  aggregateNormalizedMarks,
  aggregateOwnedMarks,
  aggregatePairs,
  expandAggregation,
  isCompactAggregation,
  ownedMark,
  assertSafeInteger,
  flatString,
  normalizeByJudge,
  sortSmall,
  type Aggregation,
  type AggregationMethod,
  type CompactAggregation,
  type NormalizedMark,
  type OwnedMark,
  type PanelMark,
  type Score4,
  type Tenths,
} from './aggregation.js';
import {
  allocateAwards,
  validateAllocationRules,
  type AllocationExplanation,
  type AllocationReport,
  type AllocationScope,
  type AwardLevel,
  type BoundaryTiePolicy,
  type Quotas,
} from './award-allocation.js';
import { selectExcellentUnits, validateExcellentUnitFormula, type ExcellentUnitFormula, type ExcellentUnitsResult } from './excellent-units.js';
import { STAGES, finalScoreOf, validateWeights, type Stage, type StageWeights } from './final-score.js';
import { assessPanel, type DroppedPanelMark, type PanelQualityReport } from './panel-quality.js';
import { rankEntries, type RankedEntry, type RankingCandidate, type TieBreakCriterion, type TieBreakStep } from './ranking.js';

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
  /** The contest's tie-break criteria after the final score, in order (absent: DEFAULT_TIE_BREAK_CHAIN). */
  tieBreakChain?: readonly TieBreakCriterion[];
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

/** The sheets of one stage as parallel columns: sheet i is (entryId[i], expertId[i], total[i]). */
export interface StageSheetColumns {
  entryId: ArrayLike<number>;
  expertId: ArrayLike<number>;
  /** tenths of a point */
  total: ArrayLike<Tenths>;
}

/**
 * Sheets as columns per stage: what a loader of a whole contest (140,000 sheets at national scale)
 * gives without an object per sheet (typed arrays do). The results are those of the ScoreSheet list
 * with the material sheets in their order, then the presentation sheets in theirs.
 */
export type ScoreSheetColumns = Record<Stage, StageSheetColumns>;

export interface ResultsInput {
  rules: ContestRules;
  entries: readonly ContestEntry[];
  sheets: readonly ScoreSheet[] | ScoreSheetColumns;
}

/** The number of sheets of either form. */
export function sheetCount(sheets: ResultsInput['sheets']): number {
  return isColumns(sheets) ? sheets.material.entryId.length + sheets.presentation.entryId.length : sheets.length;
}

function isColumns(sheets: ResultsInput['sheets']): sheets is ScoreSheetColumns {
  return !Array.isArray(sheets);
}

/** A stage's aggregation as computeResults gives it: full, or compact when asked for (raw marks only). */
export type StageResult = Aggregation | CompactAggregation;

export interface EntryResult<S extends StageResult = Aggregation> {
  entryId: number;
  trackId: number;
  unitId: number;
  /** 'panel:<id>' or, without a panel, 'track:<trackId>' */
  panel: string;
  stages: Record<Stage, S | null>;
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

export interface ContestResults<S extends StageResult = Aggregation> {
  /** Ranked entries by (rank, entryId), then unranked entries by entryId. */
  entries: EntryResult<S>[];
  ranking: { unresolvedTies: { rank: number; entryIds: number[] }[]; unknownTieBreakIds: number[] };
  allocation: AllocationReport;
  levelCounts: Record<AwardLevel, number>;
  excellentUnits: ExcellentUnitsResult;
  /** Per panel and stage, by panel then stage; empty when computed with `{ quality: false }`. */
  panelQuality: PanelStageQuality[];
  unranked: { entryId: number; reason: string }[];
}

/** Options of computeResults. */
export interface ComputeOptions {
  /**
   * Whether to compute the panel quality report (`panelQuality`). Default true. It decides nothing
   * (no score, rank or level depends on it), so a caller that does not show it (the compute and
   * freeze path, whose payload does not carry it) can skip it: `panelQuality` is then empty.
   */
  quality?: boolean;
  /**
   * Stages aggregated from raw marks given compact (CompactAggregation: no reason text, no object per
   * mark; `expandAggregation` gives the full one back). Default false. Normalised stages (rules with
   * normalizeByJudge) are always full. Nothing else of the results changes.
   */
  compact?: boolean;
}

/**
 * An entry with its marks per stage (each list ends up sorted by expertId). The marks are the
 * core's own objects, one per sheet, made when the sheet is filed: the raw-mark aggregation takes
 * them as the marks it returns (with their status), so a sheet costs one object from input to result.
 */
interface Slot {
  entry: ContestEntry;
  panel: string;
  sheets: Record<Stage, OwnedMark[]>;
  /** Compact mode: each stage's marks as (expertId, total) pairs instead of `sheets` (which stay empty). */
  pairs: Record<Stage, number[]> | null;
  /** The entry's normalised marks per stage, by expertId (only with normalizeByJudge, else null). */
  normalized: Record<Stage, NormalizedMark[]> | null;
  // Filled in as the computation goes (on the slot, not in objects and maps of their own per entry):
  stages: Record<Stage, StageResult | null>;
  finalScore: Score4 | null;
  finalScoreExplanation: string;
  untrimmedSum: Tenths;
  ranked: RankedEntry | null;
  award: AllocationExplanation | null;
}

function panelOf(e: ContestEntry): string {
  return e.panelId === undefined || e.panelId === null ? `track:${e.trackId}` : `panel:${e.panelId}`;
}

function validateRules(rules: ContestRules): void {
  validateWeights(rules.weights);
  validateAllocationRules({ quotas: rules.quotas, scope: rules.scope, minimumScores: rules.minimumScores, boundaryTiePolicy: rules.boundaryTiePolicy });
  validateExcellentUnitFormula(rules.excellentUnits);
  if (!['trimmed_mean', 'mean', 'median'].includes(rules.aggregationMethod)) {
    throw new JudgingInputError(`unknown aggregation method ${String(rules.aggregationMethod)}`);
  }
  assertSafeInteger(rules.trimMinSheets, 'trimMinSheets');
  if (rules.trimMinSheets < 3) throw new JudgingInputError('trimMinSheets must be at least 3');
}

/**
 * Validates the input (in input order, so the first error met is the one reported) and files each
 * sheet under its entry and stage. Duplicates are found within an entry's list of one stage (a few
 * experts), without a key per sheet.
 */
/** The mark lists of every slot in compact mode (never filled: fileSheet files into the slot's pairs). */
const NO_MARKS: Record<Stage, OwnedMark[]> = Object.freeze({ material: Object.freeze([]) as unknown as OwnedMark[], presentation: Object.freeze([]) as unknown as OwnedMark[] }) as Record<Stage, OwnedMark[]>;

function validateAndFile(input: ResultsInput, compact: boolean): Map<number, Slot> {
  validateRules(input.rules);
  const slots = new Map<number, Slot>();
  for (let ix = 0; ix < input.entries.length; ix++) {
    const e = input.entries[ix];
    assertSafeInteger(e.id, 'entry id');
    if (!Number.isSafeInteger(e.trackId)) assertSafeInteger(e.trackId, `trackId of entry ${e.id}`);
    if (!Number.isSafeInteger(e.unitId)) assertSafeInteger(e.unitId, `unitId of entry ${e.id}`);
    if (e.panelId !== undefined && e.panelId !== null && !Number.isSafeInteger(e.panelId)) assertSafeInteger(e.panelId, `panelId of entry ${e.id}`);
    if (slots.has(e.id)) throw new JudgingInputError(`entry ${e.id} given twice`);
    slots.set(e.id, {
      entry: e,
      panel: panelOf(e),
      // Compact mode files into `pairs`: the mark lists stay empty, one shared record for all slots.
      sheets: compact ? NO_MARKS : { material: [], presentation: [] },
      pairs: compact ? { material: [], presentation: [] } : null,
      normalized: input.rules.normalizeByJudge ? { material: [], presentation: [] } : null,
      stages: { material: null, presentation: null },
      finalScore: null,
      finalScoreExplanation: '',
      untrimmedSum: 0,
      ranked: null,
      award: null,
    });
  }
  const sheets = input.sheets;
  if (isColumns(sheets)) {
    for (const stage of STAGES) {
      const c = sheets[stage];
      const n = c.entryId.length;
      if (c.expertId.length !== n || c.total.length !== n) throw new JudgingInputError(`${stage} sheet columns of different lengths`);
      for (let ix = 0; ix < n; ix++) fileSheet(slots, small(c.entryId[ix]), small(c.expertId[ix]), stage, small(c.total[ix]));
    }
  } else {
    for (let ix = 0; ix < sheets.length; ix++) {
      const s = sheets[ix];
      fileSheet(slots, s.entryId, s.expertId, s.stage, s.total);
    }
  }
  return slots;
}

/**
 * The same number, as a small integer where it is one: a number read from a Float64Array column is
 * a double, which V8 boxes (a heap object per call) when it is passed on and hashes the slow way as
 * a map key; `x | 0` is the same value for every integer in int32 range, kept unboxed.
 */
function small(x: number): number {
  const i = x | 0;
  return i === x ? i : x;
}

function fileSheet(slots: Map<number, Slot>, entryId: number, expertId: number, stage: Stage, total: Tenths): void {
  assertSafeInteger(expertId, 'expertId');
  if (!Number.isSafeInteger(total)) assertSafeInteger(total, `total of expert ${expertId} on entry ${entryId}`);
  const slot = slots.get(entryId);
  if (slot === undefined) throw new JudgingInputError(`sheet for unknown entry ${entryId}`);
  if (stage !== 'material' && stage !== 'presentation') throw new JudgingInputError(`unknown stage ${String(stage)}`);
  if (slot.pairs !== null) {
    const pairs = slot.pairs[stage];
    for (let i = 0; i < pairs.length; i += 2) {
      if (pairs[i] === expertId) throw new JudgingInputError(`expert ${expertId} has two ${stage} sheets for entry ${entryId}`);
    }
    pairs.push(expertId, total);
    return;
  }
  const list = slot.sheets[stage];
  for (let i = 0; i < list.length; i++) {
    if (list[i].expertId === expertId) throw new JudgingInputError(`expert ${expertId} has two ${stage} sheets for entry ${entryId}`);
  }
  list.push(ownedMark(expertId, total));
}

const byExpertId = (a: { expertId: number }, b: { expertId: number }) => a.expertId - b.expertId;

/** Sorts (expertId, total) pairs by expertId in place (an insertion sort: a few experts per entry). */
function sortPairs(pairs: number[]): void {
  for (let i = 2; i < pairs.length; i += 2) {
    const expertId = pairs[i];
    const total = pairs[i + 1];
    let j = i - 2;
    while (j >= 0 && pairs[j] > expertId) {
      pairs[j + 2] = pairs[j];
      pairs[j + 3] = pairs[j + 1];
      j -= 2;
    }
    pairs[j + 2] = expertId;
    pairs[j + 3] = total;
  }
}

/** The sum of a stage's raw marks (tenths), whichever form its aggregation has. */
function untrimmedOf(a: StageResult | null): Tenths {
  if (a === null) return 0;
  if (!isCompactAggregation(a)) return a.untrimmedSum;
  let sum = 0;
  for (let i = 1; i < a.pairs.length; i += 2) sum += a.pairs[i];
  return sum;
}

/** The marks a stage dropped (the full aggregation's `dropped`). */
function droppedOf(a: StageResult | null | undefined): Aggregation['dropped'] {
  if (a === null || a === undefined) return [];
  return isCompactAggregation(a) ? expandAggregation(a).dropped : a.dropped;
}

export function computeResults(input: ResultsInput, options?: ComputeOptions & { compact?: false }): ContestResults;
export function computeResults(input: ResultsInput, options: ComputeOptions): ContestResults<StageResult>;
export function computeResults(input: ResultsInput, options: ComputeOptions = {}): ContestResults<StageResult> {
  const { rules } = input;
  const compact = (options.compact ?? false) && !rules.normalizeByJudge;
  const slotById = validateAndFile(input, compact);
  const slots = [...slotById.values()].sort((a, b) => a.entry.id - b.entry.id);

  // Sheets per (panel, stage), by (entryId, expertId): only normalisation and the quality report need them.
  const grouped = rules.normalizeByJudge || (options.quality ?? true);
  const byPanelStage = new Map<string, { panel: string; stage: Stage; sheets: PanelMark[] }>();
  for (let ix = 0; ix < slots.length; ix++) {
    const slot = slots[ix];
    for (const stage of STAGES) {
      if (slot.pairs !== null) {
        const pairs = slot.pairs[stage];
        if (pairs.length === 0) continue;
        sortPairs(pairs);
        if (!grouped) continue;
        const pk = `${slot.panel}|${stage}`;
        let group = byPanelStage.get(pk);
        if (group === undefined) byPanelStage.set(pk, (group = { panel: slot.panel, stage, sheets: [] }));
        for (let i = 0; i < pairs.length; i += 2) group.sheets.push({ expertId: pairs[i], entryId: slot.entry.id, total: pairs[i + 1] });
        continue;
      }
      const list = slot.sheets[stage];
      if (list.length === 0) continue;
      sortSmall(list, byExpertId);
      if (!grouped) continue;
      const pk = `${slot.panel}|${stage}`;
      let group = byPanelStage.get(pk);
      if (group === undefined) byPanelStage.set(pk, (group = { panel: slot.panel, stage, sheets: [] }));
      for (const m of list) group.sheets.push({ expertId: m.expertId, entryId: slot.entry.id, total: m.total });
    }
  }
  const panelGroups = [...byPanelStage.values()].sort((a, b) => (a.panel < b.panel ? -1 : a.panel > b.panel ? 1 : 0) || STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage));

  if (rules.normalizeByJudge) {
    // normalizeByJudge lists the marks by (entryId, expertId): each entry's come out by expertId.
    for (const g of panelGroups) {
      for (const m of normalizeByJudge(g.sheets).marks) slotById.get(m.entryId)!.normalized![g.stage].push(m);
    }
  }

  const candidates: RankingCandidate[] = [];
  for (let ix = 0; ix < slots.length; ix++) {
    const slot = slots[ix];
    const stages = slot.stages;
    for (const stage of STAGES) {
      if (slot.pairs !== null) {
        const pairs = slot.pairs[stage];
        if (pairs.length > 0) stages[stage] = aggregatePairs(pairs, rules.aggregationMethod, rules.trimMinSheets);
        continue;
      }
      const marks = slot.sheets[stage];
      if (marks.length === 0) continue;
      stages[stage] = rules.normalizeByJudge
        ? aggregateNormalizedMarks({ marks: slot.normalized![stage], method: rules.aggregationMethod, trimMinSheets: rules.trimMinSheets })
        : aggregateOwnedMarks(marks, rules.aggregationMethod, rules.trimMinSheets);
    }
    const final = finalScoreOf(stages.material?.value ?? null, stages.presentation?.value ?? null, rules.weights);
    slot.finalScore = final.value;
    slot.finalScoreExplanation = final.explanation;
    slot.untrimmedSum = untrimmedOf(stages.material) + untrimmedOf(stages.presentation);
    if (final.value !== null) candidates.push({ entryId: slot.entry.id, finalScore: final.value, presentationScore: stages.presentation?.value ?? null, untrimmedSum: slot.untrimmedSum });
  }
  const ranking = rankEntries(candidates, { tieBreakOrder: rules.tieBreakOrder ?? [], chain: rules.tieBreakChain });
  const allocationInput: { entryId: number; trackId: number; rank: number; finalScore: Score4 }[] = [];
  for (let ix = 0; ix < ranking.entries.length; ix++) {
    const r = ranking.entries[ix];
    const slot = slotById.get(r.entryId)!;
    slot.ranked = r;
    allocationInput.push({ entryId: r.entryId, trackId: slot.entry.trackId, rank: r.rank, finalScore: r.finalScore });
  }

  const allocation = allocateAwards(
    allocationInput,
    { quotas: rules.quotas, scope: rules.scope, minimumScores: rules.minimumScores, boundaryTiePolicy: rules.boundaryTiePolicy },
  );
  for (let ix = 0; ix < allocation.entries.length; ix++) {
    const a = allocation.entries[ix];
    const slot = slotById.get(a.entryId);
    if (slot !== undefined) slot.award = a;
  }

  // In the order of the results, (rank, entryId) then the unranked by entryId: the ranking lists its
  // entries by (rank, entryId) already, and `slots` are by entryId (no sort of the results needed).
  const ordered: Slot[] = [];
  for (let ix = 0; ix < ranking.entries.length; ix++) ordered.push(slotById.get(ranking.entries[ix].entryId)!);
  for (let ix = 0; ix < slots.length; ix++) if (slots[ix].ranked === null) ordered.push(slots[ix]);
  const results: EntryResult<StageResult>[] = ordered.map((slot) => {
    const entry = slot.entry;
    const r = slot.ranked ?? undefined;
    const a = slot.award ?? undefined;
    const notRanked = r === undefined || a === undefined ? flatString(`not ranked: ${slot.finalScoreExplanation}`) : '';
    return {
      entryId: entry.id,
      trackId: entry.trackId,
      unitId: entry.unitId,
      panel: slot.panel,
      stages: slot.stages,
      finalScore: slot.finalScore,
      finalScoreExplanation: slot.finalScoreExplanation,
      untrimmedSum: slot.untrimmedSum,
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

  const levelCounts: Record<AwardLevel, number> = { first: 0, second: 0, third: 0, excellence: 0 };
  for (let ix = 0; ix < results.length; ix++) {
    const r = results[ix];
    if (r.level !== null) levelCounts[r.level]++;
  }
  const excellentUnits = selectExcellentUnits(
    results.map((r) => ({ entryId: r.entryId, unitId: r.unitId, level: r.level })),
    rules.excellentUnits,
  );

  let panelQuality: PanelStageQuality[] = [];
  if (options.quality ?? true) {
    // Each panel's entries, in the order of `results`.
    const resultsByPanel = new Map<string, EntryResult<StageResult>[]>();
    for (const r of results) {
      const list = resultsByPanel.get(r.panel);
      if (list === undefined) resultsByPanel.set(r.panel, [r]);
      else list.push(r);
    }
    panelQuality = panelGroups.map((g) => {
      const dropped: DroppedPanelMark[] = [];
      for (const r of resultsByPanel.get(g.panel) ?? []) {
        for (const d of droppedOf(r.stages[g.stage])) dropped.push({ expertId: d.expertId, entryId: r.entryId, why: d.why });
      }
      return { panel: g.panel, stage: g.stage, report: assessPanel({ marks: g.sheets, dropped }) };
    });
  }

  const unranked: { entryId: number; reason: string }[] = [];
  for (let ix = 0; ix < results.length; ix++) {
    const r = results[ix];
    if (!r.ranked) unranked.push({ entryId: r.entryId, reason: r.rankReason });
  }
  return {
    entries: results,
    ranking: { unresolvedTies: ranking.unresolvedTies, unknownTieBreakIds: ranking.unknownTieBreakIds },
    allocation: allocation.report,
    levelCounts,
    excellentUnits,
    panelQuality,
    unranked,
  };
}
