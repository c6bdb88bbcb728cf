/**
 * The stored form of a contest's results (a snapshot's payload) and everything derived from it,
 * as plain functions over plain data: no Nest, no database. The service loads the facts, calls
 * `buildPayload`, hashes the payload with `canonicalHash`, and stores both.
 *
 * The payload is a pure function of its inputs (the contest's rules, the judged entries with their
 * labels, the submitted sheets, the organizer's tie-break order and adjustments): it carries no
 * time of computation, so recomputing it later from the same rows gives the same hash.
 */
import type { ContestRules, Level } from '../contests/contest-rules.js';
import { expandAggregation, isCompactAggregation, type Aggregation, type Score4, type Tenths } from '../judging/aggregation.js';
import type { AllocationReport } from '../judging/award-allocation.js';
import { selectExcellentUnits, type UnitStanding } from '../judging/excellent-units.js';
import type { Stage } from '../judging/final-score.js';
import { isDefaultTieBreakChain, type TieBreakStep } from '../judging/ranking.js';
import { computeResults, type ContestRules as CoreRules, type ContestResults, type PanelStageQuality, type ScoreSheetColumns, type StageResult, type StageSheetColumns } from '../judging/results.js';

/**
 * The format new snapshots are computed in. A snapshot keeps the format it was computed in: it is
 * recomputed (verified, frozen, republished) in that format, so its hash stays what it was.
 *
 * - 1: every stage a full Aggregation (reason text, used/dropped lists, one object per mark).
 * - 2: a stage aggregated from raw marks is a CompactAggregation (method asked for, trimming
 *   threshold, value, the marks as (expertId, total) pairs); a normalised stage is full, as in 1.
 *   Everything else is as in format 1. The full stage is a pure function of the compact one
 *   (expandAggregation): entries are read back expanded (`expandEntry`), so every reader sees
 *   format 1's entries, reasons included.
 */
export const PAYLOAD_FORMAT = 2;
export const PAYLOAD_FORMATS: readonly number[] = [1, 2];
export type PayloadFormat = 1 | 2;
export const STAGES: readonly Stage[] = ['material', 'presentation'];

/** Whether an entry took part in the ranking; absent and withdrawn entries are listed, unranked. */
export type Participation = 'judged' | 'absent' | 'withdrawn';

/** An entry of the contest as the results need it: ids and the labels people read. */
export interface EntryFacts {
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
}

/** A submitted sheet's total (tenths of a point). */
export interface SheetFact {
  entryId: number;
  expertId: number;
  stage: Stage;
  total: Tenths;
}

/** An organizer's recorded change of a level (result_adjustments row). */
export interface AdjustmentFact {
  id: number;
  entryId: number;
  level: Level | null;
  reason: string;
  createdBy: number;
  /** ISO 8601, whole seconds (what both databases keep). */
  createdAt: string;
}

/**
 * Submitted sheets as columns per stage (see ScoreSheetColumns in the core): how the loader gives
 * them, in typed arrays, without an object per sheet.
 */
export type SheetColumns = ScoreSheetColumns;

/** The submitted sheets, as a list or as columns: the results are the same. */
export type SheetFacts = SheetFact[] | SheetColumns;

export interface ResultsInputFacts {
  contestId: number;
  rules: ContestRules;
  entries: EntryFacts[];
  sheets: SheetFacts;
}

/** An entry of a payload as readers see it (format 1's form: every stage a full Aggregation). */
export type PayloadEntry = PayloadEntryOf<Aggregation>;

/** An entry as a payload stores it (format 2: stages of raw marks compact). */
export type StoredPayloadEntry = PayloadEntryOf<StageResult>;

export interface PayloadEntryOf<S extends StageResult> extends Omit<EntryFacts, 'participation'> {
  participation: Participation;
  /** 'panel:<id>' or 'track:<id>': the group normalisation and quality are computed in. */
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
  /** The level the rules gave. */
  computedLevel: Level | null;
  levelReason: string;
  levelTrail: string[];
  needsOrganizerDecision: boolean;
  /** The level shown: the computed one, or the organizer's adjustment. */
  level: Level | null;
  /** The adjustment that decided `level`, when there is one. */
  adjustmentId: number | null;
}

export interface PayloadUnit extends UnitStanding {
  unitName: string;
}

export interface PayloadBoundaryTie {
  scope: string;
  level: Level;
  policy: string;
  rank: number;
  entryIds: number[];
  seatsLeft: number;
  outcome: string;
  needsOrganizerDecision: boolean;
  /** A tie needing a decision is settled once any of its entries has an adjustment. */
  settledByAdjustment: boolean;
}

/** A snapshot's payload: `ResultsPayload<Aggregation>` is one in format 1 (or expanded). */
export interface ResultsPayload<S extends StageResult = StageResult> {
  format: number;
  contestId: number;
  /** The rules as the judging core applied them (minimum scores in Score4). */
  rules: Omit<CoreRules, 'tieBreakOrder'>;
  /** The organizer's recorded order for ties the scores do not break. */
  tieBreakOrder: number[];
  /** Ranked entries by (rank, entryId), then unranked ones by entryId, then absent and withdrawn by entryId. */
  entries: PayloadEntryOf<S>[];
  ranking: ContestResults['ranking'];
  allocation: AllocationReport;
  boundaryTies: PayloadBoundaryTie[];
  /** Boundary ties that need an organizer decision and have none yet. */
  unresolvedTieCount: number;
  computedLevelCounts: Record<Level, number>;
  computedExcellentUnits: { units: PayloadUnit[]; topN: number; selectedCount: number; tieAtCutoff: { place: number; unitIds: number[] } | null };
  /** Every adjustment taken into account, oldest first; the latest per entry decides. */
  adjustments: (AdjustmentFact & { applied: boolean })[];
  /** After adjustments: what is shown and what the excellent units are computed from. */
  levelCounts: Record<Level, number>;
  excellentUnits: { units: PayloadUnit[]; topN: number; selectedCount: number; tieAtCutoff: { place: number; unitIds: number[] } | null };
  unranked: { entryId: number; reason: string }[];
}

export const LEVELS: readonly Level[] = ['first', 'second', 'third', 'excellence'];
const POINTS = 10_000; // Score4 per point

/** The contest's rules in the judging core's terms (minimum scores: points → Score4). */
export function toCoreRules(rules: ContestRules, tieBreakOrder: readonly number[] = []): CoreRules {
  const chain = rules.tieBreakChain;
  const minimumScores: Partial<Record<Level, Score4>> = {};
  for (const level of LEVELS) {
    const min = rules.minScores?.[level];
    if (min !== null && min !== undefined) minimumScores[level] = min * POINTS;
  }
  return {
    aggregationMethod: rules.aggregation.method,
    trimMinSheets: rules.aggregation.trimMinSheets,
    normalizeByJudge: rules.aggregation.normalizeByJudge,
    weights: { material: rules.stageWeights.material, presentation: rules.stageWeights.presentation },
    quotas: rules.quotas.mode === 'count' ? { mode: 'count', counts: { ...rules.quotas.counts } } : { mode: 'ratio', ratios: { ...rules.quotas.ratios } },
    scope: rules.quotas.scope,
    minimumScores,
    boundaryTiePolicy: rules.boundaryTiePolicy,
    excellentUnits: { pointsPerLevel: { ...rules.excellentUnits.pointsPerLevel }, minEntries: rules.excellentUnits.minEntries, topN: rules.excellentUnits.topN },
    // Only a chain other than the default is written: payloads (and their hashes) of contests on the
    // default chain stay exactly what they were before the chain became a rule.
    ...(chain && !isDefaultTieBreakChain(chain) ? { tieBreakChain: [...chain] } : {}),
    tieBreakOrder: [...tieBreakOrder],
  };
}

/** The judging core's view of the judged entries (an entry without a track is put in track 0). */
function coreInput(facts: ResultsInputFacts, tieBreakOrder: readonly number[]) {
  const judged = facts.entries.filter((e) => e.participation === 'judged');
  const ids = new Set(judged.map((e) => e.entryId));
  return {
    rules: toCoreRules(facts.rules, tieBreakOrder),
    entries: judged.map((e) => ({ id: e.entryId, trackId: e.trackId ?? 0, unitId: e.unitId, panelId: e.panelId })),
    sheets: judgedSheets(facts.sheets, ids),
  };
}

/** The sheets of judged entries, in their order; the sheets themselves when that is all of them (no copy). */
function judgedSheets(sheets: SheetFacts, ids: Set<number>): SheetFacts {
  if (Array.isArray(sheets)) {
    const list = sheets as SheetFact[];
    for (let ix = 0; ix < list.length; ix++) if (!ids.has(list[ix].entryId)) return list.filter((s) => ids.has(s.entryId));
    return list;
  }
  const columns = sheets as SheetColumns;
  const all = (c: StageSheetColumns) => {
    for (let ix = 0; ix < c.entryId.length; ix++) if (!ids.has(c.entryId[ix])) return false;
    return true;
  };
  const judged = (c: StageSheetColumns): StageSheetColumns => {
    if (all(c)) return c;
    const out = { entryId: [] as number[], expertId: [] as number[], total: [] as number[] };
    for (let k = 0; k < c.entryId.length; k++) {
      if (!ids.has(c.entryId[k])) continue;
      out.entryId.push(c.entryId[k]);
      out.expertId.push(c.expertId[k]);
      out.total.push(c.total[k]);
    }
    return out;
  };
  return all(columns.material) && all(columns.presentation) ? columns : { material: judged(columns.material), presentation: judged(columns.presentation) };
}

/** The expert of each submitted sheet, whichever form the sheets come in. */
export function sheetExperts(sheets: SheetFacts): number[] {
  if (Array.isArray(sheets)) return (sheets as SheetFact[]).map((s) => s.expertId);
  const columns = sheets as SheetColumns;
  return [...Array.from(columns.material.expertId), ...Array.from(columns.presentation.expertId)];
}

/** Only the panel quality report (per panel and stage), from whatever sheets are submitted. */
export function panelQuality(facts: ResultsInputFacts): PanelStageQuality[] {
  return computeResults(coreInput(facts, [])).panelQuality;
}

const PARTICIPATION_REASON: Record<Exclude<Participation, 'judged'>, string> = {
  absent: 'not ranked: absent from the on-site presentation',
  withdrawn: 'not ranked: withdrawn',
};

/**
 * Computes the results and explains them. `adjustments` are all of the contest's adjustments to take
 * into account, in any order: the one with the highest id per entry decides that entry's level.
 */
export interface BuildOptions {
  tieBreakOrder?: readonly number[];
  adjustments?: readonly AdjustmentFact[];
  /** The payload format (default PAYLOAD_FORMAT). */
  format?: PayloadFormat;
}

export function buildPayload(facts: ResultsInputFacts, options: BuildOptions & { format: 1 }): ResultsPayload<Aggregation>;
export function buildPayload(facts: ResultsInputFacts, options?: BuildOptions): ResultsPayload;
export function buildPayload(facts: ResultsInputFacts, options: BuildOptions = {}): ResultsPayload {
  const format = options.format ?? PAYLOAD_FORMAT;
  if (!PAYLOAD_FORMATS.includes(format)) throw new RangeError(`unknown payload format ${String(format)}`);
  const tieBreakOrder = [...(options.tieBreakOrder ?? [])];
  const input = coreInput(facts, tieBreakOrder);
  // The payload does not carry the panel quality report (it has its own route): not computed here.
  const core: ContestResults<StageResult> = computeResults(input, { quality: false, compact: format === 2 });
  const factsById = new Map<number, EntryFacts>();
  for (const e of facts.entries) factsById.set(e.entryId, e);

  const adjustments = [...(options.adjustments ?? [])].sort((a, b) => a.id - b.id);
  const latest = new Map<number, AdjustmentFact>();
  for (const a of adjustments) latest.set(a.entryId, a);

  // Plain literals with every field written out: spreading the labels made V8 build each of these
  // objects the slow way (measured: it was the costliest line of the compute path at 10,000 entries).
  const entries: StoredPayloadEntry[] = core.entries.map((r) => {
    const f = factsById.get(r.entryId)!;
    const adj = latest.get(r.entryId);
    return {
      entryId: f.entryId,
      title: f.title,
      enterpriseId: f.enterpriseId,
      enterpriseName: f.enterpriseName,
      teamName: f.teamName,
      unitId: f.unitId,
      unitName: f.unitName,
      trackId: f.trackId,
      trackName: f.trackName,
      panelId: f.panelId,
      panelName: f.panelName,
      participation: 'judged',
      panel: r.panel,
      stages: r.stages,
      finalScore: r.finalScore,
      finalScoreExplanation: r.finalScoreExplanation,
      untrimmedSum: r.untrimmedSum,
      ranked: r.ranked,
      rank: r.rank,
      decidedBy: r.decidedBy,
      tiedWith: r.tiedWith,
      rankReason: r.rankReason,
      computedLevel: r.level,
      levelReason: r.levelReason,
      levelTrail: r.levelTrail,
      needsOrganizerDecision: r.needsOrganizerDecision,
      level: adj ? adj.level : r.level,
      adjustmentId: adj ? adj.id : null,
    };
  });
  const others = facts.entries.filter((e) => e.participation !== 'judged').sort((a, b) => a.entryId - b.entryId);
  for (const f of others) {
    const reason = PARTICIPATION_REASON[f.participation as Exclude<Participation, 'judged'>];
    entries.push({
      ...labels(f),
      participation: f.participation,
      panel: f.panelId !== null ? `panel:${f.panelId}` : `track:${f.trackId ?? 0}`,
      stages: { material: null, presentation: null },
      finalScore: null,
      finalScoreExplanation: reason,
      untrimmedSum: 0,
      ranked: false,
      rank: null,
      decidedBy: null,
      tiedWith: [],
      rankReason: reason,
      computedLevel: null,
      levelReason: reason,
      levelTrail: [],
      needsOrganizerDecision: false,
      level: null,
      adjustmentId: null,
    });
  }

  const judgedIds = new Set(core.entries.map((r) => r.entryId));
  const unitNames = new Map<number, string>();
  for (const e of facts.entries) unitNames.set(e.unitId, e.unitName);
  const named = (u: UnitStanding): PayloadUnit => ({ ...u, unitName: unitNames.get(u.unitId) ?? '' });
  const judgedEntries = entries.filter((e) => e.participation === 'judged');
  const finalUnits = selectExcellentUnits(
    judgedEntries.map((e) => ({ entryId: e.entryId, unitId: e.unitId, level: e.level })),
    input.rules.excellentUnits,
  );
  const levelCounts = countLevels(judgedEntries.map((e) => e.level));

  const boundaryTies: PayloadBoundaryTie[] = core.allocation.boundaryTies.map((t) => ({
    ...t,
    settledByAdjustment: t.entryIds.some((id) => latest.has(id)),
  }));
  const { tieBreakOrder: _omit, ...rules } = input.rules;
  void _omit;

  return {
    format,
    contestId: facts.contestId,
    rules,
    tieBreakOrder,
    entries,
    ranking: core.ranking,
    allocation: core.allocation,
    boundaryTies,
    unresolvedTieCount: boundaryTies.filter((t) => t.needsOrganizerDecision && !t.settledByAdjustment).length,
    computedLevelCounts: core.levelCounts,
    computedExcellentUnits: { ...core.excellentUnits, units: core.excellentUnits.units.map(named) },
    adjustments: adjustments.map((a) => ({ ...a, applied: judgedIds.has(a.entryId) && latest.get(a.entryId)?.id === a.id })),
    levelCounts,
    excellentUnits: { ...finalUnits, units: finalUnits.units.map(named) },
    unranked: [...core.unranked, ...others.map((f) => ({ entryId: f.entryId, reason: PARTICIPATION_REASON[f.participation as Exclude<Participation, 'judged'>] }))],
  };
}

/** The format a stored payload (or its rest) says it is in: 1 when it names none it knows. */
export function payloadFormat(payload: { format?: unknown } | null | undefined): PayloadFormat {
  return payload?.format === 2 ? 2 : 1;
}

/**
 * An entry as readers see it: a stored entry with every compact stage expanded (format 1's form; the
 * same object when nothing is compact, e.g. a format-1 entry).
 */
export function expandEntry(e: StoredPayloadEntry): PayloadEntry {
  const m = e.stages?.material ?? null;
  const p = e.stages?.presentation ?? null;
  const mc = m !== null && isCompactAggregation(m);
  const pc = p !== null && isCompactAggregation(p);
  if (!mc && !pc) return e as PayloadEntry;
  return {
    ...e,
    stages: {
      material: mc ? expandAggregation(m) : m,
      presentation: pc ? expandAggregation(p) : p,
    },
  };
}

function labels(f: EntryFacts): Omit<EntryFacts, 'participation'> {
  return {
    entryId: f.entryId,
    title: f.title,
    enterpriseId: f.enterpriseId,
    enterpriseName: f.enterpriseName,
    teamName: f.teamName,
    unitId: f.unitId,
    unitName: f.unitName,
    trackId: f.trackId,
    trackName: f.trackName,
    panelId: f.panelId,
    panelName: f.panelName,
  };
}

function countLevels(levels: (Level | null)[]): Record<Level, number> {
  const counts: Record<Level, number> = { first: 0, second: 0, third: 0, excellence: 0 };
  for (const l of levels) if (l !== null) counts[l]++;
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------------------------

/** A Score4 as points with exactly `decimals` (0–4) decimals, rounded half-up (towards +∞). */
export function formatPoints(score4: Score4, decimals: 0 | 1 | 2 | 3 | 4 = 4): string {
  const unit = 10 ** (4 - decimals);
  const q = Math.floor((score4 + unit / 2) / unit);
  if (decimals === 4 && q !== score4) throw new RangeError('not an integer Score4');
  const negative = q < 0;
  const abs = Math.abs(q);
  const scale = 10 ** decimals;
  const whole = Math.floor(abs / scale);
  const frac = decimals === 0 ? '' : `.${String(abs % scale).padStart(decimals, '0')}`;
  return `${negative ? '-' : ''}${whole}${frac}`;
}

/** A mark in tenths as points with one decimal: 855 → "85.5". */
export function formatTenths(tenths: Tenths): string {
  return formatPoints(tenths * 1000, 1);
}
