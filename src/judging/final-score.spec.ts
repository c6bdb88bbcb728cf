import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { JudgingInputError, divRoundHalfUp } from './aggregation.js';
import { computeFinalScore, finalScoreOf, validateWeights } from './final-score.js';

describe('computeFinalScore', () => {
  it('weights material 60 % and presentation 40 %', () => {
    const r = computeFinalScore({ material: 850000, presentation: 800000 }, { material: 60, presentation: 40 });
    expect(r).toMatchObject({ ok: true, value: 830000 });
    expect(r.explanation).toBe('material 85 × 60% + presentation 80 × 40% = 83 (rounded half-up to 0.0001)');
  });

  it('rounds an exact half up', () => {
    // (850001 × 50 + 850000 × 50) / 100 = 850000.5 → 850001
    expect(computeFinalScore({ material: 850001, presentation: 850000 }, { material: 50, presentation: 50 })).toMatchObject({ value: 850001 });
    // (850001 × 30 + 850000 × 70) / 100 = 850000.3 → 850000
    expect(computeFinalScore({ material: 850001, presentation: 850000 }, { material: 30, presentation: 70 })).toMatchObject({ value: 850000 });
  });

  it('returns an error result for a missing stage with a positive weight', () => {
    const r = computeFinalScore({ material: 850000 }, { material: 60, presentation: 40 });
    expect(r).toMatchObject({ ok: false, error: 'missing_stage', missing: ['presentation'] });
    expect(computeFinalScore({}, { material: 60, presentation: 40 })).toMatchObject({ ok: false, missing: ['material', 'presentation'] });
  });

  it('does not need a stage of weight 0', () => {
    expect(computeFinalScore({ material: 851234, presentation: null }, { material: 100, presentation: 0 })).toMatchObject({ ok: true, value: 851234 });
  });

  it('rejects weights that are not integer percents summing to 100', () => {
    expect(() => validateWeights({ material: 60, presentation: 30 })).toThrow(JudgingInputError);
    expect(() => validateWeights({ material: 60.5, presentation: 39.5 })).toThrow(JudgingInputError);
    expect(() => validateWeights({ material: 110, presentation: -10 })).toThrow(JudgingInputError);
    expect(() => computeFinalScore({ material: 1, presentation: 1 }, { material: 50, presentation: 51 })).toThrow(/sum to 100/);
  });

  it('is the exact weighted mean rounded half-up, between the two stage scores', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 100 }), (m, p, w) => {
        const r = computeFinalScore({ material: m, presentation: p }, { material: w, presentation: 100 - w });
        if (!r.ok) throw new Error('expected a score');
        expect(r.value).toBe(Number(divRoundHalfUp(BigInt(m) * BigInt(w) + BigInt(p) * BigInt(100 - w), 100n)));
        expect(r.value).toBeGreaterThanOrEqual(Math.min(m, p));
        expect(r.value).toBeLessThanOrEqual(Math.max(m, p));
      }),
      { numRuns: 200 },
    );
  });
});

describe('computeFinalScore arithmetic', () => {
  it('equals the exact BigInt rounding of (material × w + presentation × (100 − w)) / 100, also beyond safe products', () => {
    const score = fc.oneof(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: -(2 ** 52), max: 2 ** 52 }));
    fc.assert(
      fc.property(score, score, fc.integer({ min: 0, max: 100 }), (material, presentation, w) => {
        const r = computeFinalScore({ material, presentation }, { material: w, presentation: 100 - w });
        expect(r.ok).toBe(true);
        const exact = BigInt(material) * BigInt(w) + BigInt(presentation) * BigInt(100 - w);
        // Terms of weight 0 are left out, as the rule says.
        const counted = (w > 0 ? BigInt(material) * BigInt(w) : 0n) + (w < 100 ? BigInt(presentation) * BigInt(100 - w) : 0n);
        expect(counted).toBe(exact);
        if (r.ok) expect(r.value).toBe(Number(divRoundHalfUp(exact, 100n)));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('finalScoreOf', () => {
  it('gives the value, missing stages and explanation of computeFinalScore (without the parts)', () => {
    const score = fc.option(fc.oneof(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 })), { nil: null });
    fc.assert(
      fc.property(score, score, fc.integer({ min: 0, max: 100 }), (material, presentation, wm) => {
        const weights = { material: wm, presentation: 100 - wm };
        const full = computeFinalScore({ material, presentation }, weights);
        const lean = finalScoreOf(material, presentation, weights);
        expect(lean.explanation).toBe(full.explanation);
        if (full.ok) expect(lean).toEqual({ value: full.value, missing: null, explanation: full.explanation });
        else expect(lean).toEqual({ value: null, missing: full.missing, explanation: full.explanation });
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses what computeFinalScore refuses', () => {
    expect(() => finalScoreOf(1.5, 0, { material: 50, presentation: 50 })).toThrow(JudgingInputError);
    expect(() => finalScoreOf(0, 0, { material: 50, presentation: 40 })).toThrow(JudgingInputError);
  });
});
