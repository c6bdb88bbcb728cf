import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { closeSubmissions, createContest, createTrack, setPhase } from '../factories/contests.js';
import { ADMIN, createTestApp, createUser, expectErrorBody, login, TEST_DB, type TestApp } from '../support/test-app.js';

describe(`contests (${TEST_DB})`, () => {
  let t: TestApp;
  let admin: string;
  let org: string;
  const others: Record<string, string> = {};
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await createTestApp();
    admin = await login(t, ADMIN.username, ADMIN.password);
    org = (await createUser(t, admin, { username: 'organizer1', role: 'organizer' })).token;
    for (const role of ['recommender', 'enterprise', 'expert']) others[role] = (await createUser(t, admin, { username: `c-${role}`, role })).token;
  });
  afterAll(() => t.close());

  it('creates a draft contest with the default rules and the four default rubrics', async () => {
    const c = await createContest(t, org, { name: '2020年滨海新区质量攻关活动 🏅', theme: '建设质量强国 决胜全面小康' });
    expect(c).toMatchObject({ name: '2020年滨海新区质量攻关活动 🏅', phase: 'draft', rulesVersion: 1 });
    expect(c.rules).toMatchObject({
      stageWeights: { material: 60, presentation: 40 },
      quotas: { mode: 'count', scope: 'overall', counts: { first: 14, second: 26, third: 32, excellence: 45 } },
      excellentUnits: { topN: 5 },
    });
    expect(c.rubrics).toHaveLength(4);
    const ps = c.rubrics!.find((r) => r.entryType === 'problem_solving' && r.stage === 'material')!;
    expect(ps.items.map((i) => [i.key, i.max])).toEqual([['topic', 15], ['cause_analysis', 30], ['countermeasures', 20], ['effect', 20], ['report', 5], ['features', 10]]);
    const inn = c.rubrics!.find((r) => r.entryType === 'innovation' && r.stage === 'material')!;
    expect(inn.items.reduce((s, i) => s + i.max, 0)).toBe(100);
    const got = await t.http().get(`/api/contests/${c.id}`).set(auth(org)).expect(200);
    expect(got.body.name).toBe('2020年滨海新区质量攻关活动 🏅');
  });

  it('merges partial rules and refuses invalid ones with field codes, writing nothing', async () => {
    const ok = await createContest(t, org, { rules: { stageWeights: { material: 70, presentation: 30 }, quotas: { mode: 'ratio', scope: 'per_track', ratios: { first: 100, second: 200, third: 300, excellence: 300 } } } });
    expect(ok.rules).toMatchObject({ stageWeights: { material: 70, presentation: 30 }, quotas: { mode: 'ratio', scope: 'per_track' }, boundaryTiePolicy: 'include_all' });
    const before = (await t.http().get('/api/contests?pageSize=200').set(auth(org))).body.total;
    const bad = await t.http().post('/api/contests').set(auth(org)).send({
      name: 'x', year: 2020,
      rules: { stageWeights: { material: 70, presentation: 20 }, bogus: 1, aggregation: { method: 'max' } },
      submissionOpensAt: '2026-03-01T00:00:00Z', submissionClosesAt: '2026-02-01T00:00:00Z',
    }).expect(400);
    expectErrorBody(bad.body, 400, 'validation_failed');
    const codes = Object.fromEntries(bad.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]));
    expect(codes).toEqual({
      'rules.bogus': 'unknown_field',
      'rules.stageWeights': 'weights_not_100',
      'rules.aggregation': 'invalid',
      submissionClosesAt: 'ends_before_start',
    });
    expect((await t.http().get('/api/contests?pageSize=200').set(auth(org))).body.total).toBe(before);
    const unknownTop = await t.http().post('/api/contests').set(auth(org)).send({ name: 'x', year: 2020, colour: 'red' }).expect(400);
    expect(unknownTop.body.errors[0]).toMatchObject({ field: 'colour', code: 'unknown_field' });
    const badYear = await t.http().post('/api/contests').set(auth(org)).send({ name: 'x', year: 'twenty' }).expect(400);
    expect(badYear.body.errors[0]).toMatchObject({ field: 'year', code: 'is_int' });
  });

  it('moves phases only forward, one step at a time, reporting every blocker', async () => {
    const c = await createContest(t, org, { submissionOpensAt: undefined, submissionClosesAt: undefined });
    const skip = await t.http().post(`/api/contests/${c.id}/phase`).set(auth(org)).send({ to: 'review' }).expect(409);
    expectErrorBody(skip.body, 409, 'phase_blocked');
    expect(skip.body.details.blockers.map((b: { code: string }) => b.code)).toEqual(['transition_not_allowed']);

    const status = await t.http().get(`/api/contests/${c.id}/phase`).set(auth(org)).expect(200);
    expect(status.body).toMatchObject({ phase: 'draft', next: 'open', ready: false });
    expect(status.body.blockers.map((b: { code: string }) => b.code)).toEqual(['submission_window_not_set']);

    await t.http().patch(`/api/contests/${c.id}`).set(auth(org)).send({ submissionOpensAt: new Date(Date.now() - 1000).toISOString(), submissionClosesAt: new Date(Date.now() + 86400_000).toISOString() }).expect(200);
    const opened = await setPhase(t, org, c.id, 'open');
    expect(opened.phase).toBe('open');

    const early = await t.http().post(`/api/contests/${c.id}/phase`).set(auth(org)).send({ to: 'review' }).expect(409);
    expect(early.body.details.blockers.map((b: { code: string }) => b.code).sort()).toEqual(['no_recommended_entries', 'submission_deadline_not_reached']);
    await closeSubmissions(t, org, c.id);
    const still = await t.http().post(`/api/contests/${c.id}/phase`).set(auth(org)).send({ to: 'review' }).expect(409);
    expect(still.body.details.blockers.map((b: { code: string }) => b.code)).toEqual(['no_recommended_entries']);

    const back = await t.http().post(`/api/contests/${c.id}/phase`).set(auth(org)).send({ to: 'draft' }).expect(409);
    expect(back.body.details.blockers[0].code).toBe('transition_not_allowed');
    const audit = await t.http().get(`/api/audit?targetType=contest&targetId=${c.id}&action=contest.phase`).set(auth(org)).expect(200);
    expect(audit.body.items[0]).toMatchObject({ before: { phase: 'draft' }, after: { phase: 'open' } });
  });

  it('refuses to open a contest whose deadline has passed', async () => {
    const c = await createContest(t, org, { submissionOpensAt: new Date(Date.now() - 86400_000).toISOString(), submissionClosesAt: new Date(Date.now() - 1000).toISOString() });
    const res = await t.http().post(`/api/contests/${c.id}/phase`).set(auth(org)).send({ to: 'open' }).expect(409);
    expect(res.body.details.blockers.map((b: { code: string }) => b.code)).toEqual(['submission_deadline_passed']);
  });

  it('versions rubrics, validates them, and freezes rules, rubrics and tracks from presentation on', async () => {
    const c = await createContest(t, org);
    const items = [
      { key: 'logic', title: '逻辑性', description: '前后连贯', max: 30.5 },
      { key: 'expression', title: '表达 🎤', max: 69.5 },
    ];
    const v2 = await t.http().put(`/api/contests/${c.id}/rubrics/problem_solving/presentation`).set(auth(org)).send({ items }).expect(200);
    expect(v2.body).toMatchObject({ version: 2, total: 100, items: [{ key: 'logic', max: 30.5 }, { key: 'expression', title: '表达 🎤', max: 69.5, description: '' }] });

    const dup = await t.http().put(`/api/contests/${c.id}/rubrics/problem_solving/presentation`).set(auth(org)).send({ items: [items[0], items[0]] }).expect(400);
    expect(dup.body.errors[0]).toMatchObject({ field: 'items.1.key', code: 'duplicate_key' });
    const not100 = await t.http().put(`/api/contests/${c.id}/rubrics/problem_solving/presentation`).set(auth(org)).send({ items: [{ key: 'a', title: 'A', max: 90 }] }).expect(400);
    expect(not100.body.errors[0]).toMatchObject({ field: 'items', code: 'rubric_total_not_100' });
    const decimals = await t.http().put(`/api/contests/${c.id}/rubrics/problem_solving/presentation`).set(auth(org)).send({ items: [{ key: 'a', title: 'A', max: 1.25 }] }).expect(400);
    expect(decimals.body.errors[0]).toMatchObject({ field: 'items.0.max', code: 'is_number' });
    await t.http().put(`/api/contests/${c.id}/rubrics/teamwork/presentation`).set(auth(org)).send({ items }).expect(400);
    const current = await t.http().get(`/api/contests/${c.id}`).set(auth(org)).expect(200);
    expect(current.body.rubrics.find((r: { entryType: string; stage: string }) => r.entryType === 'problem_solving' && r.stage === 'presentation').version).toBe(2);

    const track = await createTrack(t, org, c.id, { name: '制造类·问题解决型', industry: '制造', entryType: 'problem_solving' });
    expect(track).toMatchObject({ name: '制造类·问题解决型', industry: '制造', entryType: 'problem_solving' });
    const dupTrack = await t.http().post(`/api/contests/${c.id}/tracks`).set(auth(org)).send({ name: '制造类·问题解决型' }).expect(409);
    expectErrorBody(dupTrack.body, 409, 'track_name_taken');

    await t.dataSource.query(`UPDATE contests SET phase = 'presentation' WHERE id = ${c.id}`);
    expectErrorBody((await t.http().put(`/api/contests/${c.id}/rubrics/problem_solving/presentation`).set(auth(org)).send({ items }).expect(409)).body, 409, 'rules_frozen');
    expectErrorBody((await t.http().patch(`/api/contests/${c.id}`).set(auth(org)).send({ rules: { showScoresPublicly: true } }).expect(409)).body, 409, 'rules_frozen');
    await t.http().post(`/api/contests/${c.id}/tracks`).set(auth(org)).send({ name: '服务类' }).expect(409);
    await t.http().patch(`/api/contests/${c.id}`).set(auth(org)).send({ name: '改名 ✅' }).expect(200);
  });

  it('shows drafts only to organizers (not even the admin); others see contests once open', async () => {
    const draft = await createContest(t, org, { name: '草稿评比' });
    const readers: Record<string, string> = { ...others, admin };
    for (const role of ['recommender', 'enterprise', 'expert', 'admin']) {
      expectErrorBody((await t.http().get(`/api/contests/${draft.id}`).set(auth(readers[role])).expect(404)).body, 404, 'not_found');
      const list = await t.http().get('/api/contests?pageSize=200').set(auth(readers[role])).expect(200);
      expect(list.body.items.map((c: { id: number }) => c.id)).not.toContain(draft.id);
      expectErrorBody((await t.http().get(`/api/contests/${draft.id}/tracks`).set(auth(readers[role])).expect(404)).body, 404, 'not_found');
    }
    const own = await t.http().get(`/api/contests/${draft.id}`).set(auth(org)).expect(200);
    expect(own.body).toMatchObject({ id: draft.id, phase: 'draft' });
    expect((await t.http().get('/api/contests?pageSize=200').set(auth(org)).expect(200)).body.items.map((c: { id: number }) => c.id)).toContain(draft.id);
    await setPhase(t, org, draft.id, 'open');
    for (const role of ['recommender', 'enterprise', 'expert', 'admin']) {
      const got = await t.http().get(`/api/contests/${draft.id}`).set(auth(readers[role])).expect(200);
      expect(got.body.phase).toBe('open');
    }
  });

  it('refuses every write to non-organizers (403) and anonymous callers (401)', async () => {
    const c = await createContest(t, org);
    const writes: [string, string, object][] = [
      ['post', '/api/contests', { name: 'x', year: 2020 }],
      ['patch', `/api/contests/${c.id}`, { name: 'y' }],
      ['put', `/api/contests/${c.id}/rubrics/innovation/material`, { items: [{ key: 'a', title: 'A', max: 10 }] }],
      ['post', `/api/contests/${c.id}/phase`, { to: 'open' }],
      ['post', `/api/contests/${c.id}/tracks`, { name: 'z' }],
      ['get', `/api/contests/${c.id}/phase`, {}],
    ];
    for (const token of [others.recommender, others.enterprise, others.expert, admin]) {
      for (const [method, url, body] of writes) {
        const res = await (t.http() as unknown as Record<string, (u: string) => import('supertest').Test>)[method](url).set(auth(token)).send(body);
        expect([method, url, res.status]).toEqual([method, url, 403]);
        expectErrorBody(res.body, 403, 'forbidden');
      }
    }
    for (const [method, url, body] of writes) {
      const res = await (t.http() as unknown as Record<string, (u: string) => import('supertest').Test>)[method](url).send(body);
      expect(res.status).toBe(401);
    }
    await t.http().get('/api/contests').expect(401);
    const after = await t.http().get(`/api/contests/${c.id}`).set(auth(org)).expect(200);
    expect(after.body).toMatchObject({ phase: 'draft', rulesVersion: 1, name: c.name });
  });
});
