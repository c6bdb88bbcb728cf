/**
 * Aggregation of one entry's marks at one stage (去掉最高分和最低分 and its alternatives), and the
 * optional per-judge normalisation of a panel's marks.
 *
 * Units and rounding, shared by the whole judging core:
 * - a mark (one expert's total on one score sheet) is an integer in TENTHS of a point (85.5 → 855);
 * - an aggregated or final score is a `Score4`: an integer in TEN-THOUSANDTHS of a point
 *   (85.5 → 855000), so 1 tenth = 1000 Score4;
 * - everything that decides a score, rank or award is computed exactly with integers (BigInt
 *   rationals where a division is involved) and rounded ONCE, at the end, to a Score4 with
 *   round-half-up: a remainder of exactly one half goes up, towards +infinity
 *   (…, 0.00005 → 0.0001; −0.00005 → 0). Only normalised marks can be negative, so for real
 *   competition scores this is the familiar "四舍五入".
 */

/** An integer number of tenths of a point (a mark as entered on a score sheet). */
export type Tenths = number;
/** An integer number of ten-thousandths of a point (an aggregated or final score). */
export type Score4 = number;

export const SCORE4_PER_TENTH = 1000;

/** Malformed input to the judging core (duplicate ids, non-integer marks, bad settings). */
export class JudgingInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JudgingInputError';
  }
}

/** An exact rational number of TENTHS; `den` is always positive. Not JSON-serialisable (BigInt). */
export interface Rational {
  num: bigint;
  den: bigint;
}

export function assertSafeInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) {
    throw new JudgingInputError(`${what} must be an integer, got ${String(value)}`);
  }
}

// BigInt division truncates towards zero; rounding needs the floor.
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** num/den rounded half-up (towards +infinity on an exact half). */
export function divRoundHalfUp(num: bigint, den: bigint): bigint {
  if (den === 0n) throw new JudgingInputError('division by zero');
  if (den < 0n) return divRoundHalfUp(-num, -den);
  return floorDiv(2n * num + den, 2n * den);
}

/** Beyond this magnitude divRoundHalfUpNumber leaves the division to BigInt (every intermediate stays exact below it). */
const EXACT_LIMIT = 2 ** 50;
/** A sum of raw marks (tenths) up to this is exact in numbers and still within EXACT_LIMIT as a Score4. */
const SMALL_SUM = Math.floor(EXACT_LIMIT / SCORE4_PER_TENTH);

/**
 * num/den rounded half-up (towards +infinity on an exact half), like divRoundHalfUp, in plain numbers:
 * for integers with |num| and den (> 0) up to 2^50 every intermediate is an exact integer (the
 * quotient of the one floating-point division is corrected by its exact remainder). Beyond that, and
 * for anything that is not such an integer, it defers to divRoundHalfUp. The marks of a contest are
 * far below the limit: the BigInt path, ~10 allocations per division, is only the fallback.
 */
export function divRoundHalfUpNumber(num: number, den: number): number {
  if (Number.isSafeInteger(num) && Number.isSafeInteger(den) && den > 0 && num <= EXACT_LIMIT && num >= -EXACT_LIMIT && den <= EXACT_LIMIT) {
    // floor((2·num + den) / (2·den)): |a| < 2^52, b ≤ 2^51, |q·b| ≤ |a| + b, all exact.
    const a = 2 * num + den;
    const b = 2 * den;
    let q = Math.floor(a / b);
    const r = a - q * b;
    if (r < 0) q -= 1;
    else if (r >= b) q += 1;
    return q;
  }
  return Number(divRoundHalfUp(BigInt(num), BigInt(den)));
}

/** A rational number of tenths, rounded half-up to a Score4. */
export function rationalTenthsToScore4(value: Rational): Score4 {
  return Number(divRoundHalfUp(value.num * BigInt(SCORE4_PER_TENTH), value.den));
}

export function compareRational(a: Rational, b: Rational): number {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * The same string, stored flat. A string built with `+` or a template is kept by V8 as a tree of its
 * pieces (~32 bytes per piece); the explanations a contest's results keep are tens of thousands of
 * such strings, about a third of the results' memory. Converting a string to a number makes V8
 * flatten it in place; the value is not changed (the number is discarded).
 */
export function flatString(s: string): string {
  // Kept in a variable so that the optimising compiler cannot drop the conversion as unused.
  _flattened = Number(s);
  return s;
}
let _flattened = 0;

/** 855000 → "85.5", 850000 → "85", −12345 → "-1.2345": exact, for explanations only. */
export function formatScore4(value: Score4): string {
  const negative = value < 0;
  const abs = Math.abs(value);
  const whole = Math.floor(abs / 10000);
  let frac = abs % 10000;
  if (!Number.isInteger(frac)) {
    // Not a Score4 (explanations only ever show integers): the digits as they come.
    const digits = String(frac).padStart(4, '0').replace(/0+$/, '');
    return `${negative ? '-' : ''}${whole}${digits ? `.${digits}` : ''}`;
  }
  if (frac === 0) return negative ? `-${whole}` : String(whole);
  // Trailing zeros dropped by arithmetic, not by a regular expression (tens of thousands of calls).
  let width = 4;
  while (frac % 10 === 0) {
    frac /= 10;
    width--;
  }
  return `${negative ? '-' : ''}${whole}.${String(frac).padStart(width, '0')}`;
}

export function formatTenths(value: Tenths): string {
  // A mark (a non-negative integer of tenths): written directly, what formatScore4 writes for it.
  if (Number.isSafeInteger(value) && value >= 0 && value <= SMALL_SUM) {
    const frac = value % 10;
    const whole = (value - frac) / 10;
    return frac === 0 ? String(whole) : `${whole}.${frac}`;
  }
  return formatScore4(value * SCORE4_PER_TENTH);
}

export type AggregationMethod = 'trimmed_mean' | 'mean' | 'median';

export interface Mark {
  expertId: number;
  /** tenths of a point */
  total: Tenths;
}

export interface AggregationInput {
  marks: readonly Mark[];
  method: AggregationMethod;
  /** The trimmed mean drops one highest and one lowest only from this many marks on (>= 3). */
  trimMinSheets: number;
}

export interface DroppedMark {
  expertId: number;
  total: Tenths;
  /** The normalised mark (Score4), present when the marks were normalised. */
  adjusted?: Score4;
  why: 'highest' | 'lowest';
}

export interface AggregatedMark {
  expertId: number;
  total: Tenths;
  adjusted?: Score4;
  status: 'used' | 'dropped_highest' | 'dropped_lowest' | 'not_middle';
}

export interface Aggregation {
  /** The method actually applied ('mean' when a trimmed mean fell back for lack of marks). */
  method: AggregationMethod;
  requestedMethod: AggregationMethod;
  reason: string;
  value: Score4;
  normalized: boolean;
  count: number;
  /** Experts whose marks determined the value, ascending. */
  used: number[];
  dropped: DroppedMark[];
  /** Every mark, by expertId, with what happened to it. */
  marks: AggregatedMark[];
  /** Sum of all raw marks (tenths), before any trimming or normalisation: a tie-break key. */
  untrimmedSum: Tenths;
  /** Lowest and highest raw mark (tenths). */
  min: Tenths;
  max: Tenths;
}

/**
 * A mark being aggregated. A raw mark is `{ expertId, total, status }` and is itself the mark the
 * aggregation returns (no copy per mark); a normalised one carries its exact value and is copied
 * into the result without it.
 */
interface ExactMark {
  expertId: number;
  total: Tenths;
  /** The exact value (normalised marks only); a raw mark's value is its `total` tenths. */
  value?: Rational;
  adjusted?: Score4;
  /** Set by aggregateExact. */
  status: AggregatedMark['status'];
}

const METHODS: readonly AggregationMethod[] = ['trimmed_mean', 'mean', 'median'];
const ascending = (a: number, b: number): number => a - b;

/** "expert 12: 85.5" (a normalised mark: its adjusted value). */
function describeMark(m: ExactMark, normalized: boolean): string {
  return `expert ${m.expertId}: ${normalized && m.adjusted !== undefined ? formatScore4(m.adjusted) : formatTenths(m.total)}`;
}

function validateTrimMinSheets(trimMinSheets: number): void {
  assertSafeInteger(trimMinSheets, 'trimMinSheets');
  // Dropping two marks out of fewer than three would leave nothing to average.
  if (trimMinSheets < 3) throw new JudgingInputError(`trimMinSheets must be at least 3, got ${trimMinSheets}`);
}

/** Raw marks: by total (a raw mark's exact value), then expertId. */
const byTotalThenExpert = (a: ExactMark, b: ExactMark): number => a.total - b.total || a.expertId - b.expertId;
/** Normalised marks: by exact value, then expertId. */
const byValueThenExpert = (a: ExactMark, b: ExactMark): number => compareRational(a.value!, b.value!) || a.expertId - b.expertId;
const byExpert = (a: ExactMark, b: ExactMark): number => a.expertId - b.expertId;

/**
 * Sorts in place, like `items.sort(compare)`: an insertion sort for the few marks of one entry (the
 * built-in sort costs more to set up than to run on 7 items). Stable, like the built-in sort, so the
 * result is the same for any comparator.
 */
export function sortSmall<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  if (items.length > 16) return items.sort(compare);
  for (let i = 1; i < items.length; i++) {
    const x = items[i];
    let j = i - 1;
    while (j >= 0 && compare(items[j], x) > 0) {
      items[j + 1] = items[j];
      j--;
    }
    items[j + 1] = x;
  }
  return items;
}

/** Σ of the raw marks as an exact BigInt (plain number addition while it stays exact). */
function exactSum(marks: readonly ExactMark[]): bigint {
  let sum = 0;
  for (const m of marks) {
    sum += m.total;
    // Every partial sum a safe integer ⇒ every addition was exact.
    if (!Number.isSafeInteger(sum)) return marks.reduce((s, x) => s + BigInt(x.total), 0n);
  }
  return BigInt(sum);
}

/** The fixed parts of a trimmed mean's reason for one (count, trimMinSheets): the last pair made is kept (a contest uses one or two). */
let trimmed = { count: -1, trimMinSheets: -1, head: '', tail: '' };
function trimmedTexts(count: number, trimMinSheets: number): { head: string; tail: string } {
  if (trimmed.count !== count || trimmed.trimMinSheets !== trimMinSheets) {
    trimmed = {
      count,
      trimMinSheets,
      head: flatString(`trimmed mean: ${count} marks >= ${trimMinSheets}, dropped the highest (`),
      tail: flatString(`), mean of the other ${count - 2}`),
    };
  }
  return trimmed;
}

/**
 * `marks` is a fresh array the caller owns (it is sorted in place and its items get their status).
 * Raw marks (`normalized` false) carry no BigInt value: their value is their integer total.
 */
function aggregateExact(
  marks: ExactMark[],
  requestedMethod: AggregationMethod,
  trimMinSheets: number,
  normalized: boolean,
): Aggregation {
  validateTrimMinSheets(trimMinSheets);
  if (!METHODS.includes(requestedMethod)) {
    throw new JudgingInputError(`unknown aggregation method ${String(requestedMethod)}`);
  }
  if (marks.length === 0) throw new JudgingInputError('cannot aggregate an empty set of marks');
  for (let i = 0; i < marks.length; i++) {
    const m = marks[i];
    assertSafeInteger(m.expertId, 'expertId');
    if (!Number.isSafeInteger(m.total)) assertSafeInteger(m.total, `total of expert ${m.expertId}`);
    // A handful of marks: a scan is cheaper than a Set.
    for (let j = 0; j < i; j++) {
      if (marks[j].expertId === m.expertId) throw new JudgingInputError(`expert ${m.expertId} has more than one mark`);
    }
  }

  // Sorting by (value, expertId) makes the choice among equal extreme marks independent of input
  // order: the lowest mark with the smallest expertId and the highest mark with the largest expertId
  // are dropped. Equal marks are interchangeable for the value, so this only affects the explanation.
  // In place: `marks` is sorted by expertId again at the end, after its last use in this order.
  const sorted = sortSmall(marks, normalized ? byValueThenExpert : byTotalThenExpert);
  const count = sorted.length;
  let untrimmedSum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const m of sorted) {
    untrimmedSum += m.total;
    min = Math.min(min, m.total);
    max = Math.max(max, m.total);
  }

  let method: AggregationMethod = requestedMethod;
  let reason: string;
  let usedMarks: ExactMark[];
  let dropped: DroppedMark[] = [];


  for (const m of sorted) m.status = 'used';
  if (requestedMethod === 'median') {
    const mid = Math.floor(count / 2);
    usedMarks = count % 2 === 1 ? [sorted[mid]] : [sorted[mid - 1], sorted[mid]];
    for (const m of sorted) m.status = 'not_middle';
    reason = `median of ${count} marks (${usedMarks.map((m) => describeMark(m, normalized)).join(', ')})`;
  } else if (requestedMethod === 'trimmed_mean' && count >= trimMinSheets) {
    const lowest = sorted[0];
    const highest = sorted[count - 1];
    usedMarks = sorted.slice(1, count - 1);
    dropped = [
      highest.adjusted !== undefined
        ? { expertId: highest.expertId, total: highest.total, adjusted: highest.adjusted, why: 'highest' }
        : { expertId: highest.expertId, total: highest.total, why: 'highest' },
      lowest.adjusted !== undefined
        ? { expertId: lowest.expertId, total: lowest.total, adjusted: lowest.adjusted, why: 'lowest' }
        : { expertId: lowest.expertId, total: lowest.total, why: 'lowest' },
    ];
    highest.status = 'dropped_highest';
    lowest.status = 'dropped_lowest';
    const t = trimmedTexts(count, trimMinSheets);
    reason = `${t.head}${describeMark(highest, normalized)}) and the lowest (${describeMark(lowest, normalized)}${t.tail}`;
  } else {
    usedMarks = sorted;
    if (requestedMethod === 'trimmed_mean') {
      method = 'mean';
      reason = `mean of ${count} marks: the trimmed mean needs at least ${trimMinSheets} marks`;
    } else {
      reason = `mean of ${count} marks`;
    }
  }
  for (const m of usedMarks) m.status = 'used';

  // Exact mean of the used marks: sum of rationals over a common denominator, divided by their count.
  let value: Score4;
  if (normalized) {
    let num = 0n;
    let den = 1n;
    for (const m of usedMarks) {
      num = num * m.value!.den + m.value!.num * den;
      den = den * m.value!.den;
    }
    value = rationalTenthsToScore4({ num, den: den * BigInt(usedMarks.length) });
  } else {
    // Raw marks are integers: their sum over their count, the same rational (exactly, in numbers
    // while the sum is small enough: always, for marks of up to 100 points).
    let sum = 0;
    let small = true;
    for (const m of usedMarks) {
      sum += m.total;
      if (!(sum <= SMALL_SUM && sum >= -SMALL_SUM)) small = false;
    }
    value = small
        ? divRoundHalfUpNumber(sum * SCORE4_PER_TENTH, usedMarks.length)
        : rationalTenthsToScore4({ num: exactSum(usedMarks), den: BigInt(usedMarks.length) });
  }

  // Built with map, not push: exact-length arrays (a payload holds tens of thousands of these).
  const used = sortSmall(
    usedMarks.map((m) => m.expertId),
    ascending,
  );
  const byId = sortSmall(marks, byExpert);
  const out: AggregatedMark[] = normalized
    ? byId.map((m) => (m.adjusted !== undefined ? { expertId: m.expertId, total: m.total, adjusted: m.adjusted, status: m.status } : { expertId: m.expertId, total: m.total, status: m.status }))
    : byId;

  return {
    method,
    requestedMethod,
    reason: flatString(`${reason} = ${formatScore4(value)}${normalized ? ' (normalised marks)' : ''}`),
    value,
    normalized,
    count,
    used,
    dropped,
    marks: out,
    untrimmedSum,
    min,
    max,
  };
}

/** A raw mark the judging core made itself with ownedMark, for aggregateOwnedMarks. */
export type OwnedMark = AggregatedMark;

/** A new raw mark for aggregateOwnedMarks: the object the aggregation returns, given its status then. */
export function ownedMark(expertId: number, total: Tenths): OwnedMark {
  return { expertId, total, status: 'used' };
}

/**
 * aggregateMarks over marks made by ownedMark, which it takes over: they are sorted in place and
 * become the result's `marks` (no copy per mark). For the judging core's own lists only; the result
 * is that of aggregateMarks over the same marks.
 */
export function aggregateOwnedMarks(marks: OwnedMark[], method: AggregationMethod, trimMinSheets: number): Aggregation {
  const result = aggregateExact(marks as ExactMark[], method, trimMinSheets, false);
  // A list grown by push keeps room for more; the result keeps an exact-length copy (a payload
  // holds tens of thousands of these lists).
  result.marks = result.marks.slice();
  return result;
}

/** Aggregates raw marks (tenths) into a Score4. Throws JudgingInputError on empty or malformed input. */
export function aggregateMarks(input: AggregationInput): Aggregation {
  // These objects become the result's `marks` (by expertId, each with its status): built with map,
  // an exact-length array, as the payload keeps it.
  const marks = input.marks.map((m): ExactMark => {
    if (!Number.isSafeInteger(m.total)) assertSafeInteger(m.total, `total of expert ${m.expertId}`);
    return { expertId: m.expertId, total: m.total, status: 'used' };
  });
  return aggregateExact(marks, input.method, input.trimMinSheets, false);
}

// ---------------------------------------------------------------------------------------------
// Compact form (payload format 2)
// ---------------------------------------------------------------------------------------------

/**
 * An aggregation of RAW marks reduced to what decides it: the method asked for, the trimming
 * threshold, the value and the marks themselves as (expertId, total) pairs by expertId — no text and
 * no object per mark. Everything else of the Aggregation (the method applied, the reason, which marks
 * were used or dropped and why, the untrimmed sum, min and max) is a pure function of these:
 * `expandAggregation` gives it back, equal to `aggregateMarks` over the same marks. How payload
 * format 2 keeps a stage (140,000 mark objects and 20,000 reason texts fewer at national scale).
 * Normalised marks are never compact: their exact values are not in the marks.
 */
export interface CompactAggregation {
  requestedMethod: AggregationMethod;
  trimMinSheets: number;
  value: Score4;
  /** The marks by expertId as pairs: expertId, total (tenths), expertId, total, … */
  pairs: number[];
}

export function isCompactAggregation(a: Aggregation | CompactAggregation): a is CompactAggregation {
  return (a as Partial<CompactAggregation>).pairs !== undefined;
}

/** The marks of pairs (expertId, total, expertId, total, …). */
function marksOfPairs(pairs: readonly number[]): Mark[] {
  const marks: Mark[] = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) marks.push({ expertId: pairs[i], total: pairs[i + 1] });
  return marks;
}

/**
 * The compact aggregation of raw marks given as pairs sorted by expertId (the array is kept as the
 * result's `pairs`, not copied): the value `aggregateMarks` gives for the same marks, computed from
 * the totals alone (a trimmed mean drops one lowest and one highest total, whichever experts gave them).
 * Throws JudgingInputError on what aggregateMarks refuses.
 */
export function aggregatePairs(pairs: number[], requestedMethod: AggregationMethod, trimMinSheets: number): CompactAggregation {
  validateTrimMinSheets(trimMinSheets);
  if (!METHODS.includes(requestedMethod)) throw new JudgingInputError(`unknown aggregation method ${String(requestedMethod)}`);
  const count = pairs.length >> 1;
  if (count === 0 || pairs.length !== count * 2) throw new JudgingInputError('cannot aggregate an empty set of marks');
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let previous = -Infinity;
  // Every total and partial sum small enough that the arithmetic below is exact (always, for marks of
  // up to 100 points); else the value is left to aggregateMarks.
  let small = true;
  for (let i = 0; i < pairs.length; i += 2) {
    const expertId = pairs[i];
    const total = pairs[i + 1];
    assertSafeInteger(expertId, 'expertId');
    if (!Number.isSafeInteger(total)) assertSafeInteger(total, `total of expert ${expertId}`);
    if (expertId === previous) throw new JudgingInputError(`expert ${expertId} has more than one mark`);
    if (expertId < previous) throw new JudgingInputError('pairs must be sorted by expertId');
    previous = expertId;
    sum += total;
    if (!(total <= SMALL_SUM / 2 && total >= -SMALL_SUM / 2 && sum <= SMALL_SUM && sum >= -SMALL_SUM)) small = false;
    if (total < min) min = total;
    if (total > max) max = total;
  }
  let usedSum: number;
  let usedCount: number;
  if (requestedMethod === 'median') {
    const totals: number[] = [];
    for (let i = 1; i < pairs.length; i += 2) totals.push(pairs[i]);
    sortSmall(totals, ascending);
    const mid = count >> 1;
    usedSum = count % 2 === 1 ? totals[mid] : totals[mid - 1] + totals[mid];
    usedCount = count % 2 === 1 ? 1 : 2;
  } else if (requestedMethod === 'trimmed_mean' && count >= trimMinSheets) {
    usedSum = sum - min - max;
    usedCount = count - 2;
  } else {
    usedSum = sum;
    usedCount = count;
  }
  const value = small && usedSum <= SMALL_SUM && usedSum >= -SMALL_SUM
    ? divRoundHalfUpNumber(usedSum * SCORE4_PER_TENTH, usedCount)
    : aggregateMarks({ marks: marksOfPairs(pairs), method: requestedMethod, trimMinSheets }).value;
  return { requestedMethod, trimMinSheets, value, pairs };
}

/** The full aggregation a compact one stands for: aggregateMarks over its marks. */
export function expandAggregation(c: CompactAggregation): Aggregation {
  return aggregateMarks({ marks: marksOfPairs(c.pairs), method: c.requestedMethod, trimMinSheets: c.trimMinSheets });
}

/** The compact form of an aggregation of raw marks (null for normalised marks, which have none). */
export function compactAggregation(a: Aggregation, trimMinSheets: number): CompactAggregation | null {
  if (a.normalized) return null;
  const pairs: number[] = [];
  for (const m of a.marks) pairs.push(m.expertId, m.total);
  return { requestedMethod: a.requestedMethod, trimMinSheets, value: a.value, pairs };
}

// ---------------------------------------------------------------------------------------------
// Per-judge normalisation
// ---------------------------------------------------------------------------------------------

export interface PanelMark {
  expertId: number;
  entryId: number;
  total: Tenths;
}

export interface NormalizedMark extends PanelMark {
  /** mark − judgeMean + panelMean, exact (tenths). */
  exact: Rational;
  /** The same, rounded half-up to a Score4 (for display). */
  adjusted: Score4;
}

export interface JudgeOffset {
  expertId: number;
  count: number;
  mean: Score4;
  /** judgeMean − panelMean: what normalisation removes from each of this judge's marks. */
  offset: Score4;
}

export interface Normalization {
  panelMean: Score4;
  count: number;
  judges: JudgeOffset[];
  /** Sorted by (entryId, expertId). */
  marks: NormalizedMark[];
}

/**
 * Removes each judge's constant offset within a panel: adjusted = mark − judgeMean + panelMean,
 * where judgeMean is the mean of that judge's marks and panelMean the mean of all the panel's marks.
 * Exact: adjusted = (mark·n_j·N − S_j·N + S·n_j) / (n_j·N) tenths.
 *
 * What is invariant: if a judge adds a constant c to all their marks, their deviations from their
 * own mean do not change, so every difference between two normalised marks (and therefore every
 * ranking, every trimming decision and every gap between entries) is unchanged. The panel level
 * itself is data: panelMean moves by c·n_j/N, and that moves every normalised mark by exactly the
 * same amount. No data-derived level can be invariant to every judge's offset.
 */
export function normalizeByJudge(marksByJudgeAcrossEntries: readonly PanelMark[]): Normalization {
  const marks = marksByJudgeAcrossEntries;
  if (marks.length === 0) throw new JudgingInputError('cannot normalise an empty panel');
  const seen = new Set<string>();
  const byJudge = new Map<number, { sum: bigint; count: bigint }>();
  let total = 0n;
  for (const m of marks) {
    assertSafeInteger(m.expertId, 'expertId');
    assertSafeInteger(m.entryId, 'entryId');
    if (!Number.isSafeInteger(m.total)) assertSafeInteger(m.total, `total of expert ${m.expertId} on entry ${m.entryId}`);
    const key = `${m.expertId}:${m.entryId}`;
    if (seen.has(key)) throw new JudgingInputError(`expert ${m.expertId} has more than one mark for entry ${m.entryId}`);
    seen.add(key);
    const j = byJudge.get(m.expertId) ?? { sum: 0n, count: 0n };
    j.sum += BigInt(m.total);
    j.count += 1n;
    byJudge.set(m.expertId, j);
    total += BigInt(m.total);
  }
  const n = BigInt(marks.length);
  const panelMean = rationalTenthsToScore4({ num: total, den: n });

  const normalized: NormalizedMark[] = [...marks]
    .sort((a, b) => a.entryId - b.entryId || a.expertId - b.expertId)
    .map((m) => {
      const j = byJudge.get(m.expertId)!;
      const exact: Rational = { num: BigInt(m.total) * j.count * n - j.sum * n + total * j.count, den: j.count * n };
      return { expertId: m.expertId, entryId: m.entryId, total: m.total, exact, adjusted: rationalTenthsToScore4(exact) };
    });

  const judges: JudgeOffset[] = [...byJudge.entries()]
    .sort(([a], [b]) => a - b)
    .map(([expertId, j]) => ({
      expertId,
      count: Number(j.count),
      mean: rationalTenthsToScore4({ num: j.sum, den: j.count }),
      offset: rationalTenthsToScore4({ num: j.sum * n - total * j.count, den: j.count * n }),
    }));

  return { panelMean, count: marks.length, judges, marks: normalized };
}

export interface NormalizedAggregationInput {
  marks: readonly NormalizedMark[];
  method: AggregationMethod;
  trimMinSheets: number;
}

/** Aggregates one entry's normalised marks (from normalizeByJudge), exactly, rounding once at the end. */
export function aggregateNormalizedMarks(input: NormalizedAggregationInput): Aggregation {
  const first = input.marks[0]?.entryId;
  for (const m of input.marks) {
    // Distinct as a Set would count them (SameValueZero).
    if (m.entryId !== first && !(Number.isNaN(m.entryId) && Number.isNaN(first))) throw new JudgingInputError('normalised marks of more than one entry given to one aggregation');
  }
  return aggregateExact(
    input.marks.map((m): ExactMark => ({ expertId: m.expertId, total: m.total, value: m.exact, adjusted: m.adjusted, status: 'used' })),
    input.method,
    input.trimMinSheets,
    true,
  );
}
