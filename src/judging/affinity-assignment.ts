// Assignment by expertise: within one panel, every entry gets exactly `minJudgesPerEntry` judges,
// no expert more than `maxLoadPerExpert`, no conflicted pair (回避) — the hard constraints of the
// balanced assignment (assignment.ts) — and, among all assignments meeting them, one of the largest
// total affinity (affinity.ts). Solved exactly as a min-cost flow:
//
//   source ─[min, cost 0]→ entry ─[1, cost MAX − affinity]→ expert (if not conflicted) ─[maxLoad, 0]→ sink
//
// with the primal–dual method (successive shortest paths: a Dijkstra on reduced costs gives the
// potentials, then a Dinic blocking flow pushes every unit that has a shortest path at once). Costs
// are small integers (0…MAX_AFFINITY), so there are few phases and the arithmetic is exact.
//
// Fairness (MinMax-like, optional): the entry node is split in two, one side reaching only the
// entry's specialists (affinity.ts) and one the other experts; the specialist side is made of unit
// arcs whose k-th unit earns a bonus B·(2(min − k) + 1), B larger than any total affinity. The flow
// then first minimises Σ (min − specialists of the entry)², which on the (M-convex) set of
// reachable per-entry specialist counts is the same as raising the worst-served entry first, then
// the next, … (increasingly maximal; Frank–Murota), and only then maximises total affinity.
//
// Load balance comes last: the final potentials certify optimality, and every assignment using only
// zero-reduced-cost arcs is optimal too. Within that set, single units of load are moved along
// zero-reduced-cost residual paths from an expert with load ℓ to one with load ≤ ℓ − 2, as the
// balanced assignment does, which reaches the decreasingly minimal loads among the optimal
// assignments. With uniform affinity every assignment is optimal, so the loads are exactly those of
// the balanced assignment.
//
// Determinism: ids are shuffled by the seed (drawOrder), arcs are tried in that order rotated by
// the entry's position; nothing else is random. When the constraints cannot be met the answer names
// the first unmet one instead of an assignment.

import { assignAutomatic, type AssignmentPair } from './assignment.js';
import { drawOrder } from './order-draw.js';

export interface AffinityAssignmentInput {
  entries: readonly { id: number }[];
  experts: readonly { id: number }[];
  isConflicted(expertId: number, entryId: number): boolean;
  /** A non-negative integer, larger for a better fit (affinity.ts). */
  affinity(expertId: number, entryId: number): number;
  /** Whether the expert is a specialist of the entry (fairness); by default affinity > 0. */
  specialist?(expertId: number, entryId: number): boolean;
  minJudgesPerEntry: number;
  maxLoadPerExpert: number;
  seed: string;
  /** Raise the entry with the fewest specialists first, before total affinity. */
  fairness?: boolean;
}

export type UnmetConstraint =
  | { constraint: 'min_judges_per_entry'; entryId: number; required: number; eligible: number }
  | { constraint: 'max_load_per_expert'; maxLoadPerExpert: number; required: number; entryIds: number[] };

export interface ScoredPair extends AssignmentPair {
  affinity: number;
}

export interface AffinityAssignment {
  ok: true;
  pairs: ScoredPair[];
  totalAffinity: number;
  loads: { expertId: number; load: number }[];
  balanced: boolean;
  /** No affinity information (every pair scores the same): the balanced assignment was used. */
  fallback: boolean;
  /** The fewest specialists any entry has. */
  minSpecialists: number;
}

export type AffinityAssignmentResult = AffinityAssignment | { ok: false; unmet: UnmetConstraint };

/** A residual network in flat arrays; arc a and its reverse a ^ 1. */
class Network {
  readonly adjacency: number[][];
  private to: number[] = [];
  private cap: number[] = [];
  private cost: number[] = [];
  readonly potential: Float64Array;

  constructor(readonly size: number) {
    this.adjacency = Array.from({ length: size }, () => []);
    this.potential = new Float64Array(size);
  }

  addArc(from: number, to: number, capacity: number, cost: number): number {
    const arc = this.to.length;
    this.to.push(to, from);
    this.cap.push(capacity, 0);
    this.cost.push(cost, -cost);
    this.adjacency[from]!.push(arc);
    this.adjacency[to]!.push(arc + 1);
    return arc;
  }

  target(arc: number): number {
    return this.to[arc]!;
  }

  residual(arc: number): number {
    return this.cap[arc]!;
  }

  flow(arc: number): number {
    return this.cap[arc ^ 1]!;
  }

  reduced(arc: number): number {
    return this.cost[arc]! + this.potential[this.to[arc ^ 1]!]! - this.potential[this.to[arc]!]!;
  }

  push(arc: number, amount: number): void {
    this.cap[arc]! -= amount;
    this.cap[arc ^ 1]! += amount;
  }

  /** Min-cost flow of at most `limit` units (all costs must be non-negative at the start). */
  minCostFlow(source: number, sink: number, limit: number): number {
    let total = 0;
    const dist = new Float64Array(this.size);
    const level = new Int32Array(this.size);
    const cursor = new Int32Array(this.size);
    while (total < limit) {
      this.dijkstra(source, dist);
      const reach = dist[sink]!;
      if (reach === Infinity) break;
      for (let v = 0; v < this.size; v++) this.potential[v]! += Math.min(dist[v]!, reach);
      // Blocking flows on the zero-reduced-cost arcs until the sink is no longer reachable by them.
      for (;;) {
        if (!this.levels(source, sink, level)) break;
        cursor.fill(0);
        while (total < limit) {
          const pushed = this.augment(source, sink, level, cursor, limit - total);
          if (pushed === 0) break;
          total += pushed;
        }
        if (total >= limit) break;
      }
    }
    return total;
  }

  private admissible(arc: number): boolean {
    return this.cap[arc]! > 0 && this.reduced(arc) === 0;
  }

  private dijkstra(source: number, dist: Float64Array): void {
    dist.fill(Infinity);
    dist[source] = 0;
    const done = new Uint8Array(this.size);
    // Binary heap of [distance, node], lazy deletion.
    const heapD: number[] = [0];
    const heapN: number[] = [source];
    const pop = (): void => {
      const lastD = heapD.pop()!;
      const lastN = heapN.pop()!;
      if (heapD.length === 0) return;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= heapD.length) break;
        const c = l + 1 < heapD.length && heapD[l + 1]! < heapD[l]! ? l + 1 : l;
        if (heapD[c]! >= lastD) break;
        heapD[i] = heapD[c]!;
        heapN[i] = heapN[c]!;
        i = c;
      }
      heapD[i] = lastD;
      heapN[i] = lastN;
    };
    const add = (d: number, n: number): void => {
      let i = heapD.length;
      heapD.push(d);
      heapN.push(n);
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (heapD[p]! <= d) break;
        heapD[i] = heapD[p]!;
        heapN[i] = heapN[p]!;
        i = p;
      }
      heapD[i] = d;
      heapN[i] = n;
    };
    while (heapD.length > 0) {
      const d = heapD[0]!;
      const u = heapN[0]!;
      pop();
      if (done[u] || d > dist[u]!) continue;
      done[u] = 1;
      const pu = this.potential[u]!;
      for (const arc of this.adjacency[u]!) {
        if (this.cap[arc]! <= 0) continue;
        const v = this.to[arc]!;
        if (done[v]) continue;
        const nd = d + this.cost[arc]! + pu - this.potential[v]!;
        if (nd < dist[v]!) {
          dist[v] = nd;
          add(nd, v);
        }
      }
    }
  }

  private levels(source: number, sink: number, level: Int32Array): boolean {
    level.fill(-1);
    level[source] = 0;
    const queue = [source];
    for (let head = 0; head < queue.length; head++) {
      const u = queue[head]!;
      for (const arc of this.adjacency[u]!) {
        const v = this.to[arc]!;
        if (level[v] === -1 && this.admissible(arc)) {
          level[v] = level[u]! + 1;
          queue.push(v);
        }
      }
    }
    return level[sink] !== -1;
  }

  /** One augmenting path on the level graph (iterative DFS), of at most `limit` units. */
  private augment(source: number, sink: number, level: Int32Array, cursor: Int32Array, limit: number): number {
    const path: number[] = [];
    let u = source;
    for (;;) {
      if (u === sink) {
        let amount = limit;
        for (const arc of path) amount = Math.min(amount, this.cap[arc]!);
        for (const arc of path) this.push(arc, amount);
        return amount;
      }
      const edges = this.adjacency[u]!;
      let advanced = false;
      for (; cursor[u]! < edges.length; cursor[u]!++) {
        const arc = edges[cursor[u]!]!;
        const v = this.to[arc]!;
        if (level[v] === level[u]! + 1 && this.admissible(arc)) {
          path.push(arc);
          u = v;
          advanced = true;
          break;
        }
      }
      if (advanced) continue;
      if (u === source) return 0;
      level[u] = -1; // dead end
      const back = path.pop()!;
      u = this.to[back ^ 1]!;
      cursor[u]!++;
    }
  }
}

function assertInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer`);
}

/**
 * The optimal assignment (see the header), or the first unmet constraint. Throws RangeError on
 * malformed parameters (caller bugs). `fallback` is always false here: see assignByAffinity.
 */
export function optimiseAssignment(input: AffinityAssignmentInput): AffinityAssignmentResult {
  const { minJudgesPerEntry: required, maxLoadPerExpert: maxLoad, seed } = input;
  assertInteger('minJudgesPerEntry', required);
  assertInteger('maxLoadPerExpert', maxLoad);
  const entryIds = drawOrder(`assignment:entries:${seed}`, input.entries.map((e) => e.id));
  const expertIds = drawOrder(`assignment:experts:${seed}`, input.experts.map((e) => e.id));
  if (new Set(entryIds).size !== entryIds.length || new Set(expertIds).size !== expertIds.length) throw new RangeError('ids must be distinct');
  const e = entryIds.length;
  const x = expertIds.length;

  // Eligibility and scores, and the "too few unconflicted experts" check first (the clearer reason).
  const eligible: number[][] = [];
  const scores: number[][] = [];
  let maxScore = 0;
  for (let i = 0; i < e; i++) {
    const list: number[] = [];
    const row: number[] = [];
    for (let step = 0; step < x; step++) {
      const j = (i * required + step) % x;
      if (input.isConflicted(expertIds[j]!, entryIds[i]!)) continue;
      const score = input.affinity(expertIds[j]!, entryIds[i]!);
      assertInteger('affinity', score);
      list.push(j);
      row.push(score);
      if (score > maxScore) maxScore = score;
    }
    if (list.length < required) return { ok: false, unmet: { constraint: 'min_judges_per_entry', entryId: entryIds[i]!, required, eligible: list.length } };
    eligible.push(list);
    scores.push(row);
  }
  const isSpecialist = input.specialist ?? ((expertId: number, entryId: number) => input.affinity(expertId, entryId) > 0);
  const fair = input.fairness === true && required > 0;

  // Nodes: 0 source, 1 sink, entries, [specialist side, other side], experts.
  const source = 0;
  const sink = 1;
  const entryNode = (i: number): number => 2 + i;
  const specialistNode = (i: number): number => 2 + e + i;
  const otherNode = (i: number): number => 2 + 2 * e + i;
  const expertBase = fair ? 2 + 3 * e : 2 + e;
  const network = new Network(expertBase + x);
  const bonus = maxScore * e * required + 1;
  const pairArcs: PairArc[] = [];
  for (let i = 0; i < e; i++) {
    network.addArc(source, entryNode(i), required, 0);
    if (fair) {
      // The k-th specialist (k = 1…min) costs bonus·((2·min − 1) − (2·(min − k) + 1)) ≥ 0: convex, so used in order.
      for (let k = 1; k <= required; k++) network.addArc(entryNode(i), specialistNode(i), 1, bonus * (2 * k - 2));
      network.addArc(entryNode(i), otherNode(i), required, bonus * (2 * required - 1));
    }
    eligible[i]!.forEach((j, n) => {
      const from = !fair ? entryNode(i) : isSpecialist(expertIds[j]!, entryIds[i]!) ? specialistNode(i) : otherNode(i);
      pairArcs.push({ entry: i, expert: j, score: scores[i]![n]!, arc: network.addArc(from, expertBase + j, 1, maxScore - scores[i]![n]!) });
    });
  }
  const sinkArcs: number[] = [];
  for (let j = 0; j < x; j++) sinkArcs.push(network.addArc(expertBase + j, sink, maxLoad, 0));

  const needed = e * required;
  const flow = needed === 0 ? 0 : network.minCostFlow(source, sink, needed);
  if (flow < needed) {
    const short: number[] = [];
    for (let i = 0; i < e; i++) {
      const got = network.adjacency[entryNode(i)]!.reduce((s, arc) => (arc % 2 === 1 && network.target(arc) === source ? s + network.residual(arc) : s), 0);
      if (got < required) short.push(entryIds[i]!);
    }
    return { ok: false, unmet: { constraint: 'max_load_per_expert', maxLoadPerExpert: maxLoad, required, entryIds: short.sort((a, b) => a - b) } };
  }

  const chosen = balanceOptimal(network, pairArcs, sinkArcs, maxLoad, e * required);
  const pairs: ScoredPair[] = chosen
    .map((p) => ({ expertId: expertIds[p.expert]!, entryId: entryIds[p.entry]!, affinity: p.score }))
    .sort((a, b) => a.entryId - b.entryId || a.expertId - b.expertId);
  return summarise(pairs, expertIds, entryIds, isSpecialist, false);
}

interface PairArc {
  entry: number;
  expert: number;
  arc: number;
  score: number;
}

/**
 * The most even loads among the optimal assignments. The final potentials certify optimality
 * (every residual arc has a non-negative reduced cost), and an assignment is optimal exactly when
 * it uses every pair arc of negative reduced cost, no pair arc of positive reduced cost, and keeps
 * each expert whose sink arc has a non-zero reduced cost at its bound (complementary slackness).
 * So a second min-cost flow over the pair arcs of zero reduced cost, with each side of each entry
 * keeping its number of judges and a convex cost per unit of expert load (the k-th unit costs
 * 2k − 1, i.e. Σ load²), finds the assignment minimising the sum of squared loads among the
 * optimal ones — on this M-convex set of load vectors, the decreasingly minimal one (Frank–Murota).
 * Experts that must stay at the load cap are filled first (a cost below every other expert's).
 */
function balanceOptimal(network: Network, pairArcs: readonly PairArc[], sinkArcs: readonly number[], maxLoad: number, units: number): PairArc[] {
  const fixed: PairArc[] = [];
  const free: PairArc[] = [];
  const sides = new Map<number, number>(); // side node of the first network → demand in the second
  const fixedLoad = new Array<number>(sinkArcs.length).fill(0);
  for (const p of pairArcs) {
    const side = network.target(p.arc ^ 1);
    const used = network.flow(p.arc) > 0;
    const reduced = network.reduced(p.arc);
    sides.set(side, (sides.get(side) ?? 0) + (used ? 1 : 0));
    if (used && reduced < 0) {
      fixed.push(p);
      fixedLoad[p.expert]! += 1;
      sides.set(side, sides.get(side)! - 1);
    } else if (reduced === 0) free.push(p);
  }
  const sideIndex = new Map([...sides.keys()].map((node, i) => [node, i]));
  const source = 0;
  const sink = 1;
  const sideBase = 2;
  const expertBase = sideBase + sideIndex.size;
  const second = new Network(expertBase + sinkArcs.length);
  for (const [node, demand] of sides) if (demand > 0) second.addArc(source, sideBase + sideIndex.get(node)!, demand, 0);
  const freeArcs = free.map((p) => second.addArc(sideBase + sideIndex.get(network.target(p.arc ^ 1))!, expertBase + p.expert, 1, 0));
  const big = 2 * units * (maxLoad + 1) + 1;
  sinkArcs.forEach((arc, j) => {
    const reduced = network.reduced(arc);
    if (reduced > 0) return; // load 0 in every optimal assignment
    if (reduced < 0) {
      if (maxLoad > fixedLoad[j]!) second.addArc(expertBase + j, sink, maxLoad - fixedLoad[j]!, 0);
      return;
    }
    for (let k = fixedLoad[j]! + 1; k <= maxLoad; k++) second.addArc(expertBase + j, sink, 1, big + 2 * k - 1);
  });
  const needed = [...sides.values()].reduce((s, d) => s + d, 0);
  if (second.minCostFlow(source, sink, needed) !== needed) throw new Error('optimiseAssignment: the optimal assignment could not be balanced (a certificate was wrong)');
  return [...fixed, ...free.filter((_, i) => second.flow(freeArcs[i]!) > 0)];
}

function summarise(
  pairs: ScoredPair[],
  expertIds: readonly number[],
  entryIds: readonly number[],
  isSpecialist: (expertId: number, entryId: number) => boolean,
  fallback: boolean,
): AffinityAssignment {
  const loads = new Map<number, number>(expertIds.map((id) => [id, 0]));
  const specialists = new Map<number, number>(entryIds.map((id) => [id, 0]));
  let totalAffinity = 0;
  for (const p of pairs) {
    loads.set(p.expertId, loads.get(p.expertId)! + 1);
    if (isSpecialist(p.expertId, p.entryId)) specialists.set(p.entryId, specialists.get(p.entryId)! + 1);
    totalAffinity += p.affinity;
  }
  const loadList = [...loads].map(([expertId, load]) => ({ expertId, load })).sort((a, b) => a.expertId - b.expertId);
  const values = loadList.map((l) => l.load);
  return {
    ok: true,
    pairs,
    totalAffinity,
    loads: loadList,
    balanced: values.length === 0 || Math.max(...values) - Math.min(...values) <= 1,
    fallback,
    minSpecialists: entryIds.length === 0 ? 0 : Math.min(...specialists.values()),
  };
}

/**
 * What the service calls: the optimal assignment when there is affinity information; when every
 * eligible pair scores the same (no profiles or no topics yet), the balanced assignment of
 * assignment.ts, with the same refusal when the minimum cannot be met.
 */
export function assignByAffinity(input: AffinityAssignmentInput): AffinityAssignmentResult {
  let first: number | null = null;
  let uniform = true;
  for (const entry of input.entries) {
    for (const expert of input.experts) {
      if (input.isConflicted(expert.id, entry.id)) continue;
      const score = input.affinity(expert.id, entry.id);
      if (first === null) first = score;
      else if (score !== first) uniform = false;
    }
  }
  if (!uniform) return optimiseAssignment(input);
  const balanced = assignAutomatic({ ...input, seed: input.seed });
  if (balanced.belowMinimum.length) {
    const b = balanced.belowMinimum[0]!;
    return b.reason === 'too_few_eligible_experts'
      ? { ok: false, unmet: { constraint: 'min_judges_per_entry', entryId: b.entryId, required: b.required, eligible: b.eligible } }
      : { ok: false, unmet: { constraint: 'max_load_per_expert', maxLoadPerExpert: input.maxLoadPerExpert, required: b.required, entryIds: balanced.belowMinimum.map((x) => x.entryId) } };
  }
  const pairs = balanced.pairs.map((p) => ({ ...p, affinity: first ?? 0 }));
  const isSpecialist = input.specialist ?? ((expertId: number, entryId: number) => input.affinity(expertId, entryId) > 0);
  return summarise(pairs, input.experts.map((x) => x.id), input.entries.map((x) => x.id), isSpecialist, true);
}

/**
 * The greedy a person would do (for comparison in tests and the benchmark): entries in seed order,
 * each takes its best-scoring eligible experts with capacity left (ties: lighter, then seed order).
 * Null when it paints itself into a corner.
 */
export function assignGreedy(input: AffinityAssignmentInput): ScoredPair[] | null {
  const entryIds = drawOrder(`assignment:entries:${input.seed}`, input.entries.map((e) => e.id));
  const expertIds = drawOrder(`assignment:experts:${input.seed}`, input.experts.map((e) => e.id));
  const load = new Map<number, number>(expertIds.map((id) => [id, 0]));
  const rank = new Map<number, number>(expertIds.map((id, i) => [id, i]));
  const pairs: ScoredPair[] = [];
  for (const entryId of entryIds) {
    const options = expertIds
      .filter((id) => !input.isConflicted(id, entryId) && load.get(id)! < input.maxLoadPerExpert)
      .map((id) => ({ id, score: input.affinity(id, entryId) }))
      .sort((a, b) => b.score - a.score || load.get(a.id)! - load.get(b.id)! || rank.get(a.id)! - rank.get(b.id)!);
    if (options.length < input.minJudgesPerEntry) return null;
    for (const o of options.slice(0, input.minJudgesPerEntry)) {
      load.set(o.id, load.get(o.id)! + 1);
      pairs.push({ expertId: o.id, entryId, affinity: o.score });
    }
  }
  return pairs.sort((a, b) => a.entryId - b.entryId || a.expertId - b.expertId);
}
