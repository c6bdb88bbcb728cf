import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { canonicalDigest, canonicalHash, canonicalJson, sha256Hex } from './canonical-json.js';

/** The same value with every object's keys in reverse insertion order. */
function reverseKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reverseKeys);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).reverse().map(([k, x]) => [k, reverseKeys(x)]));
  }
  return v;
}

describe('canonicalJson', () => {
  it('sorts keys recursively, keeps array order, no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson([2, 1])).toBe('[2,1]');
    expect(canonicalJson('一等奖 🏆')).toBe('"一等奖 🏆"');
    expect(canonicalJson(true)).toBe('true');
  });

  it('drops undefined members like JSON.stringify, and writes undefined array slots as null', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson([undefined, 1])).toBe('[null,1]');
  });

  it('sorts by code units (uppercase before lowercase, digits first)', () => {
    expect(canonicalJson({ b: 1, B: 2, '10': 3, '9': 4 })).toBe('{"10":3,"9":4,"B":2,"b":1}');
  });

  it('refuses values without a JSON form rather than writing null', () => {
    expect(() => canonicalJson({ a: NaN })).toThrow(TypeError);
    expect(() => canonicalJson(Infinity)).toThrow(TypeError);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
    expect(() => canonicalJson(10n)).toThrow(TypeError);
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => canonicalJson(loop)).toThrow(/circular/);
  });

  it('writes the same object twice when it is shared (not circular)', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });

  it('is JSON: parsing it gives the value back, and it does not depend on key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = canonicalJson(v);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(v)));
        expect(canonicalJson(reverseKeys(v))).toBe(text);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('hashes with sha256 over the canonical text', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(canonicalHash({ b: 2, a: 1 })).toBe(sha256Hex('{"a":1,"b":2}'));
    expect(canonicalHash({ a: 1, b: 2 })).toBe(canonicalHash({ b: 2, a: 1 }));
    expect(canonicalHash({ a: 1 })).not.toBe(canonicalHash({ a: 2 }));
  });

  it('digests large values in chunks: the same hash and byte length as over the whole text', () => {
    const big = { rows: Array.from({ length: 20000 }, (_, i) => ({ title: `降低焊接缺陷率 🔧 ${i}`, n: i, ok: i % 2 === 0 })) };
    const text = canonicalJson(big);
    expect(text.length).toBeGreaterThan(65536 * 5);
    expect(canonicalDigest(big)).toEqual({ hash: sha256Hex(text), bytes: Buffer.byteLength(text, 'utf8') });
    // A chunk boundary inside a surrogate pair must not break the UTF-8 encoding.
    const emoji = { s: '🏆'.repeat(70000) };
    expect(canonicalDigest(emoji)).toEqual({ hash: sha256Hex(canonicalJson(emoji)), bytes: Buffer.byteLength(canonicalJson(emoji), 'utf8') });
  });
});
