import { describe, expect, it } from '@jest/globals';
import { canSeeEntry, type Viewer } from './entry.access.js';

const entry = { enterpriseId: 7, unitId: 3, submittedAt: null as Date | null };
const submitted = { ...entry, submittedAt: new Date() };
const v = (role: Viewer['role'], o: Partial<Viewer> = {}): Viewer => ({ role, enterpriseId: null, unitId: null, ...o });

describe('canSeeEntry', () => {
  it('lets an enterprise see its own entries only', () => {
    expect(canSeeEntry(v('enterprise', { enterpriseId: 7 }), entry)).toBe(true);
    expect(canSeeEntry(v('enterprise', { enterpriseId: 8 }), entry)).toBe(false);
    expect(canSeeEntry(v('enterprise'), entry)).toBe(false);
  });

  it('lets a recommender see submitted entries naming its unit, never drafts', () => {
    expect(canSeeEntry(v('recommender', { unitId: 3 }), entry)).toBe(false);
    expect(canSeeEntry(v('recommender', { unitId: 3 }), submitted)).toBe(true);
    expect(canSeeEntry(v('recommender', { unitId: 4 }), submitted)).toBe(false);
    expect(canSeeEntry(v('recommender'), submitted)).toBe(false);
  });

  it('lets organizers see everything, experts and admins nothing', () => {
    expect(canSeeEntry(v('organizer'), entry)).toBe(true);
    expect(canSeeEntry(v('expert'), submitted)).toBe(false);
    expect(canSeeEntry(v('admin'), submitted)).toBe(false);
  });
});
