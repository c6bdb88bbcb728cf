/**
 * The ranking as it was before the tie-break chain became a contest rule (the fixed chain
 * final_score → presentation_score → untrimmed_sum → organizer_decision → unresolved_tie), kept
 * unchanged as the reference of the property test that the default chain gives the same results.
 * Test support only: nothing in the service imports it.
 */
import { JudgingInputError, assertSafeInteger, flatString, formatScore4, formatTenths, type Score4, type Tenths } from './aggregation.js';

export type TieBreakStep = 'final_score' | 'presentation_score' | 'untrimmed_sum' | 'organizer_decision' | 'unresolved_tie';
export const TIE_BREAK_CHAIN: readonly TieBreakStep[] = ['final_score', 'presentation_score', 'untrimmed_sum', 'organizer_decision', 'unresolved_tie'];

export interface RankingCandidate {
  entryId: number;
  finalScore: Score4;
  presentationScore: Score4 | null;
  untrimmedSum: Tenths;
}

export interface RankingOptions {
  /** The organizer's recorded decision for ties that the scores do not separate. */
  tieBreakOrder?: readonly number[];
}

export interface RankedEntry {
  entryId: number;
  rank: number;
  /** The deepest step of the chain needed to separate this entry from its neighbours. */
  decidedBy: TieBreakStep;
  /** Step separating it from the entry just above / below (null at the top / bottom). */
  separatedFromPrevious: TieBreakStep | null;
  separatedFromNext: TieBreakStep | null;
  /** Entries sharing this rank (unresolved ties), ascending; empty when the rank is its own. */
  tiedWith: number[];
  finalScore: Score4;
  presentationScore: Score4 | null;
  untrimmedSum: Tenths;
  /** Position in tieBreakOrder (0-based) or null when not listed. */
  organizerPosition: number | null;
  reason: string;
}

export interface RankingResult {
  /** In rank order; entries that share a rank are listed by entryId. */
  entries: RankedEntry[];
  unresolvedTies: { rank: number; entryIds: number[] }[];
  /** Ids in tieBreakOrder that are not among the candidates. */
  unknownTieBreakIds: number[];
}

interface Keyed extends RankingCandidate {
  organizerPosition: number | null;
}

/** The first step at which a and b differ, with its sign (negative: a ranks first), or null if equal throughout. */
function firstDifference(a: Keyed, b: Keyed): { step: TieBreakStep; sign: number } | null {
  if (a.finalScore !== b.finalScore) return { step: 'final_score', sign: b.finalScore > a.finalScore ? 1 : -1 };
  const pa = a.presentationScore;
  const pb = b.presentationScore;
  if (pa !== pb) {
    if (pa === null) return { step: 'presentation_score', sign: 1 };
    if (pb === null) return { step: 'presentation_score', sign: -1 };
    return { step: 'presentation_score', sign: pb > pa ? 1 : -1 };
  }
  if (a.untrimmedSum !== b.untrimmedSum) return { step: 'untrimmed_sum', sign: b.untrimmedSum > a.untrimmedSum ? 1 : -1 };
  const oa = a.organizerPosition;
  const ob = b.organizerPosition;
  if (oa !== ob) {
    if (oa === null) return { step: 'organizer_decision', sign: 1 };
    if (ob === null) return { step: 'organizer_decision', sign: -1 };
    return { step: 'organizer_decision', sign: oa - ob };
  }
  return null;
}

/** The sign of firstDifference(a, b) (negative: a ranks first), 0 when equal throughout; allocates nothing. */
function compareKeyed(a: Keyed, b: Keyed): number {
  if (a.finalScore !== b.finalScore) return b.finalScore > a.finalScore ? 1 : -1;
  const pa = a.presentationScore;
  const pb = b.presentationScore;
  if (pa !== pb) {
    if (pa === null) return 1;
    if (pb === null) return -1;
    return pb > pa ? 1 : -1;
  }
  if (a.untrimmedSum !== b.untrimmedSum) return b.untrimmedSum > a.untrimmedSum ? 1 : -1;
  const oa = a.organizerPosition;
  const ob = b.organizerPosition;
  if (oa !== ob) {
    if (oa === null) return 1;
    if (ob === null) return -1;
    return oa - ob;
  }
  return 0;
}

function depth(step: TieBreakStep | null): number {
  return step === null ? -1 : TIE_BREAK_CHAIN.indexOf(step);
}

function describeStep(step: TieBreakStep, a: Keyed, b: Keyed): string {
  switch (step) {
    case 'final_score':
      return `final score ${formatScore4(a.finalScore)} vs ${formatScore4(b.finalScore)}`;
    case 'presentation_score':
      return `presentation score ${a.presentationScore === null ? 'none' : formatScore4(a.presentationScore)} vs ${b.presentationScore === null ? 'none' : formatScore4(b.presentationScore)}`;
    case 'untrimmed_sum':
      return `untrimmed sum ${formatTenths(a.untrimmedSum)} vs ${formatTenths(b.untrimmedSum)}`;
    case 'organizer_decision':
      return `organizer's recorded order ${a.organizerPosition === null ? 'unlisted' : `#${a.organizerPosition + 1}`} vs ${b.organizerPosition === null ? 'unlisted' : `#${b.organizerPosition + 1}`}`;
    case 'unresolved_tie':
      return 'equal on every tie-break';
  }
}

export function rankEntries(candidates: readonly RankingCandidate[], options: RankingOptions = {}): RankingResult {
  const order = options.tieBreakOrder ?? [];
  const position = new Map<number, number>();
  order.forEach((id, i) => {
    assertSafeInteger(id, 'tieBreakOrder id');
    if (position.has(id)) throw new JudgingInputError(`entry ${id} appears twice in tieBreakOrder`);
    position.set(id, i);
  });
  const ids = new Set<number>();
  for (const c of candidates) {
    assertSafeInteger(c.entryId, 'entryId');
    assertSafeInteger(c.finalScore, `final score of entry ${c.entryId}`);
    if (c.presentationScore !== null) assertSafeInteger(c.presentationScore, `presentation score of entry ${c.entryId}`);
    assertSafeInteger(c.untrimmedSum, `untrimmed sum of entry ${c.entryId}`);
    if (ids.has(c.entryId)) throw new JudgingInputError(`entry ${c.entryId} is ranked twice`);
    ids.add(c.entryId);
  }

  const keyed: Keyed[] = candidates
    .map((c) => ({
      entryId: c.entryId,
      finalScore: c.finalScore,
      presentationScore: c.presentationScore,
      untrimmedSum: c.untrimmedSum,
      organizerPosition: position.get(c.entryId) ?? null,
    }))
    // The chain is a strict weak order; entryId only orders entries that end up sharing a rank.
    .sort((a, b) => compareKeyed(a, b) || a.entryId - b.entryId);

  const between: (TieBreakStep | null)[] = []; // between[i]: step separating i and i+1, null = tied
  for (let i = 0; i + 1 < keyed.length; i++) between.push(firstDifference(keyed[i], keyed[i + 1])?.step ?? null);

  // Competition ranking: a tied group shares the rank of its first member; the next rank skips.
  const ranks: number[] = [];
  keyed.forEach((_, i) => ranks.push(i > 0 && between[i - 1] === null ? ranks[i - 1] : i + 1));

  const groups = new Map<number, number[]>();
  keyed.forEach((k, i) => {
    const group = groups.get(ranks[i]);
    if (group === undefined) groups.set(ranks[i], [k.entryId]);
    else group.push(k.entryId);
  });

  const entries: RankedEntry[] = keyed.map((k, i) => {
    const prev: TieBreakStep | null = i === 0 ? null : (between[i - 1] ?? 'unresolved_tie');
    const next: TieBreakStep | null = i === keyed.length - 1 ? null : (between[i] ?? 'unresolved_tie');
    const decidedBy: TieBreakStep = depth(prev) >= depth(next) ? (prev ?? 'final_score') : next!;
    const tiedWith = (groups.get(ranks[i]) ?? []).filter((id) => id !== k.entryId).sort((a, b) => a - b);
    const parts: string[] = [];
    if (prev !== null) parts.push(`after entry ${keyed[i - 1].entryId} by ${prev} (${describeStep(prev, keyed[i - 1], k)})`);
    if (next !== null) parts.push(`before entry ${keyed[i + 1].entryId} by ${next} (${describeStep(next, k, keyed[i + 1])})`);
    if (parts.length === 0) parts.push('the only ranked entry');
    const shared = tiedWith.length > 0 ? `shares rank ${ranks[i]} with ${tiedWith.join(', ')}; ` : '';
    return {
      entryId: k.entryId,
      rank: ranks[i],
      decidedBy,
      separatedFromPrevious: prev,
      separatedFromNext: next,
      tiedWith,
      finalScore: k.finalScore,
      presentationScore: k.presentationScore,
      untrimmedSum: k.untrimmedSum,
      organizerPosition: k.organizerPosition,
      reason: flatString(`rank ${ranks[i]}: ${shared}${parts.join('; ')}`),
    };
  });

  const unresolvedTies = [...groups.entries()]
    .filter(([, g]) => g.length > 1)
    .map(([rank, g]) => ({ rank, entryIds: [...g].sort((a, b) => a - b) }));
  const unknownTieBreakIds = order.filter((id) => !ids.has(id)).sort((a, b) => a - b);
  return { entries, unresolvedTies, unknownTieBreakIds };
}
