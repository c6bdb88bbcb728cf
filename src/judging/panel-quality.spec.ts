import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { JudgingInputError, type PanelMark } from './aggregation.js';
import { assessPanel } from './panel-quality.js';

/** grid[expert][entry] → marks of experts 1.. on entries 1.. */
const grid = (rows: number[][]): PanelMark[] => rows.flatMap((row, j) => row.map((total, e) => ({ expertId: j + 1, entryId: e + 1, total })));

describe('assessPanel', () => {
  it('reports per expert, per entry and the dropped marks', () => {
    const marks = grid([
      [800, 700, 900],
      [850, 750, 950],
      [700, 700, 700],
    ]);
    const r = assessPanel({
      marks,
      dropped: [
        { expertId: 2, entryId: 1, why: 'highest' },
        { expertId: 3, entryId: 1, why: 'lowest' },
        { expertId: 2, entryId: 3, why: 'highest' },
      ],
    });
    expect(r.entries).toEqual([
      { entryId: 1, count: 3, mean: 783333, min: 700, max: 850, disagreement: 150 },
      { entryId: 2, count: 3, mean: 716667, min: 700, max: 750, disagreement: 50 },
      { entryId: 3, count: 3, mean: 850000, min: 700, max: 950, disagreement: 250 },
    ]);
    const e2 = r.experts.find((e) => e.expertId === 2)!;
    expect(e2).toMatchObject({ count: 3, mean: 850000, droppedHighest: 2, droppedLowest: 0 });
    // deviations: 85−78.333…, 75−71.666…, 95−85 → mean (6.666…+3.333…+10)/3 = 6.666… → 6.6667
    expect(e2.meanDeviation).toBe(66667);
    expect(e2.stdDevPoints).toBeCloseTo(8.16497, 4);
    const e3 = r.experts.find((e) => e.expertId === 3)!;
    expect(e3.stdDevPoints).toBe(0);
    expect(e3.meanDeviation).toBe(-83333); // (−8.333… − 1.666… − 15)/3 = −8.333…
    // The panel's deviations cancel out on a complete panel.
    expect(Math.abs(r.experts.reduce((s, e) => s + e.meanDeviation, 0))).toBeLessThanOrEqual(2);
  });

  it("Kendall's W is 1 for identical rankings and 0 for two opposite ones", () => {
    expect(assessPanel({ marks: grid([[1, 2, 3, 4], [10, 20, 30, 40], [5, 6, 7, 8]]) }).kendallW).toBeCloseTo(1, 12);
    expect(assessPanel({ marks: grid([[1, 2, 3], [3, 2, 1]]) }).kendallW).toBe(0);
  });

  it("Kendall's W corrects for ties", () => {
    // Ranks A: 1.5, 1.5, 3; B: 1, 2, 3. S = 6.5, T_A = 6: W = 12·6.5 / (4·24 − 2·6) = 78/84.
    const r = assessPanel({ marks: grid([[1, 1, 2], [1, 2, 3]]) });
    expect(r.kendallW).toBeCloseTo(78 / 84, 12);
    expect(r.kendall).toMatchObject({ experts: 2, entries: 3, tieCorrection: 6 });
  });

  it("computes Kendall's W only over entries every expert marked, and null below 2 × 2", () => {
    const marks = [...grid([[1, 2, 3], [1, 2, 3]]), { expertId: 1, entryId: 9, total: 100 }];
    expect(assessPanel({ marks }).kendall).toMatchObject({ value: 1, entries: 3 });
    expect(assessPanel({ marks: grid([[1, 2, 3]]) }).kendallW).toBeNull();
    expect(assessPanel({ marks: grid([[1], [2]]) }).kendallW).toBeNull();
    expect(assessPanel({ marks: grid([[5, 5], [7, 7]]) }).kendall).toMatchObject({ value: null, reason: expect.stringContaining('same mark') });
    expect(assessPanel({ marks: [] })).toMatchObject({ experts: [], entries: [], kendallW: null });
  });

  it('rejects duplicate marks and dropped marks that do not exist', () => {
    expect(() => assessPanel({ marks: [...grid([[1]]), ...grid([[2]])] })).toThrow(JudgingInputError);
    expect(() => assessPanel({ marks: grid([[1]]), dropped: [{ expertId: 2, entryId: 1, why: 'lowest' }] })).toThrow(/not among/);
  });

  const panels = fc.uniqueArray(
    fc.record({ expertId: fc.integer({ min: 1, max: 5 }), entryId: fc.integer({ min: 1, max: 6 }), total: fc.integer({ min: 0, max: 30 }) }),
    { maxLength: 30, selector: (m) => `${m.expertId}:${m.entryId}` },
  );

  it('never depends on the input order; W stays within [0, 1]', () => {
    fc.assert(
      fc.property(panels.chain((p) => fc.tuple(fc.constant(p), fc.shuffledSubarray(p, { minLength: p.length, maxLength: p.length }))), ([p, shuffled]) => {
        const r = assessPanel({ marks: p });
        expect(assessPanel({ marks: shuffled })).toEqual(r);
        if (r.kendallW !== null) {
          expect(r.kendallW).toBeGreaterThanOrEqual(-1e-12);
          expect(r.kendallW).toBeLessThanOrEqual(1 + 1e-12);
        }
        for (const e of r.entries) expect(e.disagreement).toBe(e.max - e.min);
      }),
      { numRuns: 150 },
    );
  });
});
