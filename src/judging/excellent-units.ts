/**
 * Excellent recommending units (优秀推荐单位), ranked by a points formula over the awards of the
 * entries each unit recommended.
 *
 * - points = Σ pointsPerLevel[level] over the unit's awarded entries (integers, exact);
 * - a unit is eligible only with at least `minEntries` awarded entries;
 * - eligible units are ordered by: points desc, then more first-level awards, then more second,
 *   then more third, then more awarded entries; units still equal SHARE the place (competition
 *   ranking 1, 2, 2, 4). Unit ids only order the display of a shared place, never decide it;
 * - selected = place <= topN. A tie that straddles the top N is selected in full (so more than N
 *   units can be selected) and reported as `tieAtCutoff`.
 */
import { JudgingInputError, assertSafeInteger } from './aggregation.js';
import { AWARD_LEVELS, type AwardLevel, type LevelCounts } from './award-allocation.js';

export interface UnitEntry {
  entryId: number;
  unitId: number;
  level: AwardLevel | null;
}

export interface ExcellentUnitFormula {
  pointsPerLevel: LevelCounts;
  /** Minimum number of awarded entries for a unit to be considered. */
  minEntries: number;
  topN: number;
}

export type UnitTieBreakStep = 'points' | 'first_count' | 'second_count' | 'third_count' | 'awarded_entries' | 'unresolved_tie';
const UNIT_CHAIN: readonly UnitTieBreakStep[] = ['points', 'first_count', 'second_count', 'third_count', 'awarded_entries', 'unresolved_tie'];

export interface UnitStanding {
  unitId: number;
  points: number;
  counts: LevelCounts;
  awardedEntries: number;
  totalEntries: number;
  eligible: boolean;
  /** null for ineligible units */
  place: number | null;
  selected: boolean;
  decidedBy: UnitTieBreakStep | null;
  tiedWith: number[];
  reason: string;
}

export interface ExcellentUnitsResult {
  /** Eligible units by place (then unitId), then ineligible units by unitId. */
  units: UnitStanding[];
  topN: number;
  selectedCount: number;
  /** The group of units sharing the place that straddles the top N, when there is one. */
  tieAtCutoff: { place: number; unitIds: number[] } | null;
}

export function validateExcellentUnitFormula(formula: ExcellentUnitFormula): void {
  for (const level of AWARD_LEVELS) {
    assertSafeInteger(formula.pointsPerLevel[level], `points for ${level}`);
    if (formula.pointsPerLevel[level] < 0) throw new JudgingInputError(`points for ${level} must not be negative`);
  }
  assertSafeInteger(formula.minEntries, 'minEntries');
  assertSafeInteger(formula.topN, 'topN');
  if (formula.minEntries < 0 || formula.topN < 0) throw new JudgingInputError('minEntries and topN must not be negative');
}

function keys(u: UnitStanding): number[] {
  return [u.points, u.counts.first, u.counts.second, u.counts.third, u.awardedEntries];
}

/** The first step at which a and b differ, or null; sign < 0 when a comes first. */
function firstDifference(a: UnitStanding, b: UnitStanding): { step: UnitTieBreakStep; sign: number } | null {
  const ka = keys(a);
  const kb = keys(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return { step: UNIT_CHAIN[i], sign: kb[i] - ka[i] };
  return null;
}

export function selectExcellentUnits(entries: readonly UnitEntry[], formula: ExcellentUnitFormula): ExcellentUnitsResult {
  validateExcellentUnitFormula(formula);
  const seen = new Set<number>();
  const byUnit = new Map<number, UnitStanding>();
  for (let ix = 0; ix < entries.length; ix++) {
    const e = entries[ix];
    assertSafeInteger(e.entryId, 'entryId');
    if (!Number.isSafeInteger(e.unitId)) assertSafeInteger(e.unitId, `unitId of entry ${e.entryId}`);
    if (seen.has(e.entryId)) throw new JudgingInputError(`entry ${e.entryId} given twice`);
    seen.add(e.entryId);
    if (e.level !== null && !AWARD_LEVELS.includes(e.level)) throw new JudgingInputError(`unknown level ${String(e.level)}`);
    const u = byUnit.get(e.unitId) ?? {
      unitId: e.unitId,
      points: 0,
      counts: { first: 0, second: 0, third: 0, excellence: 0 },
      awardedEntries: 0,
      totalEntries: 0,
      eligible: false,
      place: null,
      selected: false,
      decidedBy: null,
      tiedWith: [],
      reason: '',
    };
    u.totalEntries++;
    if (e.level !== null) {
      u.counts[e.level]++;
      u.awardedEntries++;
      u.points += formula.pointsPerLevel[e.level];
    }
    byUnit.set(e.unitId, u);
  }

  const all = [...byUnit.values()];
  const eligible = all
    .filter((u) => u.awardedEntries >= formula.minEntries)
    .sort((a, b) => firstDifference(a, b)?.sign ?? a.unitId - b.unitId);
  const ineligible = all.filter((u) => u.awardedEntries < formula.minEntries).sort((a, b) => a.unitId - b.unitId);

  const between = eligible.slice(1).map((u, i) => firstDifference(eligible[i], u)?.step ?? null);
  eligible.forEach((u, i) => {
    u.eligible = true;
    u.place = i > 0 && between[i - 1] === null ? eligible[i - 1].place : i + 1;
  });
  for (const [i, u] of eligible.entries()) {
    const prev = i === 0 ? null : (between[i - 1] ?? 'unresolved_tie');
    const next = i === eligible.length - 1 ? null : (between[i] ?? 'unresolved_tie');
    u.decidedBy = UNIT_CHAIN.indexOf(prev ?? 'points') >= UNIT_CHAIN.indexOf(next ?? 'points') ? (prev ?? 'points') : next;
    u.tiedWith = eligible.filter((o) => o !== u && o.place === u.place).map((o) => o.unitId).sort((a, b) => a - b);
    u.selected = u.place! <= formula.topN;
    const counts = AWARD_LEVELS.map((l) => `${u.counts[l]} ${l}`).join(', ');
    const shared = u.tiedWith.length > 0 ? `, shared with units ${u.tiedWith.join(', ')} (equal on every tie-break)` : '';
    u.reason = `place ${u.place}${shared}: ${u.points} points (${counts}); ${u.selected ? `within top ${formula.topN}` : `outside top ${formula.topN}`}; decided by ${u.decidedBy}`;
  }
  for (const u of ineligible) {
    u.reason = `not eligible: ${u.awardedEntries} awarded entries, fewer than the minimum ${formula.minEntries}`;
  }

  // A shared place that starts within the top N but whose group reaches beyond it.
  let tieAtCutoff: ExcellentUnitsResult['tieAtCutoff'] = null;
  const selected = eligible.filter((u) => u.selected);
  if (selected.length > formula.topN) {
    const place = selected[selected.length - 1].place!;
    tieAtCutoff = { place, unitIds: selected.filter((u) => u.place === place).map((u) => u.unitId).sort((a, b) => a - b) };
  }
  return { units: [...eligible, ...ineligible], topN: formula.topN, selectedCount: selected.length, tieAtCutoff };
}
