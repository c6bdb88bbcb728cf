// Deadlines by the service's one clock (CLOCK=from:…, moved in-process): the submission deadline to
// the second, the end of the notice period, token expiry and the login throttle window.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Clock, settable, type SetClock } from '../../src/common/clock.js';
import { openContest } from '../factories/contests.js';
import { createEntry, createIntakeWorld, entryBody, uploadReport } from '../factories/entries.js';
import { resultsContest } from '../factories/results.js';
import { ADMIN, createTestApp, createUser, expectErrorBody, login, TEST_DB, type TestApp } from '../support/test-app.js';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const at = (iso: string) => new Date(iso);
const plus = (d: Date, ms: number) => new Date(d.getTime() + ms);

describe(`one clock: deadlines move with it (${TEST_DB})`, () => {
  let t: TestApp;
  let clock: SetClock;

  beforeAll(async () => {
    // Starts at the real time (the shared factories date windows from it), then is set by each test.
    t = await createTestApp({ CLOCK: `from:${new Date().toISOString()}` });
    clock = settable(t.app.get(Clock));
  }, 60_000);
  afterAll(() => t.close());

  it('tells its time in x-server-time', async () => {
    clock.set(at('2020-07-01T01:00:00Z'), false);
    const res = await t.http().get('/api/health');
    expect(res.headers['x-server-time']).toBe('2020-07-01T01:00:00.000Z');
  });

  it('accepts a submission at the deadline to the second and refuses it one second later', async () => {
    clock.set(at('2020-08-31T02:00:00Z'), false); // the morning of the last day (tokens last 8 h)
    const w = await createIntakeWorld(t);
    const deadline = at('2020-08-31T09:00:00Z'); // 17:00 China time
    const contest = await openContest(t, w.organizer, { submissionOpensAt: '2020-06-08T00:00:00.000Z', submissionClosesAt: deadline.toISOString(), rules: { caps: { entriesPerEnterprise: 50 } } });
    const early = await createEntry(t, w.a.owner.token, contest.id);
    const onTime = await createEntry(t, w.a.owner.token, contest.id);
    const late = await createEntry(t, w.a.owner.token, contest.id);
    for (const e of [early, onTime, late]) await uploadReport(t, w.a.owner.token, e.id);
    const submit = (id: number) => t.http().post(`/api/entries/${id}/submit`).set(bearer(w.a.owner.token));
    const phase = async () => (await t.http().get(`/api/contests/${contest.id}/phase`).set(bearer(w.organizer)).expect(200)).body as { ready: boolean; blockers: { code: string }[] };

    clock.set(plus(deadline, -1000), false);
    const accepted = await submit(early.id).expect(200);
    expect(accepted.body).toMatchObject({ id: early.id, status: 'submitted', submittedAt: '2020-08-31T08:59:59.000Z' });
    expect((await phase()).blockers.map((b) => b.code)).toContain('submission_deadline_not_reached');
    // The audit trail records the clock's time.
    const trail = (await t.http().get(`/api/audit?action=entry.submit&targetId=${early.id}`).set(bearer(w.organizer)).expect(200)).body;
    expect(trail.items.map((e: { createdAt: string }) => e.createdAt)).toEqual(['2020-08-31T08:59:59.000Z']);
    // Its time filter includes both ends, to the second (the event's time is written as the filter's bound is).
    for (const range of ['from=2020-08-31T08:59:59.000Z', 'to=2020-08-31T08:59:59.000Z', 'from=2020-08-31T08:59:59.000Z&to=2020-08-31T08:59:59.000Z']) {
      const found = (await t.http().get(`/api/audit?action=entry.submit&targetId=${early.id}&${range}`).set(bearer(w.organizer)).expect(200)).body;
      expect(found.total).toBe(1);
    }
    const after = (await t.http().get(`/api/audit?action=entry.submit&targetId=${early.id}&from=2020-08-31T09:00:00.000Z`).set(bearer(w.organizer)).expect(200)).body;
    expect(after.total).toBe(0);

    clock.set(deadline, false);
    expect((await submit(onTime.id).expect(200)).body.status).toBe('submitted');
    expect((await phase()).blockers.map((b) => b.code)).not.toContain('submission_deadline_not_reached');

    clock.set(plus(deadline, 1000), false);
    const refused = await submit(late.id).expect(409);
    expectErrorBody(refused.body, 409, 'submission_closed');
    const created = await t.http().post(`/api/contests/${contest.id}/entries`).set(bearer(w.a.owner.token)).send(entryBody({ title: '迟到的成果' }));
    expect(created.status).toBe(409);
    expect(created.body.code).toBe('submission_closed');
    const still = (await t.http().get(`/api/entries/${late.id}`).set(bearer(w.a.owner.token)).expect(200)).body;
    expect(still.status).toBe('draft');
  }, 60_000);

  it('keeps the notice open until its end: objections before, publication only from then on', async () => {
    clock.set(new Date(), true);
    const s = await resultsContest(t, 'notice', { entries: 4, experts: 3 });
    const noticeEndsAt = at((await t.http().get(`/api/contests/${s.contest.id}`).set(bearer(s.organizer)).expect(200)).body.noticeEndsAt);
    expect(noticeEndsAt.getTime() - clock.now().getTime()).toBeGreaterThan(7 * 86400_000 - 120_000);
    const object = () => t.http().post(`/api/public/contests/${s.contest.id}/objections`).send({ entryId: s.entries[0]!.id, name: '李先生', contact: '13800000000', content: '请核实经济效益数据。' });

    // A second before the end (seven days on: the tokens of the start have expired, people log in again).
    clock.set(plus(noticeEndsAt, -1000), false);
    const stale = await t.http().get(`/api/contests/${s.contest.id}`).set(bearer(s.organizer)).expect(401);
    expectErrorBody(stale.body, 401, 'token_invalid');
    const organizer = (await createUser(t, await login(t, ADMIN.username, ADMIN.password), { username: `clock-organizer-${TEST_DB}`, role: 'organizer', password: 'Qc-评审-2026-北辰!' })).token;
    const filed = await object().expect(201);
    await t.http().post(`/api/objections/${filed.body.id}/answer`).set(bearer(organizer)).send({ answer: '经核查，数据属实，维持评审结果。' }).expect(200);
    const early = await t.http().post(`/api/contests/${s.contest.id}/phase`).set(bearer(organizer)).send({ to: 'published' }).expect(409);
    expectErrorBody(early.body, 409, 'phase_blocked');
    expect(early.body.details.blockers.map((b: { code: string }) => b.code)).toEqual(['notice_period_not_over']);

    clock.set(noticeEndsAt, false);
    expectErrorBody((await object().expect(409)).body, 409, 'objections_closed');
    const published = await t.http().post(`/api/contests/${s.contest.id}/phase`).set(bearer(organizer)).send({ to: 'published' }).expect(200);
    expect(published.body.phase).toBe('published');
    const board = (await t.http().get(`/api/public/contests/${s.contest.id}/results`).expect(200)).body;
    expect(board.publishedAt).toBe(new Date(Math.floor(noticeEndsAt.getTime() / 1000) * 1000).toISOString());
  }, 120_000);

  it('expires tokens and ends the login throttle window by its time', async () => {
    const start = at('2021-09-16T00:30:00Z');
    clock.set(start, false);
    const token = await login(t, ADMIN.username, ADMIN.password);
    clock.set(plus(start, t.config.jwtTtlSeconds * 1000 - 1000), false);
    await t.http().get('/api/auth/me').set(bearer(token)).expect(200);
    clock.set(plus(start, t.config.jwtTtlSeconds * 1000), false);
    expectErrorBody((await t.http().get('/api/auth/me').set(bearer(token)).expect(401)).body, 401, 'token_invalid');

    const attempt = () => t.http().post('/api/auth/login').send({ username: 'clock-nobody', password: 'Wrong-评审-2026!' });
    for (let i = 0; i < t.config.login.maxFailuresPerUsername; i++) await attempt().expect(401);
    expectErrorBody((await attempt().expect(429)).body, 429, 'too_many_login_attempts');
    clock.advance(t.config.login.windowSeconds * 1000 - 2000);
    await attempt().expect(429);
    clock.advance(2000);
    expectErrorBody((await attempt().expect(401)).body, 401, 'invalid_credentials');
  });
});
