import { describe, expect, it } from '@jest/globals';
import type { AuthUser } from '../auth/auth-user.js';
import { canDecideEnterprise, canSeeEnterprise, canSeeExpert, canSeeUnit, registrationFor } from './organisation.access.js';
import { canGetUnitCertificate, resultsArePublic, snapshotIsPublic } from './results.access.js';
import { signOffRefusal } from './session.access.js';
import { canManageReport, statisticsScope } from './report.access.js';
import { profileEditMode } from './expertise.access.js';

const user = (role: AuthUser['role'], o: Partial<AuthUser> = {}): AuthUser => ({ id: 1, username: 'u', displayName: 'U', role, unitId: null, enterpriseId: null, expertId: null, ...o });

describe('organisation rules', () => {
  it('lets a recommender see and decide the enterprises of its own unit only', () => {
    const rec = user('recommender', { unitId: 3 });
    expect(canSeeEnterprise(rec, { id: 9, defaultUnitId: 3 })).toBe(true);
    expect(canSeeEnterprise(rec, { id: 9, defaultUnitId: 4 })).toBe(false);
    expect(canDecideEnterprise(rec, { defaultUnitId: 3 })).toBe(true);
    expect(canDecideEnterprise(user('enterprise', { enterpriseId: 9 }), { defaultUnitId: 3 })).toBe(false);
    expect(canSeeUnit(rec, { id: 4 })).toBe(false);
    expect(canSeeUnit(user('enterprise', { enterpriseId: 9 }), { id: 4 })).toBe(true);
  });

  it('shows an expert itself only, and refuses a recommender registering for another unit', () => {
    expect(canSeeExpert(user('expert', { expertId: 5 }), { id: 5 })).toBe(true);
    expect(canSeeExpert(user('expert', { expertId: 5 }), { id: 6 })).toBe(false);
    expect(registrationFor(user('recommender', { unitId: 3 }), 4)).toEqual({ refused: 'unit_not_own' });
    expect(registrationFor(user('recommender'), undefined)).toEqual({ refused: 'forbidden' });
    expect(registrationFor(user('recommender', { unitId: 3 }), undefined)).toEqual({ pendingUnder: 3 });
    expect(registrationFor(user('organizer'), 4)).toBeNull();
  });
});

describe('expertise rules', () => {
  it('applies an organizer\'s profile change at once and makes an expert\'s own change a proposal', () => {
    expect(profileEditMode(user('organizer'))).toBe('apply');
    expect(profileEditMode(user('expert', { expertId: 5 }))).toBe('propose');
    expect(profileEditMode(user('expert'))).toBeNull();
    expect(profileEditMode(user('enterprise', { enterpriseId: 9 }))).toBeNull();
  });
});

describe('session and results rules', () => {
  it('gives the sign-off to the panel leader: another member 403, anyone else 404, organizers the status', () => {
    const facts = { leaderExpertId: 7, member: false };
    expect(signOffRefusal(user('expert', { expertId: 7 }), facts, 'sign')).toBeNull();
    expect(signOffRefusal(user('expert', { expertId: 8 }), { ...facts, member: true }, 'sign')).toBe(403);
    expect(signOffRefusal(user('expert', { expertId: 8 }), facts, 'status')).toBe(404);
    expect(signOffRefusal(user('organizer'), facts, 'status')).toBeNull();
    expect(signOffRefusal(user('organizer'), facts, 'sign')).toBe(404);
  });

  it('makes results public from the notice on, and unit certificates its own', () => {
    expect(resultsArePublic({ phase: 'notice' })).toBe(true);
    expect(resultsArePublic({ phase: 'finalizing' })).toBe(false);
    expect(snapshotIsPublic({ status: 'frozen' }, { phase: 'notice' }, true)).toBe(true);
    expect(snapshotIsPublic({ status: 'frozen' }, { phase: 'published' }, true)).toBe(false);
    expect(snapshotIsPublic({ status: 'computed' }, { phase: 'notice' }, false)).toBe(false);
    expect(canGetUnitCertificate(user('recommender', { unitId: 3 }), 3)).toBe(true);
    expect(canGetUnitCertificate(user('recommender', { unitId: 3 }), 4)).toBe(false);
  });
});

describe('report rules', () => {
  it('gives organizers the full statistics at any time, everyone else the public subset once published', () => {
    expect(canManageReport(user('organizer'))).toBe(true);
    expect(canManageReport(user('recommender', { unitId: 3 }))).toBe(false);
    for (const phase of ['draft', 'review', 'finalizing', 'notice', 'published']) expect(statisticsScope(user('organizer'), { phase })).toBe('full');
    for (const who of [undefined, user('enterprise', { enterpriseId: 9 }), user('expert', { expertId: 5 })]) {
      expect(statisticsScope(who, { phase: 'notice' })).toBeNull();
      expect(statisticsScope(who, { phase: 'published' })).toBe('public');
      expect(statisticsScope(who, { phase: 'archived' })).toBe('public');
    }
  });
});
