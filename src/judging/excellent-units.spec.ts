import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { JudgingInputError } from './aggregation.js';
import type { AwardLevel } from './award-allocation.js';
import { selectExcellentUnits, type ExcellentUnitFormula, type UnitEntry } from './excellent-units.js';

const formula: ExcellentUnitFormula = { pointsPerLevel: { first: 10, second: 6, third: 3, excellence: 1 }, minEntries: 1, topN: 2 };
let nextId = 1;
const entries = (unitId: number, ...levels: (AwardLevel | null)[]): UnitEntry[] => levels.map((level) => ({ entryId: nextId++, unitId, level }));

describe('selectExcellentUnits', () => {
  it('ranks units by points and selects the top N', () => {
    const r = selectExcellentUnits([...entries(1, 'first', 'third'), ...entries(2, 'second'), ...entries(3, 'first', 'first', null)], formula);
    expect(r.units.map((u) => [u.unitId, u.points, u.place, u.selected])).toEqual([
      [3, 20, 1, true],
      [1, 13, 2, true],
      [2, 6, 3, false],
    ]);
    expect(r.units[0]).toMatchObject({ counts: { first: 2, second: 0, third: 0, excellence: 0 }, awardedEntries: 2, totalEntries: 3 });
    expect(r.units[0].reason).toBe('place 1: 20 points (2 first, 0 second, 0 third, 0 excellence); within top 2; decided by points');
    expect(r.selectedCount).toBe(2);
    expect(r.tieAtCutoff).toBeNull();
  });

  it('breaks equal points by more firsts, then seconds, then thirds, then more awarded entries', () => {
    const pts = { first: 6, second: 3, third: 2, excellence: 1 };
    const r = selectExcellentUnits(
      [
        ...entries(1, 'second', 'second'), // 6 points, 0 first
        ...entries(2, 'first'), // 6 points, 1 first
        ...entries(3, 'third', 'third', 'third'), // 6 points, 0 first, 0 second, 3 third
        ...entries(4, 'second', 'third', 'excellence'), // 6 points, 1 second
        ...entries(5, 'third', 'excellence', 'excellence', 'excellence', 'excellence'), // 6, 1 third, 5 awarded
        ...entries(6, 'excellence', 'excellence', 'excellence', 'excellence', 'excellence', 'excellence'), // 6, 0 third, 6 awarded
        ...entries(7, 'excellence', 'excellence', 'excellence', 'excellence', 'excellence', 'excellence'), // same as 6
      ],
      { pointsPerLevel: pts, minEntries: 0, topN: 5 },
    );
    expect(r.units.map((u) => [u.unitId, u.place, u.decidedBy])).toEqual([
      [2, 1, 'first_count'],
      [1, 2, 'second_count'],
      [4, 3, 'second_count'],
      [3, 4, 'third_count'],
      [5, 5, 'third_count'],
      [6, 6, 'unresolved_tie'],
      [7, 6, 'unresolved_tie'],
    ]);
    expect(r.units.find((u) => u.unitId === 6)!.tiedWith).toEqual([7]);
  });

  it('counts awarded entries when points and levels are equal (an excellence award worth no points)', () => {
    const r = selectExcellentUnits(
      [...entries(3, 'third', 'third', 'third'), ...entries(5, 'third', 'third', 'third', 'excellence'), ...entries(8, 'second')],
      { pointsPerLevel: { first: 6, second: 3, third: 2, excellence: 0 }, minEntries: 0, topN: 1 },
    );
    expect(r.units.map((u) => [u.unitId, u.place, u.decidedBy, u.selected])).toEqual([
      [5, 1, 'awarded_entries', true],
      [3, 2, 'awarded_entries', false],
      [8, 3, 'points', false],
    ]);
  });

  it('includes the whole tie that straddles the top N and reports it', () => {
    const r = selectExcellentUnits([...entries(1, 'first'), ...entries(2, 'second'), ...entries(3, 'second'), ...entries(4, 'third')], formula);
    expect(r.units.map((u) => [u.unitId, u.place, u.selected])).toEqual([
      [1, 1, true],
      [2, 2, true],
      [3, 2, true],
      [4, 4, false],
    ]);
    expect(r.selectedCount).toBe(3);
    expect(r.tieAtCutoff).toEqual({ place: 2, unitIds: [2, 3] });
  });

  it('requires minEntries awarded entries', () => {
    const r = selectExcellentUnits([...entries(1, 'first', null, null), ...entries(2, 'third', 'excellence')], { ...formula, minEntries: 2 });
    expect(r.units.map((u) => [u.unitId, u.eligible, u.place, u.selected])).toEqual([
      [2, true, 1, true],
      [1, false, null, false],
    ]);
    expect(r.units[1].reason).toBe('not eligible: 1 awarded entries, fewer than the minimum 2');
  });

  it('rejects malformed input', () => {
    expect(() => selectExcellentUnits([{ entryId: 1, unitId: 1, level: null }, { entryId: 1, unitId: 2, level: null }], formula)).toThrow(JudgingInputError);
    expect(() => selectExcellentUnits([], { ...formula, topN: -1 })).toThrow(JudgingInputError);
  });

  const scenario = fc.record({
    entries: fc.uniqueArray(
      fc.record({
        entryId: fc.integer({ min: 1, max: 300 }),
        unitId: fc.integer({ min: 1, max: 8 }),
        level: fc.constantFrom<AwardLevel | null>('first', 'second', 'third', 'excellence', null),
      }),
      { maxLength: 40, selector: (e) => e.entryId },
    ),
    formula: fc.record({
      pointsPerLevel: fc.record({ first: fc.nat(5), second: fc.nat(4), third: fc.nat(3), excellence: fc.nat(2) }),
      minEntries: fc.nat(3),
      topN: fc.nat(6),
    }),
  });

  it('never depends on the input order', () => {
    fc.assert(
      fc.property(
        scenario.chain((s) => fc.tuple(fc.constant(s), fc.shuffledSubarray(s.entries, { minLength: s.entries.length, maxLength: s.entries.length }))),
        ([s, shuffled]) => {
          expect(selectExcellentUnits(shuffled, s.formula)).toEqual(selectExcellentUnits(s.entries, s.formula));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('selects the top N, more only through a reported tie at the cut-off, never a worse unit over a better one', () => {
    fc.assert(
      fc.property(scenario, ({ entries: es, formula: f }) => {
        const r = selectExcellentUnits(es, f);
        const eligible = r.units.filter((u) => u.eligible);
        const selected = eligible.filter((u) => u.selected);
        expect(r.units.filter((u) => !u.eligible).every((u) => !u.selected && u.awardedEntries < f.minEntries)).toBe(true);
        expect(selected.length).toBeGreaterThanOrEqual(Math.min(f.topN, eligible.length));
        if (selected.length > f.topN) expect(r.tieAtCutoff).not.toBeNull();
        else expect(r.tieAtCutoff).toBeNull();
        const key = (u: (typeof r.units)[number]) => [u.points, u.counts.first, u.counts.second, u.counts.third, u.awardedEntries];
        for (const a of eligible) {
          expect(a.points).toBe(es.filter((e) => e.unitId === a.unitId && e.level).reduce((s, e) => s + f.pointsPerLevel[e.level!], 0));
          for (const b of eligible) {
            const ka = key(a);
            const kb = key(b);
            const i = ka.findIndex((v, k) => v !== kb[k]);
            if (i === -1) expect(a.place).toBe(b.place);
            else if (ka[i] > kb[i]) {
              expect(a.place!).toBeLessThan(b.place!);
              if (b.selected) expect(a.selected).toBe(true);
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
