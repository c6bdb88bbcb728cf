import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { JudgingInputError } from './aggregation.js';
import {
  AWARD_LEVELS,
  allocateAwards,
  type AllocationCandidate,
  type AllocationRules,
  type AwardLevel,
  type BoundaryTiePolicy,
} from './award-allocation.js';

const COUNTS = { first: 14, second: 26, third: 32, excellence: 45 };
const levelIndex = (l: AwardLevel | null) => (l === null ? AWARD_LEVELS.length : AWARD_LEVELS.indexOf(l));

/** Candidates from scores, ranked with competition ranking (equal scores = unresolved tie). */
function ranked(scores: { entryId: number; trackId?: number; finalScore: number }[]): AllocationCandidate[] {
  return scores.map((s) => ({
    entryId: s.entryId,
    trackId: s.trackId ?? 1,
    finalScore: s.finalScore,
    rank: 1 + scores.filter((o) => o.finalScore > s.finalScore).length,
  }));
}

const countRules = (policy: BoundaryTiePolicy, counts = COUNTS): AllocationRules => ({
  quotas: { mode: 'count', counts },
  scope: 'overall',
  boundaryTiePolicy: policy,
});

function levelsOf(result: ReturnType<typeof allocateAwards>) {
  return Object.fromEntries(AWARD_LEVELS.map((l) => [l, result.entries.filter((e) => e.level === l).length]));
}

describe('allocateAwards', () => {
  it('117 entries with distinct scores and quotas 14/26/32/45 give exactly 14/26/32/45, in rank order', () => {
    const cands = ranked(Array.from({ length: 117 }, (_, i) => ({ entryId: i + 1, finalScore: 600000 + 1000 * i })));
    const r = allocateAwards(cands, countRules('include_all'));
    expect(levelsOf(r)).toEqual(COUNTS);
    expect(r.report.totals.map((t) => [t.level, t.quota, t.awarded, t.exceededBy])).toEqual([
      ['first', 14, 14, 0],
      ['second', 26, 26, 0],
      ['third', 32, 32, 0],
      ['excellence', 45, 45, 0],
    ]);
    expect(r.report.boundaryTies).toEqual([]);
    const best = r.entries.find((e) => e.entryId === 117)!;
    expect(best).toMatchObject({ level: 'first', rank: 1, reason: 'within first quota', quota: { level: 'first', quota: 14, awarded: 14 } });
    const fifteenth = r.entries.find((e) => e.rank === 15)!;
    expect(fifteenth.level).toBe('second');
    expect(fifteenth.trail).toEqual(['first quota filled (14 of 14)', 'within second quota']);
  });

  describe('a tie at the first-quota boundary', () => {
    // Quota first = 2: entry 1 is first alone, entries 2, 3 and 4 tie at rank 2 for the one seat left.
    const cands = ranked([
      { entryId: 1, finalScore: 900000 },
      { entryId: 2, finalScore: 850000 },
      { entryId: 3, finalScore: 850000 },
      { entryId: 4, finalScore: 850000 },
      { entryId: 5, finalScore: 800000 },
      { entryId: 6, finalScore: 700000 },
    ]);
    const counts = { first: 2, second: 3, third: 1, excellence: 0 };
    const level = (r: ReturnType<typeof allocateAwards>) => Object.fromEntries(r.entries.map((e) => [e.entryId, e.level]));

    it('include_all: the whole tied group gets first, the quota is exceeded by 2 and reported', () => {
      const r = allocateAwards(cands, countRules('include_all', counts));
      expect(level(r)).toEqual({ 1: 'first', 2: 'first', 3: 'first', 4: 'first', 5: 'second', 6: 'second' });
      expect(r.entries.find((e) => e.entryId === 3)!.reason).toBe('tie at boundary of first: include_all');
      expect(r.report.totals[0]).toEqual({ level: 'first', quota: 2, awarded: 4, exceededBy: 2 });
      expect(r.report.quotaExceeded).toBe(true);
      expect(r.report.boundaryTies).toEqual([
        { scope: 'overall', level: 'first', policy: 'include_all', rank: 2, entryIds: [2, 3, 4], seatsLeft: 1, outcome: 'all_awarded', needsOrganizerDecision: false },
      ]);
      expect(r.report.needsOrganizerDecision).toBe(false);
    });

    it('exclude_all: none of the tied group gets first, the seat stays empty, they fall to second', () => {
      const r = allocateAwards(cands, countRules('exclude_all', counts));
      expect(level(r)).toEqual({ 1: 'first', 2: 'second', 3: 'second', 4: 'second', 5: 'third', 6: null });
      expect(r.entries.find((e) => e.entryId === 2)!.reason).toBe('tie at boundary of first: exclude_all; within second quota');
      expect(r.report.totals[0]).toEqual({ level: 'first', quota: 2, awarded: 1, exceededBy: 0 });
      expect(r.report.boundaryTies[0]).toMatchObject({ outcome: 'fell_to_next_level', needsOrganizerDecision: false });
      expect(r.entries.some((e) => e.needsOrganizerDecision)).toBe(false);
    });

    it('report_only: as exclude_all, but flagged for an organizer decision', () => {
      const r = allocateAwards(cands, countRules('report_only', counts));
      expect(level(r)).toEqual({ 1: 'first', 2: 'second', 3: 'second', 4: 'second', 5: 'third', 6: null });
      expect(r.entries.filter((e) => e.needsOrganizerDecision).map((e) => e.entryId)).toEqual([2, 3, 4]);
      expect(r.report.needsOrganizerDecision).toBe(true);
      expect(r.report.boundaryTies[0]).toMatchObject({ policy: 'report_only', needsOrganizerDecision: true, seatsLeft: 1 });
    });

    it('a tie that fits exactly is no boundary tie', () => {
      const r = allocateAwards(cands, countRules('exclude_all', { first: 4, second: 0, third: 0, excellence: 0 }));
      expect(r.report.boundaryTies).toEqual([]);
      expect(levelsOf(r).first).toBe(4);
    });
  });

  it('applies a minimum score per level; those below fall to the next level', () => {
    const cands = ranked([
      { entryId: 1, finalScore: 950000 },
      { entryId: 2, finalScore: 890000 },
      { entryId: 3, finalScore: 790000 },
      { entryId: 4, finalScore: 590000 },
    ]);
    const r = allocateAwards(cands, {
      ...countRules('exclude_all', { first: 3, second: 3, third: 3, excellence: 3 }),
      minimumScores: { first: 900000, second: 800000, excellence: 600000 },
    });
    expect(r.entries.map((e) => [e.entryId, e.level, e.reason])).toEqual([
      [1, 'first', 'within first quota'],
      [2, 'second', 'below minimum score for first (89 < 90); within second quota'],
      [3, 'third', 'below minimum score for first (79 < 90); below minimum score for second (79 < 80); within third quota'],
      [
        4,
        null,
        'below minimum score for first (59 < 90); below minimum score for second (59 < 80); below minimum score for third (59 < 60); below minimum score for excellence (59 < 60); no level: outside all quotas',
      ],
    ]);
    // third has no minimum of its own but inherits excellence's: a lower level never admits less.
    expect(r.report.scopes[0].levels.map((l) => [l.minimumScore, l.closedBy])).toEqual([
      [900000, 'minimum_score'],
      [800000, 'minimum_score'],
      [600000, 'minimum_score'],
      [600000, 'minimum_score'],
    ]);
  });

  it('computes ratio quotas as floor(eligible × per mille / 1000)', () => {
    const cands = ranked(Array.from({ length: 117 }, (_, i) => ({ entryId: i + 1, finalScore: 1000 * i })));
    const r = allocateAwards(cands, { quotas: { mode: 'ratio', ratios: { first: 120, second: 222, third: 274, excellence: 385 - 1 } }, scope: 'overall', boundaryTiePolicy: 'exclude_all' });
    // 117 × 0.120 = 14.04 → 14; × 0.222 = 25.97 → 25; × 0.274 = 32.06 → 32; × 0.384 = 44.93 → 44
    expect(r.report.totals.map((t) => t.quota)).toEqual([14, 25, 32, 44]);
    expect(levelsOf(r)).toEqual({ first: 14, second: 25, third: 32, excellence: 44 });
    expect(() => allocateAwards(cands, { quotas: { mode: 'ratio', ratios: { first: 500, second: 500, third: 1, excellence: 0 } }, scope: 'overall', boundaryTiePolicy: 'exclude_all' })).toThrow(JudgingInputError);
  });

  it('allocates per track with each track its own quota', () => {
    const cands = ranked([
      { entryId: 1, trackId: 1, finalScore: 900000 },
      { entryId: 2, trackId: 1, finalScore: 880000 },
      { entryId: 3, trackId: 2, finalScore: 700000 },
      { entryId: 4, trackId: 2, finalScore: 600000 },
    ]);
    const r = allocateAwards(cands, { ...countRules('exclude_all', { first: 1, second: 1, third: 0, excellence: 0 }), scope: 'per_track' });
    expect(r.entries.map((e) => [e.entryId, e.scope, e.scopeRank, e.level])).toEqual([
      [1, 'track:1', 1, 'first'],
      [2, 'track:1', 2, 'second'],
      [3, 'track:2', 1, 'first'],
      [4, 'track:2', 2, 'second'],
    ]);
    expect(r.report.scopes.map((s) => [s.scope, s.eligible])).toEqual([
      ['track:1', 2],
      ['track:2', 2],
    ]);
  });

  it('rejects ranks that disagree with scores', () => {
    expect(() =>
      allocateAwards(
        [
          { entryId: 1, trackId: 1, rank: 1, finalScore: 1 },
          { entryId: 2, trackId: 1, rank: 2, finalScore: 2 },
        ],
        countRules('exclude_all'),
      ),
    ).toThrow(JudgingInputError);
  });

  // Scores in a narrow range so that ties (and boundary ties) are frequent.
  const scenario = fc.record({
    scores: fc.uniqueArray(
      fc.record({ entryId: fc.integer({ min: 1, max: 400 }), trackId: fc.integer({ min: 1, max: 3 }), finalScore: fc.integer({ min: 0, max: 12 }).map((x) => 600000 + 10000 * x) }),
      { maxLength: 40, selector: (x) => x.entryId },
    ),
    quotas: fc.oneof(
      fc.record({ mode: fc.constant('count' as const), counts: fc.record({ first: fc.nat(5), second: fc.nat(8), third: fc.nat(8), excellence: fc.nat(10) }) }),
      fc.record({ mode: fc.constant('ratio' as const), ratios: fc.record({ first: fc.nat(150), second: fc.nat(250), third: fc.nat(250), excellence: fc.nat(350) }) }),
    ),
    scope: fc.constantFrom('overall' as const, 'per_track' as const),
    boundaryTiePolicy: fc.constantFrom<BoundaryTiePolicy>('include_all', 'exclude_all', 'report_only'),
    minimumScores: fc.record(
      { first: fc.integer({ min: 0, max: 12 }), second: fc.integer({ min: 0, max: 12 }), third: fc.integer({ min: 0, max: 12 }), excellence: fc.integer({ min: 0, max: 12 }) },
      { requiredKeys: [] },
    ),
  });
  type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;
  const toInput = (s: Scenario) => {
    const rules: AllocationRules = {
      quotas: s.quotas,
      scope: s.scope,
      boundaryTiePolicy: s.boundaryTiePolicy,
      minimumScores: Object.fromEntries(Object.entries(s.minimumScores).map(([l, x]) => [l, 600000 + 10000 * x])),
    };
    return { cands: ranked(s.scores), rules };
  };

  it('never depends on the input order', () => {
    fc.assert(
      fc.property(
        scenario.chain((s) => fc.tuple(fc.constant(s), fc.shuffledSubarray(s.scores, { minLength: s.scores.length, maxLength: s.scores.length }))),
        ([s, shuffled]) => {
          const { cands, rules } = toInput(s);
          expect(allocateAwards(ranked(shuffled), rules)).toEqual(allocateAwards(cands, rules));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('holds the invariants: one level per entry, quotas, minimums, monotonicity, tied entries alike', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { cands, rules } = toInput(s);
        const r = allocateAwards(cands, rules);
        // At most one level: every entry exactly once.
        expect(r.entries.map((e) => e.entryId).sort((a, b) => a - b)).toEqual(cands.map((c) => c.entryId).sort((a, b) => a - b));
        const byId = new Map(cands.map((c) => [c.entryId, c]));
        for (const scope of r.report.scopes) {
          const members = r.entries.filter((e) => e.scope === scope.scope);
          for (const lr of scope.levels) {
            const got = members.filter((e) => e.level === lr.level);
            expect(got).toHaveLength(lr.awarded);
            if (lr.awarded > lr.quota) {
              // Only include_all exceeds a quota, only by a tied group that straddled it, and it is reported.
              expect(rules.boundaryTiePolicy).toBe('include_all');
              const tie = r.report.boundaryTies.find((t) => t.scope === scope.scope && t.level === lr.level)!;
              expect(tie).toBeDefined();
              expect(lr.awarded - lr.quota).toBeLessThan(tie.entryIds.length);
              expect(lr.exceededBy).toBe(lr.awarded - lr.quota);
            }
          }
          for (const a of members) {
            const ca = byId.get(a.entryId)!;
            if (a.level !== null) {
              const min = rules.minimumScores?.[a.level];
              if (min !== undefined) expect(ca.finalScore).toBeGreaterThanOrEqual(min);
            }
            for (const b of members) {
              const cb = byId.get(b.entryId)!;
              // A higher final score never gets a lower level; equal scores (shared rank) get the same.
              if (ca.finalScore > cb.finalScore) expect(levelIndex(a.level)).toBeLessThanOrEqual(levelIndex(b.level));
              if (ca.finalScore === cb.finalScore) expect(a.level).toBe(b.level);
            }
          }
        }
        if (rules.boundaryTiePolicy !== 'include_all') expect(r.report.quotaExceeded).toBe(false);
        expect(r.entries.some((e) => e.needsOrganizerDecision)).toBe(rules.boundaryTiePolicy === 'report_only' && r.report.boundaryTies.length > 0);
      }),
      { numRuns: 200 },
    );
  });

  it('fills every quota it can when scores are distinct and there is no minimum', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.record({ first: fc.nat(10), second: fc.nat(10), third: fc.nat(10), excellence: fc.nat(10) }), (n, counts) => {
        const r = allocateAwards(ranked(Array.from({ length: n }, (_, i) => ({ entryId: i + 1, finalScore: i }))), countRules('exclude_all', counts));
        let left = n;
        for (const level of AWARD_LEVELS) {
          expect(levelsOf(r)[level]).toBe(Math.min(counts[level], left));
          left -= Math.min(counts[level], left);
        }
      }),
      { numRuns: 100 },
    );
  });
});
