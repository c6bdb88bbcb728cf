import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { assignAutomatic, assignDefault, type AutomaticAssignment } from './assignment.js';

interface Instance {
  entryIds: number[];
  expertIds: number[];
  conflicts: Set<string>;
  min: number;
  maxLoad: number;
  seed: string;
}

const key = (expertId: number, entryId: number): string => `${expertId}:${entryId}`;

interface Shape {
  entries: [number, number];
  experts: [number, number];
  min: [number, number];
  maxLoad: [number, number];
  /** Largest per-expert conflict level: an expert of level l is conflicted with a pair with probability 0.3·l. */
  conflictLevel: number;
}

const anyShape: Shape = { entries: [0, 6], experts: [0, 5], min: [0, 3], maxLoad: [0, 6], conflictLevel: 2 };
// Mostly feasible minimums with conflicts that often make perfect balance hard or impossible.
const tightShape: Shape = { entries: [2, 5], experts: [2, 4], min: [1, 2], maxLoad: [1, 6], conflictLevel: 3 };
// More experts than entries: where uneven middle loads show up.
const wideShape: Shape = { entries: [2, 4], experts: [3, 5], min: [1, 2], maxLoad: [1, 5], conflictLevel: 3 };

const instances = (shape: Shape = anyShape): fc.Arbitrary<Instance> => {
  const [maxEntries, maxExperts] = [shape.entries[1], shape.experts[1]];
  return fc
    .record({
      entryIds: fc.uniqueArray(fc.integer({ min: 1, max: 999 }), { minLength: shape.entries[0], maxLength: maxEntries }),
      expertIds: fc.uniqueArray(fc.integer({ min: 1, max: 999 }), { minLength: shape.experts[0], maxLength: maxExperts }),
      // Experts differ in how conflicted they are, which is what makes perfect balance impossible.
      levels: fc.array(fc.nat(shape.conflictLevel), { minLength: maxExperts, maxLength: maxExperts }),
      dice: fc.array(fc.nat(9), { minLength: maxEntries * maxExperts, maxLength: maxEntries * maxExperts }),
      min: fc.integer({ min: shape.min[0], max: shape.min[1] }),
      maxLoad: fc.integer({ min: shape.maxLoad[0], max: shape.maxLoad[1] }),
      seed: fc.string({ maxLength: 8 }),
    })
    .map(({ entryIds, expertIds, levels, dice, ...rest }) => {
      const conflicts = new Set<string>();
      entryIds.forEach((entryId, e) =>
        expertIds.forEach((expertId, x) => {
          if (dice[e * maxExperts + x]! < levels[x]! * 3) conflicts.add(key(expertId, entryId));
        }),
      );
      return { entryIds, expertIds, conflicts, ...rest };
    });
};

function run(instance: Instance, entryIds = instance.entryIds, expertIds = instance.expertIds): AutomaticAssignment {
  return assignAutomatic({
    entries: entryIds.map((id) => ({ id })),
    experts: expertIds.map((id) => ({ id })),
    isConflicted: (expertId, entryId) => instance.conflicts.has(key(expertId, entryId)),
    minJudgesPerEntry: instance.min,
    maxLoadPerExpert: instance.maxLoad,
    seed: instance.seed,
  });
}

// An independent max flow (augmenting paths by DFS on a capacity matrix): the most pairs possible
// with each entry needing at most `min` judges and each expert at most `maxLoad` entries.
function maxPairs(instance: Instance): number {
  const { entryIds, expertIds } = instance;
  const n = entryIds.length + expertIds.length + 2;
  const s = n - 2;
  const t = n - 1;
  const cap = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  entryIds.forEach((entryId, e) => {
    cap[s]![e] = instance.min;
    expertIds.forEach((expertId, x) => {
      if (!instance.conflicts.has(key(expertId, entryId))) cap[e]![entryIds.length + x] = 1;
    });
  });
  expertIds.forEach((_, x) => (cap[entryIds.length + x]![t] = instance.maxLoad));
  const augment = (u: number, seen: boolean[]): boolean => {
    if (u === t) return true;
    seen[u] = true;
    for (let v = 0; v < n; v++) {
      if (!seen[v] && cap[u]![v]! > 0 && augment(v, seen)) {
        cap[u]![v]! -= 1;
        cap[v]![u]! += 1;
        return true;
      }
    }
    return false;
  };
  let flow = 0;
  while (augment(s, new Array<boolean>(n).fill(false))) flow++;
  return flow;
}

// Brute force over every assignment giving each entry exactly `min` unconflicted judges within
// maxLoad: whether one has loads within one of each other, the smallest maximum load, and the most
// even loads (sorted descending, lexicographically smallest).
function bruteForce(instance: Instance): { feasible: boolean; balancedExists: boolean; smallestMaxLoad: number; mostEven: number[] } {
  const { entryIds, expertIds, min, maxLoad } = instance;
  const loads = new Array<number>(expertIds.length).fill(0);
  let feasible = false;
  let balancedExists = false;
  let smallestMaxLoad = Infinity;
  let mostEven: number[] | null = null;
  const lexLess = (a: number[], b: number[]): boolean => {
    const i = a.findIndex((v, k) => v !== b[k]);
    return i >= 0 && a[i]! < b[i]!;
  };
  const choose = (e: number): void => {
    if (e === entryIds.length) {
      feasible = true;
      const most = Math.max(0, ...loads);
      if (most - Math.min(most, ...loads) <= 1) balancedExists = true;
      smallestMaxLoad = Math.min(smallestMaxLoad, most);
      const sorted = [...loads].sort((a, b) => b - a);
      if (mostEven === null || lexLess(sorted, mostEven)) mostEven = sorted;
      return;
    }
    const eligible = expertIds.map((_, x) => x).filter((x) => !instance.conflicts.has(key(expertIds[x]!, entryIds[e]!)));
    const pick = (from: number, left: number): void => {
      if (left === 0) return choose(e + 1);
      for (let i = from; i <= eligible.length - left; i++) {
        const x = eligible[i]!;
        if (loads[x]! >= maxLoad) continue;
        loads[x]! += 1;
        pick(i + 1, left - 1);
        loads[x]! -= 1;
      }
    };
    pick(0, min);
  };
  choose(0);
  return { feasible, balancedExists, smallestMaxLoad, mostEven: mostEven ?? [] };
}

describe('assignAutomatic', () => {
  it('never pairs a conflicted expert, nor twice, nor beyond the limits', () => {
    fc.assert(
      fc.property(instances(), (instance) => {
        const result = run(instance);
        const seen = new Set<string>();
        for (const pair of result.pairs) {
          expect(instance.conflicts.has(key(pair.expertId, pair.entryId))).toBe(false);
          expect(instance.entryIds).toContain(pair.entryId);
          expect(instance.expertIds).toContain(pair.expertId);
          expect(seen.has(key(pair.expertId, pair.entryId))).toBe(false);
          seen.add(key(pair.expertId, pair.entryId));
        }
        for (const entryId of instance.entryIds) expect(result.pairs.filter((p) => p.entryId === entryId).length).toBeLessThanOrEqual(instance.min);
        for (const { load } of result.loads) expect(load).toBeLessThanOrEqual(instance.maxLoad);
      }),
      { numRuns: 200 },
    );
  });

  it('meets the minimum whenever feasible, and otherwise assigns as many pairs as possible and reports the shortfall', () => {
    fc.assert(
      fc.property(fc.oneof(instances(), instances(tightShape)), (instance) => {
        const result = run(instance);
        const best = maxPairs(instance);
        const feasible = best === instance.entryIds.length * instance.min;
        expect(result.pairs.length).toBe(best);
        expect(result.belowMinimum.length === 0).toBe(feasible);
        for (const short of result.belowMinimum) {
          expect(short.assigned).toBe(result.pairs.filter((p) => p.entryId === short.entryId).length);
          expect(short.assigned).toBeLessThan(short.required);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('keeps loads within one of each other whenever some assignment does, and otherwise as even as possible', () => {
    fc.assert(
      fc.property(fc.oneof(instances(tightShape), instances(wideShape), instances({ ...anyShape, entries: [0, 5], experts: [0, 4] })), (instance) => {
        const truth = bruteForce(instance);
        fc.pre(truth.feasible);
        const result = run(instance);
        const loads = result.loads.map((l) => l.load);
        const most = Math.max(0, ...loads);
        if (truth.balancedExists) {
          expect(most - Math.min(most, ...loads)).toBeLessThanOrEqual(1);
          expect(result.balanced).toBe(true);
        }
        expect(most).toBe(truth.smallestMaxLoad);
        expect([...loads].sort((a, b) => b - a)).toEqual(truth.mostEven);
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic for a seed and independent of input order', () => {
    fc.assert(
      fc.property(
        instances().chain((instance) =>
          fc.tuple(
            fc.constant(instance),
            fc.shuffledSubarray(instance.entryIds, { minLength: instance.entryIds.length }),
            fc.shuffledSubarray(instance.expertIds, { minLength: instance.expertIds.length }),
          ),
        ),
        ([instance, entryIds, expertIds]) => {
          expect(run(instance, entryIds, expertIds)).toEqual(run(instance));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('depends on the seed', () => {
    const instance: Instance = { entryIds: [1, 2, 3, 4, 5, 6], expertIds: [1, 2, 3, 4, 5, 6], conflicts: new Set(), min: 2, maxLoad: 6, seed: '' };
    const outcomes = new Set(Array.from({ length: 10 }, (_, i) => JSON.stringify(run({ ...instance, seed: `s${i}` }).pairs)));
    expect(outcomes.size).toBeGreaterThan(1);
  });

  it('solves the instance on which a first-come greedy fails', () => {
    // Expert 1 is the only one allowed to judge entry 2; a greedy that gives entry 1 to expert 1 first is stuck.
    for (let i = 0; i < 20; i++) {
      const result = run({ entryIds: [1, 2], expertIds: [1, 2], conflicts: new Set([key(2, 2)]), min: 1, maxLoad: 1, seed: `s${i}` });
      expect(result.pairs).toEqual([
        { expertId: 2, entryId: 1 },
        { expertId: 1, entryId: 2 },
      ]);
      expect(result.belowMinimum).toEqual([]);
    }
  });

  it('keeps the largest load smallest when balance is impossible', () => {
    // Expert 3 may judge nothing, so 4 pairs over experts 1 and 2: 2 each, and 0 for expert 3.
    const conflicts = new Set([1, 2, 3, 4].map((entryId) => key(3, entryId)));
    const result = run({ entryIds: [1, 2, 3, 4], expertIds: [1, 2, 3], conflicts, min: 1, maxLoad: 4, seed: 'x' });
    expect(result.loads).toEqual([
      { expertId: 1, load: 2 },
      { expertId: 2, load: 2 },
      { expertId: 3, load: 0 },
    ]);
    expect(result.balanced).toBe(false);
  });

  it('evens out the middle loads too, not only the largest and smallest', () => {
    // Instances (ids from 0, conflicts as "expert:entry") where the best maximum and minimum alone
    // still left uneven loads in between; found by comparing against brute force.
    const cases = [
      { E: 4, X: 5, min: 1, maxLoad: 3, conflicts: ['0:0', '2:0', '4:0', '0:1', '2:1', '0:2', '2:2', '3:2', '0:3', '2:3', '4:3'], best: [2, 1, 1, 0, 0] },
      {
        E: 6, X: 5, min: 2, maxLoad: 4,
        conflicts: ['0:0', '1:0', '2:0', '1:1', '2:1', '1:2', '2:2', '3:2', '2:3', '3:3', '0:4', '2:4', '0:5', '1:5', '2:5'],
        best: [4, 3, 3, 2, 0],
      },
      { E: 7, X: 5, min: 2, maxLoad: 5, conflicts: ['1:0', '2:0', '2:1', '1:2', '2:2', '1:3', '2:3', '2:4', '1:5', '2:5', '2:6'], best: [4, 4, 3, 3, 0] },
    ];
    for (const c of cases) {
      for (const seed of ['s', 'x', 'qc']) {
        const instance: Instance = {
          entryIds: Array.from({ length: c.E }, (_, i) => i),
          expertIds: Array.from({ length: c.X }, (_, i) => i),
          conflicts: new Set(c.conflicts),
          min: c.min,
          maxLoad: c.maxLoad,
          seed,
        };
        expect(bruteForce(instance).mostEven).toEqual(c.best);
        expect(run(instance).loads.map((l) => l.load).sort((a, b) => b - a)).toEqual(c.best);
      }
    }
  });

  it('explains why an entry stays below the minimum', () => {
    const noEligible = run({ entryIds: [1, 2], expertIds: [1, 2], conflicts: new Set([key(1, 1), key(2, 1)]), min: 1, maxLoad: 5, seed: 'x' });
    expect(noEligible.belowMinimum).toEqual([{ entryId: 1, assigned: 0, required: 1, eligible: 0, reason: 'too_few_eligible_experts' }]);
    const capacity = run({ entryIds: [1, 2, 3], expertIds: [1], conflicts: new Set(), min: 1, maxLoad: 2, seed: 'x' });
    expect(capacity.belowMinimum).toEqual([expect.objectContaining({ assigned: 0, required: 1, eligible: 1, reason: 'expert_capacity' })]);
    expect(capacity.pairs).toHaveLength(2);
  });

  it('spreads a shortfall over the entries instead of starving one', () => {
    // 4 entries × 2 judges needed, but 3 experts × 2 entries = 6 pairs: every entry gets at least one.
    const result = run({ entryIds: [1, 2, 3, 4], expertIds: [1, 2, 3], conflicts: new Set(), min: 2, maxLoad: 2, seed: 'x' });
    expect(result.pairs).toHaveLength(6);
    for (const entryId of [1, 2, 3, 4]) expect(result.pairs.some((p) => p.entryId === entryId)).toBe(true);
  });

  it('handles a district-sized panel quickly', () => {
    let state = 12345;
    const random = (): number => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
    const entryIds = Array.from({ length: 300 }, (_, i) => i + 1);
    const expertIds = Array.from({ length: 40 }, (_, i) => 1001 + i);
    const conflicts = new Set<string>();
    for (const entryId of entryIds) for (const expertId of expertIds) if (random() < 0.05) conflicts.add(key(expertId, entryId));
    const started = Date.now();
    const result = run({ entryIds, expertIds, conflicts, min: 5, maxLoad: 60, seed: 'district' });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.belowMinimum).toEqual([]);
    expect(result.pairs).toHaveLength(1500);
    expect(result.balanced).toBe(true);
  });

  it('refuses malformed parameters', () => {
    const base = { entries: [{ id: 1 }], experts: [{ id: 1 }], isConflicted: () => false, minJudgesPerEntry: 1, maxLoadPerExpert: 1, seed: '' };
    expect(() => assignAutomatic({ ...base, entries: [{ id: 1 }, { id: 1 }] })).toThrow(RangeError);
    expect(() => assignAutomatic({ ...base, minJudgesPerEntry: -1 })).toThrow(RangeError);
    expect(() => assignAutomatic({ ...base, maxLoadPerExpert: 1.5 })).toThrow(RangeError);
  });

  it('returns nothing for an empty panel', () => {
    expect(run({ entryIds: [1], expertIds: [], conflicts: new Set(), min: 2, maxLoad: 3, seed: '' })).toEqual({
      pairs: [],
      belowMinimum: [{ entryId: 1, assigned: 0, required: 2, eligible: 0, reason: 'too_few_eligible_experts' }],
      loads: [],
      balanced: true,
    });
  });
});

describe('assignDefault', () => {
  it('has every member judge every entry except where conflicted', () => {
    const result = assignDefault([{ id: 2 }, { id: 1 }], [{ id: 20 }, { id: 10 }], [{ expertId: 10, entryId: 1 }]);
    expect(result.pairs).toEqual([
      { expertId: 20, entryId: 1 },
      { expertId: 10, entryId: 2 },
      { expertId: 20, entryId: 2 },
    ]);
    expect(result.skipped).toEqual([{ expertId: 10, entryId: 1 }]);
    expect(result.unjudged).toEqual([]);
  });

  it('accepts a predicate and reports entries nobody may judge', () => {
    const result = assignDefault([{ id: 1 }, { id: 2 }], [{ id: 10 }], (_, entryId) => entryId === 2);
    expect(result.pairs).toEqual([{ expertId: 10, entryId: 1 }]);
    expect(result.unjudged).toEqual([2]);
  });

  it('never pairs a conflicted expert and covers every other pair', () => {
    fc.assert(
      fc.property(instances(), (instance) => {
        const result = assignDefault(
          instance.entryIds.map((id) => ({ id })),
          instance.expertIds.map((id) => ({ id })),
          (expertId, entryId) => instance.conflicts.has(key(expertId, entryId)),
        );
        expect(result.pairs.length + result.skipped.length).toBe(instance.entryIds.length * instance.expertIds.length);
        for (const p of result.pairs) expect(instance.conflicts.has(key(p.expertId, p.entryId))).toBe(false);
        for (const p of result.skipped) expect(instance.conflicts.has(key(p.expertId, p.entryId))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
