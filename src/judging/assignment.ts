// Which expert judges which entry, within one panel. A conflicted expert (回避) is never assigned.
//
// Automatic assignment is a bipartite b-matching, solved as flows so that it never fails on an
// instance that has a solution (a greedy can paint itself into a corner):
//
//   source ─[0, min]→ entry ─[0, 1]→ expert (only if not conflicted) ─[lower, upper]→ sink
//
// Priorities:
//   1. as many (expert, entry) pairs as possible, each entry needing exactly `minJudgesPerEntry`
//      (one max flow): when the minimum is feasible every entry gets exactly that many judges;
//   2. when it is not, the shortfall is spread: the largest k such that every entry gets at least
//      min(k, its number of eligible experts) without losing a pair from step 1;
//   3. expert loads as even as possible, never above maxLoadPerExpert: decreasingly minimal, i.e.
//      the loads sorted in descending order are lexicographically smallest (the largest load as
//      small as possible, then the second largest, …). In particular loads differ by at most one
//      whenever any assignment achieves that. Found in two stages:
//        a. feasibility checks (Dinic; lower bounds by the textbook reduction of a circulation with
//           demands): loads in [⌊P/n⌋, ⌈P/n⌉] for P pairs and n experts; failing that, binary
//           searches for the smallest maximum load, then the largest minimum load;
//        b. moving single pairs along alternating paths (expert a gives entry e1 to b1, b1 gives
//           e2 to b2, …, up to b) from an expert with load ℓ to one with load ≤ ℓ − 2, until no
//           such path exists. Per-entry counts never change. Load vectors of a b-matching with
//           fixed entry counts form an M-convex set, on which "no such exchange" is exactly
//           decreasing minimality (Frank–Murota), so (b) reaches the optimum. When the minimum is
//           infeasible the optimum is among assignments with the per-entry counts of step 2.
// Which of the equally good assignments is chosen depends only on the seed: ids are sorted and then
// shuffled with drawOrder (HMAC-SHA256 of the seed), and each entry tries the experts in that
// shuffled order rotated by its position, which spreads co-judging pairs instead of fixed trios.

import { drawOrder } from './order-draw.js';

export interface AssignmentPair {
  expertId: number;
  entryId: number;
}

export type ConflictInput = ((expertId: number, entryId: number) => boolean) | readonly AssignmentPair[];

function conflictTest(conflicts: ConflictInput): (expertId: number, entryId: number) => boolean {
  if (typeof conflicts === 'function') return conflicts;
  const keys = new Set(conflicts.map((c) => `${c.expertId}:${c.entryId}`));
  return (expertId, entryId) => keys.has(`${expertId}:${entryId}`);
}

function byEntryThenExpert(a: AssignmentPair, b: AssignmentPair): number {
  return a.entryId - b.entryId || a.expertId - b.expertId;
}

function assertDistinctIds(what: string, items: readonly { id: number }[]): void {
  const ids = new Set<number>();
  for (const { id } of items) {
    if (!Number.isSafeInteger(id)) throw new RangeError(`${what} id ${id} is not an integer`);
    if (ids.has(id)) throw new RangeError(`${what} id ${id} appears twice`);
    ids.add(id);
  }
}

export interface DefaultAssignment {
  pairs: AssignmentPair[];
  /** Pairs left out because of a conflict, so the panel's sheet count can be explained. */
  skipped: AssignmentPair[];
  /** Entries every panel member is conflicted with: nobody in this panel can judge them. */
  unjudged: number[];
}

/** The usual rule: every panel member judges every entry, except where conflicted. */
export function assignDefault(
  entries: readonly { id: number }[],
  experts: readonly { id: number }[],
  conflicts: ConflictInput,
): DefaultAssignment {
  assertDistinctIds('entry', entries);
  assertDistinctIds('expert', experts);
  const conflicted = conflictTest(conflicts);
  const pairs: AssignmentPair[] = [];
  const skipped: AssignmentPair[] = [];
  const unjudged: number[] = [];
  for (const entry of entries) {
    let judges = 0;
    for (const expert of experts) {
      const pair = { expertId: expert.id, entryId: entry.id };
      if (conflicted(expert.id, entry.id)) skipped.push(pair);
      else {
        pairs.push(pair);
        judges += 1;
      }
    }
    if (judges === 0) unjudged.push(entry.id);
  }
  return { pairs: pairs.sort(byEntryThenExpert), skipped: skipped.sort(byEntryThenExpert), unjudged: unjudged.sort((a, b) => a - b) };
}

export interface AutomaticAssignmentInput {
  entries: readonly { id: number }[];
  experts: readonly { id: number }[];
  isConflicted(expertId: number, entryId: number): boolean;
  minJudgesPerEntry: number;
  maxLoadPerExpert: number;
  seed: string;
}

export interface BelowMinimum {
  entryId: number;
  assigned: number;
  required: number;
  /** Experts of the panel not conflicted with this entry. */
  eligible: number;
  /** Why: too few unconflicted experts at all, or their load limit is used up by other entries. */
  reason: 'too_few_eligible_experts' | 'expert_capacity';
}

export interface AutomaticAssignment {
  pairs: AssignmentPair[];
  belowMinimum: BelowMinimum[];
  /** Load of every expert, ascending by expert id. */
  loads: { expertId: number; load: number }[];
  /** Whether loads differ by at most one. */
  balanced: boolean;
}

/** Dinic's max flow on an adjacency list of paired edges (edge e and its reverse e ^ 1). */
class FlowNetwork {
  private readonly adjacency: number[][];
  private readonly target: number[] = [];
  private readonly capacity: number[] = [];
  private readonly level: Int32Array;
  private readonly cursor: Int32Array;

  constructor(size: number) {
    this.adjacency = Array.from({ length: size }, () => []);
    this.level = new Int32Array(size);
    this.cursor = new Int32Array(size);
  }

  addEdge(from: number, to: number, capacity: number): number {
    const edge = this.target.length;
    this.target.push(to, from);
    this.capacity.push(capacity, 0);
    this.adjacency[from]!.push(edge);
    this.adjacency[to]!.push(edge + 1);
    return edge;
  }

  flowOn(edge: number): number {
    return this.capacity[edge ^ 1]!;
  }

  maxFlow(source: number, sink: number): number {
    let total = 0;
    while (this.buildLevels(source, sink)) {
      this.cursor.fill(0);
      for (let pushed = this.push(source, sink, Infinity); pushed > 0; pushed = this.push(source, sink, Infinity)) total += pushed;
    }
    return total;
  }

  private buildLevels(source: number, sink: number): boolean {
    this.level.fill(-1);
    this.level[source] = 0;
    const queue = [source];
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head]!;
      for (const edge of this.adjacency[node]!) {
        const next = this.target[edge]!;
        if (this.capacity[edge]! > 0 && this.level[next] === -1) {
          this.level[next] = this.level[node]! + 1;
          queue.push(next);
        }
      }
    }
    return this.level[sink] !== -1;
  }

  private push(node: number, sink: number, limit: number): number {
    if (node === sink) return limit;
    const edges = this.adjacency[node]!;
    for (; this.cursor[node]! < edges.length; this.cursor[node]!++) {
      const edge = edges[this.cursor[node]!]!;
      const next = this.target[edge]!;
      if (this.capacity[edge]! > 0 && this.level[next] === this.level[node]! + 1) {
        const pushed = this.push(next, sink, Math.min(limit, this.capacity[edge]!));
        if (pushed > 0) {
          this.capacity[edge]! -= pushed;
          this.capacity[edge ^ 1]! += pushed;
          return pushed;
        }
      }
    }
    return 0;
  }
}

/** The instance in index space: entries 0..E-1 and experts 0..X-1 in seed order. */
interface Instance {
  entryCount: number;
  expertCount: number;
  /** Per entry, its eligible experts in the order the flow should try them. */
  eligible: number[][];
  /** Per expert, how many entries it may judge at all. */
  expertDegree: number[];
  required: number;
  maxLoad: number;
}

interface Bounds {
  entryLower: (entry: number) => number;
  expertLower: (expert: number) => number;
  expertUpper: number;
  /** Exact number of pairs. */
  total: number;
}

/** A feasible assignment within the bounds, as [entry, expert] index pairs, or null if there is none. */
function circulate(instance: Instance, bounds: Bounds): [number, number][] | null {
  const { entryCount: e, expertCount: x } = instance;
  const source = e + x;
  const sink = source + 1;
  const superSource = sink + 1;
  const superSink = sink + 2;
  const network = new FlowNetwork(e + x + 4);
  const excess = new Array<number>(e + x + 2).fill(0);
  // An edge with bounds [lower, upper] becomes capacity upper − lower plus a forced `lower` units,
  // which the super source/sink supply and absorb; feasible iff those edges all saturate.
  const bounded = (from: number, to: number, lower: number, upper: number): number => {
    excess[to]! += lower;
    excess[from]! -= lower;
    return network.addEdge(from, to, upper - lower);
  };
  for (let entry = 0; entry < e; entry++) {
    const lower = bounds.entryLower(entry);
    if (lower > instance.required) return null;
    bounded(source, entry, lower, instance.required);
  }
  const pairEdges: [number, number, number][] = [];
  for (let entry = 0; entry < e; entry++) {
    for (const expert of instance.eligible[entry]!) pairEdges.push([entry, expert, network.addEdge(entry, e + expert, 1)]);
  }
  for (let expert = 0; expert < x; expert++) {
    const lower = bounds.expertLower(expert);
    if (lower > bounds.expertUpper) return null;
    bounded(e + expert, sink, lower, bounds.expertUpper);
  }
  bounded(sink, source, bounds.total, bounds.total);
  let needed = 0;
  excess.forEach((amount, node) => {
    if (amount > 0) {
      network.addEdge(superSource, node, amount);
      needed += amount;
    } else if (amount < 0) network.addEdge(node, superSink, -amount);
  });
  if (network.maxFlow(superSource, superSink) !== needed) return null;
  return pairEdges.filter(([, , edge]) => network.flowOn(edge) > 0).map(([entry, expert]) => [entry, expert]);
}

/** The most pairs any assignment can have (each entry at most `required`, each expert at most maxLoad). */
function maxPairs(instance: Instance): number {
  const { entryCount: e, expertCount: x } = instance;
  const source = e + x;
  const sink = source + 1;
  const network = new FlowNetwork(e + x + 2);
  for (let entry = 0; entry < e; entry++) {
    network.addEdge(source, entry, instance.required);
    for (const expert of instance.eligible[entry]!) network.addEdge(entry, e + expert, 1);
  }
  for (let expert = 0; expert < x; expert++) network.addEdge(e + expert, sink, instance.maxLoad);
  return network.maxFlow(source, sink);
}

/**
 * Stage 3b: repeatedly move one unit of load from the most loaded expert that can shed one to the
 * least loaded expert reachable by an alternating path with at least two fewer, until none is.
 * Each move lowers the sum of squared loads by at least 2, so this terminates.
 */
function evenOut(instance: Instance, found: readonly [number, number][]): [number, number][] {
  const judges = Array.from({ length: instance.entryCount }, () => new Set<number>());
  const judged = Array.from({ length: instance.expertCount }, () => new Set<number>());
  for (const [entry, expert] of found) {
    judges[entry]!.add(expert);
    judged[expert]!.add(entry);
  }
  const load = (expert: number): number => judged[expert]!.size;
  const experts = Array.from({ length: instance.expertCount }, (_, i) => i);
  for (;;) {
    const byLoad = [...experts].sort((a, b) => load(b) - load(a) || a - b);
    const lightest = byLoad.length === 0 ? 0 : load(byLoad[byLoad.length - 1]!);
    let moved = false;
    // An expert reached by a fruitless search from an expert at least as loaded cannot do better:
    // it reaches a subset of the same experts and needs a lower target.
    const fruitless = new Set<number>();
    for (const from of byLoad) {
      if (load(from) - lightest < 2) break;
      if (fruitless.has(from)) continue;
      // Breadth-first search over experts; an edge x → y through entry e means x judges e and y,
      // eligible for e, does not.
      const via = new Map<number, [number, number]>([[from, [-1, -1]]]);
      const queue = [from];
      let target = -1;
      for (let head = 0; head < queue.length; head++) {
        const x = queue[head]!;
        for (const entry of judged[x]!) {
          for (const y of instance.eligible[entry]!) {
            if (via.has(y) || judges[entry]!.has(y)) continue;
            via.set(y, [x, entry]);
            queue.push(y);
            if (load(y) <= load(from) - 2 && (target < 0 || load(y) < load(target))) target = y;
          }
        }
      }
      if (target < 0) {
        for (const y of queue) fruitless.add(y);
        continue;
      }
      for (let y = target; y !== from; ) {
        const [x, entry] = via.get(y)!;
        judges[entry]!.delete(x);
        judges[entry]!.add(y);
        judged[x]!.delete(entry);
        judged[y]!.add(entry);
        y = x;
      }
      moved = true;
      break;
    }
    if (!moved) break;
  }
  const pairs: [number, number][] = [];
  judges.forEach((set, entry) => set.forEach((expert) => pairs.push([entry, expert])));
  return pairs;
}

/** Largest value in [low, high] satisfying a predicate that holds at `low` and is monotone downward. */
function largest(low: number, high: number, holds: (value: number) => boolean): number {
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (holds(mid)) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** Smallest value in [low, high] satisfying a predicate that holds at `high` and is monotone upward. */
function smallest(low: number, high: number, holds: (value: number) => boolean): number {
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (holds(mid)) high = mid;
    else low = mid + 1;
  }
  return high;
}

/**
 * Assigns experts to entries (algorithm in the header comment). Throws RangeError on malformed
 * parameters (duplicate ids, negative or fractional limits): those are caller bugs, not user input.
 */
export function assignAutomatic(input: AutomaticAssignmentInput): AutomaticAssignment {
  const { minJudgesPerEntry: required, maxLoadPerExpert: maxLoad, seed } = input;
  if (!Number.isSafeInteger(required) || required < 0) throw new RangeError('minJudgesPerEntry must be a non-negative integer');
  if (!Number.isSafeInteger(maxLoad) || maxLoad < 0) throw new RangeError('maxLoadPerExpert must be a non-negative integer');
  assertDistinctIds('entry', input.entries);
  assertDistinctIds('expert', input.experts);

  // Distinct derived keys, so the entry shuffle and the expert shuffle are independent.
  const entryIds = drawOrder(`assignment:entries:${seed}`, input.entries.map((e) => e.id));
  const expertIds = drawOrder(`assignment:experts:${seed}`, input.experts.map((e) => e.id));
  const e = entryIds.length;
  const x = expertIds.length;
  const eligible: number[][] = [];
  const expertDegree = new Array<number>(x).fill(0);
  for (let entry = 0; entry < e; entry++) {
    const list: number[] = [];
    for (let step = 0; step < x; step++) {
      const expert = (entry * required + step) % x;
      if (!input.isConflicted(expertIds[expert]!, entryIds[entry]!)) {
        list.push(expert);
        expertDegree[expert]! += 1;
      }
    }
    eligible.push(list);
  }
  const instance: Instance = { entryCount: e, expertCount: x, eligible, expertDegree, required, maxLoad };

  const total = x === 0 ? 0 : maxPairs(instance);
  const cap = (entry: number, k: number): number => Math.min(k, eligible[entry]!.length);
  const noLower = (): number => 0;
  const bounds = (entryFloor: number, expertLower: (expert: number) => number, expertUpper: number): Bounds => ({
    entryLower: (entry) => cap(entry, entryFloor),
    expertLower,
    expertUpper,
    total,
  });

  // Step 2: spread any shortfall over the entries (k = required when the minimum is feasible).
  const entryFloor =
    total === e * required ? required : largest(0, required, (k) => circulate(instance, bounds(k, noLower, maxLoad)) !== null);

  // Step 3: balance the experts.
  let found: [number, number][] | null = null;
  if (x > 0) {
    const floor = Math.floor(total / x);
    const ceil = Math.ceil(total / x);
    found = circulate(instance, bounds(entryFloor, () => floor, ceil));
    if (found === null) {
      const upper = smallest(ceil, maxLoad, (u) => circulate(instance, bounds(entryFloor, noLower, u)) !== null);
      const lower = largest(0, floor, (l) => circulate(instance, bounds(entryFloor, (expert) => Math.min(l, expertDegree[expert]!), upper)) !== null);
      found = circulate(instance, bounds(entryFloor, (expert) => Math.min(lower, expertDegree[expert]!), upper));
    }
  }
  if (x > 0 && found === null) throw new Error('assignAutomatic: a feasibility check contradicted an earlier one');

  const pairs = evenOut(instance, found ?? []).map(([entry, expert]) => ({ expertId: expertIds[expert]!, entryId: entryIds[entry]! })).sort(byEntryThenExpert);
  const assignedPerEntry = new Map<number, number>();
  const loadPerExpert = new Map<number, number>(expertIds.map((id) => [id, 0]));
  for (const pair of pairs) {
    assignedPerEntry.set(pair.entryId, (assignedPerEntry.get(pair.entryId) ?? 0) + 1);
    loadPerExpert.set(pair.expertId, loadPerExpert.get(pair.expertId)! + 1);
  }
  const belowMinimum: BelowMinimum[] = [];
  entryIds.forEach((entryId, entry) => {
    const assigned = assignedPerEntry.get(entryId) ?? 0;
    const count = eligible[entry]!.length;
    if (assigned < required) {
      belowMinimum.push({
        entryId,
        assigned,
        required,
        eligible: count,
        reason: count < required ? 'too_few_eligible_experts' : 'expert_capacity',
      });
    }
  });
  belowMinimum.sort((a, b) => a.entryId - b.entryId);
  const loads = [...loadPerExpert].map(([expertId, load]) => ({ expertId, load })).sort((a, b) => a.expertId - b.expertId);
  const values = loads.map((l) => l.load);
  const balanced = values.length === 0 || Math.max(...values) - Math.min(...values) <= 1;
  return { pairs, belowMinimum, loads, balanced };
}
