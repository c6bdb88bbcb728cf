/**
 * What the computation and the publication services share: computing a payload from the raw rows
 * (refusing missing sheets and unknown tie-break ids), the adjustable check, and the summary the
 * compute, freeze, adjust and republish routes answer with.
 */
import type { EntityManager } from 'typeorm';
import { AppError, fieldError } from '../common/errors.js';
import type { Contest } from '../contests/contest.entities.js';
import { canonicalDigest } from './canonical-json.js';
import { loadResultsFacts } from './results-data.js';
import { RESULTS_FIELD_ERRORS } from './results.errors.js';
import type { ResultSnapshot } from './results.entities.js';
import { buildPayload, type AdjustmentFact, type PayloadEntry, type PayloadFormat, type ResultsPayload } from './results-payload.js';
import { contestById, lockContestRow, type PayloadRest } from './results.repository.js';
import { toSnapshotResponse } from './results.dto.js';

/** A stored datetime in whole seconds (MySQL keeps no milliseconds in `datetime`). */
export const wholeSeconds = (d: Date): Date => {
  d.setMilliseconds(0);
  return d;
};

/**
 * Computes the payload from the raw rows and its hash (sha256 of its canonical JSON, streamed):
 * refuses while assigned sheets are missing, and a tie-break order naming entries that are not
 * judged in this contest.
 */
export async function computePayload(m: EntityManager, contest: Contest, tieBreakOrder: number[], adjustments: AdjustmentFact[], format: PayloadFormat): Promise<{ payload: ResultsPayload; hash: string }> {
  const { facts, missing } = await loadResultsFacts(m, contest);
  if (missing.length) throw AppError.conflict('sheets_missing', undefined, { count: missing.length, sheets: missing.slice(0, 100) });
  const judged = new Set<number>();
  for (const e of facts.entries) if (e.participation === 'judged') judged.add(e.entryId);
  const unknown = tieBreakOrder.filter((id) => !judged.has(id));
  if (unknown.length) {
    const text = RESULTS_FIELD_ERRORS.unknown_entry(unknown);
    throw AppError.badRequest('validation_failed', undefined, [fieldError('tieBreakOrder', 'unknown_entry', text.zh, text.en)]);
  }
  const payload = buildPayload(facts, { tieBreakOrder, adjustments, format });
  return { payload, hash: canonicalDigest(payload).hash };
}

/** The entry must be judged in this result to get a level (`target`: its entry in the result, if any). */
export function checkAdjustable(target: PayloadEntry | undefined): PayloadEntry {
  if (!target) {
    const t = RESULTS_FIELD_ERRORS.not_in_results;
    throw AppError.badRequest('validation_failed', undefined, [fieldError('entryId', 'not_in_results', t.zh, t.en)]);
  }
  if (target.participation !== 'judged') throw AppError.conflict('entry_not_judged');
  return target;
}

/** The answer of compute, freeze, adjust and republish. */
export function computeSummary(snapshot: ResultSnapshot, payload: ResultsPayload) {
  let ranked = 0;
  for (const e of payload.entries) if (e.ranked) ranked++;
  return {
    snapshot: toSnapshotResponse(snapshot),
    entryCount: payload.entries.length,
    rankedCount: ranked,
    ...restSummary(payload),
  };
}

function restSummary(payload: PayloadRest) {
  return {
    levelCounts: payload.levelCounts,
    computedLevelCounts: payload.computedLevelCounts,
    quotas: payload.allocation.totals,
    boundaryTies: payload.boundaryTies,
    unresolvedTieCount: payload.unresolvedTieCount,
    unresolvedRankTies: payload.ranking.unresolvedTies,
    unranked: payload.unranked,
    adjustmentCount: payload.adjustments.length,
    excellentUnits: payload.excellentUnits.units.filter((u) => u.selected).map((u) => ({ place: u.place, unitId: u.unitId, unitName: u.unitName, points: u.points })),
  };
}

export async function contestOr404(m: EntityManager, id: number): Promise<Contest> {
  const contest = await contestById(m, id);
  if (!contest) throw AppError.notFound();
  return contest;
}

export async function lockContest(m: EntityManager, id: number): Promise<Contest> {
  const contest = await lockContestRow(m, id);
  if (!contest) throw AppError.notFound();
  return contest;
}
