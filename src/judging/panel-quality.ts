/**
 * Panel quality report for one panel at one stage: how each expert marks compared with the others,
 * how much the experts disagree on each entry, and how concordant their rankings are (Kendall's W).
 *
 * Informational only: nothing here decides a score. Means and mean deviations are still exact
 * (BigInt rationals, rounded half-up once to a Score4); the standard deviation and Kendall's W are
 * floating-point numbers.
 */
import { JudgingInputError, assertSafeInteger, rationalTenthsToScore4, type PanelMark, type Score4, type Tenths } from './aggregation.js';

export interface DroppedPanelMark {
  expertId: number;
  entryId: number;
  why: 'highest' | 'lowest';
}

export interface PanelQualityInput {
  marks: readonly PanelMark[];
  dropped?: readonly DroppedPanelMark[];
}

export interface ExpertQuality {
  expertId: number;
  count: number;
  mean: Score4;
  /** Population standard deviation of the expert's marks, in points (float). */
  stdDevPoints: number;
  /**
   * Mean of (this expert's mark − the mean of all the panel's marks for that entry), over the
   * entries this expert marked: positive means more generous than the panel.
   */
  meanDeviation: Score4;
  droppedHighest: number;
  droppedLowest: number;
}

export interface EntryQuality {
  entryId: number;
  count: number;
  mean: Score4;
  min: Tenths;
  max: Tenths;
  /** max − min, tenths */
  disagreement: Tenths;
}

export interface KendallW {
  /** null when fewer than 2 experts or 2 common entries, or when every expert tied everything. */
  value: number | null;
  experts: number;
  /** Entries marked by every expert of the panel: the only ones W is computed over. */
  entries: number;
  tieCorrection: number;
  reason: string;
}

export interface PanelQualityReport {
  experts: ExpertQuality[];
  entries: EntryQuality[];
  kendallW: number | null;
  kendall: KendallW;
}

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function assessPanel(input: PanelQualityInput): PanelQualityReport {
  const seen = new Set<string>();
  const byExpert = new Map<number, PanelMark[]>();
  const byEntry = new Map<number, PanelMark[]>();
  // Sorted first so that even the floating-point sums do not depend on input order.
  const marks = [...input.marks].sort((a, b) => a.entryId - b.entryId || a.expertId - b.expertId);
  for (const m of marks) {
    assertSafeInteger(m.expertId, 'expertId');
    assertSafeInteger(m.entryId, 'entryId');
    assertSafeInteger(m.total, `total of expert ${m.expertId} on entry ${m.entryId}`);
    const key = `${m.expertId}:${m.entryId}`;
    if (seen.has(key)) throw new JudgingInputError(`expert ${m.expertId} has more than one mark for entry ${m.entryId}`);
    seen.add(key);
    const ofExpert = byExpert.get(m.expertId) ?? [];
    ofExpert.push(m);
    byExpert.set(m.expertId, ofExpert);
    const ofEntry = byEntry.get(m.entryId) ?? [];
    ofEntry.push(m);
    byEntry.set(m.entryId, ofEntry);
  }
  const droppedCount = new Map<string, number>();
  for (const d of input.dropped ?? []) {
    if (!seen.has(`${d.expertId}:${d.entryId}`)) {
      throw new JudgingInputError(`dropped mark of expert ${d.expertId} on entry ${d.entryId} is not among the marks`);
    }
    const key = `${d.expertId}:${d.why}`;
    droppedCount.set(key, (droppedCount.get(key) ?? 0) + 1);
  }

  const entrySum = new Map<number, { sum: bigint; count: bigint }>();
  const entries: EntryQuality[] = [...byEntry.entries()]
    .sort(([a], [b]) => a - b)
    .map(([entryId, ms]) => {
      const totals = ms.map((m) => m.total);
      const sum = totals.reduce((s, t) => s + BigInt(t), 0n);
      entrySum.set(entryId, { sum, count: BigInt(ms.length) });
      const min = Math.min(...totals);
      const max = Math.max(...totals);
      return { entryId, count: ms.length, mean: rationalTenthsToScore4({ num: sum, den: BigInt(ms.length) }), min, max, disagreement: max - min };
    });

  const experts: ExpertQuality[] = [...byExpert.entries()]
    .sort(([a], [b]) => a - b)
    .map(([expertId, ms]) => {
      const n = BigInt(ms.length);
      const sum = ms.reduce((s, m) => s + BigInt(m.total), 0n);
      // Σ (mark − S_e/k_e) as one reduced rational, then divided by the expert's count.
      let num = 0n;
      let den = 1n;
      for (const m of ms) {
        const e = entrySum.get(m.entryId)!;
        num = num * e.count + (BigInt(m.total) * e.count - e.sum) * den;
        den *= e.count;
        const g = gcd(num, den) || 1n;
        num /= g;
        den /= g;
      }
      const meanPoints = Number(sum) / ms.length / 10;
      const variance = ms.reduce((s, m) => s + (m.total / 10 - meanPoints) ** 2, 0) / ms.length;
      return {
        expertId,
        count: ms.length,
        mean: rationalTenthsToScore4({ num: sum, den: n }),
        stdDevPoints: Math.sqrt(variance),
        meanDeviation: rationalTenthsToScore4({ num, den: den * n }),
        droppedHighest: droppedCount.get(`${expertId}:highest`) ?? 0,
        droppedLowest: droppedCount.get(`${expertId}:lowest`) ?? 0,
      };
    });

  const kendall = kendallW(byExpert);
  return { experts, entries, kendallW: kendall.value, kendall };
}

/**
 * Kendall's coefficient of concordance with the correction for ties:
 * W = 12·S / (m²(n³ − n) − m·ΣT), T = Σ(t³ − t) over each expert's groups of tied marks,
 * with average ranks for ties. Computed on doubled ranks so that every intermediate is an integer.
 */
function kendallW(byExpert: Map<number, PanelMark[]>): KendallW {
  const experts = [...byExpert.keys()].sort((a, b) => a - b);
  const m = experts.length;
  let entryIds: number[] = m === 0 ? [] : byExpert.get(experts[0])!.map((x) => x.entryId);
  for (const id of experts) {
    const mine = new Set(byExpert.get(id)!.map((x) => x.entryId));
    entryIds = entryIds.filter((e) => mine.has(e));
  }
  entryIds.sort((a, b) => a - b);
  const n = entryIds.length;
  if (m < 2 || n < 2) {
    return { value: null, experts: m, entries: n, tieCorrection: 0, reason: `needs at least 2 experts and 2 entries marked by all of them (${m} experts, ${n} entries)` };
  }
  const index = new Map(entryIds.map((e, i) => [e, i]));
  const rankSums = new Array<bigint>(n).fill(0n);
  let ties = 0n;
  for (const id of experts) {
    const ms = byExpert.get(id)!.filter((x) => index.has(x.entryId)).sort((a, b) => a.total - b.total);
    for (let p = 0; p < ms.length; ) {
      let q = p;
      while (q + 1 < ms.length && ms[q + 1].total === ms[p].total) q++;
      const doubledRank = BigInt(p + 1 + q + 1); // twice the average of ranks p+1..q+1
      for (let k = p; k <= q; k++) rankSums[index.get(ms[k].entryId)!] += doubledRank;
      const t = BigInt(q - p + 1);
      ties += t * t * t - t;
      p = q + 1;
    }
  }
  const M = BigInt(m);
  const N = BigInt(n);
  const meanDoubled = M * (N + 1n);
  const sDoubled = rankSums.reduce((s, r) => s + (r - meanDoubled) * (r - meanDoubled), 0n); // = 4·S
  const denominator = M * M * (N * N * N - N) - M * ties;
  if (denominator === 0n) {
    return { value: null, experts: m, entries: n, tieCorrection: Number(ties), reason: 'every expert gave all common entries the same mark' };
  }
  const value = Number(3n * sDoubled) / Number(denominator); // 12·S = 3·(4·S)
  return { value, experts: m, entries: n, tieCorrection: Number(ties), reason: `over ${n} entries marked by all ${m} experts, corrected for ties` };
}
