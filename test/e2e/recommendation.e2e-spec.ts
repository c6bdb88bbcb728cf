import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { closeSubmissions, openContest, setPhase } from '../factories/contests.js';
import {
  createEntry, createIntakeWorld, recommendEntry, submitEntry, submittedRecommendedEntry, uploadReport, type EntryOut, type IntakeWorld,
} from '../factories/entries.js';
import { createTestApp, expectErrorBody, TEST_DB, type TestApp } from '../support/test-app.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describe(`recommendation (${TEST_DB})`, () => {
  let t: TestApp;
  let w: IntakeWorld;

  const submitted = async (token: string, contestId: number): Promise<EntryOut> => {
    const e = await createEntry(t, token, contestId);
    await uploadReport(t, token, e.id);
    return submitEntry(t, token, e.id);
  };
  const statusOf = async (id: number) => String((await t.dataSource.query(`SELECT status FROM entries WHERE id = ${id}`))[0].status);
  const eventCount = async (id: number) => Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM entry_events WHERE entry_id = ${id}`))[0].n);

  beforeAll(async () => {
    t = await createTestApp();
    w = await createIntakeWorld(t);
  });
  afterAll(() => t.close());

  it('the unit lists the submitted entries naming it and recommends one', async () => {
    const e = await submitted(w.a.owner.token, w.contest.id);
    const draft = await createEntry(t, w.a.owner.token, w.contest.id);
    const list = await t.http().get(`/api/entries?contestId=${w.contest.id}&status=submitted`).set(auth(w.a.recommender.token)).expect(200);
    expect(list.body.items.map((x: EntryOut) => x.id)).toContain(e.id);
    expect(list.body.items.map((x: EntryOut) => x.id)).not.toContain(draft.id);

    const res = await t.http().post(`/api/entries/${e.id}/recommend`).set(auth(w.a.recommender.token)).expect(200);
    expect(res.body).toMatchObject({ id: e.id, status: 'recommended', unitId: w.a.unit.id });
    // Once only.
    expectErrorBody((await t.http().post(`/api/entries/${e.id}/recommend`).set(auth(w.a.recommender.token)).expect(409)).body, 409, 'entry_not_recommendable');
    expectErrorBody((await t.http().post(`/api/entries/${e.id}/decline`).set(auth(w.a.recommender.token)).send({ reason: '改主意' }).expect(409)).body, 409, 'entry_not_recommendable');
    expect(await eventCount(e.id)).toBe(3);
    const audit = await t.http().get(`/api/audit?action=entry.recommend&targetId=${e.id}`).set(auth(w.organizer)).expect(200);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({ actorRole: 'recommender', before: { status: 'submitted' }, after: { status: 'recommended' } });
  });

  it('declines with a reason (Chinese + emoji) that the enterprise reads in the timeline', async () => {
    const e = await submitted(w.a.owner.token, w.contest.id);
    const reason = '材料不全：缺少效益证明 📎，请补充后明年再报';
    const res = await t.http().post(`/api/entries/${e.id}/decline`).set(auth(w.a.recommender.token)).send({ reason }).expect(200);
    expect(res.body).toMatchObject({ id: e.id, status: 'declined' });
    const events = await t.http().get(`/api/entries/${e.id}/events`).set(auth(w.a.owner.token)).expect(200);
    expect(events.body.items.at(-1)).toMatchObject({ fromStatus: 'submitted', toStatus: 'declined', actorRole: 'recommender', reason });
    const audit = await t.http().get(`/api/audit?action=entry.decline&targetId=${e.id}`).set(auth(w.organizer)).expect(200);
    expect(audit.body.items[0]).toMatchObject({ before: { status: 'submitted' }, after: { status: 'declined', reason } });
    // A declined entry goes no further.
    expectErrorBody((await t.http().post(`/api/entries/${e.id}/recommend`).set(auth(w.a.recommender.token)).expect(409)).body, 409, 'entry_not_recommendable');
    expectErrorBody((await t.http().post(`/api/entries/${e.id}/submit`).set(auth(w.a.owner.token)).expect(409)).body, 409, 'entry_not_submittable');
  });

  it('requires a reason of 1–500 characters to decline, and changes nothing otherwise', async () => {
    const e = await submitted(w.a.owner.token, w.contest.id);
    for (const body of [{}, { reason: '' }, { reason: '   ' }, { reason: '长'.repeat(501) }, { reason: 5 }, { reason: '好', extra: true }]) {
      const res = await t.http().post(`/api/entries/${e.id}/decline`).set(auth(w.a.recommender.token)).send(body).expect(400);
      expectErrorBody(res.body, 400, 'validation_failed');
      expect(res.body.errors.length).toBeGreaterThan(0);
    }
    expect(await statusOf(e.id)).toBe('submitted');
    expect(await eventCount(e.id)).toBe(2);
  });

  it('caps recommendations per unit and contest (409 unit_recommend_cap); declined and withdrawn ones free nothing or a slot', async () => {
    const c = await openContest(t, w.organizer, { rules: { caps: { recommendedPerUnit: 2 } } });
    const one = await submittedRecommendedEntry(t, w.a.owner.token, w.a.recommender.token, c.id);
    await submittedRecommendedEntry(t, w.a.owner.token, w.a.recommender.token, c.id);
    const third = await submitted(w.a.owner.token, c.id);
    const res = await t.http().post(`/api/entries/${third.id}/recommend`).set(auth(w.a.recommender.token)).expect(409);
    expectErrorBody(res.body, 409, 'unit_recommend_cap');
    expect(res.body.details).toEqual({ cap: 2 });
    expect(await statusOf(third.id)).toBe('submitted');
    expect(await eventCount(third.id)).toBe(2);
    // Another unit has its own quota.
    await submittedRecommendedEntry(t, w.b.owner.token, w.b.recommender.token, c.id);
    // A withdrawn recommendation frees its slot.
    await t.http().post(`/api/entries/${one.id}/withdraw`).set(auth(w.a.owner.token)).expect(200);
    await recommendEntry(t, w.a.recommender.token, third.id);
  });

  it('holds the quota when the unit recommends several entries at the same moment', async () => {
    const c = await openContest(t, w.organizer, { rules: { caps: { recommendedPerUnit: 2 } } });
    const many: EntryOut[] = [];
    for (let i = 0; i < 5; i++) many.push(await submitted(w.b.owner.token, c.id));
    const results = await Promise.all(many.map((e) => t.http().post(`/api/entries/${e.id}/recommend`).set(auth(w.b.recommender.token))));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expectErrorBody(r.body, 409, 'unit_recommend_cap');
    const counts = await t.http().get(`/api/contests/${c.id}/entry-counts`).set(auth(w.organizer)).expect(200);
    expect(counts.body.byStatus).toMatchObject({ recommended: 2, submitted: 3 });
  });

  it('recommends during review too, but only what was submitted on time', async () => {
    const c = await openContest(t, w.organizer);
    await submittedRecommendedEntry(t, w.a.owner.token, w.a.recommender.token, c.id);
    const late = await submitted(w.a.owner.token, c.id);
    const draft = await createEntry(t, w.a.owner.token, c.id);
    await closeSubmissions(t, w.organizer, c.id);
    await setPhase(t, w.organizer, c.id, 'review');
    await recommendEntry(t, w.a.recommender.token, late.id);
    // The draft never reached the unit, and cannot be submitted any more.
    await t.http().post(`/api/entries/${draft.id}/recommend`).set(auth(w.a.recommender.token)).expect(404);
    expectErrorBody((await t.http().post(`/api/entries/${draft.id}/submit`).set(auth(w.a.owner.token)).expect(409)).body, 409, 'contest_not_open');
    expectErrorBody((await t.http().patch(`/api/entries/${draft.id}`).set(auth(w.a.owner.token)).send({ title: '初审期间修改' }).expect(409)).body, 409, 'entry_not_editable');
  });

  it('authorisation matrix for recommend and decline', async () => {
    const e = await submitted(w.a.owner.token, w.contest.id);
    const draft = await createEntry(t, w.a.owner.token, w.contest.id);
    const matrix: [string, string | null, number, number][] = [
      ['unit B', w.b.recommender.token, e.id, 404],
      ['unit A on a draft', w.a.recommender.token, draft.id, 404],
      ['unit A, unknown entry', w.a.recommender.token, 999999, 404],
      ['enterprise A (owner)', w.a.owner.token, e.id, 403],
      ['enterprise B', w.b.owner.token, e.id, 403],
      ['organizer', w.organizer, e.id, 403],
      ['expert', w.expert, e.id, 403],
      ['admin', w.admin, e.id, 403],
      ['anonymous', null, e.id, 401],
    ];
    const code = (s: number) => ({ 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found' })[s] as string;
    for (const [who, token, id, status] of matrix) {
      for (const action of ['recommend', 'decline']) {
        let req = t.http().post(`/api/entries/${id}/${action}`);
        if (token) req = req.set(auth(token));
        const res = await req.send(action === 'decline' ? { reason: '越权' } : {});
        expect([who, action, res.status]).toEqual([who, action, status]);
        expectErrorBody(res.body, status, code(status));
        expect(res.body.status).toBeUndefined();
      }
    }
    expect(await statusOf(e.id)).toBe('submitted');
    expect(await statusOf(draft.id)).toBe('draft');
    expect(await eventCount(e.id)).toBe(2);
  });
});
