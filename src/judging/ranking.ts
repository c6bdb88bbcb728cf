/**
 * Deterministic ranking of entries by their final scores.
 *
 * Tie-break chain: final_score first, then the contest's criteria in the contest's order (a rule,
 * `tieBreakChain`; by default the order below), each only between entries equal on all earlier steps,
 * then unresolved_tie:
 *   1. final_score         higher first (always first: it is what is ranked);
 *   2. presentation_score  higher first (an entry without one comes after every entry with one);
 *   3. untrimmed_sum       higher sum of all raw marks (tenths) first;
 *   4. organizer_decision  the organizer's recorded order `tieBreakOrder`: an entry listed earlier comes
 *                          first, and a listed entry before an unlisted one;
 *   5. unresolved_tie      otherwise the entries SHARE the rank (competition ranking 1, 2, 2, 4) and
 *                          are flagged `tiedWith`. Input order and ids never decide a place; ids only
 *                          order the display of entries that share a rank. (Always last.)
 * A criterion left out of the contest's chain is not used. No floating point: all keys are integers.
 */
import { JudgingInputError, assertSafeInteger, flatString, formatScore4, formatTenths, type Score4, type Tenths } from './aggregation.js';

/** The criteria a contest may order (the closed set of its `tieBreakChain`). */
export const TIE_BREAK_CRITERIA = ['presentation_score', 'untrimmed_sum', 'organizer_decision'] as const;
export type TieBreakCriterion = (typeof TIE_BREAK_CRITERIA)[number];
export type TieBreakStep = 'final_score' | TieBreakCriterion | 'unresolved_tie';
/** The contest rule's default: the chain applied before it became a rule, so earlier results do not change. */
export const DEFAULT_TIE_BREAK_CHAIN: readonly TieBreakCriterion[] = ['presentation_score', 'untrimmed_sum', 'organizer_decision'];
/** The whole default chain, with the fixed first and last steps. */
export const TIE_BREAK_CHAIN: readonly TieBreakStep[] = ['final_score', ...DEFAULT_TIE_BREAK_CHAIN, 'unresolved_tie'];

/** Why a chain is not valid (empty: valid). Any subset of the criteria in any order, each at most once. */
export function tieBreakChainErrors(chain: unknown): { code: 'not_array' | 'unknown_criterion' | 'duplicate_criterion'; index: number | null }[] {
  if (!Array.isArray(chain)) return [{ code: 'not_array', index: null }];
  const out: { code: 'unknown_criterion' | 'duplicate_criterion'; index: number }[] = [];
  const seen = new Set<unknown>();
  chain.forEach((c, i) => {
    if (!(TIE_BREAK_CRITERIA as readonly unknown[]).includes(c)) out.push({ code: 'unknown_criterion', index: i });
    else if (seen.has(c)) out.push({ code: 'duplicate_criterion', index: i });
    seen.add(c);
  });
  return out;
}

export function isDefaultTieBreakChain(chain: readonly TieBreakCriterion[]): boolean {
  return chain.length === DEFAULT_TIE_BREAK_CHAIN.length && chain.every((c, i) => c === DEFAULT_TIE_BREAK_CHAIN[i]);
}

export interface RankingCandidate {
  entryId: number;
  finalScore: Score4;
  presentationScore: Score4 | null;
  untrimmedSum: Tenths;
}

export interface RankingOptions {
  /** The organizer's recorded decision for ties that the scores do not separate. */
  tieBreakOrder?: readonly number[];
  /** The contest's criteria after final_score, in order (default DEFAULT_TIE_BREAK_CHAIN); validated. */
  chain?: readonly TieBreakCriterion[];
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

/** The sign of one criterion between a and b (negative: a ranks first), 0 when equal on it. */
function compareOn(step: TieBreakCriterion | 'final_score', a: Keyed, b: Keyed): number {
  switch (step) {
    case 'final_score':
      return a.finalScore === b.finalScore ? 0 : b.finalScore > a.finalScore ? 1 : -1;
    case 'presentation_score': {
      const pa = a.presentationScore;
      const pb = b.presentationScore;
      if (pa === pb) return 0;
      if (pa === null) return 1;
      if (pb === null) return -1;
      return pb > pa ? 1 : -1;
    }
    case 'untrimmed_sum':
      return a.untrimmedSum === b.untrimmedSum ? 0 : b.untrimmedSum > a.untrimmedSum ? 1 : -1;
    case 'organizer_decision': {
      const oa = a.organizerPosition;
      const ob = b.organizerPosition;
      if (oa === ob) return 0;
      if (oa === null) return 1;
      if (ob === null) return -1;
      return oa - ob;
    }
  }
}

/** The first step of `steps` at which a and b differ, or null if equal throughout; allocates nothing. */
function firstDifference(steps: readonly (TieBreakCriterion | 'final_score')[], a: Keyed, b: Keyed): TieBreakStep | null {
  for (let i = 0; i < steps.length; i++) {
    if (compareOn(steps[i]!, a, b) !== 0) return steps[i]!;
  }
  return null;
}

/** The sign at firstDifference(a, b) (negative: a ranks first), 0 when equal throughout; allocates nothing. */
function compareKeyed(steps: readonly (TieBreakCriterion | 'final_score')[], a: Keyed, b: Keyed): number {
  for (let i = 0; i < steps.length; i++) {
    const sign = compareOn(steps[i]!, a, b);
    if (sign !== 0) return sign;
  }
  return 0;
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
  const chain = options.chain ?? DEFAULT_TIE_BREAK_CHAIN;
  const chainProblems = tieBreakChainErrors(chain);
  if (chainProblems.length) throw new JudgingInputError(`invalid tie-break chain ${JSON.stringify(chain)}: ${chainProblems.map((p) => p.code).join(', ')}`);
  const steps: readonly (TieBreakCriterion | 'final_score')[] = ['final_score', ...chain];
  const fullChain: readonly TieBreakStep[] = [...steps, 'unresolved_tie'];
  const depth = (step: TieBreakStep | null): number => (step === null ? -1 : fullChain.indexOf(step));
  const position = new Map<number, number>();
  order.forEach((id, i) => {
    assertSafeInteger(id, 'tieBreakOrder id');
    if (position.has(id)) throw new JudgingInputError(`entry ${id} appears twice in tieBreakOrder`);
    position.set(id, i);
  });
  const ids = new Set<number>();
  for (let ix = 0; ix < candidates.length; ix++) {
    const c = candidates[ix];
    assertSafeInteger(c.entryId, 'entryId');
    if (!Number.isSafeInteger(c.finalScore)) assertSafeInteger(c.finalScore, `final score of entry ${c.entryId}`);
    if (c.presentationScore !== null && !Number.isSafeInteger(c.presentationScore)) assertSafeInteger(c.presentationScore, `presentation score of entry ${c.entryId}`);
    if (!Number.isSafeInteger(c.untrimmedSum)) assertSafeInteger(c.untrimmedSum, `untrimmed sum of entry ${c.entryId}`);
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
    .sort((a, b) => compareKeyed(steps, a, b) || a.entryId - b.entryId);

  const between: (TieBreakStep | null)[] = new Array<TieBreakStep | null>(Math.max(0, keyed.length - 1)); // between[i]: step separating i and i+1, null = tied
  for (let i = 0; i + 1 < keyed.length; i++) between[i] = firstDifference(steps, keyed[i], keyed[i + 1]);

  // Competition ranking: a tied group shares the rank of its first member; the next rank skips.
  // A group is a run of consecutive entries (between[i] null inside it): groupEnd[i] is one past the
  // last member of i's group, its start is the index rank − 1. No list per rank: most ranks have one entry.
  const ranks: number[] = new Array<number>(keyed.length);
  for (let i = 0; i < keyed.length; i++) ranks[i] = i > 0 && between[i - 1] === null ? ranks[i - 1] : i + 1;
  const groupEnd: number[] = new Array<number>(keyed.length);
  for (let i = keyed.length - 1; i >= 0; i--) groupEnd[i] = i + 1 < keyed.length && between[i] === null ? groupEnd[i + 1] : i + 1;
  /** The entry ids of the group at [start, end), ascending (without `except`, when given). */
  const groupIds = (start: number, end: number, except: number | null): number[] => {
    const ids: number[] = [];
    for (let j = start; j < end; j++) if (keyed[j].entryId !== except) ids.push(keyed[j].entryId);
    return ids.sort((a, b) => a - b);
  };

  // The description of the step between i and i + 1 is written once, for both: i's "before" and
  // i + 1's "after" (it is the same text).
  let pairText = '';
  const entries: RankedEntry[] = keyed.map((k, i) => {
    const prev: TieBreakStep | null = i === 0 ? null : (between[i - 1] ?? 'unresolved_tie');
    const next: TieBreakStep | null = i === keyed.length - 1 ? null : (between[i] ?? 'unresolved_tie');
    const decidedBy: TieBreakStep = depth(prev) >= depth(next) ? (prev ?? 'final_score') : next!;
    // Most entries have a rank of their own: an empty list, no group to filter.
    const tiedWith = groupEnd[i] - (ranks[i] - 1) < 2 ? [] : groupIds(ranks[i] - 1, groupEnd[i], k.entryId);
    const after = prev === null ? '' : `after entry ${keyed[i - 1].entryId} by ${prev} (${pairText})`;
    if (next !== null) pairText = describeStep(next, k, keyed[i + 1]);
    const before = next === null ? '' : `before entry ${keyed[i + 1].entryId} by ${next} (${pairText})`;
    const text = after !== '' && before !== '' ? `${after}; ${before}` : after !== '' ? after : before !== '' ? before : 'the only ranked entry';
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
      reason: flatString(`rank ${ranks[i]}: ${shared}${text}`),
    };
  });

  const unresolvedTies: { rank: number; entryIds: number[] }[] = [];
  for (let i = 0; i < keyed.length; i = groupEnd[i]) {
    if (groupEnd[i] - i > 1) unresolvedTies.push({ rank: ranks[i], entryIds: groupIds(i, groupEnd[i], null) });
  }
  const unknownTieBreakIds = order.filter((id) => !ids.has(id)).sort((a, b) => a - b);
  return { entries, unresolvedTies, unknownTieBreakIds };
}
