// The key dates after the submission deadline: the recommendation deadline (enforced by the one
// clock: a unit's decision after it is refused) and the preliminary-review deadline (shown, in order).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Clock, settable, type SetClock } from '../../src/common/clock.js';
import { createContest, openContest } from '../factories/contests.js';
import { createEntry, createIntakeWorld, submitEntry, uploadReport } from '../factories/entries.js';
import { ADMIN, createTestApp, createUser, expectErrorBody, login, TEST_DB, type TestApp } from '../support/test-app.js';

type Body = Record<string, unknown>;
const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const fieldCodes = (body: Body) => Object.fromEntries((body.errors as { field: string; code: string }[]).map((e) => [e.field, e.code]));

describe(`contest key dates: recommendation and review deadlines (${TEST_DB})`, () => {
  let t: TestApp;
  let clock: SetClock;

  beforeAll(async () => {
    t = await createTestApp({ CLOCK: `from:${new Date().toISOString()}` });
    clock = settable(t.app.get(Clock));
  }, 60_000);
  afterAll(() => t.close());

  it('stores, shows and clears both deadlines, and validates their order (submission ≤ recommendation ≤ review ≤ first presentation day, CST)', async () => {
    clock.set(new Date(), true);
    const w = await createIntakeWorld(t);
    const dates = { submissionOpensAt: '2026-06-08T00:00:00.000Z', submissionClosesAt: '2026-08-31T09:00:00.000Z', presentationFrom: '2026-09-15', presentationTo: '2026-09-16' };
    const c = await createContest(t, w.organizer, { ...dates, recommendationClosesAt: '2026-09-05T09:00:00.000Z', reviewClosesAt: '2026-09-12T09:00:00.000Z' });
    expect(c).toMatchObject({ recommendationClosesAt: '2026-09-05T09:00:00.000Z', reviewClosesAt: '2026-09-12T09:00:00.000Z' });
    expect((await t.http().get(`/api/contests/${c.id}`).set(auth(w.organizer)).expect(200)).body).toMatchObject({ recommendationClosesAt: '2026-09-05T09:00:00.000Z', reviewClosesAt: '2026-09-12T09:00:00.000Z' });

    const bad = async (body: Body) => {
      const res = await t.http().patch(`/api/contests/${c.id}`).set(auth(w.organizer)).send(body).expect(400);
      expectErrorBody(res.body, 400, 'validation_failed');
      return res.body as Body;
    };
    // Recommendation before the submission deadline.
    let res = await bad({ recommendationClosesAt: '2026-08-31T08:59:59.000Z' });
    expect(fieldCodes(res)).toEqual({ recommendationClosesAt: 'before_submission_deadline' });
    expect((res.errors as { message: string }[])[0]!.message).toBe('推荐截止时间不能早于申报截止时间');
    // Review before the recommendation deadline.
    expect(fieldCodes(await bad({ reviewClosesAt: '2026-09-05T08:00:00.000Z' }))).toEqual({ reviewClosesAt: 'before_recommendation_deadline' });
    // Review after the first presentation day, in China Standard Time: 15 Sep 23:30 CST is on the day (allowed), 16 Sep 00:30 CST is after.
    await t.http().patch(`/api/contests/${c.id}`).set(auth(w.organizer)).send({ reviewClosesAt: '2026-09-15T15:30:00.000Z' }).expect(200);
    res = await bad({ reviewClosesAt: '2026-09-15T16:30:00.000Z' });
    expect(fieldCodes(res)).toEqual({ reviewClosesAt: 'after_presentation_start' });
    expect((res.errors as { message: string }[])[0]!.message).toBe('初审截止时间不能晚于现场发表开始日期');
    // Moving the submission deadline past the recommendation deadline is refused on the field that breaks the order.
    expect(fieldCodes(await bad({ submissionClosesAt: '2026-09-06T09:00:00.000Z' }))).toEqual({ recommendationClosesAt: 'before_submission_deadline' });
    // Not a date: the DTO refuses it.
    expect(fieldCodes(await bad({ recommendationClosesAt: '5 September' }))).toEqual({ recommendationClosesAt: 'is_iso8601' });
    // A refused change wrote nothing.
    expect((await t.http().get(`/api/contests/${c.id}`).set(auth(w.organizer)).expect(200)).body).toMatchObject({ submissionClosesAt: '2026-08-31T09:00:00.000Z', recommendationClosesAt: '2026-09-05T09:00:00.000Z' });

    // null clears; the change is audited with before and after.
    const cleared = await t.http().patch(`/api/contests/${c.id}`).set(auth(w.organizer)).send({ recommendationClosesAt: null }).expect(200);
    expect(cleared.body).toMatchObject({ recommendationClosesAt: null, reviewClosesAt: '2026-09-15T15:30:00.000Z' });
    const audit = await t.http().get(`/api/audit?action=contest.update&targetId=${c.id}`).set(auth(w.organizer)).expect(200);
    expect(audit.body.items[0]).toMatchObject({ before: { recommendationClosesAt: '2026-09-05T09:00:00.000Z' }, after: { recommendationClosesAt: null } });

    // Other roles may not change them.
    for (const token of [w.a.recommender.token, w.a.owner.token, w.expert, w.admin]) {
      expectErrorBody((await t.http().patch(`/api/contests/${c.id}`).set(auth(token)).send({ recommendationClosesAt: '2026-09-05T09:00:00.000Z' }).expect(403)).body, 403, 'forbidden');
    }
  });

  it('refuses a recommendation or a decline one second after the recommendation deadline, by the service clock', async () => {
    clock.set(new Date('2020-08-31T02:00:00Z'), false);
    const w = await createIntakeWorld(t);
    const deadline = new Date('2020-09-05T09:00:00Z'); // 17:00 China time
    const contest = await openContest(t, w.organizer, {
      submissionOpensAt: '2020-06-08T00:00:00.000Z', submissionClosesAt: '2020-08-31T09:00:00.000Z', recommendationClosesAt: deadline.toISOString(), rules: { caps: { entriesPerEnterprise: 50 } },
    });
    const entries = [];
    for (let i = 0; i < 3; i++) {
      const e = await createEntry(t, w.a.owner.token, contest.id);
      await uploadReport(t, w.a.owner.token, e.id);
      await submitEntry(t, w.a.owner.token, e.id);
      entries.push(e);
    }
    // Tokens last 8 hours: log in again on the day.
    clock.set(deadline, false);
    const token = await login(t, w.a.recommender.username, w.a.recommender.password);
    expect((await t.http().post(`/api/entries/${entries[0]!.id}/recommend`).set(auth(token)).expect(200)).body.status).toBe('recommended');

    clock.set(new Date(deadline.getTime() + 1000), false);
    const late = await t.http().post(`/api/entries/${entries[1]!.id}/recommend`).set(auth(token)).expect(409);
    expectErrorBody(late.body, 409, 'recommendation_deadline_passed');
    expect(late.body.message).toBe('推荐已于 2020-09-05 17:00（北京时间）截止，不能再作出推荐决定');
    expect(late.body.details).toEqual({ recommendationClosesAt: '2020-09-05T09:00:00.000Z' });
    expectErrorBody((await t.http().post(`/api/entries/${entries[2]!.id}/decline`).set(auth(token)).send({ reason: '材料不全' }).expect(409)).body, 409, 'recommendation_deadline_passed');
    expect((await t.http().get(`/api/entries/${entries[1]!.id}`).set(auth(token)).expect(200)).body.status).toBe('submitted');

    // The organizer extends it: the unit decides again (the unit sees the deadline on the contest).
    const admin = await login(t, ADMIN.username, ADMIN.password);
    const organizer = (await createUser(t, admin, { username: 'organizer-late', role: 'organizer' })).token;
    await t.http().patch(`/api/contests/${contest.id}`).set(auth(organizer)).send({ recommendationClosesAt: '2020-09-06T09:00:00.000Z' }).expect(200);
    expect((await t.http().get(`/api/contests/${contest.id}`).set(auth(token)).expect(200)).body).toMatchObject({ recommendationClosesAt: '2020-09-06T09:00:00.000Z' });
    expect((await t.http().post(`/api/entries/${entries[1]!.id}/recommend`).set(auth(token)).expect(200)).body.status).toBe('recommended');
  });
});
