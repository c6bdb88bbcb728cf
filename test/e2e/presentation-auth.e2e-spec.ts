import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { commitSeed } from '../../src/judging/order-draw.js';
import { createExpert } from '../factories/organisations.js';
import { buildScoringScenario, type ScoringScenario } from '../factories/scenario.js';
import { createTestApp, expectErrorBody, TEST_DB, type TestApp } from '../support/test-app.js';

// Building a contest through the API takes seconds on a busy machine (the config's testTimeout is not applied per project).
jest.setTimeout(120_000);

type Method = 'get' | 'post' | 'patch' | 'delete';
interface Route {
  name: string;
  method: Method;
  path: string;
  body?: object;
}
type Who = 'organizer' | 'admin' | 'panelExpert' | 'otherExpert' | 'ownEnterprise' | 'foreignEnterprise' | 'recommender' | 'anonymous';
const WHO: Who[] = ['organizer', 'admin', 'panelExpert', 'otherExpert', 'ownEnterprise', 'foreignEnterprise', 'recommender', 'anonymous'];

describe(`presentation authorisation matrix (${TEST_DB})`, () => {
  let t: TestApp;
  let s: ScoringScenario;
  let tokens: Record<Exclude<Who, 'anonymous'>, string>;
  let entryId: number;
  let assignmentId: number;

  const call = (r: Route, who: Who) => {
    const req = t.http()[r.method](`/api${r.path}`);
    if (who !== 'anonymous') req.set('authorization', `Bearer ${tokens[who]}`);
    return r.body ? req.send(r.body) : req;
  };

  /** The state every refused request must leave untouched. */
  const snapshot = async () => {
    const out: Record<string, unknown> = {};
    for (const table of ['panels', 'panel_members', 'assignments', 'declared_conflicts', 'presentation_sessions', 'session_slots']) {
      out[table] = Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
    }
    out.slots = (await t.dataSource.query('SELECT entry_id, position, attendance FROM session_slots ORDER BY entry_id')).map((r: Record<string, unknown>) => [Number(r.entry_id), r.position === null ? null : Number(r.position), r.attendance]);
    out.entries = (await t.dataSource.query('SELECT id, track_id, status, version FROM entries ORDER BY id')).map((r: Record<string, unknown>) => [Number(r.id), Number(r.track_id), r.status, Number(r.version)]);
    out.sessions = (await t.dataSource.query('SELECT id, seed_commitment, seed FROM presentation_sessions ORDER BY id')).map((r: Record<string, unknown>) => [Number(r.id), r.seed_commitment, r.seed]);
    out.panelNames = (await t.dataSource.query('SELECT name, leader_expert_id FROM panels ORDER BY id')).map((r: Record<string, unknown>) => [r.name, Number(r.leader_expert_id)]);
    return out;
  };

  beforeAll(async () => {
    t = await createTestApp();
    s = await buildScoringScenario(t);
    const outsider = await createExpert(t, s.organizer);
    entryId = s.entries[1]!.id;
    const own = s.enterprises.find((x) => x.id === s.entries[1]!.enterpriseId)!;
    const foreign = s.enterprises.find((x) => x.id !== s.entries[1]!.enterpriseId)!;
    tokens = {
      organizer: s.organizer,
      admin: s.admin,
      panelExpert: s.experts[0]!.token,
      otherExpert: outsider.account.token,
      ownEnterprise: own.token,
      foreignEnterprise: foreign.token,
      recommender: s.units[0]!.token,
    };
    const list = await t.http().get(`/api/contests/${s.contest.id}/assignments?expertId=${s.experts[0]!.id}`).set('authorization', `Bearer ${s.organizer}`).expect(200);
    assignmentId = list.body.items[0].id;
  });
  afterAll(() => t.close());

  const organizerOnly = (): Route[] => {
    const c = s.contest.id;
    const sid = s.session.id;
    const e = s.entries;
    return [
      { name: 'place tracks', method: 'post', path: `/contests/${c}/tracks/place` },
      { name: 'set track', method: 'patch', path: `/entries/${entryId}/track`, body: { trackId: s.track.id } },
      { name: 'create panel', method: 'post', path: `/contests/${c}/panels`, body: { trackId: s.track.id, name: '越权评审组', leaderExpertId: s.experts[1]!.id, memberExpertIds: [] } },
      { name: 'list panels', method: 'get', path: `/contests/${c}/panels` },
      { name: 'update panel', method: 'patch', path: `/panels/${s.panel.id}`, body: { name: '越权改名' } },
      { name: 'default assignment', method: 'post', path: `/panels/${s.panel.id}/assignments/default` },
      { name: 'auto assignment', method: 'post', path: `/panels/${s.panel.id}/assignments/auto`, body: { minJudgesPerEntry: 1, maxLoadPerExpert: 1, seed: 's' } },
      { name: 'manual assignment', method: 'post', path: `/contests/${c}/assignments`, body: { expertId: s.experts[0]!.id, entryId } },
      { name: 'delete assignment', method: 'delete', path: `/assignments/${assignmentId}` },
      { name: 'list assignments', method: 'get', path: `/contests/${c}/assignments` },
      { name: 'assignment report', method: 'get', path: `/contests/${c}/assignments/report?min=3` },
      { name: 'organizer conflict', method: 'post', path: `/contests/${c}/conflicts`, body: { expertId: s.experts[0]!.id, entryId, reason: '越权' } },
      { name: 'list conflicts', method: 'get', path: `/contests/${c}/conflicts` },
      { name: 'create session', method: 'post', path: `/contests/${c}/sessions`, body: { trackId: s.track.id, panelId: s.panel.id, name: '越权场次', venue: '越权厅', startsAt: '2031-01-01T01:00:00Z', slotMinutes: 10, qaMinutes: 5 } },
      { name: 'list sessions', method: 'get', path: `/contests/${c}/sessions` },
      { name: 'commit', method: 'post', path: `/sessions/${sid}/commit`, body: { commitment: commitSeed('越权') } },
      { name: 'draw', method: 'post', path: `/sessions/${sid}/draw`, body: { seed: '越权' } },
      { name: 'swap', method: 'post', path: `/sessions/${sid}/swap`, body: { entryA: e[0]!.id, entryB: e[1]!.id, reason: '越权' } },
      { name: 'check-in', method: 'post', path: `/sessions/${sid}/check-in`, body: { entryId: e[0]!.id, attendance: 'absent' } },
    ];
  };

  it('refuses every organizer route to admins, experts, enterprises and recommenders (403) and to anonymous callers (401), changing nothing', async () => {
    const before = await snapshot();
    for (const r of organizerOnly()) {
      for (const who of WHO.filter((x) => x !== 'organizer')) {
        const res = await call(r, who);
        const status = who === 'anonymous' ? 401 : 403;
        if (res.status !== status) throw new Error(`${r.name} as ${who}: ${res.status} ${JSON.stringify(res.body)}`);
        expectErrorBody(res.body, status, who === 'anonymous' ? 'unauthenticated' : 'forbidden');
        expect(res.body.items).toBeUndefined();
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('lets the organizer read every organizer list', async () => {
    for (const r of organizerOnly().filter((x) => x.method === 'get')) {
      const res = await call(r, 'organizer');
      if (res.status !== 200) throw new Error(`${r.name}: ${res.status} ${JSON.stringify(res.body)}`);
    }
  });

  it('shows a session to the organizer and the experts of its panel only', async () => {
    const r: Route = { name: 'session', method: 'get', path: `/sessions/${s.session.id}` };
    const want: Record<Who, number> = { organizer: 200, panelExpert: 200, otherExpert: 404, admin: 403, ownEnterprise: 403, foreignEnterprise: 403, recommender: 403, anonymous: 401 };
    for (const who of WHO) {
      const res = await call(r, who);
      expect([who, res.status]).toEqual([who, want[who]]);
      if (want[who] === 200) expect(res.body.slots).toHaveLength(s.entries.length);
      else expect(res.body.slots).toBeUndefined();
    }
  });

  it("shows an entry's schedule to its own enterprise and the organizer only", async () => {
    const r: Route = { name: 'schedule', method: 'get', path: `/entries/${entryId}/schedule` };
    const want: Record<Who, number> = { organizer: 200, ownEnterprise: 200, foreignEnterprise: 404, admin: 403, panelExpert: 403, otherExpert: 403, recommender: 403, anonymous: 401 };
    for (const who of WHO) {
      const res = await call(r, who);
      expect([who, res.status]).toEqual([who, want[who]]);
      if (want[who] === 200) expect(res.body).toMatchObject({ entryId, session: { id: s.session.id } });
      else expect(res.body.session).toBeUndefined();
    }
  });

  it("serves an expert's own schedule and assignments to experts only; each sees only its own", async () => {
    for (const path of ['/experts/me/schedule', '/experts/me/assignments', '/experts/me/tasks']) {
      const r: Route = { name: path, method: 'get', path };
      for (const who of WHO) {
        const res = await call(r, who);
        const want = who === 'panelExpert' || who === 'otherExpert' ? 200 : who === 'anonymous' ? 401 : 403;
        expect([who, path, res.status]).toEqual([who, path, want]);
        if (want !== 200) expect(res.body.items).toBeUndefined();
      }
    }
    for (const x of s.experts) {
      const mine = await t.http().get('/api/experts/me/assignments').set('authorization', `Bearer ${x.token}`).expect(200);
      const all = await t.http().get(`/api/contests/${s.contest.id}/assignments?expertId=${x.id}`).set('authorization', `Bearer ${s.organizer}`).expect(200);
      expect(mine.body.items.map((a: { assignmentId: number }) => a.assignmentId).sort()).toEqual(all.body.items.map((a: { id: number }) => a.id).sort());
    }
    const outsider = await call({ name: 'x', method: 'get', path: '/experts/me/assignments' }, 'otherExpert');
    expect(outsider.body.items).toEqual([]);
  });

  it('publishes the draw to anyone, logged in or not', async () => {
    for (const who of WHO) {
      const res = await call({ name: 'public draw', method: 'get', path: `/public/sessions/${s.session.id}/draw` }, who);
      expect([who, res.status]).toEqual([who, 200]);
      expect(res.body.order).toHaveLength(s.entries.length);
    }
  });

  it('lets only an expert of the panel declare a conflict for an entry of its track', async () => {
    const before = await snapshot();
    const r: Route = { name: 'declare', method: 'post', path: `/entries/${entryId}/conflicts`, body: { reason: '与该企业负责人为亲属' } };
    const refused: Partial<Record<Who, number>> = { otherExpert: 404, organizer: 403, admin: 403, ownEnterprise: 403, foreignEnterprise: 403, recommender: 403, anonymous: 401 };
    for (const [who, status] of Object.entries(refused) as [Who, number][]) {
      const res = await call(r, who);
      expect([who, res.status]).toEqual([who, status]);
      expectErrorBody(res.body, status, status === 404 ? 'not_found' : status === 401 ? 'unauthenticated' : 'forbidden');
    }
    expect(await snapshot()).toEqual(before);
    const ok = await call(r, 'panelExpert');
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ expertId: s.experts[0]!.id, entryId, source: 'declared_by_expert' });
  });
});
