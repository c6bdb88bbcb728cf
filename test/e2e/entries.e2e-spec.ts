import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { closeSubmissions, createTrack, openContest } from '../factories/contests.js';
import {
  createEntry, createIntakeWorld, entryBody, recommendEntry, submitEntry, uploadReport, type EntryOut, type IntakeWorld,
} from '../factories/entries.js';
import { createEnterpriseAccount, newUscc } from '../factories/organisations.js';
import { createTestApp, expectErrorBody, TEST_DB, type TestApp } from '../support/test-app.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const byField = (body: { errors?: { field: string; code: string }[] }) => Object.fromEntries((body.errors ?? []).map((e) => [e.field, e.code]));

describe(`entries (${TEST_DB})`, () => {
  let t: TestApp;
  let w: IntakeWorld;

  const entryCount = async () => Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM entries'))[0].n);
  const eventCount = async (entryId: number) => Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM entry_events WHERE entry_id = ${entryId}`))[0].n);

  beforeAll(async () => {
    t = await createTestApp();
    w = await createIntakeWorld(t);
  });
  afterAll(() => t.close());

  it('walks the intake: create (Chinese + emoji), read, upload, submit, recommend, with timeline and audit', async () => {
    const title = '降低🔥焊接缺陷率的QC攻关 — “精益求精” 🏆';
    const team = {
      name: '匠心👷QC小组',
      leader: '欧阳·娜娜',
      members: [
        { name: '欧阳·娜娜', jobTitle: '高级工程师', role: '组长' },
        { name: '李雷 😀', jobTitle: '技术员', role: '组员' },
      ],
    };
    const created = await t.http().post(`/api/contests/${w.contest.id}/entries`).set(auth(w.a.owner.token))
      .send(entryBody({ title, team, summary: '摘要：缺陷率 3.2%→0.8% ✅', benefitDescription: '节约 💰 125 万元' })).expect(201);
    expect(created.body).toMatchObject({
      contestId: w.contest.id, enterpriseId: w.a.enterprise.id, unitId: w.a.unit.id, trackId: null, title, team, status: 'draft',
      entryType: 'problem_solving', economicBenefit: 1250000, summary: '摘要：缺陷率 3.2%→0.8% ✅', benefitDescription: '节约 💰 125 万元',
      submittedAt: null, version: 1,
    });
    const id = created.body.id as number;

    const read = await t.http().get(`/api/entries/${id}`).set(auth(w.a.owner.token)).expect(200);
    // A single entry says what still blocks its submission: here only the report.
    expect(read.body).toEqual({ ...created.body, missing: [{ field: 'attachments.report', code: 'report_required', message: '尚未上传成果报告（PDF）' }] });

    // The unit does not see a draft at all.
    expectErrorBody((await t.http().get(`/api/entries/${id}`).set(auth(w.a.recommender.token)).expect(404)).body, 404, 'not_found');
    expect((await t.http().get('/api/entries').set(auth(w.a.recommender.token)).expect(200)).body.total).toBe(0);

    await uploadReport(t, w.a.owner.token, id);
    const submitted = await t.http().post(`/api/entries/${id}/submit`).set(auth(w.a.owner.token)).expect(200);
    expect(submitted.body).toMatchObject({ id, status: 'submitted', version: 2 });
    expect(typeof submitted.body.submittedAt).toBe('string');

    const unitView = await t.http().get(`/api/entries/${id}`).set(auth(w.a.recommender.token)).expect(200);
    expect(unitView.body).toMatchObject({ id, title, team, status: 'submitted' });

    const recommended = await t.http().post(`/api/entries/${id}/recommend`).set(auth(w.a.recommender.token)).expect(200);
    expect(recommended.body).toMatchObject({ id, status: 'recommended', version: 3 });

    const events = await t.http().get(`/api/entries/${id}/events`).set(auth(w.a.owner.token)).expect(200);
    expect(events.body.total).toBe(3);
    expect(events.body.items.map((e: { fromStatus: string | null; toStatus: string; actorRole: string }) => [e.fromStatus, e.toStatus, e.actorRole])).toEqual([
      [null, 'draft', 'enterprise'],
      ['draft', 'submitted', 'enterprise'],
      ['submitted', 'recommended', 'recommender'],
    ]);
    expect(events.body.items[2]).toMatchObject({ actorId: w.a.recommender.userId, actorName: w.a.unit.name, reason: null });

    const audit = await t.http().get(`/api/audit?targetType=entry&targetId=${id}`).set(auth(w.organizer)).expect(200);
    const actions = audit.body.items.map((a: { action: string; before: unknown; after: unknown }) => [a.action, a.before, a.after]).reverse();
    expect(actions).toEqual([
      ['entry.create', null, { contestId: w.contest.id, enterpriseId: w.a.enterprise.id, unitId: w.a.unit.id, title, entryType: 'problem_solving', status: 'draft' }],
      ['entry.submit', { status: 'draft' }, { status: 'submitted' }],
      ['entry.recommend', { status: 'submitted' }, { status: 'recommended' }],
    ]);
    const v = await t.http().post('/api/audit/verify').set(auth(w.organizer)).expect(200);
    expect(v.body.ok).toBe(true);

    // Chinese search finds it; counts show it.
    const found = await t.http().get(`/api/entries?q=${encodeURIComponent('焊接缺陷')}&contestId=${w.contest.id}`).set(auth(w.organizer)).expect(200);
    expect(found.body.items.map((e: EntryOut) => e.id)).toContain(id);
    // A list carries the names it shows: contest, enterprise, unit, track (none placed yet).
    const contest = (await t.http().get(`/api/contests/${w.contest.id}`).set(auth(w.organizer)).expect(200)).body;
    expect(found.body.items.find((e: EntryOut) => e.id === id)).toMatchObject({
      contestName: contest.name, enterpriseName: w.a.enterprise.name, unitName: w.a.unit.name, trackName: null,
    });
    const counts = await t.http().get(`/api/contests/${w.contest.id}/entry-counts`).set(auth(w.organizer)).expect(200);
    expect(counts.body.byStatus.recommended).toBeGreaterThanOrEqual(1);
    expect(counts.body.total).toBe(Object.values(counts.body.byStatus as Record<string, number>).reduce((s, n) => s + n, 0));
  });

  it('refuses a submission without a report (422 entry_incomplete naming the report) and leaves the draft as it was', async () => {
    const e = await createEntry(t, w.a.owner.token, w.contest.id);
    const res = await t.http().post(`/api/entries/${e.id}/submit`).set(auth(w.a.owner.token)).expect(422);
    expectErrorBody(res.body, 422, 'entry_incomplete');
    expect(res.body.errors).toEqual([{ field: 'attachments.report', code: 'report_required', message: '尚未上传成果报告（PDF）' }]);
    expect((await t.http().get(`/api/entries/${e.id}`).set(auth(w.a.owner.token)).expect(200)).body).toMatchObject({ status: 'draft', version: 1 });
    expect(await eventCount(e.id)).toBe(1);
  });

  it('keeps a partial draft (title only), says what blocks it, refuses to submit it (422 listing every gap), and submits it once complete', async () => {
    const created = await t.http().post(`/api/contests/${w.contest.id}/entries`).set(auth(w.a.owner.token)).send({ title: '只有标题的草稿 📝' }).expect(201);
    expect(created.body).toMatchObject({
      title: '只有标题的草稿 📝', status: 'draft', unitId: w.a.unit.id, entryType: null, team: null, summary: null,
      activityStart: null, activityEnd: null, economicBenefit: null, benefitDescription: null, version: 1,
    });
    const id = created.body.id as number;
    const gaps = [
      ['entryType', 'required', '尚未填写成果类型'], ['team.name', 'required', '尚未填写小组名称'], ['team.leader', 'required', '尚未填写组长'],
      ['team.members', 'required', '尚未填写小组成员（至少一人）'], ['summary', 'required', '尚未填写成果简介'], ['activityStart', 'required', '尚未填写活动开始日期'],
      ['activityEnd', 'required', '尚未填写活动结束日期'], ['economicBenefit', 'required', '尚未填写经济效益（没有时填 0）'],
      ['attachments.report', 'report_required', '尚未上传成果报告（PDF）'],
    ].map(([field, code, message]) => ({ field, code, message }));
    expect((await t.http().get(`/api/entries/${id}`).set(auth(w.a.owner.token)).expect(200)).body.missing).toEqual(gaps);

    const refused = await t.http().post(`/api/entries/${id}/submit`).set(auth(w.a.owner.token)).expect(422);
    expectErrorBody(refused.body, 422, 'entry_incomplete');
    expect(refused.body.errors).toEqual(gaps);
    expect(refused.body.message).toBe('成果信息不完整，不能提交：成果类型、小组名称、组长、小组成员（至少一人）、成果简介、活动开始日期、活动结束日期、经济效益（没有时填 0）、成果报告（PDF）');
    expect((await t.http().get(`/api/entries/${id}`).set(auth(w.a.owner.token)).expect(200)).body).toMatchObject({ status: 'draft', version: 1, submittedAt: null });
    expect(await eventCount(id)).toBe(1);

    // Another enterprise, the unit (a draft is not submitted to it) and an organizer cannot change or submit it.
    for (const token of [w.b.owner.token, w.a.recommender.token]) {
      expect((await t.http().get(`/api/entries/${id}`).set(auth(token))).status).toBe(404);
    }
    expectErrorBody((await t.http().patch(`/api/entries/${id}`).set(auth(w.b.owner.token)).send({ summary: '别人的修改' }).expect(404)).body, 404, 'not_found');
    expectErrorBody((await t.http().post(`/api/entries/${id}/submit`).set(auth(w.b.owner.token)).expect(404)).body, 404, 'not_found');
    expectErrorBody((await t.http().post(`/api/entries/${id}/submit`).set(auth(w.organizer)).expect(403)).body, 403, 'forbidden');

    // Piece by piece: what is given is validated, null clears it again.
    const bad = await t.http().patch(`/api/entries/${id}`).set(auth(w.a.owner.token))
      .send({ activityStart: '2019/03/01', team: { name: '小组', members: [{ name: ' ', jobTitle: '', role: '' }] }, economicBenefit: -5 }).expect(400);
    expect(Object.keys(byField(bad.body)).sort()).toEqual(['activityStart', 'economicBenefit', 'team.members.0.name']);
    await t.http().patch(`/api/entries/${id}`).set(auth(w.a.owner.token)).send({ summary: '先写一段简介', team: { name: '铸造QC小组' } }).expect(200);
    const cleared = await t.http().patch(`/api/entries/${id}`).set(auth(w.a.owner.token)).send({ summary: null }).expect(200);
    expect(cleared.body).toMatchObject({ summary: null, team: { name: '铸造QC小组', leader: '', members: [] }, version: 3 });
    expect((await t.http().get(`/api/entries/${id}`).set(auth(w.a.owner.token)).expect(200)).body.missing.map((m: { field: string }) => m.field))
      .toEqual(['entryType', 'team.leader', 'team.members', 'summary', 'activityStart', 'activityEnd', 'economicBenefit', 'attachments.report']);

    // Lists (the enterprise's and the organizer's) show the partial draft with its nulls.
    const listed = (await t.http().get(`/api/entries?contestId=${w.contest.id}&q=${encodeURIComponent('只有标题')}`).set(auth(w.organizer)).expect(200)).body;
    expect(listed.items).toEqual([expect.objectContaining({ id, entryType: null, summary: null, economicBenefit: null, enterpriseName: w.a.enterprise.name })]);

    const rest = entryBody();
    await t.http().patch(`/api/entries/${id}`).set(auth(w.a.owner.token)).send({ ...rest, title: undefined }).expect(200);
    await uploadReport(t, w.a.owner.token, id);
    expect((await t.http().get(`/api/entries/${id}`).set(auth(w.a.owner.token)).expect(200)).body.missing).toEqual([]);
    const ok = await t.http().post(`/api/entries/${id}/submit`).set(auth(w.a.owner.token)).expect(200);
    expect(ok.body).toMatchObject({ status: 'submitted', title: '只有标题的草稿 📝', summary: rest.summary });
    expect((await t.http().get(`/api/entries/${id}`).set(auth(w.a.owner.token)).expect(200)).body.missing).toEqual([]);
  });

  it('refuses submission after the deadline (409 submission_closed), and new entries too', async () => {
    const c = await openContest(t, w.organizer);
    const e = await createEntry(t, w.a.owner.token, c.id);
    await uploadReport(t, w.a.owner.token, e.id);
    await closeSubmissions(t, w.organizer, c.id);
    const res = await t.http().post(`/api/entries/${e.id}/submit`).set(auth(w.a.owner.token)).expect(409);
    expectErrorBody(res.body, 409, 'submission_closed');
    expect((await t.http().get(`/api/entries/${e.id}`).set(auth(w.a.owner.token)).expect(200)).body).toMatchObject({ status: 'draft', submittedAt: null });
    expect(await eventCount(e.id)).toBe(1);
    const before = await entryCount();
    expectErrorBody((await t.http().post(`/api/contests/${c.id}/entries`).set(auth(w.a.owner.token)).send(entryBody()).expect(409)).body, 409, 'submission_closed');
    expect(await entryCount()).toBe(before);
  });

  it('refuses entries to a contest that is not open (409) or does not exist (404)', async () => {
    const res = await t.http().post('/api/contests').set(auth(w.organizer)).send({ name: '筹备中的评比', year: 2021 }).expect(201);
    expectErrorBody((await t.http().post(`/api/contests/${res.body.id}/entries`).set(auth(w.a.owner.token)).send(entryBody()).expect(409)).body, 409, 'contest_not_open');
    expectErrorBody((await t.http().post('/api/contests/999999/entries').set(auth(w.a.owner.token)).send(entryBody()).expect(404)).body, 404, 'not_found');
  });

  it('validates the body field by field and writes nothing', async () => {
    const before = await entryCount();
    const members = Array.from({ length: 16 }, (_, i) => ({ name: `成员${i}`, jobTitle: '工程师', role: '组员' }));
    const cases: [Record<string, unknown>, Record<string, string>][] = [
      [{ team: { name: '小组', leader: '王强', members } }, { 'team.members': 'too_many_members' }],
      [{ activityStart: '2020-06-30', activityEnd: '2020-01-01' }, { activityEnd: 'period_ends_before_start' }],
      [{ activityStart: '2019-02-30' }, { activityStart: 'invalid_date' }],
      [{ activityStart: '2019/01/01' }, { activityStart: 'matches' }],
      [{ title: '' }, { title: 'min_length' }],
      [{ title: '题'.repeat(201) }, { title: 'max_length' }],
      [{ title: '   ' }, { title: 'matches' }],
      [{ entryType: 'other' }, { entryType: 'is_in' }],
      [{ economicBenefit: -1 }, { economicBenefit: 'min' }],
      [{ economicBenefit: 1.5 }, { economicBenefit: 'is_int' }],
      [{ economicBenefit: '100' }, { economicBenefit: 'is_int' }],
      [{ team: { name: '小组', leader: '王强', members: [{ name: '', jobTitle: 'x', role: 'y' }] } }, { 'team.members.0.name': 'min_length' }],
      [{ unitId: 999999 }, { unitId: 'unit_not_found' }],
      [{ trackId: 999999 }, { trackId: 'track_not_found' }],
      [{ extra: 1 }, { extra: 'unknown_field' }],
    ];
    for (const [patch, want] of cases) {
      const res = await t.http().post(`/api/contests/${w.contest.id}/entries`).set(auth(w.a.owner.token)).send(entryBody(patch));
      expect([JSON.stringify(patch).slice(0, 60), res.status]).toEqual([JSON.stringify(patch).slice(0, 60), 400]);
      expectErrorBody(res.body, 400, 'validation_failed');
      expect(byField(res.body)).toEqual(want);
    }
    const missing = await t.http().post(`/api/contests/${w.contest.id}/entries`).set(auth(w.a.owner.token)).send({}).expect(400);
    // A draft needs only its title (the rest is checked at submission).
    expect(byField(missing.body)).toEqual({ title: 'required' });
    expect(await entryCount()).toBe(before);
  });

  it('applies the contest rules: allowed types, earliest activity start, tracks of this contest and of the right type', async () => {
    const c = await openContest(t, w.organizer, { rules: { allowedEntryTypes: ['innovation'], activityNotBefore: '2019-01-01' } });
    const other = await createTrack(t, w.organizer, w.contest.id, { name: '制造类' });
    const wrongType = await createTrack(t, w.organizer, c.id, { name: '服务类·问题解决型', entryType: 'problem_solving' });
    const before = await entryCount();
    const bad = await t.http().post(`/api/contests/${c.id}/entries`).set(auth(w.a.owner.token))
      .send(entryBody({ entryType: 'problem_solving', activityStart: '2018-12-31', trackId: other.id })).expect(400);
    expect(byField(bad.body)).toEqual({ entryType: 'entry_type_not_allowed', activityStart: 'period_starts_too_early', trackId: 'track_not_found' });
    const mismatch = await t.http().post(`/api/contests/${c.id}/entries`).set(auth(w.a.owner.token))
      .send(entryBody({ entryType: 'innovation', trackId: wrongType.id })).expect(400);
    expect(byField(mismatch.body)).toEqual({ trackId: 'track_type_mismatch' });
    expect(await entryCount()).toBe(before);
    const right = await createTrack(t, w.organizer, c.id, { name: '创新型', entryType: 'innovation' });
    const ok = await createEntry(t, w.a.owner.token, c.id, { entryType: 'innovation', trackId: right.id, activityStart: '2019-01-01', unitId: w.b.unit.id });
    expect(ok).toMatchObject({ entryType: 'innovation', trackId: right.id, unitId: w.b.unit.id });
  });

  it('caps the entries of one enterprise per contest (409 enterprise_entry_cap); withdrawn ones do not count', async () => {
    const c = await openContest(t, w.organizer, { rules: { caps: { entriesPerEnterprise: 2 } } });
    const first = await createEntry(t, w.b.owner.token, c.id);
    await createEntry(t, w.b.owner.token, c.id);
    const before = await entryCount();
    expectErrorBody((await t.http().post(`/api/contests/${c.id}/entries`).set(auth(w.b.owner.token)).send(entryBody()).expect(409)).body, 409, 'enterprise_entry_cap');
    expect(await entryCount()).toBe(before);
    // Another enterprise has its own cap.
    await createEntry(t, w.a.owner.token, c.id);
    await t.http().post(`/api/entries/${first.id}/withdraw`).set(auth(w.b.owner.token)).send({ reason: '合并到另一项成果' }).expect(200);
    await createEntry(t, w.b.owner.token, c.id);
  });

  it('holds the entry cap when one enterprise creates several entries at the same moment', async () => {
    const c = await openContest(t, w.organizer, { rules: { caps: { entriesPerEnterprise: 2 } } });
    const results = await Promise.all(Array.from({ length: 5 }, () => t.http().post(`/api/contests/${c.id}/entries`).set(auth(w.b.owner.token)).send(entryBody())));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 409, 409, 409]);
    expect((await t.http().get(`/api/entries?contestId=${c.id}`).set(auth(w.b.owner.token)).expect(200)).body.total).toBe(2);
  });

  it('refuses an enterprise that is not approved (403 enterprise_not_approved) to create or submit', async () => {
    // A recommender registers an enterprise of its unit: it waits for an organizer's approval.
    const reg = await t.http().post('/api/enterprises').set(auth(w.a.recommender.token)).send({ name: '待审核企业有限公司', uscc: newUscc(), industry: '制造业' }).expect(201);
    expect(reg.body.status).toBe('pending');
    const pending = await createEnterpriseAccount(t, w.organizer, reg.body.id);
    const before = await entryCount();
    expectErrorBody((await t.http().post(`/api/contests/${w.contest.id}/entries`).set(auth(pending.token)).send(entryBody()).expect(403)).body, 403, 'enterprise_not_approved');
    expect(await entryCount()).toBe(before);

    await t.http().post(`/api/enterprises/${reg.body.id}/approve`).set(auth(w.organizer)).expect(200);
    const e = await createEntry(t, pending.token, w.contest.id);
    expect(e.unitId).toBe(w.a.unit.id);
    await uploadReport(t, pending.token, e.id);
    // Approval withdrawn behind the API's back (no route reverses an approval): submission is refused.
    await t.dataSource.query(`UPDATE enterprises SET status = 'rejected' WHERE id = ${reg.body.id}`);
    expectErrorBody((await t.http().post(`/api/entries/${e.id}/submit`).set(auth(pending.token)).expect(403)).body, 403, 'enterprise_not_approved');
    expect(await eventCount(e.id)).toBe(1);
  });

  it('edits a draft with an optimistic lock, then refuses edits once submitted', async () => {
    const e = await createEntry(t, w.a.owner.token, w.contest.id);
    const res = await t.http().patch(`/api/entries/${e.id}`).set(auth(w.a.owner.token))
      .send({ title: '提高👍一次交检合格率', version: 1, team: { name: '新小组', leader: '赵六', members: [{ name: '赵六', jobTitle: '班长', role: '组长' }] } }).expect(200);
    expect(res.body).toMatchObject({ title: '提高👍一次交检合格率', version: 2, team: { name: '新小组', leader: '赵六' }, summary: e.summary });
    // A client holding version 1 loses: nothing changes.
    const stale = await t.http().patch(`/api/entries/${e.id}`).set(auth(w.a.owner.token)).send({ title: '旧版本的修改', version: 1 }).expect(409);
    expectErrorBody(stale.body, 409, 'stale_version');
    expect(stale.body.details).toEqual({ currentVersion: 2 });
    // Without a version the change applies; cross-field rules see the stored values.
    const bad = await t.http().patch(`/api/entries/${e.id}`).set(auth(w.a.owner.token)).send({ activityEnd: '2019-01-01' }).expect(400);
    expect(byField(bad.body)).toEqual({ activityEnd: 'period_ends_before_start' });
    const nul = await t.http().patch(`/api/entries/${e.id}`).set(auth(w.a.owner.token)).send({ title: null, version: 'x' }).expect(400);
    expect(byField(nul.body)).toEqual({ title: 'required', version: 'is_int' });
    const now = await t.http().get(`/api/entries/${e.id}`).set(auth(w.a.owner.token)).expect(200);
    expect(now.body).toMatchObject({ title: '提高👍一次交检合格率', version: 2, activityEnd: e.activityEnd });

    const audit = await t.http().get(`/api/audit?action=entry.update&targetId=${e.id}`).set(auth(w.organizer)).expect(200);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0].before).toMatchObject({ title: e.title, teamName: e.team.name });
    expect(audit.body.items[0].after).toMatchObject({ title: '提高👍一次交检合格率', teamName: '新小组' });

    await uploadReport(t, w.a.owner.token, e.id);
    await submitEntry(t, w.a.owner.token, e.id);
    expectErrorBody((await t.http().patch(`/api/entries/${e.id}`).set(auth(w.a.owner.token)).send({ title: '提交后修改' }).expect(409)).body, 409, 'entry_not_editable');
    expectErrorBody((await t.http().post(`/api/entries/${e.id}/submit`).set(auth(w.a.owner.token)).expect(409)).body, 409, 'entry_not_submittable');
  });

  it('withdraws before a review decision, and not twice', async () => {
    const e = await createEntry(t, w.a.owner.token, w.contest.id);
    const res = await t.http().post(`/api/entries/${e.id}/withdraw`).set(auth(w.a.owner.token)).expect(200);
    expect(res.body).toMatchObject({ status: 'withdrawn' });
    expectErrorBody((await t.http().post(`/api/entries/${e.id}/withdraw`).set(auth(w.a.owner.token)).expect(409)).body, 409, 'entry_not_withdrawable');
    // Never submitted: its unit still does not see it.
    await t.http().get(`/api/entries/${e.id}`).set(auth(w.a.recommender.token)).expect(404);

    const r = await createEntry(t, w.a.owner.token, w.contest.id);
    await uploadReport(t, w.a.owner.token, r.id);
    await submitEntry(t, w.a.owner.token, r.id);
    await recommendEntry(t, w.a.recommender.token, r.id);
    await t.http().post(`/api/entries/${r.id}/withdraw`).set(auth(w.a.owner.token)).send({ reason: '企业决定不参加 🙏' }).expect(200);
    const events = await t.http().get(`/api/entries/${r.id}/events`).set(auth(w.a.recommender.token)).expect(200);
    expect(events.body.items.at(-1)).toMatchObject({ fromStatus: 'recommended', toStatus: 'withdrawn', actorRole: 'enterprise', reason: '企业决定不参加 🙏' });
  });

  it('lists with visibility, filters, search, sorting and paging', async () => {
    const c = await openContest(t, w.organizer);
    const titles = ['A 提高合格率', 'B 降低能耗 100%', 'C 缩短周期_A'];
    const made: EntryOut[] = [];
    for (const title of titles) made.push(await createEntry(t, w.a.owner.token, c.id, { title }));
    made.push(await createEntry(t, w.b.owner.token, c.id, { title: 'D 企业B的成果', entryType: 'innovation' }));
    await uploadReport(t, w.a.owner.token, made[1].id);
    await submitEntry(t, w.a.owner.token, made[1].id);

    const ids = (body: { items: EntryOut[] }) => body.items.map((e) => e.id);
    const list = (token: string, qs: string) => t.http().get(`/api/entries?contestId=${c.id}&${qs}`).set(auth(token)).expect(200);

    expect(ids((await list(w.a.owner.token, 'sort=title')).body)).toEqual([made[0].id, made[1].id, made[2].id]);
    expect(ids((await list(w.a.owner.token, 'sort=-title')).body)).toEqual([made[2].id, made[1].id, made[0].id]);
    expect(ids((await list(w.organizer, 'sort=status')).body)[0]).toBe(made[0].id);
    expect((await list(w.a.owner.token, '')).body.total).toBe(3);
    expect(ids((await list(w.b.owner.token, '')).body)).toEqual([made[3].id]);
    expect(ids((await list(w.a.recommender.token, '')).body)).toEqual([made[1].id]);
    expect(ids((await list(w.b.recommender.token, '')).body)).toEqual([]);
    expect((await list(w.expert, '')).body).toMatchObject({ items: [], total: 0 });
    expect((await list(w.organizer, '')).body.total).toBe(4);
    expect(ids((await list(w.organizer, 'entryType=innovation')).body)).toEqual([made[3].id]);
    expect(ids((await list(w.organizer, 'status=submitted')).body)).toEqual([made[1].id]);
    expect(ids((await list(w.organizer, `unitId=${w.b.unit.id}`)).body)).toEqual([made[3].id]);
    // LIKE wildcards in the search are literal characters.
    expect(ids((await list(w.organizer, `q=${encodeURIComponent('100%')}`)).body)).toEqual([made[1].id]);
    expect(ids((await list(w.organizer, `q=${encodeURIComponent('_A')}`)).body)).toEqual([made[2].id]);
    expect(ids((await list(w.organizer, `q=${encodeURIComponent('%')}`)).body)).toEqual([made[1].id]);
    // Sorted by creation, newest first by default; ties broken by id; paged.
    const sortedDesc = [...made].map((m) => m.id).sort((a, b) => b - a);
    expect(ids((await list(w.organizer, '')).body)).toEqual(sortedDesc);
    expect(ids((await list(w.organizer, 'sort=createdAt')).body)).toEqual([...sortedDesc].reverse());
    const page2 = (await list(w.organizer, 'sort=createdAt&page=2&pageSize=3')).body;
    expect(page2).toMatchObject({ total: 4, page: 2, pageSize: 3 });
    expect(ids(page2)).toEqual([sortedDesc[0]]);

    for (const qs of ['status=nope', 'sort=id', 'page=0', 'contestId=abc', 'pageSize=500', 'foo=1']) {
      const res = await t.http().get(`/api/entries?${qs}`).set(auth(w.organizer)).expect(400);
      expectErrorBody(res.body, 400, 'validation_failed');
    }
  });

  it('counts entries per status for organizers only', async () => {
    const c = await openContest(t, w.organizer);
    await createEntry(t, w.a.owner.token, c.id);
    const e = await createEntry(t, w.a.owner.token, c.id);
    await uploadReport(t, w.a.owner.token, e.id);
    await submitEntry(t, w.a.owner.token, e.id);
    const res = await t.http().get(`/api/contests/${c.id}/entry-counts`).set(auth(w.organizer)).expect(200);
    expect(res.body.contestId).toBe(c.id);
    expect(res.body.total).toBe(2);
    expect(res.body.byStatus).toMatchObject({ draft: 1, submitted: 1, recommended: 0, withdrawn: 0 });
    expectErrorBody((await t.http().get('/api/contests/999999/entry-counts').set(auth(w.organizer)).expect(404)).body, 404, 'not_found');
    for (const token of [w.a.owner.token, w.a.recommender.token, w.expert, w.admin]) {
      const r = await t.http().get(`/api/contests/${c.id}/entry-counts`).set(auth(token)).expect(403);
      expectErrorBody(r.body, 403, 'forbidden');
    }
    expectErrorBody((await t.http().get(`/api/contests/${c.id}/entry-counts`).expect(401)).body, 401, 'unauthenticated');
  });

  it('authorisation matrix: every entry route × every role, own and foreign organisation', async () => {
    const draft = await createEntry(t, w.a.owner.token, w.contest.id);
    const sub = await createEntry(t, w.a.owner.token, w.contest.id);
    await uploadReport(t, w.a.owner.token, sub.id);
    await submitEntry(t, w.a.owner.token, sub.id);
    const snapshot = async () => JSON.stringify(await t.dataSource.query(`SELECT id, status, version, title FROM entries WHERE id IN (${draft.id}, ${sub.id}) ORDER BY id`));
    const start = await snapshot();

    type Call = { name: string; run: (token: string | null) => Promise<{ status: number; body: Record<string, unknown> }> };
    const send = (method: 'get' | 'post' | 'patch', path: string, body?: object) => async (token: string | null) => {
      let req = t.http()[method](path);
      if (token) req = req.set(auth(token));
      const res = body ? await req.send(body) : await req;
      return { status: res.status, body: res.body as Record<string, unknown> };
    };
    const routes = (id: number): Call[] => [
      { name: 'GET entry', run: send('get', `/api/entries/${id}`) },
      { name: 'PATCH entry', run: send('patch', `/api/entries/${id}`, { title: '越权修改' }) },
      { name: 'GET events', run: send('get', `/api/entries/${id}/events`) },
      { name: 'submit', run: send('post', `/api/entries/${id}/submit`) },
      { name: 'withdraw', run: send('post', `/api/entries/${id}/withdraw`) },
      { name: 'recommend', run: send('post', `/api/entries/${id}/recommend`) },
      { name: 'decline', run: send('post', `/api/entries/${id}/decline`, { reason: '越权' }) },
    ];
    const expectRefused = async (who: string, token: string | null, id: number, want: Record<string, number>) => {
      for (const call of routes(id)) {
        if (!(call.name in want)) continue;
        const res = await call.run(token);
        const code = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found' }[want[call.name]] as string;
        expect([who, call.name, id, res.status]).toEqual([who, call.name, id, want[call.name]]);
        expectErrorBody(res.body, want[call.name], code);
        expect(res.body.title).toBeUndefined();
      }
    };
    const all = (status: number) => Object.fromEntries(routes(0).map((r) => [r.name, status]));
    const reads = { 'GET entry': 404, 'GET events': 404 };
    const enterpriseWrites = { 'PATCH entry': 404, submit: 404, withdraw: 404 };
    const unitWrites = { recommend: 403, decline: 403 };

    for (const id of [draft.id, sub.id]) {
      // Another enterprise: cannot know the entry exists; unit actions are not its role.
      await expectRefused('enterprise B', w.b.owner.token, id, { ...reads, ...enterpriseWrites, ...unitWrites });
      // The unit of another enterprise.
      await expectRefused('unit B', w.b.recommender.token, id, { ...reads, recommend: 404, decline: 404, 'PATCH entry': 403, submit: 403, withdraw: 403 });
      await expectRefused('expert', w.expert, id, { ...reads, 'PATCH entry': 403, submit: 403, withdraw: 403, ...unitWrites });
      await expectRefused('organizer', w.organizer, id, { 'PATCH entry': 403, submit: 403, withdraw: 403, ...unitWrites });
      await expectRefused('admin', w.admin, id, all(403));
      await expectRefused('anonymous', null, id, all(401));
    }
    // The entry's own unit: a draft does not exist for it.
    await expectRefused('unit A', w.a.recommender.token, draft.id, { ...reads, recommend: 404, decline: 404, 'PATCH entry': 403 });
    // The owner: unit actions are not its role.
    await expectRefused('enterprise A', w.a.owner.token, sub.id, unitWrites);
    // An unknown entry is 404 for everyone who could see entries.
    await expectRefused('organizer', w.organizer, 999999, reads);
    await expectRefused('enterprise A', w.a.owner.token, 999999, { ...reads, ...enterpriseWrites });

    // Create: only an enterprise.
    for (const [who, token, status] of [['unit', w.a.recommender.token, 403], ['organizer', w.organizer, 403], ['expert', w.expert, 403], ['admin', w.admin, 403], ['anonymous', null, 401]] as const) {
      let req = t.http().post(`/api/contests/${w.contest.id}/entries`);
      if (token) req = req.set(auth(token));
      const res = await req.send(entryBody());
      expect([who, res.status]).toEqual([who, status]);
      expectErrorBody(res.body, status, status === 401 ? 'unauthenticated' : 'forbidden');
    }
    // Lists: admin and anonymous are refused; everyone else sees only what is theirs (tested above).
    expectErrorBody((await t.http().get('/api/entries').set(auth(w.admin)).expect(403)).body, 403, 'forbidden');
    expectErrorBody((await t.http().get('/api/entries').expect(401)).body, 401, 'unauthenticated');
    expectErrorBody((await t.http().get('/api/entries/abc').set(auth(w.organizer)).expect(400)).body, 400, 'invalid_id');

    // Allowed reads work: the organizer, and the unit once submitted.
    await t.http().get(`/api/entries/${draft.id}`).set(auth(w.organizer)).expect(200);
    await t.http().get(`/api/entries/${sub.id}/events`).set(auth(w.a.recommender.token)).expect(200);
    expect(await snapshot()).toBe(start);
  });
});
