import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { AWARD_LEVELS, type AwardLevel, type BoundaryTiePolicy } from './award-allocation.js';
import { computeResults, sheetCount, type ContestEntry, type ContestResults, type ContestRules, type ResultsInput, type ScoreSheet, type ScoreSheetColumns, type StageResult } from './results.js';
import { expandAggregation, isCompactAggregation } from './aggregation.js';
import type { Stage } from './final-score.js';

const baseRules: ContestRules = {
  aggregationMethod: 'trimmed_mean',
  trimMinSheets: 5,
  normalizeByJudge: false,
  weights: { material: 60, presentation: 40 },
  quotas: { mode: 'count', counts: { first: 14, second: 26, third: 32, excellence: 45 } },
  scope: 'overall',
  boundaryTiePolicy: 'include_all',
  excellentUnits: { pointsPerLevel: { first: 10, second: 6, third: 3, excellence: 1 }, minEntries: 1, topN: 5 },
};

/** Five sheets b, b+10, …, b+40 (trimmed mean b+20) from experts 1..5 (or 6..10 for presentation). */
const fiveSheets = (entryId: number, stage: Stage, b: number): ScoreSheet[] =>
  [0, 10, 20, 30, 40].map((d, k) => ({ expertId: (stage === 'material' ? 1 : 6) + k, entryId, stage, total: b + d }));

/** The seed's year: 117 entries with distinct scores; units 1–5 recommended the 50 best. */
function seedContest(): ResultsInput & { sheets: ScoreSheet[] } {
  const entries: ContestEntry[] = [];
  const sheets: ScoreSheet[] = [];
  for (let i = 0; i < 117; i++) {
    const rank = 117 - i;
    entries.push({ id: i + 1, trackId: (i % 3) + 1, unitId: rank <= 50 ? ((rank - 1) % 5) + 1 : (rank % 10) + 6, panelId: (i % 3) + 1 });
    sheets.push(...fiveSheets(i + 1, 'material', 500 + 3 * i), ...fiveSheets(i + 1, 'presentation', 500 + 2 * i));
  }
  return { rules: baseRules, entries, sheets };
}

describe('computeResults', () => {
  it('the seed year: 117 entries, quotas 14/26/32/45 → exactly 14/26/32/45 and 5 excellent units', () => {
    const r = computeResults(seedContest());
    expect(r.levelCounts).toEqual({ first: 14, second: 26, third: 32, excellence: 45 });
    expect(r.allocation.totals.map((t) => [t.quota, t.awarded])).toEqual([
      [14, 14],
      [26, 26],
      [32, 32],
      [45, 45],
    ]);
    expect(r.allocation.boundaryTies).toEqual([]);
    expect(r.unranked).toEqual([]);
    expect(r.ranking.unresolvedTies).toEqual([]);
    expect(r.excellentUnits.selectedCount).toBe(5);
    expect(r.excellentUnits.tieAtCutoff).toBeNull();
    expect(r.excellentUnits.units.filter((u) => u.selected).map((u) => u.unitId).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);

    // The best entry, explained end to end.
    const best = r.entries[0];
    expect(best).toMatchObject({ entryId: 117, rank: 1, decidedBy: 'final_score', level: 'first', levelReason: 'within first quota' });
    expect(best.stages.material).toMatchObject({ method: 'trimmed_mean', value: (500 + 3 * 116 + 20) * 1000, count: 5, used: [2, 3, 4] });
    expect(best.stages.material!.dropped.map((d) => [d.expertId, d.why])).toEqual([
      [5, 'highest'],
      [1, 'lowest'],
    ]);
    // 0.6 × 86.8 + 0.4 × 75.2 = 82.16
    expect(best.finalScore).toBe(821600);
    expect(best.finalScoreExplanation).toBe('material 86.8 × 60% + presentation 75.2 × 40% = 82.16 (rounded half-up to 0.0001)');
    expect(r.entries.map((e) => e.rank)).toEqual(Array.from({ length: 117 }, (_, i) => i + 1));
    expect(r.panelQuality).toHaveLength(6);
    expect(r.panelQuality[0].report.experts[0]).toMatchObject({ expertId: 1, droppedLowest: 39, droppedHighest: 0 });
  });

  it('does not rank an entry without a presentation score, and says why', () => {
    const input = seedContest();
    input.sheets = input.sheets.filter((s) => !(s.entryId === 117 && s.stage === 'presentation'));
    const r = computeResults(input);
    const e = r.entries.find((x) => x.entryId === 117)!;
    expect(e).toMatchObject({ ranked: false, rank: null, level: null, finalScore: null });
    expect(e.rankReason).toBe('not ranked: no presentation score, which has a positive weight');
    expect(r.unranked).toEqual([{ entryId: 117, reason: e.rankReason }]);
    expect(r.entries[r.entries.length - 1].entryId).toBe(117);
    expect(r.levelCounts.first).toBe(14);
  });

  describe('a tie at the first-quota boundary, from the sheets', () => {
    // Entries 1..4; 2 and 3 have identical sheets. First quota 2 → one seat left for two tied entries.
    const tiedInput = (policy: BoundaryTiePolicy, tieBreakOrder?: number[]): ResultsInput => ({
      rules: { ...baseRules, boundaryTiePolicy: policy, quotas: { mode: 'count', counts: { first: 2, second: 2, third: 0, excellence: 0 } }, tieBreakOrder },
      entries: [1, 2, 3, 4].map((id) => ({ id, trackId: 1, unitId: id })),
      sheets: [
        ...fiveSheets(1, 'material', 900),
        ...fiveSheets(1, 'presentation', 900),
        ...fiveSheets(2, 'material', 800),
        ...fiveSheets(2, 'presentation', 800),
        ...fiveSheets(3, 'material', 800),
        ...fiveSheets(3, 'presentation', 800),
        ...fiveSheets(4, 'material', 700),
        ...fiveSheets(4, 'presentation', 700),
      ],
    });
    const levels = (i: ResultsInput) => Object.fromEntries(computeResults(i).entries.map((e) => [e.entryId, e.level]));

    it('shares the rank and reports the unresolved tie', () => {
      const r = computeResults(tiedInput('include_all'));
      expect(r.entries.map((e) => [e.entryId, e.rank, e.decidedBy])).toEqual([
        [1, 1, 'final_score'],
        [2, 2, 'unresolved_tie'],
        [3, 2, 'unresolved_tie'],
        [4, 4, 'final_score'],
      ]);
      expect(r.ranking.unresolvedTies).toEqual([{ rank: 2, entryIds: [2, 3] }]);
    });

    it('include_all gives both first and reports the excess', () => {
      const r = computeResults(tiedInput('include_all'));
      expect(levels(tiedInput('include_all'))).toEqual({ 1: 'first', 2: 'first', 3: 'first', 4: 'second' });
      expect(r.allocation.totals[0]).toMatchObject({ quota: 2, awarded: 3, exceededBy: 1 });
    });

    it('exclude_all sends both to second', () => {
      expect(levels(tiedInput('exclude_all'))).toEqual({ 1: 'first', 2: 'second', 3: 'second', 4: null });
    });

    it('report_only sends both to second and asks the organizer', () => {
      const r = computeResults(tiedInput('report_only'));
      expect(levels(tiedInput('report_only'))).toEqual({ 1: 'first', 2: 'second', 3: 'second', 4: null });
      expect(r.entries.filter((e) => e.needsOrganizerDecision).map((e) => e.entryId)).toEqual([2, 3]);
      expect(r.allocation.needsOrganizerDecision).toBe(true);
    });

    it("the organizer's recorded decision resolves it", () => {
      const r = computeResults(tiedInput('report_only', [3, 2]));
      expect(r.entries.map((e) => [e.entryId, e.rank, e.decidedBy, e.level])).toEqual([
        [1, 1, 'final_score', 'first'],
        [3, 2, 'organizer_decision', 'first'],
        [2, 3, 'organizer_decision', 'second'],
        [4, 4, 'final_score', 'second'],
      ]);
      expect(r.allocation.boundaryTies).toEqual([]);
    });
  });

  it('normalises per panel and stage when asked, and explains it', () => {
    // Judge 2 is 10 points more generous than judge 1 on entry 1 only: normalisation moves the entries.
    const input: ResultsInput = {
      rules: { ...baseRules, aggregationMethod: 'mean', normalizeByJudge: true, weights: { material: 100, presentation: 0 } },
      entries: [
        { id: 1, trackId: 1, unitId: 1, panelId: 1 },
        { id: 2, trackId: 1, unitId: 1, panelId: 1 },
      ],
      sheets: [
        { expertId: 1, entryId: 1, stage: 'material', total: 800 },
        { expertId: 2, entryId: 2, stage: 'material', total: 900 },
        { expertId: 2, entryId: 1, stage: 'material', total: 900 },
      ],
    };
    const r = computeResults(input);
    const e1 = r.entries.find((e) => e.entryId === 1)!;
    expect(e1.stages.material).toMatchObject({ normalized: true, untrimmedSum: 1700 });
    // panel mean 86.6667; judge 1 mean 80, judge 2 mean 90: entry 1 → (86.6667 + 86.6667)/2, entry 2 → 86.6667
    expect(e1.stages.material!.marks.map((m) => m.adjusted)).toEqual([866667, 866667]);
    expect(e1.finalScore).toBe(866667);
    expect(r.entries.find((e) => e.entryId === 2)!.finalScore).toBe(866667);
    // Equal final scores, no presentation: the untrimmed sum decides.
    expect(r.entries.map((e) => [e.entryId, e.rank, e.decidedBy])).toEqual([
      [1, 1, 'untrimmed_sum'],
      [2, 2, 'untrimmed_sum'],
    ]);
    const off = computeResults({ ...input, rules: { ...input.rules, normalizeByJudge: false } });
    expect(off.entries.map((e) => [e.entryId, e.finalScore])).toEqual([
      [2, 900000],
      [1, 850000],
    ]);
  });

  // ------------------------------------------------------------------------------------------
  // Generated contests
  // ------------------------------------------------------------------------------------------

  const stageSheets = fc.uniqueArray(fc.record({ expertId: fc.integer({ min: 1, max: 6 }), total: fc.integer({ min: 0, max: 5 }).map((k) => 700 + 50 * k) }), {
    minLength: 0,
    maxLength: 6,
    selector: (s) => s.expertId,
  });
  const contest = fc
    .record({
      entries: fc.uniqueArray(
        fc.record({
          id: fc.integer({ min: 1, max: 200 }),
          trackId: fc.integer({ min: 1, max: 2 }),
          unitId: fc.integer({ min: 1, max: 4 }),
          panelId: fc.option(fc.integer({ min: 1, max: 2 }), { nil: null }),
        }),
        { minLength: 1, maxLength: 18, selector: (e) => e.id },
      ),
      rules: fc.record({
        aggregationMethod: fc.constantFrom('trimmed_mean' as const, 'mean' as const, 'median' as const),
        trimMinSheets: fc.integer({ min: 3, max: 5 }),
        normalizeByJudge: fc.boolean(),
        weights: fc.integer({ min: 0, max: 100 }).map((w) => ({ material: w, presentation: 100 - w })),
        quotas: fc.oneof(
          fc.record({ mode: fc.constant('count' as const), counts: fc.record({ first: fc.nat(3), second: fc.nat(4), third: fc.nat(5), excellence: fc.nat(5) }) }),
          fc.record({ mode: fc.constant('ratio' as const), ratios: fc.record({ first: fc.nat(150), second: fc.nat(250), third: fc.nat(300), excellence: fc.nat(300) }) }),
        ),
        scope: fc.constantFrom('overall' as const, 'per_track' as const),
        boundaryTiePolicy: fc.constantFrom<BoundaryTiePolicy>('include_all', 'exclude_all', 'report_only'),
        minimumScores: fc.record({ second: fc.integer({ min: 700, max: 900 }).map((x) => x * 1000) }, { requiredKeys: [] }),
        excellentUnits: fc.record({
          pointsPerLevel: fc.record({ first: fc.nat(5), second: fc.nat(4), third: fc.nat(3), excellence: fc.nat(2) }),
          minEntries: fc.nat(2),
          topN: fc.nat(3),
        }),
      }),
    })
    .chain(({ entries, rules }) =>
      fc.record({
        rules: fc.constant(rules as ContestRules),
        entries: fc.constant(entries as ContestEntry[]),
        sheets: fc
          .array(fc.tuple(stageSheets, stageSheets), { minLength: entries.length, maxLength: entries.length })
          .map((perEntry) =>
            perEntry.flatMap(([m, p], i) => [
              ...m.map((s) => ({ ...s, entryId: entries[i].id, stage: 'material' as const })),
              ...p.map((s) => ({ ...s, entryId: entries[i].id, stage: 'presentation' as const })),
            ]),
          ),
      }),
    );
  const shuffle = <T>(items: readonly T[]) => fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });

  it('never depends on the order of the input arrays', () => {
    fc.assert(
      fc.property(
        contest.chain((c) => fc.tuple(fc.constant(c), shuffle(c.entries), shuffle(c.sheets))),
        ([c, entries, sheets]) => {
          expect(computeResults({ rules: c.rules, entries, sheets })).toEqual(computeResults(c));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('holds the award invariants on whole contests', () => {
    const rank = (l: AwardLevel | null) => (l === null ? 4 : AWARD_LEVELS.indexOf(l));
    fc.assert(
      fc.property(contest, (c) => {
        const r = computeResults(c);
        expect(r.entries).toHaveLength(c.entries.length);
        for (const scope of r.allocation.scopes) {
          for (const l of scope.levels) {
            if (l.awarded > l.quota) expect(c.rules.boundaryTiePolicy).toBe('include_all');
          }
        }
        const min = c.rules.minimumScores?.second;
        for (const a of r.entries) {
          if (!a.ranked) expect(a.level).toBeNull();
          if (a.level !== null && rank(a.level) <= rank('second') && min !== undefined) expect(a.finalScore!).toBeGreaterThanOrEqual(min);
          for (const b of r.entries) {
            const sameScope = c.rules.scope === 'overall' || a.trackId === b.trackId;
            if (sameScope && a.ranked && b.ranked && a.finalScore! > b.finalScore!) expect(rank(a.level)).toBeLessThanOrEqual(rank(b.level));
          }
        }
        expect(AWARD_LEVELS.reduce((s, l) => s + r.levelCounts[l], 0)).toBe(r.entries.filter((e) => e.level !== null).length);
      }),
      { numRuns: 150 },
    );
  });

  it("with normalisation, opposite offsets of two judges in a complete panel change no score, rank or level", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 600, max: 950 }), { minLength: 5, maxLength: 5 }), { minLength: 2, maxLength: 12 }),
        fc.integer({ min: -80, max: 80 }),
        (grid, c) => {
          const entries = grid.map((_, i) => ({ id: i + 1, trackId: 1, unitId: (i % 3) + 1, panelId: 1 }));
          const sheets = grid.flatMap((row, i) => row.map((total, k) => ({ expertId: k + 1, entryId: i + 1, stage: 'material' as const, total })));
          const rules: ContestRules = { ...baseRules, normalizeByJudge: true, weights: { material: 100, presentation: 0 }, quotas: { mode: 'count', counts: { first: 1, second: 2, third: 2, excellence: 3 } } };
          const shifted = sheets.map((s) => ({ ...s, total: s.total + (s.expertId === 1 ? c : s.expertId === 2 ? -c : 0) }));
          const pick = (r: ReturnType<typeof computeResults>) => r.entries.map((e) => [e.entryId, e.finalScore, e.rank, e.level]);
          expect(pick(computeResults({ rules, entries, sheets: shifted }))).toEqual(pick(computeResults({ rules, entries, sheets })));
        },
      ),
      { numRuns: 100 },
    );
  });

  /** The same sheets as columns per stage (typed arrays, as the loader gives them). */
  const columns = (sheets: readonly ScoreSheet[]): ScoreSheetColumns => {
    const of = (stage: Stage) => {
      const list = sheets.filter((s) => s.stage === stage);
      return { entryId: Float64Array.from(list, (s) => s.entryId), expertId: Float64Array.from(list, (s) => s.expertId), total: Float64Array.from(list, (s) => s.total) };
    };
    return { material: of('material'), presentation: of('presentation') };
  };
  /** The list in the order columns() reads it: material sheets first. */
  const stageOrder = (sheets: readonly ScoreSheet[]) => [...sheets.filter((s) => s.stage === 'material'), ...sheets.filter((s) => s.stage === 'presentation')];

  it('gives the same results for the sheets as columns as for the list (with and without the quality report)', () => {
    fc.assert(
      fc.property(contest, fc.boolean(), (c, quality) => {
        const fromColumns = computeResults({ ...c, sheets: columns(c.sheets) }, { quality });
        expect(fromColumns).toEqual(computeResults(c, { quality }));
        expect(sheetCount(columns(c.sheets))).toBe(c.sheets.length);
      }),
      { numRuns: 100 },
    );
  });

  /** The results with every compact stage expanded: what a reader of a format-2 payload sees. */
  const expanded = (r: ContestResults<StageResult>): ContestResults => ({
    ...r,
    entries: r.entries.map((e) => ({
      ...e,
      stages: {
        material: e.stages.material && (isCompactAggregation(e.stages.material) ? expandAggregation(e.stages.material) : e.stages.material),
        presentation: e.stages.presentation && (isCompactAggregation(e.stages.presentation) ? expandAggregation(e.stages.presentation) : e.stages.presentation),
      },
    })),
  });

  it('compact stages: the same results, each stage expanded equal to the full one (lists, columns, with and without the quality report)', () => {
    fc.assert(
      fc.property(contest, fc.boolean(), fc.boolean(), (c, quality, asColumns) => {
        const input = asColumns ? { ...c, sheets: columns(c.sheets) } : c;
        const compact = computeResults(input, { quality, compact: true });
        const full = computeResults(input, { quality });
        expect(expanded(compact)).toEqual(full);
        for (const e of compact.entries) {
          for (const stage of ['material', 'presentation'] as const) {
            const a = e.stages[stage];
            // Normalised stages stay full; raw ones are compact, with nothing but what decides them.
            if (a !== null) expect(isCompactAggregation(a)).toBe(!c.rules.normalizeByJudge);
            if (a !== null && isCompactAggregation(a)) expect(Object.keys(a).sort()).toEqual(['pairs', 'requestedMethod', 'trimMinSheets', 'value']);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('lists the ranked entries by (rank, entryId), then the unranked ones by entryId', () => {
    fc.assert(
      fc.property(contest, fc.boolean(), (c, compact) => {
        const r = computeResults(c, { compact, quality: false });
        const key = (e: { rank: number | null; entryId: number }) => [e.rank ?? Number.MAX_SAFE_INTEGER, e.entryId];
        const sorted = [...r.entries].sort((x, y) => key(x)[0] - key(y)[0] || key(x)[1] - key(y)[1]);
        expect(r.entries.map((e) => e.entryId)).toEqual(sorted.map((e) => e.entryId));
        expect(r.entries.filter((e) => e.rank === null).every((e) => !e.ranked)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  /** Sheet lists the core refuses: an unknown entry, a sheet twice, a panel's non-member. */
  const badSheetLists = (input: ReturnType<typeof seedContest>): ScoreSheet[][] => [
    [...input.sheets, { expertId: 1, entryId: 999, stage: 'material', total: 1 }],
    [...input.sheets, input.sheets[0]],
    [...input.sheets, { expertId: 99, entryId: 1, stage: 'material', total: 1.5 }],
  ];

  it('compact stages: bad sheets are refused with the same errors', () => {
    const input = seedContest();
    const bad = badSheetLists(input);
    for (const sheets of bad) {
      let message = 'no error';
      try {
        computeResults({ ...input, sheets });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).not.toBe('no error');
      expect(() => computeResults({ ...input, sheets }, { compact: true })).toThrow(message);
      expect(() => computeResults({ ...input, sheets: columns(sheets) }, { compact: true })).toThrow(message);
    }
  });

  it('rejects bad sheets given as columns as it rejects them in a list', () => {
    const input = seedContest();
    const bad = badSheetLists(input);
    for (const sheets of bad) {
      const message = (() => {
        try {
          computeResults({ ...input, sheets: stageOrder(sheets) });
        } catch (e) {
          return (e as Error).message;
        }
        return 'no error';
      })();
      expect(message).not.toBe('no error');
      expect(() => computeResults({ ...input, sheets: columns(sheets) })).toThrow(message);
    }
    const c = columns(input.sheets);
    expect(() => computeResults({ ...input, sheets: { ...c, presentation: { ...c.presentation, total: [] } } })).toThrow(/presentation sheet columns of different lengths/);
  });

  it('rejects sheets for unknown entries and duplicate sheets', () => {
    const input = seedContest();
    expect(() => computeResults({ ...input, sheets: [...input.sheets, { expertId: 1, entryId: 999, stage: 'material', total: 1 }] })).toThrow(/unknown entry/);
    expect(() => computeResults({ ...input, sheets: [...input.sheets, input.sheets[0]] })).toThrow(/two material sheets/);
  });
});
