import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { jsonNestingDepth, jsonTooDeep, MAX_JSON_DEPTH } from './json-depth.js';

/** The reference: the depth of the parsed value, by recursion (fine for the small values generated here). */
function referenceDepth(v: unknown): number {
  if (Array.isArray(v)) return 1 + Math.max(0, ...v.map(referenceDepth));
  if (v !== null && typeof v === 'object') return 1 + Math.max(0, ...Object.values(v).map(referenceDepth));
  return 0;
}

/** Keys and strings full of the characters the scanner must not count: brackets, quotes, backslashes. */
const tricky = fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', '\\', ',', ':', 'a', '中', '😀', '\u0000') });
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('array'), tie('object')),
  leaf: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), tricky, fc.string()),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(tricky, tie('value'), { maxKeys: 4 }),
})).value;

describe('jsonNestingDepth', () => {
  it('agrees with the depth of the parsed value, as text and as UTF-8 bytes, however it is spaced', () => {
    fc.assert(
      fc.property(json, fc.constantFrom(undefined, 2, '\t'), (value, space) => {
        const text = JSON.stringify(value, null, space);
        const want = referenceDepth(JSON.parse(text));
        expect(jsonNestingDepth(text)).toBe(want);
        expect(jsonNestingDepth(Buffer.from(text, 'utf8'))).toBe(want);
      }),
      { numRuns: 2000 },
    );
  });

  it('counts deep chains of arrays and objects exactly, and stops just past the limit', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('array', 'object'), { maxLength: 300 }), tricky, fc.nat(80), (kinds, leaf, limit) => {
        let value: unknown = leaf;
        for (const k of kinds) value = k === 'array' ? [1, value] : { [leaf]: value, n: 1 };
        const text = JSON.stringify(value);
        expect(jsonNestingDepth(text)).toBe(kinds.length);
        expect(referenceDepth(value)).toBe(kinds.length);
        expect(jsonTooDeep(text, limit)).toBe(kinds.length > limit);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws and never goes negative on any text at all', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', '\\', 'x') }), fc.uint8Array()), (text) => {
        const d = jsonNestingDepth(text);
        expect(Number.isInteger(d) && d >= 0).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('stops early and tells too deep from deep enough at the limit', () => {
    const nest = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
    expect(jsonTooDeep(nest(MAX_JSON_DEPTH))).toBe(false);
    expect(jsonTooDeep(nest(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(jsonTooDeep('['.repeat(1500) + ']'.repeat(1500))).toBe(true);
    // Unclosed and unbalanced texts still count (the parser refuses them afterwards).
    expect(jsonNestingDepth('[[[', 1)).toBe(2);
    expect(jsonNestingDepth(']]]{')).toBe(1);
    // Brackets inside strings and escaped quotes do not count.
    expect(jsonNestingDepth('{"a\\"[[[":"]]]{{{\\\\"}')).toBe(1);
  });

  it('scans a megabyte in a few milliseconds', () => {
    const big = Buffer.from(JSON.stringify(Array.from({ length: 40_000 }, (_, i) => ({ k: `值${i}`, v: [i, i + 1] }))));
    const started = performance.now();
    expect(jsonNestingDepth(big)).toBe(3);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
