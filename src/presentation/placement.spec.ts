import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { bestTrack, placeEntries, specificity, trackMatches, type PlacementTrack } from './placement.js';

const track = (id: number, industry: string | null, entryType: string | null): PlacementTrack => ({ id, industry, entryType });

describe('track placement', () => {
  it('matches on industry and type, null meaning any', () => {
    const entry = { id: 1, entryType: 'innovation', industry: '制造业' };
    expect(trackMatches(track(1, null, null), entry)).toBe(true);
    expect(trackMatches(track(1, '制造业', null), entry)).toBe(true);
    expect(trackMatches(track(1, null, 'innovation'), entry)).toBe(true);
    expect(trackMatches(track(1, '制造业', 'innovation'), entry)).toBe(true);
    expect(trackMatches(track(1, '服务业', null), entry)).toBe(false);
    expect(trackMatches(track(1, null, 'problem_solving'), entry)).toBe(false);
  });

  it('does not match an industry track for an enterprise without an industry', () => {
    expect(trackMatches(track(1, '制造业', null), { id: 1, entryType: 'innovation', industry: null })).toBe(false);
    expect(trackMatches(track(1, null, null), { id: 1, entryType: 'innovation', industry: null })).toBe(true);
  });

  it('prefers the most specific track, then the lowest id', () => {
    const entry = { id: 1, entryType: 'problem_solving', industry: '制造业' };
    const tracks = [track(9, null, null), track(7, '制造业', null), track(8, null, 'problem_solving'), track(12, '制造业', 'problem_solving'), track(11, '制造业', 'problem_solving')];
    expect(bestTrack(tracks, entry)?.id).toBe(11);
    expect(bestTrack(tracks.slice(0, 3), entry)?.id).toBe(7);
    expect(bestTrack([track(9, null, null), track(3, null, null)], entry)?.id).toBe(3);
    expect(bestTrack([track(1, '服务业', null)], entry)).toBeNull();
  });

  it('lists unplaced entries and sorts the result by entry id', () => {
    const out = placeEntries([track(1, '制造业', null)], [
      { id: 5, entryType: 'innovation', industry: '服务业' },
      { id: 2, entryType: 'innovation', industry: '制造业' },
    ]);
    expect(out).toEqual({ placed: [{ entryId: 2, trackId: 1 }], unplaced: [5] });
  });

  it('never depends on the order of the tracks (property)', () => {
    const arbTrack = fc.record({ id: fc.integer({ min: 1, max: 50 }), industry: fc.constantFrom(null, 'A', 'B'), entryType: fc.constantFrom(null, 'x', 'y') });
    fc.assert(
      fc.property(fc.uniqueArray(arbTrack, { selector: (t) => t.id, maxLength: 8 }), fc.constantFrom('A', 'B', null), fc.constantFrom('x', 'y'), (tracks, industry, entryType) => {
        const entry = { id: 1, entryType, industry };
        const a = bestTrack(tracks, entry);
        const b = bestTrack([...tracks].reverse(), entry);
        expect(a?.id).toBe(b?.id);
        if (a) {
          expect(trackMatches(a, entry)).toBe(true);
          for (const t of tracks) if (trackMatches(t, entry)) expect(specificity(t)).toBeLessThanOrEqual(specificity(a));
        } else {
          expect(tracks.some((t) => trackMatches(t, entry))).toBe(false);
        }
      }),
    );
  });
});
