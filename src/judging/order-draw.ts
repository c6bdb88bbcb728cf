// Presentation order by lot (抽签), verifiable by anyone through commit–reveal:
//   1. before the draw the organizer picks a secret seed (generateSeed) and publishes only
//      commitSeed(seed), the hex SHA-256 of the seed's UTF-8 bytes;
//   2. at the draw the seed is revealed; anyone checks SHA-256(seed) = commitment and recomputes
//      the order with drawOrder below. The organizer cannot pick a favourable seed after seeing the
//      entries, and nobody can predict the order before the reveal (a 256-bit random seed).
//
// drawOrder(seed, ids), precisely (any language with HMAC-SHA256 and big integers can redo it):
//   a := ids sorted ascending as numbers (so the order in which ids were supplied does not matter)
//   n := length of a;  key := UTF-8 bytes of seed;  j := 0
//   for i from n-1 down to 1:                       -- Fisher–Yates, back to front
//     r := i + 1                                    -- pick a uniform k in [0, i]
//     limit := 2^256 - (2^256 mod r)                -- largest multiple of r not above 2^256
//     repeat:
//       h := HMAC-SHA256(key, ASCII bytes of "draw:" followed by j in decimal, e.g. "draw:0")
//       j := j + 1                                  -- every HMAC consumes one counter value
//       x := h read as a 256-bit big-endian unsigned integer
//     until x < limit                               -- rejection sampling: no modulo bias
//     k := x mod r
//     swap a[i] and a[k]
//   the result is a; a[0] presents first.
// (A rejection happens with probability below r / 2^256, i.e. never in practice, but it is part of
// the definition so that the distribution is exactly uniform.)

import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const SPACE = 1n << 256n;

/** A fresh secret seed: 32 random bytes as 64 hex characters. */
export function generateSeed(): string {
  return randomBytes(32).toString('hex');
}

/** The public commitment to a seed: lower-case hex SHA-256 of its UTF-8 bytes. */
export function commitSeed(seed: string): string {
  return createHash('sha256').update(seed, 'utf8').digest('hex');
}

/** Whether `seed` is the one committed to (hex compared case-insensitively, in constant time). */
export function verifySeed(seed: string, commitment: string): boolean {
  if (typeof seed !== 'string' || typeof commitment !== 'string' || !/^[0-9a-fA-F]{64}$/.test(commitment)) return false;
  return timingSafeEqual(Buffer.from(commitSeed(seed), 'hex'), Buffer.from(commitment, 'hex'));
}

/**
 * A uniform integer in [0, range) from a source of uniform integers in [0, space), by rejection
 * sampling. Exported so the rejection path, unreachable with 256-bit draws, can be tested.
 */
export function sampleBelow(range: bigint, space: bigint, next: () => bigint): bigint {
  if (range <= 0n || range > space) throw new RangeError('sampleBelow: range must be in [1, space]');
  const limit = space - (space % range);
  for (;;) {
    const x = next();
    if (x < limit) return x % range;
  }
}

/** The order of presentation for `entryIds` under `seed` (algorithm in the header comment). */
export function drawOrder(seed: string, entryIds: readonly number[]): number[] {
  const order = [...entryIds].sort((a, b) => a - b);
  let counter = 0;
  const next = (): bigint => {
    const digest = createHmac('sha256', Buffer.from(seed, 'utf8')).update(`draw:${counter}`, 'ascii').digest();
    counter += 1;
    return BigInt('0x' + digest.toString('hex'));
  };
  for (let i = order.length - 1; i >= 1; i--) {
    const k = Number(sampleBelow(BigInt(i + 1), SPACE, next));
    [order[i], order[k]] = [order[k]!, order[i]!];
  }
  return order;
}

export type RevealResult =
  | { ok: true; order: number[]; seed: string; commitment: string }
  | { ok: false; code: 'seed_mismatch'; message: string };

/** Checks the revealed seed against its commitment, then draws; refuses a seed that does not match. */
export function revealAndDraw(seed: string, commitment: string, entryIds: readonly number[]): RevealResult {
  if (!verifySeed(seed, commitment)) {
    return { ok: false, code: 'seed_mismatch', message: '公布的随机种子与事先公示的承诺值不符，不能抽签' };
  }
  return { ok: true, order: drawOrder(seed, entryIds), seed, commitment: commitment.toLowerCase() };
}
