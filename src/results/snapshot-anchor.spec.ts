import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { publicListHash } from './award-list-builder.js';
import { sampleAwardList } from './exports/sample-award-list.js';
import { anchorOf, checkAnchor, type AnchorEvent } from './snapshot-anchor.js';

const H = (c: string) => c.repeat(64);
const events: AnchorEvent[] = [
  { id: 10, action: 'results.freeze', after: { snapshotId: 1, version: 1, status: 'frozen', hash: H('a'), listHash: H('b') } },
  { id: 12, action: 'results.publish', after: { snapshotId: 1, version: 1, status: 'published', hash: H('a'), listHash: H('b') } },
  { id: 20, action: 'results.republish', after: { snapshotId: 2, version: 2, hash: H('c') } },
];

describe('checkAnchor', () => {
  it('accepts a snapshot whose hash and list hash are the ones its freeze event recorded', () => {
    expect(anchorOf(events, 1)).toEqual({ eventId: 10, action: 'results.freeze', hash: H('a'), listHash: H('b') });
    expect(checkAnchor(events, { id: 1, status: 'published', hash: H('a') }, H('b'))).toMatchObject({ required: true, ok: true, problems: [], conflictingEventIds: [] });
    // A republished version is anchored by its republish event (recorded before list hashes existed: not compared).
    expect(checkAnchor(events, { id: 2, status: 'published', hash: H('c') }, H('d'))).toMatchObject({ ok: true, anchor: { eventId: 20, listHash: null } });
  });

  it('names every event that recorded another hash, and a list that no longer hashes to the recorded one', () => {
    expect(checkAnchor(events, { id: 1, status: 'published', hash: H('e') }, H('f'))).toMatchObject({ ok: false, problems: ['hash_not_anchored', 'list_hash_mismatch'], conflictingEventIds: [10, 12] });
  });

  it('requires an anchor once frozen, not before', () => {
    expect(checkAnchor(events, { id: 3, status: 'frozen', hash: H('a') }, null)).toMatchObject({ required: true, ok: false, anchor: null, problems: ['anchor_missing'] });
    expect(checkAnchor(events, { id: 3, status: 'computed', hash: H('a') }, null)).toMatchObject({ required: false, ok: true });
  });
});

describe('publicListHash', () => {
  it('is the SHA-256 of the canonical JSON of {contestId, version, hash, levels, excellentUnits}, whatever the key order', () => {
    const list = sampleAwardList({ withScores: true });
    const hashed = { contestId: list.contest.id, version: list.version, hash: list.hash, levels: list.levels, excellentUnits: list.excellentUnits };
    const sorted = (v: unknown): unknown => (Array.isArray(v) ? v.map(sorted) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v);
    const expected = createHash('sha256').update(JSON.stringify(sorted(hashed))).digest('hex');
    expect(publicListHash(list)).toBe(expected);
    const reordered = JSON.parse(JSON.stringify({ excellentUnits: list.excellentUnits, levels: list.levels, hash: list.hash, version: list.version, contest: { id: 7 } }));
    expect(publicListHash(reordered)).toBe(expected);
    expect(publicListHash({ ...list, version: 3 })).not.toBe(expected);
    expect(publicListHash({ ...list, levels: { ...list.levels, first: list.levels.first.slice(1) } })).not.toBe(expected);
  });
});
