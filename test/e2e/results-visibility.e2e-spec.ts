import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setPhase } from '../factories/contests.js';
import { computeResults, freezeResults, resultsContest, type ResultsScenario } from '../factories/results.js';
import { createTestApp, expectErrorBody, TEST_DB, type TestApp } from '../support/test-app.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
type Method = 'get' | 'post';

describe(`results visibility: nobody but organizers before the notice (${TEST_DB})`, () => {
  let t: TestApp;
  let s: ResultsScenario;
  let roles: Record<'admin' | 'expert' | 'enterprise' | 'recommender', string>;
  let organizerRoutes: [Method, string, object?][];
  let publicPath: string;

  beforeAll(async () => {
    t = await createTestApp();
    s = await resultsContest(t, 'finalizing', { entries: 3, experts: 3, units: 2, rules: { showScoresPublicly: false } });
    await computeResults(t, s);
    // The expert is on the panel and scored every entry; the enterprise and the unit own entries of the contest.
    roles = { admin: s.admin, expert: s.experts[1]!.token, enterprise: s.enterprises[0]!.token, recommender: s.units[0]!.token };
    const c = `/api/contests/${s.contest.id}`;
    const e0 = s.entries[0]!.id;
    organizerRoutes = [
      ['post', `${c}/results/compute`, {}],
      ['get', `${c}/results`],
      ['post', `${c}/results/adjustments`, { entryId: e0, level: 'first', reason: '越权调整' }],
      ['post', `${c}/results/freeze`],
      ['get', `${c}/results/quality`],
      ['post', `${c}/results/verify`],
      ['post', `${c}/results/republish`, { reason: '越权发布' }],
      ['get', `${c}/objections`],
      ['post', '/api/objections/1/answer', { answer: '越权答复' }],
    ];
    publicPath = `/api/public/contests/${s.contest.id}/results`;
  }, 120_000);
  afterAll(() => t.close());

  const call = (method: Method, path: string, body?: object, token?: string) => {
    const req = t.http()[method](path);
    if (token) req.set(auth(token));
    return method === 'post' ? req.send(body ?? {}) : req;
  };

  it('lets the organizer see the results', async () => {
    const res = await call('get', `/api/contests/${s.contest.id}/results`, undefined, s.organizer).expect(200);
    expect(res.body.ranking.items).toHaveLength(3);
    expectErrorBody((await call('get', '/api/contests/99999999/results', undefined, s.organizer).expect(404)).body, 404, 'not_found');
  });

  it('refuses every results route to admin, expert, enterprise and recommender (403) and to anonymous callers (401), with the error body only', async () => {
    for (const [method, path, body] of organizerRoutes) {
      for (const [role, token] of Object.entries(roles)) {
        const res = await call(method, path, body, token);
        if (res.status !== 403) throw new Error(`${role} ${method.toUpperCase()} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
        expectErrorBody(res.body, 403, 'forbidden');
        expect(Object.keys(res.body).sort()).toEqual(['code', 'message', 'requestId', 'statusCode']);
      }
      expectErrorBody((await call(method, path, body)).body, 401, 'unauthenticated');
      expectErrorBody((await call(method, path, body, 'not-a-token')).body, 401, 'token_invalid');
    }
  });

  it('shows no public list before the notice, to anyone', async () => {
    for (const token of [undefined, s.organizer, ...Object.values(roles)]) {
      const res = await call('get', publicPath, undefined, token).expect(404);
      expectErrorBody(res.body, 404, 'not_found');
      expectErrorBody((await call('get', `${publicPath}?version=1`, undefined, token).expect(404)).body, 404, 'not_found');
      const obj = await call('post', `/api/public/contests/${s.contest.id}/objections`, { entryId: s.entries[0]!.id, name: '张三', contact: '1', content: '异议' }, token).expect(404);
      expectErrorBody(obj.body, 404, 'not_found');
    }
    const list = await call('get', '/api/public/contests').expect(200);
    expect(list.body.items.map((x: { id: number }) => x.id)).not.toContain(s.contest.id);
  });

  it('wrote nothing on the refused calls', async () => {
    const res = await call('get', `/api/contests/${s.contest.id}/results`, undefined, s.organizer).expect(200);
    expect(res.body.snapshot).toMatchObject({ version: 1, status: 'computed' });
    expect(res.body.adjustments).toEqual([]);
    const audit = await call('get', '/api/audit?action=results.adjust', undefined, s.organizer).expect(200);
    expect(audit.body.total).toBe(0);
    expect((await call('get', `/api/contests/${s.contest.id}/objections`, undefined, s.organizer).expect(200)).body.total).toBe(0);
  });

  it('after the notice opens, the public routes work without login and show exactly the notice list', async () => {
    await freezeResults(t, s);
    await setPhase(t, s.organizer, s.contest.id, 'notice');
    const anonymous = await call('get', publicPath).expect(200);
    expect(anonymous.body).toMatchObject({ status: 'notice', version: 1 });
    expect(Object.keys(anonymous.body).sort()).toEqual(['contest', 'excellentUnits', 'hash', 'levels', 'listHash', 'noticeEndsAt', 'publishedAt', 'status', 'version']);
    const entries = Object.values(anonymous.body.levels as Record<string, Record<string, unknown>[]>).flat();
    expect(entries).toHaveLength(3);
    for (const e of entries) {
      expect(Object.keys(e).sort()).toEqual(['enterpriseName', 'entryId', 'level', 'score', 'seq', 'teamName', 'title', 'trackName', 'unitName']);
      expect(e.score).toBeNull();
    }
    // Logged-in callers get the very same list (the route ignores who asks).
    for (const token of [s.organizer, ...Object.values(roles)]) {
      const res = await call('get', publicPath, undefined, token).expect(200);
      expect(res.body).toEqual(anonymous.body);
    }
    const list = await call('get', '/api/public/contests?pageSize=200').expect(200);
    expect(list.body.items.find((x: { id: number }) => x.id === s.contest.id)).toMatchObject({ phase: 'notice' });
    // Organizer routes stay closed to the others.
    for (const [method, path, body] of organizerRoutes) {
      for (const token of Object.values(roles)) expectErrorBody((await call(method, path, body, token).expect(403)).body, 403, 'forbidden');
    }
    // Objections: anyone, without logging in.
    const filed = await call('post', `/api/public/contests/${s.contest.id}/objections`, { entryId: s.entries[2]!.id, name: '某企业 质量部', contact: 'qa@example.com', content: '对评分有疑问 🧐' }).expect(201);
    expect(filed.body).toMatchObject({ status: 'open' });
  });
});
