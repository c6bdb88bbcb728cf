import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { assignAutomatic } from './assignment.js';
import { assignByAffinity, assignGreedy, optimiseAssignment, type AffinityAssignmentInput, type AffinityAssignment } from './affinity-assignment.js';

interface Instance {
  entryIds: number[];
  expertIds: number[];
  conflicts: Set<string>;
  scores: Map<string, number>;
  min: number;
  maxLoad: number;
  seed: string;
}

const key = (expertId: number, entryId: number): string => `${expertId}:${entryId}`;

const instances = (entries: [number, number], experts: [number, number], min: [number, number], maxLoad: [number, number], maxScore = 14): fc.Arbitrary<Instance> =>
  fc
    .record({
      entryIds: fc.uniqueArray(fc.integer({ min: 1, max: 999 }), { minLength: entries[0], maxLength: entries[1] }),
      expertIds: fc.uniqueArray(fc.integer({ min: 1, max: 999 }), { minLength: experts[0], maxLength: experts[1] }),
      dice: fc.array(fc.nat(9), { minLength: entries[1] * experts[1], maxLength: entries[1] * experts[1] }),
      values: fc.array(fc.nat(maxScore), { minLength: entries[1] * experts[1], maxLength: entries[1] * experts[1] }),
      min: fc.integer({ min: min[0], max: min[1] }),
      maxLoad: fc.integer({ min: maxLoad[0], max: maxLoad[1] }),
      seed: fc.string({ maxLength: 8 }),
    })
    .map(({ entryIds, expertIds, dice, values, ...rest }) => {
      const conflicts = new Set<string>();
      const scores = new Map<string, number>();
      entryIds.forEach((entryId, e) =>
        expertIds.forEach((expertId, x) => {
          if (dice[e * experts[1] + x]! < 2) conflicts.add(key(expertId, entryId));
          scores.set(key(expertId, entryId), values[e * experts[1] + x]!);
        }),
      );
      return { entryIds, expertIds, conflicts, scores, ...rest };
    });

function input(i: Instance, fairness = false, uniform?: number): AffinityAssignmentInput {
  return {
    entries: i.entryIds.map((id) => ({ id })),
    experts: i.expertIds.map((id) => ({ id })),
    isConflicted: (x, e) => i.conflicts.has(key(x, e)),
    affinity: (x, e) => uniform ?? i.scores.get(key(x, e))!,
    minJudgesPerEntry: i.min,
    maxLoadPerExpert: i.maxLoad,
    seed: i.seed,
    fairness,
  };
}

/** Every assignment giving each entry exactly min unconflicted judges within maxLoad: the best total, and per entry the best worst-served specialist count. */
function bruteForce(i: Instance): { feasible: boolean; best: number; bestMinSpecialists: number } {
  const loads = new Map(i.expertIds.map((x) => [x, 0]));
  let best = -1;
  let bestMinSpecialists = -1;
  const perEntry: number[] = [];
  const choose = (e: number, total: number): void => {
    if (e === i.entryIds.length) {
      best = Math.max(best, total);
      bestMinSpecialists = Math.max(bestMinSpecialists, perEntry.length ? Math.min(...perEntry) : 0);
      return;
    }
    const entryId = i.entryIds[e]!;
    const eligible = i.expertIds.filter((x) => !i.conflicts.has(key(x, entryId)));
    const pick = (from: number, left: number, sum: number, specialists: number): void => {
      if (left === 0) {
        perEntry.push(specialists);
        choose(e + 1, total + sum);
        perEntry.pop();
        return;
      }
      for (let k = from; k <= eligible.length - left; k++) {
        const x = eligible[k]!;
        if (loads.get(x)! >= i.maxLoad) continue;
        loads.set(x, loads.get(x)! + 1);
        const s = i.scores.get(key(x, entryId))!;
        pick(k + 1, left - 1, sum + s, specialists + (s > 0 ? 1 : 0));
        loads.set(x, loads.get(x)! - 1);
      }
    };
    pick(0, i.min, 0, 0);
  };
  choose(0, 0);
  return { feasible: best >= 0, best, bestMinSpecialists };
}

function checkHard(i: Instance, r: AffinityAssignment): void {
  const seen = new Set<string>();
  const perEntry = new Map<number, number>();
  const loads = new Map<number, number>();
  for (const p of r.pairs) {
    expect(i.conflicts.has(key(p.expertId, p.entryId))).toBe(false);
    expect(seen.has(key(p.expertId, p.entryId))).toBe(false);
    seen.add(key(p.expertId, p.entryId));
    perEntry.set(p.entryId, (perEntry.get(p.entryId) ?? 0) + 1);
    loads.set(p.expertId, (loads.get(p.expertId) ?? 0) + 1);
  }
  for (const e of i.entryIds) expect(perEntry.get(e) ?? 0).toBe(i.min);
  for (const l of loads.values()) expect(l).toBeLessThanOrEqual(i.maxLoad);
  expect(r.totalAffinity).toBe(r.pairs.reduce((s, p) => s + p.affinity, 0));
}

describe('optimiseAssignment', () => {
  it('never violates a conflict, a load cap or the minimum, and refuses exactly when no assignment exists (brute force)', () => {
    fc.assert(
      fc.property(instances([0, 4], [0, 4], [0, 2], [0, 3]), fc.boolean(), (i, fairness) => {
        const r = optimiseAssignment(input(i, fairness));
        const brute = bruteForce(i);
        expect(r.ok).toBe(brute.feasible);
        if (r.ok) checkHard(i, r);
        else if (r.unmet.constraint === 'min_judges_per_entry') expect(r.unmet.eligible).toBeLessThan(i.min);
        else expect(r.unmet.entryIds.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('reaches the brute-force optimum of total affinity on small instances', () => {
    fc.assert(
      fc.property(instances([1, 4], [1, 4], [1, 2], [1, 3]), (i) => {
        const r = optimiseAssignment(input(i));
        const brute = bruteForce(i);
        if (!r.ok) return;
        expect(r.totalAffinity).toBe(brute.best);
      }),
      { numRuns: 300 },
    );
  });

  it('with fairness, raises the worst-served entry to the brute-force best number of specialists', () => {
    fc.assert(
      fc.property(instances([1, 4], [1, 4], [1, 2], [1, 3], 3), (i) => {
        const r = optimiseAssignment(input(i, true));
        if (!r.ok) return;
        checkHard(i, r);
        expect(r.minSpecialists).toBe(bruteForce(i).bestMinSpecialists);
      }),
      { numRuns: 300 },
    );
  });

  it('is at least as good as the greedy on random instances', () => {
    fc.assert(
      fc.property(instances([5, 25], [3, 12], [1, 4], [2, 12]), (i) => {
        const greedy = assignGreedy(input(i));
        const r = optimiseAssignment(input(i));
        if (greedy === null) return;
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        checkHard(i, r);
        expect(r.totalAffinity).toBeGreaterThanOrEqual(greedy.reduce((s, p) => s + p.affinity, 0));
      }),
      { numRuns: 150 },
    );
  });

  it('with uniform affinity has the loads of the balanced assignment', () => {
    fc.assert(
      fc.property(instances([1, 6], [1, 5], [1, 3], [1, 6]), fc.nat(14), (i, value) => {
        const r = optimiseAssignment(input(i, false, value));
        const balanced = assignAutomatic({ ...input(i, false, value) });
        if (!r.ok) {
          expect(balanced.belowMinimum.length).toBeGreaterThan(0);
          return;
        }
        expect(balanced.belowMinimum).toEqual([]);
        const sorted = (loads: { load: number }[]): number[] => loads.map((l) => l.load).sort((a, b) => b - a);
        expect(sorted(r.loads)).toEqual(sorted(balanced.loads));
        expect(r.balanced).toBe(balanced.balanced);
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic for a seed and does not depend on the input order', () => {
    fc.assert(
      fc.property(instances([1, 8], [1, 6], [1, 2], [2, 6]), fc.boolean(), (i, fairness) => {
        const a = optimiseAssignment(input(i, fairness));
        const b = optimiseAssignment(input({ ...i, entryIds: [...i.entryIds].reverse(), expertIds: [...i.expertIds].reverse() }, fairness));
        expect(b).toEqual(a);
      }),
      { numRuns: 100 },
    );
  });
});

describe('assignByAffinity', () => {
  it('falls back to the balanced assignment when affinity says nothing', () => {
    const i: Instance = { entryIds: [1, 2, 3, 4], expertIds: [10, 11, 12], conflicts: new Set([key(10, 1)]), scores: new Map(), min: 2, maxLoad: 3, seed: 's' };
    const r = assignByAffinity(input(i, false, 0));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.fallback).toBe(true);
    const balanced = assignAutomatic(input(i, false, 0));
    expect(r.pairs.map(({ expertId, entryId }) => ({ expertId, entryId }))).toEqual(balanced.pairs);
  });

  it('names the unmet constraint', () => {
    const i: Instance = { entryIds: [1, 2], expertIds: [10, 11], conflicts: new Set([key(10, 1)]), scores: new Map([[key(11, 1), 3], [key(10, 2), 1], [key(11, 2), 0]]), min: 2, maxLoad: 3, seed: 's' };
    expect(assignByAffinity(input(i))).toEqual({ ok: false, unmet: { constraint: 'min_judges_per_entry', entryId: 1, required: 2, eligible: 1 } });
    const j: Instance = { ...i, conflicts: new Set(), scores: new Map([[key(11, 1), 3], [key(10, 1), 0], [key(10, 2), 1], [key(11, 2), 0]]), maxLoad: 1 };
    expect(assignByAffinity(input(j))).toEqual({ ok: false, unmet: { constraint: 'max_load_per_expert', maxLoadPerExpert: 1, required: 2, entryIds: [1, 2] } });
  });

  it('puts each entry with its specialist when that is feasible', () => {
    // Three entries, three specialists (one each) and three generalists.
    const scores = new Map<string, number>();
    for (const e of [1, 2, 3]) for (const x of [10, 11, 12, 20, 21, 22]) scores.set(key(x, e), x - 9 === e ? 8 : 1);
    const i: Instance = { entryIds: [1, 2, 3], expertIds: [10, 11, 12, 20, 21, 22], conflicts: new Set(), scores, min: 2, maxLoad: 1, seed: 'x' };
    const r = assignByAffinity(input(i));
    expect(r.ok && r.pairs.filter((p) => p.affinity === 8).map((p) => [p.entryId, p.expertId])).toEqual([[1, 10], [2, 11], [3, 12]]);
  });
});
