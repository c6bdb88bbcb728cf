import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { buildScoringScenario, type ScoringScenario } from '../factories/scenario.js';
import { createTestApp, TEST_DB, type TestApp } from '../support/test-app.js';

// Building a contest through the API takes seconds on a busy machine (the config's testTimeout is not applied per project).
jest.setTimeout(120_000);

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describe(`scoring scenario factory (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const check = async (s: ScoringScenario, sizes: { entries: number; experts: number; absent: number; conflicts: number }) => {
    expect(s.entries).toHaveLength(sizes.entries);
    expect(s.experts).toHaveLength(sizes.experts);
    expect(s.absentEntryIds).toEqual(s.entries.slice(sizes.entries - sizes.absent).map((e) => e.id));
    expect(s.conflicts).toHaveLength(sizes.conflicts);
    const org = auth(s.organizer);
    expect((await t.http().get(`/api/contests/${s.contest.id}`).set(org).expect(200)).body.phase).toBe('presentation');

    for (const e of s.entries) {
      const entry = (await t.http().get(`/api/entries/${e.id}`).set(org).expect(200)).body;
      expect(entry).toMatchObject({ trackId: s.track.id, enterpriseId: e.enterpriseId, unitId: e.unitId, entryType: e.entryType, status: s.absentEntryIds.includes(e.id) ? 'absent' : 'presented' });
      const own = s.enterprises.find((x) => x.id === e.enterpriseId)!;
      await t.http().get(`/api/entries/${e.id}/schedule`).set(auth(own.token)).expect(200);
    }

    const panels = (await t.http().get(`/api/contests/${s.contest.id}/panels`).set(org).expect(200)).body.items;
    expect(panels).toHaveLength(1);
    expect(panels[0]).toMatchObject({ id: s.panel.id, trackId: s.track.id, leaderExpertId: s.experts[0]!.id });
    expect(panels[0].members.map((m: { id: number }) => m.id)).toEqual(s.experts.map((x) => x.id).sort((a, b) => a - b));

    const assignments = (await t.http().get(`/api/contests/${s.contest.id}/assignments?pageSize=200`).set(org).expect(200)).body;
    expect(assignments.total).toBe(sizes.entries * sizes.experts - sizes.conflicts);
    const pairs = new Set(assignments.items.map((a: { expertId: number; entryId: number }) => `${a.expertId}:${a.entryId}`));
    for (const c of s.conflicts) expect(pairs.has(`${c.expertId}:${c.entryId}`)).toBe(false);

    const conflicts = (await t.http().get(`/api/contests/${s.contest.id}/conflicts`).set(org).expect(200)).body.items;
    expect(conflicts.map((c: { expertId: number; entryId: number; source: string }) => ({ expertId: c.expertId, entryId: c.entryId, source: c.source })))
      .toEqual(s.conflicts.map((c) => ({ ...c, source: 'employer_enterprise' })).sort((a, b) => a.entryId - b.entryId || a.expertId - b.expertId));

    const draw = (await t.http().get(`/api/public/sessions/${s.session.id}/draw`).expect(200)).body;
    expect([...draw.order].sort((a: number, b: number) => a - b)).toEqual(s.entries.map((e) => e.id).sort((a, b) => a - b));

    for (const x of s.experts) {
      const me = (await t.http().get('/api/auth/me').set(auth(x.token)).expect(200)).body;
      expect(me).toMatchObject({ id: x.userId, role: 'expert', expertId: x.id });
    }
    for (const u of s.units) expect((await t.http().get('/api/auth/me').set(auth(u.token)).expect(200)).body).toMatchObject({ role: 'recommender', unitId: u.id });
  };

  it('builds the default scenario: 4 entries, 5 experts, 1 absent, 1 conflict, contest in presentation', async () => {
    await check(await buildScoringScenario(t), { entries: 4, experts: 5, absent: 1, conflicts: 1 });
  });

  it('builds a scenario of other sizes in the same app', async () => {
    await check(await buildScoringScenario(t, { entries: 6, experts: 4, absent: 2, conflicts: 3 }), { entries: 6, experts: 4, absent: 2, conflicts: 3 });
  });
});
