import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { JudgingInputError } from './aggregation.js';
import { rankEntries, type RankingCandidate } from './ranking.js';

const c = (entryId: number, finalScore: number, presentationScore: number | null = 0, untrimmedSum = 0): RankingCandidate => ({
  entryId,
  finalScore,
  presentationScore,
  untrimmedSum,
});

const candidates = fc.uniqueArray(
  fc.record({
    entryId: fc.integer({ min: 1, max: 500 }),
    // Narrow ranges so that ties on every step happen often.
    finalScore: fc.integer({ min: 0, max: 4 }).map((x) => 800000 + x),
    presentationScore: fc.option(fc.integer({ min: 0, max: 2 }).map((x) => 700000 + x), { nil: null }),
    untrimmedSum: fc.integer({ min: 0, max: 2 }),
  }),
  { minLength: 0, maxLength: 25, selector: (x) => x.entryId },
);
const withOrder = candidates.chain((cs) =>
  fc.tuple(
    fc.constant(cs),
    fc.shuffledSubarray(cs, { minLength: cs.length, maxLength: cs.length }),
    fc.shuffledSubarray(cs.map((x) => x.entryId), { minLength: 0, maxLength: Math.min(cs.length, 6) }),
  ),
);

describe('rankEntries', () => {
  it('ranks by final score, and says so', () => {
    const r = rankEntries([c(1, 800000), c(2, 900000), c(3, 850000)]);
    expect(r.entries.map((e) => [e.entryId, e.rank, e.decidedBy])).toEqual([
      [2, 1, 'final_score'],
      [3, 2, 'final_score'],
      [1, 3, 'final_score'],
    ]);
    expect(r.entries[1].reason).toBe('rank 2: after entry 2 by final_score (final score 90 vs 85); before entry 1 by final_score (final score 85 vs 80)');
  });

  it('walks the tie-break chain: presentation score, untrimmed sum, organizer decision', () => {
    const r = rankEntries(
      [
        c(1, 850000, 800000, 100),
        c(2, 850000, 810000, 100), // beats 1 on presentation
        c(3, 800000, 700000, 4000),
        c(4, 800000, 700000, 4100), // beats 3 on untrimmed sum
        c(5, 700000, 600000, 3000),
        c(6, 700000, 600000, 3000), // 6 before 5 by the organizer's order
        c(7, 600000, null, 1),
        c(8, 600000, 1, 1), // a presentation score beats none
      ],
      { tieBreakOrder: [6, 5] },
    );
    expect(r.entries.map((e) => [e.entryId, e.rank, e.decidedBy])).toEqual([
      [2, 1, 'presentation_score'],
      [1, 2, 'presentation_score'],
      [4, 3, 'untrimmed_sum'],
      [3, 4, 'untrimmed_sum'],
      [6, 5, 'organizer_decision'],
      [5, 6, 'organizer_decision'],
      [8, 7, 'presentation_score'],
      [7, 8, 'presentation_score'],
    ]);
    expect(r.unresolvedTies).toEqual([]);
  });

  it('lets an unresolved tie share the rank (1, 2, 2, 4) whatever the ids or the input order', () => {
    const input = [c(30, 900000), c(10, 800000), c(20, 800000), c(40, 700000)];
    const r = rankEntries(input);
    expect(r.entries.map((e) => [e.entryId, e.rank, e.decidedBy, e.tiedWith])).toEqual([
      [30, 1, 'final_score', []],
      [10, 2, 'unresolved_tie', [20]],
      [20, 2, 'unresolved_tie', [10]],
      [40, 4, 'final_score', []],
    ]);
    expect(r.unresolvedTies).toEqual([{ rank: 2, entryIds: [10, 20] }]);
    expect(rankEntries([...input].reverse())).toEqual(r);
  });

  it('puts entries the organizer listed before those not listed; unlisted ones stay tied', () => {
    const r = rankEntries([c(1, 5), c(2, 5), c(3, 5)], { tieBreakOrder: [3, 99] });
    expect(r.entries.map((e) => [e.entryId, e.rank, e.decidedBy])).toEqual([
      [3, 1, 'organizer_decision'],
      [1, 2, 'unresolved_tie'],
      [2, 2, 'unresolved_tie'],
    ]);
    expect(r.unknownTieBreakIds).toEqual([99]);
  });

  it('handles one and no entries', () => {
    expect(rankEntries([]).entries).toEqual([]);
    expect(rankEntries([c(1, 5)]).entries[0]).toMatchObject({ rank: 1, decidedBy: 'final_score', reason: 'rank 1: the only ranked entry' });
  });

  it('rejects duplicates', () => {
    expect(() => rankEntries([c(1, 5), c(1, 6)])).toThrow(JudgingInputError);
    expect(() => rankEntries([c(1, 5)], { tieBreakOrder: [1, 1] })).toThrow(/twice/);
  });

  it('never depends on the input order', () => {
    fc.assert(
      fc.property(withOrder, ([cs, shuffled, order]) => {
        expect(rankEntries(shuffled, { tieBreakOrder: order })).toEqual(rankEntries(cs, { tieBreakOrder: order }));
      }),
      { numRuns: 200 },
    );
  });

  it('is consistent with the chain: a better key gives a better rank, equal keys share it', () => {
    fc.assert(
      fc.property(withOrder, ([cs, , order]) => {
        const r = rankEntries(cs, { tieBreakOrder: order });
        const pos = new Map(order.map((id, i) => [id, i]));
        const key = (e: RankingCandidate) => [e.finalScore, e.presentationScore ?? -1, e.untrimmedSum, -(pos.get(e.entryId) ?? Infinity)];
        expect(r.entries).toHaveLength(cs.length);
        for (const a of r.entries) {
          for (const b of r.entries) {
            const ka = key(a);
            const kb = key(b);
            const i = ka.findIndex((v, k) => v !== kb[k]);
            if (i === -1) expect(a.rank).toBe(b.rank);
            else if (ka[i] > kb[i]) expect(a.rank).toBeLessThan(b.rank);
          }
          // Competition ranking: rank = 1 + number of entries strictly ahead.
          expect(a.rank).toBe(1 + r.entries.filter((b) => b.rank < a.rank).length);
          expect(a.tiedWith).toEqual(r.entries.filter((b) => b !== a && b.rank === a.rank).map((b) => b.entryId).sort((x, y) => x - y));
          expect(a.decidedBy === 'unresolved_tie').toBe(a.tiedWith.length > 0);
        }
      }),
      { numRuns: 200 },
    );
  });
});
