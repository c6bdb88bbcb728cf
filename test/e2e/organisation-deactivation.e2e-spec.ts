import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTrack } from '../factories/contests.js';
import { createEntry, createIntakeWorld, entryBody, submitEntry, uploadReport, type IntakeWorld } from '../factories/entries.js';
import { createEnterprise, createEnterpriseAccount, createExpert, createUnit, createUnitAccount, newUscc } from '../factories/organisations.js';
import { createPanel, placeTracks, reviewWorld } from '../factories/presentation.js';
import { createTestApp, expectErrorBody, login, TEST_DB, type TestApp } from '../support/test-app.js';

type Body = Record<string, unknown>;
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describe(`deactivating and reactivating units, enterprises and experts (${TEST_DB})`, () => {
  let t: TestApp;
  let w: IntakeWorld;

  beforeAll(async () => {
    t = await createTestApp();
    w = await createIntakeWorld(t);
  });
  afterAll(() => t.close());

  const post = (token: string, path: string) => t.http().post(path).set(auth(token)).send();

  it('a unit: its accounts cannot log in, tokens stop working, it is not offered nor choosable; reactivation restores logins; audited before/after', async () => {
    const unit = await createUnit(t, w.organizer, { name: '停用测试🏭推荐单位' });
    const rec = await createUnitAccount(t, w.organizer, unit.id);
    expect((await t.http().get('/api/units/' + unit.id).set(auth(rec.token)).expect(200)).body).toMatchObject({ active: true, deactivatedAt: null });

    const off = await post(w.organizer, `/api/units/${unit.id}/deactivate`).expect(200);
    expect(off.body).toMatchObject({ id: unit.id, name: '停用测试🏭推荐单位', active: false, deactivatedAt: expect.any(String) });

    // The token issued before stops working at once.
    expectErrorBody((await t.http().get('/api/entries').set(auth(rec.token)).expect(401)).body, 401, 'token_invalid');
    // A login with the right password is told why, in Chinese; a wrong password is not told anything more.
    const refused = await t.http().post('/api/auth/login').send({ username: rec.username, password: rec.password }).expect(401);
    expectErrorBody(refused.body, 401, 'account_deactivated');
    expect(refused.body.message).toContain('推荐单位已被组委会停用');
    expectErrorBody((await t.http().post('/api/auth/login').send({ username: rec.username, password: 'Wrong-海河-Pass-2026!' }).expect(401)).body, 401, 'invalid_credentials');

    // Not offered to registering enterprises, refused when named anyway (new enterprise, public registration, new entry).
    expect(((await t.http().get('/api/public/units').expect(200)).body as Body[]).map((u) => u.id)).not.toContain(unit.id);
    const ent = await t.http().post('/api/enterprises').set(auth(w.organizer)).send({ name: '新企业', uscc: newUscc(), defaultUnitId: unit.id }).expect(400);
    expect(ent.body.errors).toEqual([expect.objectContaining({ field: 'defaultUnitId', code: 'unit_deactivated' })]);
    const reg = await t.http().post('/api/public/enterprises/register').send({
      enterprise: { name: '自助注册企业', uscc: newUscc(), defaultUnitId: unit.id },
      account: { username: 'self-reg-off', displayName: '联系人', password: 'Qc-评审-2026-北辰!' },
    }).expect(400);
    expect(reg.body.errors).toEqual([expect.objectContaining({ field: 'enterprise.defaultUnitId', code: 'unit_deactivated' })]);
    const entry = await t.http().post(`/api/contests/${w.contest.id}/entries`).set(auth(w.a.owner.token)).send({ ...entryBody(), unitId: unit.id }).expect(400);
    expect(entry.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'unitId', code: 'unit_deactivated' })]));

    // Lists show the status and filter by it.
    const all = (await t.http().get('/api/units?pageSize=200').set(auth(w.organizer)).expect(200)).body.items as Body[];
    expect(all.find((u) => u.id === unit.id)).toMatchObject({ active: false });
    const activeOnly = (await t.http().get('/api/units?active=true&pageSize=200').set(auth(w.organizer)).expect(200)).body.items as Body[];
    expect(activeOnly.map((u) => u.id)).not.toContain(unit.id);
    expect(activeOnly.length).toBe(all.length - 1);
    expect(((await t.http().get('/api/units?active=false').set(auth(w.organizer)).expect(200)).body.items as Body[]).map((u) => u.id)).toEqual([unit.id]);
    expectErrorBody((await t.http().get('/api/units?active=maybe').set(auth(w.organizer)).expect(400)).body, 400, 'validation_failed');

    // Twice is a conflict; reactivation lets the account log in again (with a new login).
    expectErrorBody((await post(w.organizer, `/api/units/${unit.id}/deactivate`).expect(409)).body, 409, 'already_deactivated');
    const on = await post(w.organizer, `/api/units/${unit.id}/reactivate`).expect(200);
    expect(on.body).toMatchObject({ active: true, deactivatedAt: null });
    expectErrorBody((await post(w.organizer, `/api/units/${unit.id}/reactivate`).expect(409)).body, 409, 'already_active');
    expectErrorBody((await t.http().get('/api/entries').set(auth(rec.token)).expect(401)).body, 401, 'token_invalid');
    const again = await login(t, rec.username, rec.password);
    await t.http().get('/api/entries').set(auth(again)).expect(200);

    const audit = await t.http().get(`/api/audit?targetType=unit&targetId=${unit.id}`).set(auth(w.organizer)).expect(200);
    const [reactivate, deactivate] = audit.body.items as Body[];
    expect(deactivate).toMatchObject({ action: 'unit.deactivate', before: { active: true, deactivatedAt: null }, after: { active: false, accountsSignedOut: 1 } });
    expect(reactivate).toMatchObject({ action: 'unit.reactivate', before: { active: false }, after: { active: true, deactivatedAt: null } });
  });

  it('a deactivated unit cannot recommend: its recommender is signed out, and the unit itself is checked too', async () => {
    const e = await createEntry(t, w.a.owner.token, w.contest.id);
    await uploadReport(t, w.a.owner.token, e.id);
    await submitEntry(t, w.a.owner.token, e.id);
    // A request that raced the deactivation (its token still valid): the unit row itself refuses.
    await t.dataSource.query('UPDATE recommending_units SET deactivated_at = updated_at WHERE id = ?', [w.a.unit.id]);
    const raced = await post(w.a.recommender.token, `/api/entries/${e.id}/recommend`).expect(409);
    expectErrorBody(raced.body, 409, 'unit_deactivated');
    expect(raced.body.message).toContain('推荐单位已停用');
    expectErrorBody((await t.http().post(`/api/entries/${e.id}/decline`).set(auth(w.a.recommender.token)).send({ reason: '不推荐' }).expect(409)).body, 409, 'unit_deactivated');
    await t.dataSource.query('UPDATE recommending_units SET deactivated_at = NULL WHERE id = ?', [w.a.unit.id]);
    await post(w.organizer, `/api/units/${w.a.unit.id}/deactivate`).expect(200);
    expectErrorBody((await post(w.a.recommender.token, `/api/entries/${e.id}/recommend`).expect(401)).body, 401, 'token_invalid');
    // Reactivated, the unit recommends again (after logging in anew).
    await post(w.organizer, `/api/units/${w.a.unit.id}/reactivate`).expect(200);
    const token = await login(t, w.a.recommender.username, w.a.recommender.password);
    expect((await post(token, `/api/entries/${e.id}/recommend`).expect(200)).body).toMatchObject({ status: 'recommended' });
    w.a.recommender.token = token;
  });

  it('an enterprise: its accounts are signed out and refused; its data stays readable to the organizer', async () => {
    const ent = await createEnterprise(t, w.organizer, w.b.unit.id, { name: '停用企业😀有限公司' });
    const acc = await createEnterpriseAccount(t, w.organizer, ent.id);
    const off = await post(w.organizer, `/api/enterprises/${ent.id}/deactivate`).expect(200);
    expect(off.body).toMatchObject({ id: ent.id, name: '停用企业😀有限公司', status: 'approved', active: false });
    expectErrorBody((await t.http().get(`/api/enterprises/${ent.id}`).set(auth(acc.token)).expect(401)).body, 401, 'token_invalid');
    const refused = await t.http().post('/api/auth/login').send({ username: acc.username, password: acc.password }).expect(401);
    expectErrorBody(refused.body, 401, 'account_deactivated');
    expect(refused.body.message).toContain('企业已被组委会停用');
    expect((await t.http().get(`/api/enterprises/${ent.id}`).set(auth(w.organizer)).expect(200)).body).toMatchObject({ active: false });
    const inactive = (await t.http().get('/api/enterprises?active=false').set(auth(w.organizer)).expect(200)).body.items as Body[];
    expect(inactive.map((e) => e.id)).toEqual([ent.id]);
    await post(w.organizer, `/api/enterprises/${ent.id}/reactivate`).expect(200);
    await login(t, acc.username, acc.password);
  });

  it('only organizers may deactivate or reactivate (403 for every other role, 404 for an unknown id, 400 for a bad id)', async () => {
    for (const token of [w.admin, w.a.recommender.token, w.b.owner.token, w.expert]) {
      for (const path of [`/api/units/${w.b.unit.id}/deactivate`, `/api/enterprises/${w.b.enterprise.id}/deactivate`, `/api/experts/1/deactivate`, `/api/units/${w.b.unit.id}/reactivate`]) {
        expectErrorBody((await post(token, path).expect(403)).body, 403, 'forbidden');
      }
    }
    await t.http().post(`/api/units/${w.b.unit.id}/deactivate`).expect(401);
    for (const kind of ['units', 'enterprises', 'experts']) {
      expectErrorBody((await post(w.organizer, `/api/${kind}/999999/deactivate`).expect(404)).body, 404, 'not_found');
      expectErrorBody((await post(w.organizer, `/api/${kind}/abc/reactivate`).expect(400)).body, 400, 'invalid_id');
    }
    // Nothing changed.
    expect((await t.http().get(`/api/units/${w.b.unit.id}`).set(auth(w.organizer)).expect(200)).body.active).toBe(true);
  });
});

describe(`a deactivated expert is not put on panels nor assigned (${TEST_DB})`, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('refuses it on a new panel and as a new member, leaves it out of automatic assignment, refuses a manual pair; its login is refused', async () => {
    const w = await reviewWorld(t, [{ industry: '制造业' }, { industry: '制造业' }]);
    const track = (await createTrack(t, w.organizer, w.contest.id, { name: '制造类', industry: '制造业' })).id;
    await placeTracks(t, w.organizer, w.contest.id);
    const lead = await createExpert(t, w.organizer, { name: '组长专家' });
    const kept = await createExpert(t, w.organizer, { name: '在组专家' });
    const off = await createExpert(t, w.organizer, { name: '停用专家' });
    const panel = await createPanel(t, w.organizer, w.contest.id, { trackId: track, leaderExpertId: lead.id, memberExpertIds: [kept.id, off.id] });

    const res = await t.http().post(`/api/experts/${off.id}/deactivate`).set(auth(w.organizer)).expect(200);
    expect(res.body).toMatchObject({ id: off.id, name: '停用专家', active: false });
    expectErrorBody((await t.http().get('/api/experts/me/tasks').set(auth(off.account.token)).expect(401)).body, 401, 'token_invalid');
    const refused = await t.http().post('/api/auth/login').send({ username: off.account.username, password: off.account.password }).expect(401);
    expectErrorBody(refused.body, 401, 'account_deactivated');
    expect(refused.body.message).toContain('评审专家资格已被组委会停用');

    // Automatic (default) assignment leaves it out although it still sits on the panel (history).
    const assigned = await t.http().post(`/api/panels/${panel.id}/assignments/default`).set(auth(w.organizer)).expect(200);
    const experts = new Set((assigned.body.pairs as { expertId: number }[]).map((p) => p.expertId));
    expect([...experts].sort()).toEqual([lead.id, kept.id].sort());
    const auto = await t.http().post(`/api/panels/${panel.id}/assignments/auto`).set(auth(w.organizer)).send({ minJudgesPerEntry: 1, maxLoadPerExpert: 5, seed: 'x' }).expect(200);
    expect((auto.body.pairs as { expertId: number }[]).some((p) => p.expertId === off.id)).toBe(false);

    // A manual pair is refused with 409; so is putting it on another panel or back as a new member.
    const manual = await t.http().post(`/api/contests/${w.contest.id}/assignments`).set(auth(w.organizer)).send({ expertId: off.id, entryId: w.entries[0]!.id }).expect(409);
    expectErrorBody(manual.body, 409, 'expert_deactivated');
    expect(manual.body.message).toContain('已停用');
    // Keeping it while renaming is fine (it already sits there); removing then re-adding is not.
    await t.http().patch(`/api/panels/${panel.id}`).set(auth(w.organizer)).send({ name: '制造类评审组' }).expect(200);
    await t.http().patch(`/api/panels/${panel.id}`).set(auth(w.organizer)).send({ memberExpertIds: [kept.id] }).expect(200);
    const readd = await t.http().patch(`/api/panels/${panel.id}`).set(auth(w.organizer)).send({ memberExpertIds: [kept.id, off.id] }).expect(409);
    expectErrorBody(readd.body, 409, 'expert_deactivated');
    expect(readd.body.details).toEqual({ expertIds: [off.id] });
    const track2 = (await createTrack(t, w.organizer, w.contest.id, { name: '服务类', industry: '服务业' })).id;
    expectErrorBody((await t.http().post(`/api/contests/${w.contest.id}/panels`).set(auth(w.organizer)).send({ name: '服务组', trackId: track2, leaderExpertId: off.id, memberExpertIds: [] }).expect(409)).body, 409, 'expert_deactivated');

    // The experts list shows and filters the status; reactivated, it may be added again.
    expect(((await t.http().get('/api/experts?active=false').set(auth(w.organizer)).expect(200)).body.items as Body[]).map((x) => x.id)).toEqual([off.id]);
    await t.http().post(`/api/experts/${off.id}/reactivate`).set(auth(w.organizer)).expect(200);
    await t.http().patch(`/api/panels/${panel.id}`).set(auth(w.organizer)).send({ memberExpertIds: [kept.id, off.id] }).expect(200);
    const audit = await t.http().get(`/api/audit?targetType=expert&targetId=${off.id}`).set(auth(w.organizer)).expect(200);
    expect((audit.body.items as Body[]).map((e) => e.action).slice(0, 2)).toEqual(['expert.reactivate', 'expert.deactivate']);
  });
});
