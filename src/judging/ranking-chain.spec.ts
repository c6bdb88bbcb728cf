// The tie-break chain as a contest rule: the default chain ranks exactly as the fixed chain did, and
// any valid chain gives a deterministic total order that names the criterion deciding each tie.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { JudgingInputError } from './aggregation.js';
import { rankEntries as rankFixed } from './ranking-fixed-chain.fixture.js';
import { DEFAULT_TIE_BREAK_CHAIN, rankEntries, TIE_BREAK_CRITERIA, tieBreakChainErrors, type RankingCandidate, type TieBreakCriterion } from './ranking.js';

const candidates = fc.uniqueArray(
  fc.record({
    entryId: fc.integer({ min: 1, max: 500 }),
    // Narrow ranges so that ties on every step happen often.
    finalScore: fc.integer({ min: 0, max: 3 }).map((x) => 800000 + x),
    presentationScore: fc.option(fc.integer({ min: 0, max: 2 }).map((x) => 700000 + x), { nil: null }),
    untrimmedSum: fc.integer({ min: 0, max: 2 }),
  }),
  { minLength: 0, maxLength: 25, selector: (x) => x.entryId },
);
const world = candidates.chain((cs) =>
  fc.tuple(
    fc.constant(cs),
    fc.shuffledSubarray(cs, { minLength: cs.length, maxLength: cs.length }),
    fc.shuffledSubarray(cs.map((x) => x.entryId), { minLength: 0, maxLength: Math.min(cs.length, 6) }),
  ),
);
/** Any valid chain: a subset of the criteria in any order. */
const chains = fc.shuffledSubarray([...TIE_BREAK_CRITERIA], { minLength: 0, maxLength: TIE_BREAK_CRITERIA.length }) as fc.Arbitrary<TieBreakCriterion[]>;

describe('tie-break chain as a rule', () => {
  it('the default chain (given or omitted) gives exactly the fixed chain’s ranking, explanations included', () => {
    fc.assert(
      fc.property(world, ([cs, , order]) => {
        const before = rankFixed(cs, { tieBreakOrder: order });
        expect(rankEntries(cs, { tieBreakOrder: order })).toEqual(before);
        expect(rankEntries(cs, { tieBreakOrder: order, chain: [...DEFAULT_TIE_BREAK_CHAIN] })).toEqual(before);
      }),
      { numRuns: 500 },
    );
  });

  it('any valid chain gives a deterministic total order: independent of input order, every entry placed once, ranks consistent with the chain', () => {
    fc.assert(
      fc.property(world, chains, ([cs, shuffled, order], chain) => {
        const a = rankEntries(cs, { tieBreakOrder: order, chain });
        expect(rankEntries(shuffled, { tieBreakOrder: order, chain })).toEqual(a);
        expect(a.entries.map((e) => e.entryId).sort((x, y) => x - y)).toEqual(cs.map((c) => c.entryId).sort((x, y) => x - y));
        const pos = new Map(order.map((id, i) => [id, i]));
        const key = (c: RankingCandidate) => ({ ...c, organizerPosition: pos.get(c.entryId) ?? null });
        for (let i = 0; i + 1 < a.entries.length; i++) {
          const x = a.entries[i]!;
          const y = a.entries[i + 1]!;
          // Ranks never go down; equal ranks only for entries equal on final score and every criterion of the chain.
          expect(y.rank).toBeGreaterThanOrEqual(x.rank);
          const equal = x.finalScore === y.finalScore && chain.every((c) =>
            c === 'presentation_score' ? x.presentationScore === y.presentationScore : c === 'untrimmed_sum' ? x.untrimmedSum === y.untrimmedSum : key(x).organizerPosition === key(y).organizerPosition);
          expect(y.rank === x.rank).toBe(equal);
          // The step that separates them is the first of the chain on which they differ, never one left out.
          if (!equal) expect(['final_score', ...chain]).toContain(x.separatedFromNext);
          else expect(x.separatedFromNext).toBe('unresolved_tie');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a different order decides a tie by its own first criterion, and the explanation names it', () => {
    const cs: RankingCandidate[] = [
      { entryId: 1, finalScore: 900000, presentationScore: 800000, untrimmedSum: 10 },
      { entryId: 2, finalScore: 900000, presentationScore: 810000, untrimmedSum: 5 },
    ];
    const byDefault = rankEntries(cs);
    expect(byDefault.entries.map((e) => [e.entryId, e.rank, e.decidedBy])).toEqual([[2, 1, 'presentation_score'], [1, 2, 'presentation_score']]);
    const bySum = rankEntries(cs, { chain: ['untrimmed_sum', 'presentation_score'] });
    expect(bySum.entries.map((e) => [e.entryId, e.rank, e.decidedBy])).toEqual([[1, 1, 'untrimmed_sum'], [2, 2, 'untrimmed_sum']]);
    expect(bySum.entries[0]!.reason).toContain('by untrimmed_sum (untrimmed sum 1 vs 0.5)');
    // With no criteria, equal final scores share the rank.
    const none = rankEntries(cs, { chain: [] });
    expect(none.entries.map((e) => [e.entryId, e.rank, e.decidedBy])).toEqual([[1, 1, 'unresolved_tie'], [2, 1, 'unresolved_tie']]);
    expect(none.unresolvedTies).toEqual([{ rank: 1, entryIds: [1, 2] }]);
    // The organizer's order is used only when the chain includes it.
    expect(rankEntries(cs, { chain: ['organizer_decision'], tieBreakOrder: [2, 1] }).entries[0]).toMatchObject({ entryId: 2, decidedBy: 'organizer_decision' });
  });

  it('refuses unknown and repeated criteria', () => {
    expect(tieBreakChainErrors(['presentation_score', 'untrimmed_sum'])).toEqual([]);
    expect(tieBreakChainErrors('presentation_score')).toEqual([{ code: 'not_array', index: null }]);
    expect(tieBreakChainErrors(['presentation_score', 'final_score', 'presentation_score'])).toEqual([
      { code: 'unknown_criterion', index: 1 },
      { code: 'duplicate_criterion', index: 2 },
    ]);
    expect(() => rankEntries([], { chain: ['lottery' as TieBreakCriterion] })).toThrow(JudgingInputError);
  });
});
