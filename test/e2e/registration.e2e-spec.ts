import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openContest, type ContestOut } from '../factories/contests.js';
import { entryBody } from '../factories/entries.js';
import {
  type AccountOut, createEnterprise, createEnterpriseAccount, createExpert, createUnit, createUnitAccount, newUscc, registerEnterprise, type UnitOut,
} from '../factories/organisations.js';
import { ADMIN, createTestApp, createUser, expectErrorBody, login, TEST_DB, type TestApp } from '../support/test-app.js';

type Body = Record<string, unknown>;
const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const fieldCodes = (body: Body) => Object.fromEntries((body.errors as { field: string; code: string }[]).map((e) => [e.field, e.code]));
const REGISTER = '/api/public/enterprises/register';
const RECEIVED = { status: 'received', message: '注册申请已收到。若信息有效，审核结果将通过您预留的联系方式告知。' };

describe(`enterprise self-registration and the public unit list (${TEST_DB})`, () => {
  let t: TestApp;
  let admin: string;
  let organizer: string;
  let unitA: UnitOut;
  let unitB: UnitOut;
  let recommenderA: AccountOut;
  let recommenderB: AccountOut;
  let otherEnterprise: AccountOut;
  let expert: string;
  let contest: ContestOut;

  const enterpriseCount = async (): Promise<number> => (await t.http().get('/api/enterprises?pageSize=1').set(auth(organizer)).expect(200)).body.total as number;
  const userCount = async (): Promise<number> => (await t.http().get('/api/users?pageSize=1').set(auth(admin)).expect(200)).body.total as number;
  const auditCount = async (): Promise<number> => (await t.http().get('/api/audit?pageSize=1').set(auth(organizer)).expect(200)).body.total as number;
  const counts = async () => ({ enterprises: await enterpriseCount(), users: await userCount(), audit: await auditCount() });
  const valid = (over: { enterprise?: Body; account?: Body } = {}) => ({
    enterprise: { name: '自主注册测试企业', uscc: newUscc(), defaultUnitId: unitA.id, ...over.enterprise },
    account: { username: `reg-${Math.random().toString(36).slice(2, 10)}`, displayName: '联系人', password: 'Amber-海河-Lantern-42', ...over.account },
  });
  const statusOf = async (id: number): Promise<string> => (await t.http().get(`/api/enterprises/${id}`).set(auth(organizer)).expect(200)).body.status as string;

  beforeAll(async () => {
    // Many registrations from one address here; the limit itself is tested with an app of its own below.
    t = await createTestApp({ REGISTER_MAX_PER_IP: '1000' });
    admin = await login(t, ADMIN.username, ADMIN.password);
    organizer = (await createUser(t, admin, { username: 'organizer-1', role: 'organizer' })).token;
    unitA = await createUnit(t, organizer, { name: '滨海新区质量协会' });
    unitB = await createUnit(t, organizer, { name: '和平区五大道街道', kind: 'street_town' });
    recommenderA = await createUnitAccount(t, organizer, unitA.id);
    recommenderB = await createUnitAccount(t, organizer, unitB.id);
    otherEnterprise = await createEnterpriseAccount(t, organizer, (await createEnterprise(t, organizer, unitA.id)).id);
    expert = (await createExpert(t, organizer)).account.token;
    contest = await openContest(t, organizer);
  });
  afterAll(() => t.close());

  describe('GET /api/public/units', () => {
    it('lists every unit by id, name and kind, sorted by name (pinyin), to anyone', async () => {
      for (const name of ['天津市🏭制造业联合会', '北京市质量协会', '安徽省质量协会']) {
        await t.http().post('/api/units').set(auth(organizer)).send({ name, kind: 'industry_association', contactPerson: '保密联系人', phone: '13800000000' }).expect(201);
      }
      const res = await t.http().get('/api/public/units').expect(200);
      expect(res.body.map((u: Body) => u.name)).toEqual(['安徽省质量协会', '北京市质量协会', '滨海新区质量协会', '和平区五大道街道', '天津市🏭制造业联合会']);
      // Nothing but id, name and kind: no contact person or phone of a unit is public.
      for (const u of res.body as Body[]) expect(Object.keys(u).sort()).toEqual(['id', 'kind', 'name']);
      expect(res.body).toContainEqual({ id: unitB.id, name: '和平区五大道街道', kind: 'street_town' });
      expect(JSON.stringify(res.body)).not.toContain('保密联系人');
      // The same with any token (or a bad one: a public route does not look at it).
      for (const token of [organizer, recommenderA.token, expert, 'not-a-token']) {
        expect((await t.http().get('/api/public/units').set(auth(token)).expect(200)).body).toEqual(res.body);
      }
    });
  });

  describe('POST /api/public/enterprises/register', () => {
    it('registers a pending enterprise with its login in one go; Chinese text and emoji round-trip; audited as the system', async () => {
      const uscc = newUscc();
      const res = await t
        .http()
        .post(REGISTER)
        .send({
          enterprise: {
            name: '  天津🚀自主注册精密制造有限公司 ', uscc, industry: '制造业', address: '滨海新区第九大街 9 号', contactPerson: '钱七 😀', phone: '022-87654321转9',
            defaultUnitId: unitA.id,
          },
          account: { username: 'self.reg_01', displayName: '钱七（质量部）🧪', password: 'Amber-海河-Lantern-42' },
        })
        .expect(202);
      // The same answer as for a USCC or username on file (see below): no ids, nothing about accounts.
      expect(res.body).toEqual(RECEIVED);
      expect(res.headers['retry-after']).toBeUndefined();
      expect((await t.http().post(REGISTER).set('accept-language', 'en').send(valid()).expect(202)).body).toEqual({
        status: 'received', message: expect.stringMatching(/^Your registration has been received/),
      });

      // The login works at once and sees its own (pending) enterprise.
      const token = await login(t, 'self.reg_01', 'Amber-海河-Lantern-42');
      const me = (await t.http().get('/api/auth/me').set(auth(token)).expect(200)).body;
      expect(me).toMatchObject({ username: 'self.reg_01', displayName: '钱七（质量部）🧪', role: 'enterprise', active: true, unitId: null, expertId: null });
      const id = me.enterpriseId as number;
      const enterprise = (await t.http().get(`/api/enterprises/${id}`).set(auth(token)).expect(200)).body;
      expect(enterprise).toEqual({
        id, name: '天津🚀自主注册精密制造有限公司', uscc, industry: '制造业', address: '滨海新区第九大街 9 号', contactPerson: '钱七 😀',
        phone: '022-87654321转9', defaultUnitId: unitA.id, status: 'pending', statusReason: null, active: true, deactivatedAt: null, createdAt: expect.any(String), updatedAt: expect.any(String),
      });

      // Its unit's recommender sees it among the pending ones; another unit's does not.
      const pendingA = await t.http().get('/api/enterprises?status=pending').set(auth(recommenderA.token)).expect(200);
      expect(pendingA.body.items.map((e: Body) => e.id)).toContain(id);
      expect((await t.http().get('/api/enterprises?status=pending').set(auth(recommenderB.token)).expect(200)).body.items.map((e: Body) => e.id)).not.toContain(id);

      const audit = await t.http().get(`/api/audit?targetType=enterprise&targetId=${id}`).set(auth(organizer)).expect(200);
      expect(audit.body.items).toHaveLength(1);
      expect(audit.body.items[0]).toMatchObject({ action: 'enterprise.register', actorId: null, actorRole: 'system', requestId: expect.any(String), after: { status: 'pending', uscc } });
      const userAudit = await t.http().get(`/api/audit?targetType=user&targetId=${me.id}`).set(auth(organizer)).expect(200);
      expect(userAudit.body.items.map((e: Body) => [e.action, e.actorRole])).toEqual([['user.create', 'system']]);
      expect(userAudit.body.items[0].requestId).toBe(audit.body.items[0].requestId);
    });

    it('a pending enterprise cannot enter an achievement; once its unit\'s recommender approves, it can', async () => {
      const reg = await registerEnterprise(t, unitA.id);
      expect(reg.enterprise.status).toBe('pending');
      const refused = await t.http().post(`/api/contests/${contest.id}/entries`).set(auth(reg.account.token)).send(entryBody()).expect(403);
      expectErrorBody(refused.body, 403, 'enterprise_not_approved');

      // Nobody else decides: another unit's recommender is not told it exists; other roles are refused.
      for (const path of ['approve', 'reject']) {
        const body = path === 'reject' ? { reason: '越权' } : {};
        const foreign = await t.http().post(`/api/enterprises/${reg.enterprise.id}/${path}`).set(auth(recommenderB.token)).send(body).expect(404);
        expectErrorBody(foreign.body, 404, 'not_found');
        expect(foreign.body).not.toHaveProperty('status');
        for (const token of [reg.account.token, otherEnterprise.token, expert, admin]) {
          const res = await t.http().post(`/api/enterprises/${reg.enterprise.id}/${path}`).set(auth(token)).send(body).expect(403);
          expectErrorBody(res.body, 403, 'forbidden');
        }
        expectErrorBody((await t.http().post(`/api/enterprises/${reg.enterprise.id}/${path}`).send(body).expect(401)).body, 401, 'unauthenticated');
      }
      expect(await statusOf(reg.enterprise.id)).toBe('pending');

      const approved = await t.http().post(`/api/enterprises/${reg.enterprise.id}/approve`).set(auth(recommenderA.token)).expect(200);
      expect(approved.body).toMatchObject({ id: reg.enterprise.id, status: 'approved', statusReason: null, defaultUnitId: unitA.id });
      const audit = await t.http().get(`/api/audit?targetType=enterprise&targetId=${reg.enterprise.id}`).set(auth(organizer)).expect(200);
      expect(audit.body.items[0]).toMatchObject({ action: 'enterprise.approve', actorId: recommenderA.userId, actorRole: 'recommender', before: { status: 'pending' }, after: { status: 'approved' } });

      const entry = await t.http().post(`/api/contests/${contest.id}/entries`).set(auth(reg.account.token)).send(entryBody()).expect(201);
      expect(entry.body).toMatchObject({ enterpriseId: reg.enterprise.id, unitId: unitA.id, status: 'draft' });
    });

    it('the unit\'s recommender may reject with a reason the enterprise reads; an organizer may approve it later', async () => {
      const reg = await registerEnterprise(t, unitB.id, { name: '待驳回企业🙅' });
      const noReason = await t.http().post(`/api/enterprises/${reg.enterprise.id}/reject`).set(auth(recommenderB.token)).send({}).expect(400);
      expect(fieldCodes(noReason.body)).toEqual({ reason: 'required' });
      const rejected = await t.http().post(`/api/enterprises/${reg.enterprise.id}/reject`).set(auth(recommenderB.token)).send({ reason: '营业执照与名称不符 ❌' }).expect(200);
      expect(rejected.body).toMatchObject({ status: 'rejected', statusReason: '营业执照与名称不符 ❌' });
      expect((await t.http().get(`/api/enterprises/${reg.enterprise.id}`).set(auth(reg.account.token)).expect(200)).body).toMatchObject({
        status: 'rejected', statusReason: '营业执照与名称不符 ❌',
      });
      const refused = await t.http().post(`/api/contests/${contest.id}/entries`).set(auth(reg.account.token)).send(entryBody()).expect(403);
      expectErrorBody(refused.body, 403, 'enterprise_not_approved');
      // Rejected once is final for reject, but an organizer (or the unit) may still approve.
      expectErrorBody((await t.http().post(`/api/enterprises/${reg.enterprise.id}/reject`).set(auth(recommenderB.token)).send({ reason: '再次' }).expect(409)).body, 409, 'enterprise_status_conflict');
      expectErrorBody((await t.http().post(`/api/enterprises/${reg.enterprise.id}/approve`).set(auth(recommenderA.token)).expect(404)).body, 404, 'not_found');
      expect((await t.http().post(`/api/enterprises/${reg.enterprise.id}/approve`).set(auth(organizer)).expect(200)).body).toMatchObject({ status: 'approved', statusReason: null });
    });

    it('refuses bad USCCs (wrong check character, lower case, 17 characters) with the field code, writing nothing', async () => {
      const before = await counts();
      const good = newUscc();
      let lettered = newUscc();
      while (!/[A-Z]/.test(lettered.slice(2))) lettered = newUscc();
      const cases: [string, string][] = [
        [good.slice(0, 17) + (good[17] === '0' ? '1' : '0'), 'uscc_check_character'],
        [lettered.toLowerCase(), 'uscc_lowercase'],
        [good.slice(0, 17), 'uscc_length'],
      ];
      for (const [uscc, code] of cases) {
        const body = valid({ enterprise: { uscc }, account: { username: 'never-written' } });
        const res = await t.http().post(REGISTER).send(body).expect(400);
        expectErrorBody(res.body, 400, 'validation_failed');
        expect(fieldCodes(res.body)).toEqual({ 'enterprise.uscc': code });
        expect(typeof (res.body.errors as Body[])[0]!.message).toBe('string');
      }
      const en = await t.http().post(REGISTER).set('accept-language', 'en').send(valid({ enterprise: { uscc: cases[0]![0] } })).expect(400);
      expect((en.body.errors as Body[])[0]!.message).toMatch(/check character/);
      expect(await counts()).toEqual(before);
      // The username was not taken by any of these attempts.
      await t.http().post(REGISTER).send(valid({ account: { username: 'never-written' } })).expect(202);
      await login(t, 'never-written', 'Amber-海河-Lantern-42');
    });

    it('validates both parts strictly with field codes: unknown unit, username rules, password, unknown fields; writing nothing', async () => {
      const before = await counts();
      const cases: [unknown, Record<string, string>][] = [
        [valid({ enterprise: { defaultUnitId: 999999 } }), { 'enterprise.defaultUnitId': 'unit_not_found' }],
        [valid({ enterprise: { defaultUnitId: undefined } }), { 'enterprise.defaultUnitId': 'required' }],
        [valid({ enterprise: { defaultUnitId: String(unitA.id) } }), { 'enterprise.defaultUnitId': 'is_int' }],
        // A registrant cannot approve itself, nor pick its role or organisation.
        [valid({ enterprise: { status: 'approved' } }), { 'enterprise.status': 'unknown_field' }],
        [valid({ account: { role: 'organizer', enterpriseId: 1 } }), { 'account.role': 'unknown_field', 'account.enterpriseId': 'unknown_field' }],
        [valid({ enterprise: { name: '   ', phone: 'call me', uscc: 91 } }), { 'enterprise.name': 'min_length', 'enterprise.phone': 'matches', 'enterprise.uscc': 'is_string' }],
        [valid({ enterprise: { name: '🏆'.repeat(201) } }), { 'enterprise.name': 'max_length' }],
        [valid({ account: { username: 'a b' } }), { 'account.username': 'matches' }],
        [valid({ account: { username: '张三丰' } }), { 'account.username': 'matches' }],
        [valid({ account: { username: 'ab' } }), { 'account.username': 'matches' }],
        [valid({ account: { username: 'x'.repeat(65) } }), { 'account.username': 'matches' }],
        [valid({ account: { password: 'short', displayName: '  ' } }), { 'account.password': 'min_length', 'account.displayName': 'min_length' }],
        [valid({ account: { displayName: undefined } }), { 'account.displayName': 'required' }],
        [{ ...valid(), status: 'approved' }, { status: 'unknown_field' }],
        [{ enterprise: valid().enterprise }, { account: 'required' }],
        [{ enterprise: 'x', account: [] }, { enterprise: 'is_object', account: 'is_object' }],
        [{}, { enterprise: 'required', account: 'required' }],
      ];
      for (const [body, codes] of cases) {
        const res = await t.http().post(REGISTER).send(body as object);
        if (res.status !== 400) throw new Error(`${JSON.stringify(body)}: ${res.status} ${JSON.stringify(res.body)}`);
        expectErrorBody(res.body, 400, 'validation_failed');
        expect(fieldCodes(res.body)).toEqual(codes);
      }
      const notJson = await t.http().post(REGISTER).set('content-type', 'application/json').send('{"enterprise":').expect(400);
      expectErrorBody(notJson.body, 400, 'malformed_json');
      expect(await counts()).toEqual(before);
    });

    it('answers a registered USCC, a taken username and a fresh registration alike; only the fresh one is written, the owners get a notice in the audit trail', async () => {
      const existing = await registerEnterprise(t, unitA.id, { name: '已登记企业有限公司' });
      const before = await counts();
      const attacker = { name: '冒名企业有限公司', password: 'Cedar-津门-Harbor-93' };
      const attempt = (enterprise: Body, account: Body) =>
        t.http().post(REGISTER).send(valid({ enterprise: { name: attacker.name, ...enterprise }, account: { password: attacker.password, ...account } }));

      const answers = [
        await attempt({ uscc: existing.enterprise.uscc }, { username: 'fresh-after-uscc' }),
        await attempt({}, { username: existing.account.username }),
        await attempt({}, { username: recommenderA.username }),
        await attempt({}, { username: ADMIN.username }),
        await attempt({ uscc: existing.enterprise.uscc }, { username: existing.account.username }),
      ];
      const freshUscc = newUscc();
      const fresh = await attempt({ uscc: freshUscc }, { username: 'fresh-after-uscc' });
      // Status, body and content type: nothing tells the three apart.
      for (const res of [...answers, fresh]) {
        expect({ status: res.status, body: res.body, type: res.headers['content-type'] }).toEqual({ status: 202, body: RECEIVED, type: fresh.headers['content-type'] });
      }

      // Only the fresh one wrote an enterprise and a login (2 audit rows); each match left one notice row.
      expect(await counts()).toEqual({ enterprises: before.enterprises + 1, users: before.users + 1, audit: before.audit + 2 + 6 });
      expect((await t.http().get(`/api/enterprises?q=${freshUscc}`).set(auth(organizer)).expect(200)).body.items).toMatchObject([{ uscc: freshUscc, status: 'pending', name: attacker.name }]);
      expect((await t.http().get(`/api/enterprises/${existing.enterprise.id}`).set(auth(organizer)).expect(200)).body).toMatchObject({ name: '已登记企业有限公司' });

      // The owners keep their passwords; the caller's password opens nothing of theirs.
      await login(t, existing.account.username, existing.account.password);
      for (const username of [existing.account.username, recommenderA.username, ADMIN.username]) {
        expectErrorBody((await t.http().post('/api/auth/login').send({ username, password: attacker.password }).expect(401)).body, 401, 'invalid_credentials');
      }

      // The notice for the owner, for the notifications to pick up: which record matched, nothing the caller typed.
      const enterpriseNotes = (await t.http().get(`/api/audit?targetType=enterprise&targetId=${existing.enterprise.id}&action=enterprise.registration_attempt`).set(auth(organizer)).expect(200)).body.items as Body[];
      expect(enterpriseNotes).toHaveLength(2);
      expect(enterpriseNotes[0]).toMatchObject({ actorId: null, actorRole: 'system', requestId: expect.any(String), after: { matched: 'uscc', notifyOwner: true } });
      const userNotes = (await t.http().get(`/api/audit?targetType=user&targetId=${existing.account.userId}&action=user.registration_attempt`).set(auth(organizer)).expect(200)).body.items as Body[];
      expect(userNotes).toHaveLength(2);
      expect(userNotes[0]).toMatchObject({ actorRole: 'system', after: { matched: 'username', notifyOwner: true } });
      const adminNotes = await t.http().get(`/api/audit?targetType=user&action=user.registration_attempt`).set(auth(organizer)).expect(200);
      expect(adminNotes.body.total).toBe(4);
      expect(JSON.stringify([enterpriseNotes, adminNotes.body])).not.toMatch(/冒名|Cedar|fresh-after-uscc/);
    });

    it('refuses weak passwords with the reason in Chinese, whether the username exists or not, writing nothing', async () => {
      const before = await counts();
      const cases: [Body, Body, string][] = [
        [{}, { password: 'password' }, '常见密码'],
        [{}, { password: '12345678' }, '常见密码'],
        [{}, { username: 'qian.qi.2026', password: 'qian.qi.2026' }, '用户名'],
        [{}, { password: '13812345678' }, '手机号码'],
        [{}, { password: 'zhangwei1990' }, '拼音'],
        [{}, { password: 'woaini1314' }, '常见密码'],
        // Built from what the registration itself says: the enterprise's name, its phone.
        [{ name: '天津海河精密制造有限公司' }, { password: '天津海河精密制造有限公司!' }, '单位名称'],
        [{ phone: '13700001111' }, { password: 'x13700001111' }, '电话'],
      ];
      for (const [enterprise, account, zh] of cases) {
        for (const username of [undefined, recommenderA.username]) {
          const body = valid({ enterprise, account: username && !account.username ? { ...account, username } : account });
          const res = await t.http().post(REGISTER).send(body);
          if (res.status !== 400) throw new Error(`${JSON.stringify(body)}: ${res.status} ${JSON.stringify(res.body)}`);
          expectErrorBody(res.body, 400, 'validation_failed');
          expect(res.body.errors).toEqual([{ field: 'account.password', code: 'weak_password', message: expect.stringContaining(zh) }]);
        }
      }
      // Together with other field problems, in one answer.
      const both = await t.http().post(REGISTER).send(valid({ enterprise: { defaultUnitId: 999999 }, account: { password: '12345678' } })).expect(400);
      expect(fieldCodes(both.body)).toEqual({ 'enterprise.defaultUnitId': 'unit_not_found', 'account.password': 'weak_password' });
      expect(await counts()).toEqual(before);
    });
  });

  it('the audit chain verifies after all of this', async () => {
    expect((await t.http().post('/api/audit/verify').set(auth(organizer)).expect(200)).body).toMatchObject({ ok: true, firstBroken: null });
  });
});
