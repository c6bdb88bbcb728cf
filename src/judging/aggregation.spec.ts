import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import {
  JudgingInputError,
  aggregateMarks,
  aggregatePairs,
  compactAggregation,
  expandAggregation,
  aggregateNormalizedMarks,
  compareRational,
  divRoundHalfUp,
  divRoundHalfUpNumber,
  formatScore4,
  formatTenths,
  normalizeByJudge,
  type AggregationMethod,
  type Mark,
  type PanelMark,
  type Rational,
} from './aggregation.js';

const marks = (...totals: number[]): Mark[] => totals.map((total, i) => ({ expertId: i + 1, total }));

const markSets = fc.uniqueArray(fc.record({ expertId: fc.integer({ min: 1, max: 60 }), total: fc.integer({ min: 0, max: 1000 }) }), {
  minLength: 1,
  maxLength: 12,
  selector: (m) => m.expertId,
});
const methods = fc.constantFrom<AggregationMethod>('trimmed_mean', 'mean', 'median');
const permuted = <T>(items: T[]) => fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length });

describe('rounding', () => {
  it('rounds half up, towards +infinity', () => {
    expect(divRoundHalfUp(5n, 2n)).toBe(3n);
    expect(divRoundHalfUp(-5n, 2n)).toBe(-2n);
    expect(divRoundHalfUp(7n, 3n)).toBe(2n);
    expect(divRoundHalfUp(8n, 3n)).toBe(3n);
    expect(divRoundHalfUp(-8n, 3n)).toBe(-3n);
    expect(divRoundHalfUp(5n, -2n)).toBe(-2n);
  });

  it('formats Score4 exactly', () => {
    expect(formatScore4(855000)).toBe('85.5');
    expect(formatScore4(850000)).toBe('85');
    expect(formatScore4(800063)).toBe('80.0063');
    expect(formatScore4(-12345)).toBe('-1.2345');
  });
});

describe('aggregateMarks', () => {
  it('trimmed mean of 80, 85, 90, 95, 70 is 85', () => {
    const a = aggregateMarks({ marks: marks(800, 850, 900, 950, 700), method: 'trimmed_mean', trimMinSheets: 5 });
    expect(a.method).toBe('trimmed_mean');
    expect(a.value).toBe(850000);
    expect(a.dropped).toEqual([
      { expertId: 4, total: 950, why: 'highest' },
      { expertId: 5, total: 700, why: 'lowest' },
    ]);
    expect(a.used).toEqual([1, 2, 3]);
    expect(a.untrimmedSum).toBe(4200);
    expect(a.min).toBe(700);
    expect(a.max).toBe(950);
    expect(a.count).toBe(5);
    expect(a.reason).toContain('dropped the highest (expert 4: 95)');
  });

  it('falls back to the mean below trimMinSheets, and says so', () => {
    const a = aggregateMarks({ marks: marks(800, 850, 900, 950), method: 'trimmed_mean', trimMinSheets: 5 });
    expect(a.method).toBe('mean');
    expect(a.requestedMethod).toBe('trimmed_mean');
    expect(a.dropped).toEqual([]);
    expect(a.value).toBe(875000);
    expect(a.reason).toContain('needs at least 5');
  });

  it('takes the median of odd and even counts exactly', () => {
    expect(aggregateMarks({ marks: marks(700, 900, 800), method: 'median', trimMinSheets: 5 }).value).toBe(800000);
    const even = aggregateMarks({ marks: marks(700, 901, 800, 950), method: 'median', trimMinSheets: 5 });
    expect(even.value).toBe(850500);
    expect(even.used).toEqual([2, 3]);
  });

  it('rounds the mean half-up only once, at the end', () => {
    // 15 × 80.0 and 1 × 80.1: mean = 12801/16 tenths = 80.00625 points → 80.0063
    const m = [...Array(15).fill(800), 801];
    expect(aggregateMarks({ marks: marks(...m), method: 'mean', trimMinSheets: 5 }).value).toBe(800063);
    // 2555/3 tenths = 85.1666… → 85.1667
    expect(aggregateMarks({ marks: marks(851, 852, 852), method: 'mean', trimMinSheets: 5 }).value).toBe(851667);
  });

  it('drops the highest-id expert among equal highest marks and the lowest-id among equal lowest, whatever the order', () => {
    const input = [
      { expertId: 9, total: 900 },
      { expertId: 3, total: 900 },
      { expertId: 5, total: 700 },
      { expertId: 2, total: 700 },
      { expertId: 7, total: 800 },
    ];
    const a = aggregateMarks({ marks: input, method: 'trimmed_mean', trimMinSheets: 5 });
    const b = aggregateMarks({ marks: [...input].reverse(), method: 'trimmed_mean', trimMinSheets: 5 });
    expect(a).toEqual(b);
    expect(a.dropped.map((d) => [d.expertId, d.why])).toEqual([
      [9, 'highest'],
      [2, 'lowest'],
    ]);
  });

  it('drops two different experts even when all marks are equal', () => {
    const a = aggregateMarks({ marks: marks(800, 800, 800), method: 'trimmed_mean', trimMinSheets: 3 });
    expect(a.dropped.map((d) => d.expertId)).toEqual([3, 1]);
    expect(a.value).toBe(800000);
  });

  it('rejects malformed input', () => {
    expect(() => aggregateMarks({ marks: [], method: 'mean', trimMinSheets: 5 })).toThrow(JudgingInputError);
    expect(() => aggregateMarks({ marks: marks(800.5), method: 'mean', trimMinSheets: 5 })).toThrow(JudgingInputError);
    expect(() => aggregateMarks({ marks: [{ expertId: 1, total: 1 }, { expertId: 1, total: 2 }], method: 'mean', trimMinSheets: 5 })).toThrow(/more than one/);
    expect(() => aggregateMarks({ marks: marks(1, 2, 3), method: 'trimmed_mean', trimMinSheets: 2 })).toThrow(/at least 3/);
  });

  it('never depends on the order of the marks', () => {
    fc.assert(
      fc.property(
        markSets.chain((ms) => fc.tuple(fc.constant(ms), permuted(ms))),
        methods,
        fc.integer({ min: 3, max: 8 }),
        ([ms, shuffled], method, trimMinSheets) => {
          expect(aggregateMarks({ marks: shuffled, method, trimMinSheets })).toEqual(aggregateMarks({ marks: ms, method, trimMinSheets }));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the trimmed mean drops exactly one highest and one lowest iff count >= trimMinSheets', () => {
    fc.assert(
      fc.property(markSets, fc.integer({ min: 3, max: 8 }), (ms, trimMinSheets) => {
        const a = aggregateMarks({ marks: ms, method: 'trimmed_mean', trimMinSheets });
        const totals = ms.map((m) => m.total).sort((x, y) => x - y);
        if (ms.length >= trimMinSheets) {
          expect(a.method).toBe('trimmed_mean');
          expect(a.dropped).toHaveLength(2);
          expect(a.dropped.find((d) => d.why === 'highest')!.total).toBe(totals[totals.length - 1]);
          expect(a.dropped.find((d) => d.why === 'lowest')!.total).toBe(totals[0]);
          expect(new Set(a.dropped.map((d) => d.expertId)).size).toBe(2);
          expect(a.used).toHaveLength(ms.length - 2);
          const sum = totals.slice(1, -1).reduce((s, t) => s + t, 0);
          expect(a.value).toBe(Number(divRoundHalfUp(BigInt(sum) * 1000n, BigInt(ms.length - 2))));
        } else {
          expect(a.method).toBe('mean');
          expect(a.dropped).toHaveLength(0);
          expect(a.used).toHaveLength(ms.length);
        }
        expect(a.untrimmedSum).toBe(totals.reduce((s, t) => s + t, 0));
      }),
      { numRuns: 200 },
    );
  });

  it('every method lands between the lowest and highest mark', () => {
    fc.assert(
      fc.property(markSets, methods, (ms, method) => {
        const a = aggregateMarks({ marks: ms, method, trimMinSheets: 5 });
        expect(a.value).toBeGreaterThanOrEqual(a.min * 1000);
        expect(a.value).toBeLessThanOrEqual(a.max * 1000);
      }),
      { numRuns: 150 },
    );
  });
});

describe('normalizeByJudge', () => {
  const sub = (a: Rational, b: Rational): Rational => ({ num: a.num * b.den - b.num * a.den, den: a.den * b.den });
  const eq = (a: Rational, b: Rational) => compareRational(a, b) === 0;

  it('removes a constant offset: a judge who marks 5 points higher than an identical judge normalises to the same marks', () => {
    const panel: PanelMark[] = [
      { expertId: 1, entryId: 10, total: 800 },
      { expertId: 1, entryId: 11, total: 700 },
      { expertId: 1, entryId: 12, total: 900 },
      { expertId: 2, entryId: 10, total: 850 },
      { expertId: 2, entryId: 11, total: 750 },
      { expertId: 2, entryId: 12, total: 950 },
    ];
    const n = normalizeByJudge(panel);
    expect(n.panelMean).toBe(825000);
    expect(n.judges).toEqual([
      { expertId: 1, count: 3, mean: 800000, offset: -25000 },
      { expertId: 2, count: 3, mean: 850000, offset: 25000 },
    ]);
    for (const entryId of [10, 11, 12]) {
      const [a, b] = n.marks.filter((m) => m.entryId === entryId);
      expect(a.adjusted).toBe(b.adjusted);
    }
    expect(n.marks.find((m) => m.entryId === 10)!.adjusted).toBe(825000);
  });

  it('aggregates normalised marks exactly and keeps the raw marks for the explanation', () => {
    const panel: PanelMark[] = [
      { expertId: 1, entryId: 1, total: 800 },
      { expertId: 2, entryId: 1, total: 810 },
      { expertId: 3, entryId: 1, total: 790 },
      { expertId: 1, entryId: 2, total: 700 },
      { expertId: 2, entryId: 2, total: 701 },
    ];
    const n = normalizeByJudge(panel);
    const a = aggregateNormalizedMarks({ marks: n.marks.filter((m) => m.entryId === 1), method: 'mean', trimMinSheets: 5 });
    expect(a.normalized).toBe(true);
    expect(a.untrimmedSum).toBe(2400);
    expect(a.marks.every((m) => m.adjusted !== undefined)).toBe(true);
    // Reference: exact mean of the three adjusted rationals.
    const ms = n.marks.filter((m) => m.entryId === 1);
    let num = 0n;
    let den = 1n;
    for (const m of ms) {
      num = num * m.exact.den + m.exact.num * den;
      den *= m.exact.den;
    }
    expect(a.value).toBe(Number(divRoundHalfUp(num * 1000n, den * 3n)));
    expect(() => aggregateNormalizedMarks({ marks: n.marks, method: 'mean', trimMinSheets: 5 })).toThrow(/more than one entry/);
  });

  const panels = fc
    .uniqueArray(
      fc.record({ expertId: fc.integer({ min: 1, max: 6 }), entryId: fc.integer({ min: 1, max: 8 }), total: fc.integer({ min: 0, max: 1000 }) }),
      { minLength: 2, maxLength: 40, selector: (m) => `${m.expertId}:${m.entryId}` },
    );

  it('a judge adding a constant changes no difference between normalised marks: everything moves by exactly c·n_j/N', () => {
    fc.assert(
      fc.property(panels, fc.integer({ min: -200, max: 200 }), fc.nat(), (panel, c, pick) => {
        const judges = [...new Set(panel.map((m) => m.expertId))];
        const judge = judges[pick % judges.length];
        const shifted = panel.map((m) => (m.expertId === judge ? { ...m, total: m.total + c } : m));
        const before = normalizeByJudge(panel).marks;
        const after = normalizeByJudge(shifted).marks;
        const nj = BigInt(panel.filter((m) => m.expertId === judge).length);
        const shift: Rational = { num: BigInt(c) * nj, den: BigInt(panel.length) };
        before.forEach((b, i) => {
          expect(after[i].entryId).toBe(b.entryId);
          expect(eq(sub(after[i].exact, b.exact), shift)).toBe(true);
        });
        // Hence the judge's own deviations, every gap and every order are untouched.
        for (let i = 0; i + 1 < before.length; i++) {
          expect(eq(sub(before[i + 1].exact, before[i].exact), sub(after[i + 1].exact, after[i].exact))).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('with the panel level held (offsets summing to zero across a complete panel) normalised results are identical', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 3, maxLength: 3 }), { minLength: 2, maxLength: 6 }),
        fc.integer({ min: -100, max: 100 }),
        (grid, c) => {
          // Complete panel: experts 1..3 mark every entry. Judge 1 adds c, judge 2 subtracts c.
          const panel = grid.flatMap((row, e) => row.map((total, j) => ({ expertId: j + 1, entryId: e + 1, total })));
          const shifted = panel.map((m) => ({ ...m, total: m.total + (m.expertId === 1 ? c : m.expertId === 2 ? -c : 0) }));
          expect(normalizeByJudge(shifted).marks.map((m) => m.adjusted)).toEqual(normalizeByJudge(panel).marks.map((m) => m.adjusted));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('never depends on the order of the marks', () => {
    fc.assert(
      fc.property(panels.chain((p) => fc.tuple(fc.constant(p), permuted(p))), ([p, shuffled]) => {
        expect(normalizeByJudge(shuffled)).toEqual(normalizeByJudge(p));
      }),
      { numRuns: 100 },
    );
  });

  it('rejects an empty panel and duplicate marks', () => {
    expect(() => normalizeByJudge([])).toThrow(JudgingInputError);
    expect(() =>
      normalizeByJudge([
        { expertId: 1, entryId: 1, total: 1 },
        { expertId: 1, entryId: 1, total: 2 },
      ]),
    ).toThrow(/more than one/);
  });
});

describe('exact arithmetic in plain numbers (the fast paths of the aggregation)', () => {
  it('divRoundHalfUpNumber equals divRoundHalfUp in BigInt, within the fast range and beyond it', () => {
    const big = fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n });
    const pick = fc.oneof(fc.integer({ min: -2_000_000_000, max: 2_000_000_000 }), fc.maxSafeInteger().map((x) => x), big.map((x) => Number(BigInt.asIntN(53, x))));
    fc.assert(
      fc.property(pick, fc.integer({ min: 1, max: 2 ** 31 }), (num, den) => {
        fc.pre(Number.isSafeInteger(num));
        expect(divRoundHalfUpNumber(num, den)).toBe(Number(divRoundHalfUp(BigInt(num), BigInt(den))));
      }),
      { numRuns: 2000 },
    );
    // Exact halves and the edges of the fast range.
    for (const [num, den] of [[5, 2], [-5, 2], [1, 2], [-1, 2], [7, 14], [2 ** 50, 3], [-(2 ** 50), 3], [2 ** 50 + 1, 2], [Number.MAX_SAFE_INTEGER, 2], [-Number.MAX_SAFE_INTEGER, 7], [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER]]) {
      expect(divRoundHalfUpNumber(num, den)).toBe(Number(divRoundHalfUp(BigInt(num), BigInt(den))));
    }
  });

  it('aggregates raw marks to the value of the exact rational (sum / count, rounded half-up to a Score4)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.record({ expertId: fc.integer({ min: 1, max: 60 }), total: fc.integer({ min: -(2 ** 45), max: 2 ** 45 }) }), { selector: (m) => m.expertId, minLength: 1, maxLength: 9 }), (ms) => {
        const a = aggregateMarks({ marks: ms, method: 'mean', trimMinSheets: 3 });
        const sum = ms.reduce((s, m) => s + BigInt(m.total), 0n);
        expect(a.value).toBe(Number(divRoundHalfUp(sum * 1000n, BigInt(ms.length))));
      }),
      { numRuns: 500 },
    );
  });

  it('formatScore4 writes what the digit-string rule wrote (trailing zeros dropped)', () => {
    const reference = (value: number): string => {
      const negative = value < 0;
      const abs = Math.abs(value);
      const whole = Math.floor(abs / 10000);
      const frac = String(abs % 10000).padStart(4, '0').replace(/0+$/, '');
      return `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
    };
    fc.assert(fc.property(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), (v) => expect(formatScore4(v)).toBe(reference(v))), { numRuns: 2000 });
    for (const v of [0, 1, 10, 100, 1000, 10000, 855000, 850000, -12345, -10000, -1, 972400, 962480]) expect(formatScore4(v)).toBe(reference(v));
  });
});

describe('formatTenths', () => {
  it('writes what formatScore4 writes for the same value in Score4', () => {
    for (const v of [0, 1, 9, 10, 855, 850, 1000, 99999, -1, -855, 0.5, 2 ** 50 / 1000, 2 ** 53 - 1]) expect(formatTenths(v)).toBe(formatScore4(v * 1000));
    fc.assert(fc.property(fc.oneof(fc.integer({ min: -100_000, max: 100_000 }), fc.integer({ min: 0, max: 2 ** 40 })), (v) => expect(formatTenths(v)).toBe(formatScore4(v * 1000))), { numRuns: 5000 });
  });
});

describe('compact aggregations (payload format 2)', () => {
  const pairsOf = (ms: readonly Mark[]) => [...ms].sort((a, b) => a.expertId - b.expertId).flatMap((m) => [m.expertId, m.total]);
  const method = fc.constantFrom<AggregationMethod>('trimmed_mean', 'mean', 'median');
  const markSet = (total: fc.Arbitrary<number>) =>
    fc.uniqueArray(fc.record({ expertId: fc.integer({ min: 1, max: 60 }), total }), { minLength: 1, maxLength: 12, selector: (m) => m.expertId });

  it('aggregatePairs has the value of aggregateMarks, and expands to exactly its aggregation', () => {
    fc.assert(
      fc.property(markSet(fc.integer({ min: 0, max: 1000 })), method, fc.integer({ min: 3, max: 8 }), (ms, m, trimMinSheets) => {
        const full = aggregateMarks({ marks: ms, method: m, trimMinSheets });
        const pairs = pairsOf(ms);
        const compact = aggregatePairs(pairs, m, trimMinSheets);
        expect(compact).toEqual({ requestedMethod: m, trimMinSheets, value: full.value, pairs });
        expect(expandAggregation(compact)).toEqual(full);
        expect(compactAggregation(full, trimMinSheets)).toEqual(compact);
      }),
      { numRuns: 500 },
    );
  });

  it('the same value for totals beyond the fast arithmetic (negative, huge) as aggregateMarks', () => {
    fc.assert(
      fc.property(markSet(fc.oneof(fc.integer({ min: -2000, max: 2000 }), fc.integer({ min: -(2 ** 52), max: 2 ** 52 }))), method, fc.integer({ min: 3, max: 8 }), (ms, m, trimMinSheets) => {
        expect(aggregatePairs(pairsOf(ms), m, trimMinSheets).value).toBe(aggregateMarks({ marks: ms, method: m, trimMinSheets }).value);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses what aggregateMarks refuses', () => {
    expect(() => aggregatePairs([], 'mean', 5)).toThrow(JudgingInputError);
    expect(() => aggregatePairs([1, 900, 1, 800], 'mean', 5)).toThrow(/expert 1 has more than one mark/);
    expect(() => aggregatePairs([2, 900, 1, 800], 'mean', 5)).toThrow(/sorted by expertId/);
    expect(() => aggregatePairs([1, 90.5], 'mean', 5)).toThrow(/total of expert 1 must be an integer/);
    expect(() => aggregatePairs([1, 900], 'mean', 2)).toThrow(/trimMinSheets must be at least 3/);
    expect(() => aggregatePairs([1, 900], 'mode' as AggregationMethod, 5)).toThrow(/unknown aggregation method/);
    expect(() => aggregatePairs([1, 900, 2], 'mean', 5)).toThrow(JudgingInputError);
  });

  it('a normalised aggregation has no compact form', () => {
    const [a] = normalizeByJudge([{ expertId: 1, entryId: 1, total: 900 }, { expertId: 2, entryId: 1, total: 800 }]).marks;
    expect(compactAggregation(aggregateNormalizedMarks({ marks: [a], method: 'mean', trimMinSheets: 5 }), 5)).toBeNull();
  });
});
