// Additions to the API for the organizer's desk (web/screens/org-*.js): the next phase's conditions as a checklist.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { closeSubmissions } from '../factories/contests.js';
import { createIntakeWorld, submittedRecommendedEntry, type IntakeWorld } from '../factories/entries.js';
import { createTestApp, TEST_DB, type TestApp } from '../support/test-app.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describe(`organizer desk API (${TEST_DB})`, () => {
  let t: TestApp;
  let w: IntakeWorld;

  beforeAll(async () => {
    t = await createTestApp();
    w = await createIntakeWorld(t);
  });
  afterAll(async () => { await t?.close(); });

  it('GET /contests/:id/phase lists the conditions of the next phase, met or not, with the blockers\' explanation', async () => {
    const phase = async () => (await t.http().get(`/api/contests/${w.contest.id}/phase`).set(auth(w.organizer)).expect(200)).body;
    const before = await phase();
    expect(before).toMatchObject({ phase: 'open', next: 'review', ready: false });
    expect(before.blockers.map((b: { code: string }) => b.code).sort()).toEqual(['no_recommended_entries', 'submission_deadline_not_reached']);
    expect(before.conditions).toEqual([
      { key: 'deadline_reached', label: '申报截止时间已到', met: false, message: '申报截止时间未到，不能进入材料初审', count: null },
      { key: 'recommended_entries', label: '有经推荐单位推荐的成果', met: false, message: '没有经推荐单位推荐的成果', count: 0 },
    ]);

    await submittedRecommendedEntry(t, w.a.owner.token, w.a.recommender.token, w.contest.id);
    await closeSubmissions(t, w.organizer, w.contest.id);
    const after = await phase();
    expect(after).toMatchObject({ phase: 'open', next: 'review', ready: true, blockers: [] });
    expect(after.conditions.map((c: { key: string; met: boolean }) => [c.key, c.met])).toEqual([['deadline_reached', true], ['recommended_entries', true]]);

    // Still organizers only.
    await t.http().get(`/api/contests/${w.contest.id}/phase`).set(auth(w.a.owner.token)).expect(403);
  });
});
