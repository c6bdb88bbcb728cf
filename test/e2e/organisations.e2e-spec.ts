import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import argon2 from 'argon2';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource } from 'typeorm';
import {
  type AccountOut, createEnterprise, createEnterpriseAccount, createExpert, createUnit, createUnitAccount, type EnterpriseOut, type ExpertOut,
  newUscc, type UnitOut,
} from '../factories/organisations.js';
import { createContest } from '../factories/contests.js';
import { ADMIN, createTestApp, createUser, expectErrorBody, login, TEST_DB, type TestApp } from '../support/test-app.js';

type Body = Record<string, unknown>;
const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const fieldCodes = (body: Body) => Object.fromEntries((body.errors as { field: string; code: string }[]).map((e) => [e.field, e.code]));

describe(`organisations: units, enterprises, experts and their accounts (${TEST_DB})`, () => {
  let t: TestApp;
  let admin: string;
  let organizer: string;
  // Two of each, so that every check has an own and a foreign object.
  let unitA: UnitOut;
  let unitB: UnitOut;
  let entA: EnterpriseOut;
  let entB: EnterpriseOut;
  let expertA: ExpertOut & { account: AccountOut };
  let expertB: ExpertOut & { account: AccountOut };
  let recommenderA: AccountOut;
  let enterpriseA: AccountOut;

  const count = async (path: string): Promise<number> =>
    (await t.http().get(`${path}${path.includes('?') ? '&' : '?'}pageSize=1`).set(auth(organizer)).expect(200)).body.total as number;
  const userCount = async (): Promise<number> => (await t.http().get('/api/users?pageSize=1').set(auth(admin)).expect(200)).body.total as number;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await login(t, ADMIN.username, ADMIN.password);
    organizer = (await createUser(t, admin, { username: 'organizer-1', role: 'organizer' })).token;
    unitA = await createUnit(t, organizer, { name: '滨海新区质量协会' });
    unitB = await createUnit(t, organizer, { name: '某街道办事处', kind: 'street_town' });
    entA = await createEnterprise(t, organizer, unitA.id);
    entB = await createEnterprise(t, organizer, unitB.id);
    expertA = await createExpert(t, organizer);
    expertB = await createExpert(t, organizer, { employerEnterpriseId: entB.id });
    recommenderA = await createUnitAccount(t, organizer, unitA.id);
    enterpriseA = await createEnterpriseAccount(t, organizer, entA.id);
  });
  afterAll(() => t.close());

  describe('recommending units', () => {
    it('creates, reads, lists and changes a unit; Chinese text and emoji round-trip; the change is audited', async () => {
      const created = await t
        .http()
        .post('/api/units')
        .set(auth(organizer))
        .send({ name: '  天津市🏭制造业联合会  ', kind: 'industry_association', contactPerson: '王五 😀', phone: '022-12345678转8' })
        .expect(201);
      expect(created.body).toEqual({
        id: expect.any(Number),
        name: '天津市🏭制造业联合会',
        kind: 'industry_association',
        contactPerson: '王五 😀',
        phone: '022-12345678转8',
        active: true,
        deactivatedAt: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const id = created.body.id as number;
      expect((await t.http().get(`/api/units/${id}`).set(auth(organizer)).expect(200)).body).toEqual(created.body);

      const found = await t.http().get(`/api/units?q=${encodeURIComponent('制造业')}&kind=industry_association`).set(auth(organizer)).expect(200);
      expect(found.body).toMatchObject({ total: 1, page: 1, pageSize: 50 });
      expect(found.body.items[0].name).toBe('天津市🏭制造业联合会');
      // LIKE wildcards in the search text are literal.
      expect((await t.http().get(`/api/units?q=${encodeURIComponent('%')}`).set(auth(organizer)).expect(200)).body.total).toBe(0);

      const changed = await t.http().patch(`/api/units/${id}`).set(auth(organizer)).send({ kind: 'other', contactPerson: null }).expect(200);
      expect(changed.body).toMatchObject({ id, name: '天津市🏭制造业联合会', kind: 'other', contactPerson: null, phone: '022-12345678转8' });

      const audit = await t.http().get(`/api/audit?targetType=unit&targetId=${id}`).set(auth(organizer)).expect(200);
      expect(audit.body.items.map((e: Body) => e.action)).toEqual(['unit.update', 'unit.create']);
      expect(audit.body.items[0]).toMatchObject({ before: { kind: 'industry_association', contactPerson: '王五 😀' }, after: { kind: 'other', contactPerson: null } });
    });

    it('refuses a taken name with 409, on create and on rename, and writes nothing', async () => {
      const before = await count('/api/units');
      const dup = await t.http().post('/api/units').set(auth(organizer)).send({ name: '滨海新区质量协会', kind: 'other' }).expect(409);
      expectErrorBody(dup.body, 409, 'unit_name_taken');
      const rename = await t.http().patch(`/api/units/${unitB.id}`).set(auth(organizer)).send({ name: '滨海新区质量协会' }).expect(409);
      expectErrorBody(rename.body, 409, 'unit_name_taken');
      expect(await count('/api/units')).toBe(before);
      expect((await t.http().get(`/api/units/${unitB.id}`).set(auth(organizer)).expect(200)).body.name).toBe('某街道办事处');
    });

    it('validates the body with field codes and writes nothing', async () => {
      const before = await count('/api/units');
      const res = await t
        .http()
        .post('/api/units')
        .set(auth(organizer))
        .send({ name: '   ', kind: 'ministry', phone: 'call me', contactPerson: 7, extra: true })
        .expect(400);
      expectErrorBody(res.body, 400, 'validation_failed');
      expect(fieldCodes(res.body)).toEqual({ name: 'min_length', kind: 'is_in', phone: 'matches', contactPerson: 'is_string', extra: 'unknown_field' });
      // 200 characters is the column's limit, counted in characters (an emoji is one).
      const long = await t.http().post('/api/units').set(auth(organizer)).send({ name: '🏆'.repeat(201), kind: 'other' }).expect(400);
      expect(fieldCodes(long.body)).toEqual({ name: 'max_length' });
      const missing = await t.http().post('/api/units').set(auth(organizer)).send({}).expect(400);
      expect(fieldCodes(missing.body)).toEqual({ name: 'required', kind: 'required' });
      // A required field cannot be cleared.
      const nulled = await t.http().patch(`/api/units/${unitA.id}`).set(auth(organizer)).send({ name: null, kind: null }).expect(400);
      expect(fieldCodes(nulled.body)).toEqual({ name: 'required', kind: 'required' });
      expect(await count('/api/units')).toBe(before);
      const ok = await t.http().post('/api/units').set(auth(organizer)).send({ name: '🏆'.repeat(200), kind: 'other' }).expect(201);
      expect([...(ok.body.name as string)]).toHaveLength(200);
    });

    it('answers 400 for a non-numeric id or bad query, and 404 for an unknown id', async () => {
      expectErrorBody((await t.http().get('/api/units/abc').set(auth(organizer)).expect(400)).body, 400, 'invalid_id');
      expectErrorBody((await t.http().get('/api/units/999999').set(auth(organizer)).expect(404)).body, 404, 'not_found');
      expectErrorBody((await t.http().patch('/api/units/999999').set(auth(organizer)).send({ kind: 'other' }).expect(404)).body, 404, 'not_found');
      const bad = await t.http().get('/api/units?pageSize=0&kind=x').set(auth(organizer)).expect(400);
      expect(fieldCodes(bad.body)).toEqual({ pageSize: 'min', kind: 'is_in' });
    });
  });

  describe('enterprises', () => {
    it('registers an approved enterprise with a valid USCC; Chinese text and emoji round-trip', async () => {
      const uscc = newUscc();
      const res = await t
        .http()
        .post('/api/enterprises')
        .set(auth(organizer))
        .send({ name: '天津🚀精密制造有限公司', uscc, industry: '制造业', address: '滨海新区第三大街 1 号', contactPerson: '李四', phone: '13800138000', defaultUnitId: unitA.id })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.any(Number), name: '天津🚀精密制造有限公司', uscc, industry: '制造业', address: '滨海新区第三大街 1 号', contactPerson: '李四',
        phone: '13800138000', defaultUnitId: unitA.id, status: 'approved', statusReason: null, active: true, deactivatedAt: null, createdAt: expect.any(String), updatedAt: expect.any(String),
      });
      expect((await t.http().get(`/api/enterprises/${res.body.id}`).set(auth(organizer)).expect(200)).body).toEqual(res.body);
      const byUscc = await t.http().get(`/api/enterprises?q=${uscc}`).set(auth(organizer)).expect(200);
      expect(byUscc.body.items.map((e: Body) => e.id)).toEqual([res.body.id]);
      const byUnit = await t.http().get(`/api/enterprises?defaultUnitId=${unitA.id}&status=approved`).set(auth(organizer)).expect(200);
      expect(byUnit.body.items.map((e: Body) => e.id)).toEqual([entA.id, res.body.id]);
      // Without a default unit too.
      const free = await t.http().post('/api/enterprises').set(auth(organizer)).send({ name: '无推荐单位企业', uscc: newUscc() }).expect(201);
      expect(free.body).toMatchObject({ defaultUnitId: null, industry: null, status: 'approved' });
    });

    it('refuses a USCC that fails its checks, naming what is wrong, and writes nothing', async () => {
      const before = await count('/api/enterprises');
      const good = newUscc();
      const wrongCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
      let lettered = newUscc();
      while (!/[A-Z]/.test(lettered.slice(2))) lettered = newUscc();
      const cases: [string, string][] = [
        [wrongCheck, 'uscc_check_character'],
        [lettered.toLowerCase(), 'uscc_lowercase'],
        ['91120116', 'uscc_length'],
        ['91120116MA05ABCDIX', 'uscc_charset'],
      ];
      for (const [uscc, code] of cases) {
        const res = await t.http().post('/api/enterprises').set(auth(organizer)).send({ name: '错误代码企业', uscc }).expect(400);
        expectErrorBody(res.body, 400, 'validation_failed');
        expect(fieldCodes(res.body)).toEqual({ uscc: code });
        expect(typeof (res.body.errors as Body[])[0]!.message).toBe('string');
      }
      const en = await t.http().post('/api/enterprises').set(auth(organizer)).set('accept-language', 'en').send({ name: 'X', uscc: wrongCheck }).expect(400);
      expect((en.body.errors as Body[])[0]!.message).toMatch(/check character/);
      const noUnit = await t.http().post('/api/enterprises').set(auth(organizer)).send({ name: 'X', uscc: newUscc(), defaultUnitId: 999999 }).expect(400);
      expect(fieldCodes(noUnit.body)).toEqual({ defaultUnitId: 'unit_not_found' });
      const types = await t.http().post('/api/enterprises').set(auth(organizer)).send({ name: 1, uscc: 91, defaultUnitId: '1', status: 'approved' }).expect(400);
      expect(fieldCodes(types.body)).toEqual({ name: 'is_string', uscc: 'is_string', defaultUnitId: 'is_int', status: 'unknown_field' });
      expect(await count('/api/enterprises')).toBe(before);
    });

    it('refuses a USCC registered already with 409, on create and on change', async () => {
      const before = await count('/api/enterprises');
      expectErrorBody((await t.http().post('/api/enterprises').set(auth(organizer)).send({ name: '重复企业', uscc: entA.uscc }).expect(409)).body, 409, 'uscc_taken');
      expectErrorBody((await t.http().patch(`/api/enterprises/${entB.id}`).set(auth(organizer)).send({ uscc: entA.uscc }).expect(409)).body, 409, 'uscc_taken');
      expect(await count('/api/enterprises')).toBe(before);
      expect((await t.http().get(`/api/enterprises/${entB.id}`).set(auth(organizer)).expect(200)).body.uscc).toBe(entB.uscc);
    });

    it('lets a recommender register an enterprise of its own unit, pending until approved or rejected', async () => {
      const res = await t.http().post('/api/enterprises').set(auth(recommenderA.token)).send({ name: '待审核企业', uscc: newUscc() }).expect(201);
      expect(res.body).toMatchObject({ status: 'pending', defaultUnitId: unitA.id, statusReason: null });
      const foreign = await t.http().post('/api/enterprises').set(auth(recommenderA.token)).send({ name: '他人企业', uscc: newUscc(), defaultUnitId: unitB.id }).expect(403);
      expectErrorBody(foreign.body, 403, 'unit_not_own');
      const id = res.body.id as number;

      const noReason = await t.http().post(`/api/enterprises/${id}/reject`).set(auth(organizer)).send({ reason: '  ' }).expect(400);
      expect(fieldCodes(noReason.body)).toEqual({ reason: 'min_length' });
      const rejected = await t.http().post(`/api/enterprises/${id}/reject`).set(auth(organizer)).send({ reason: '营业执照信息不符 ❌' }).expect(200);
      expect(rejected.body).toMatchObject({ status: 'rejected', statusReason: '营业执照信息不符 ❌' });
      expectErrorBody((await t.http().post(`/api/enterprises/${id}/reject`).set(auth(organizer)).send({ reason: '再次' }).expect(409)).body, 409, 'enterprise_status_conflict');
      const approved = await t.http().post(`/api/enterprises/${id}/approve`).set(auth(organizer)).expect(200);
      expect(approved.body).toMatchObject({ status: 'approved', statusReason: null });
      expectErrorBody((await t.http().post(`/api/enterprises/${id}/approve`).set(auth(organizer)).expect(409)).body, 409, 'enterprise_status_conflict');
      expectErrorBody((await t.http().post('/api/enterprises/999999/approve').set(auth(organizer)).expect(404)).body, 404, 'not_found');

      const audit = await t.http().get(`/api/audit?targetType=enterprise&targetId=${id}`).set(auth(organizer)).expect(200);
      expect(audit.body.items.map((e: Body) => e.action)).toEqual(['enterprise.approve', 'enterprise.reject', 'enterprise.create']);
      expect(audit.body.items[2].actorRole).toBe('recommender');
    });

    it('refuses the approval of a recommender\'s registration by that same recommender (403 same_person_approval); a colleague or an organizer may approve', async () => {
      const colleagueName = `unit-colleague-${Date.now() % 100000}`;
      const colleaguePassword = 'Qc-评审-2026-北辰!';
      await t.http().post(`/api/units/${unitA.id}/accounts`).set(auth(organizer)).send({ username: colleagueName, password: colleaguePassword }).expect(201);
      const colleague = await login(t, colleagueName, colleaguePassword);

      const own = await t.http().post('/api/enterprises').set(auth(recommenderA.token)).send({ name: '自荐自批企业', uscc: newUscc() }).expect(201);
      const self = await t.http().post(`/api/enterprises/${own.body.id}/approve`).set(auth(recommenderA.token)).expect(403);
      expectErrorBody(self.body, 403, 'same_person_approval');
      expect(self.body.message).toMatch(/登记人不能审核通过/);
      const en = await t.http().post(`/api/enterprises/${own.body.id}/approve`).set(auth(recommenderA.token)).set('accept-language', 'en').expect(403);
      expect(en.body.message).toMatch(/cannot approve/);
      expect((await t.http().get(`/api/enterprises/${own.body.id}`).set(auth(organizer)).expect(200)).body.status).toBe('pending');
      // It may still withdraw its own registration; once rejected, approving it again is still someone else's call.
      await t.http().post(`/api/enterprises/${own.body.id}/reject`).set(auth(recommenderA.token)).send({ reason: '登记有误，撤回' }).expect(200);
      expectErrorBody((await t.http().post(`/api/enterprises/${own.body.id}/approve`).set(auth(recommenderA.token)).expect(403)).body, 403, 'same_person_approval');
      const byColleague = await t.http().post(`/api/enterprises/${own.body.id}/approve`).set(auth(colleague)).expect(200);
      expect(byColleague.body).toMatchObject({ id: own.body.id, status: 'approved', statusReason: null });

      const second = await t.http().post('/api/enterprises').set(auth(recommenderA.token)).send({ name: '组委会审核企业', uscc: newUscc() }).expect(201);
      expect((await t.http().post(`/api/enterprises/${second.body.id}/approve`).set(auth(organizer)).expect(200)).body.status).toBe('approved');
      const audit = await t.http().get(`/api/audit?targetType=enterprise&targetId=${own.body.id}`).set(auth(organizer)).expect(200);
      expect(audit.body.items.map((e: Body) => e.action)).toEqual(['enterprise.approve', 'enterprise.reject', 'enterprise.create']);
    });

    it('lets an enterprise change its own contact fields only', async () => {
      const res = await t.http().patch(`/api/enterprises/${entA.id}`).set(auth(enterpriseA.token)).send({ contactPerson: '赵六 👩‍🔧', phone: '+86 22 8888 9999', address: null }).expect(200);
      expect(res.body).toMatchObject({ id: entA.id, name: entA.name, contactPerson: '赵六 👩‍🔧', phone: '+86 22 8888 9999', address: null });
      const locked = await t.http().patch(`/api/enterprises/${entA.id}`).set(auth(enterpriseA.token)).send({ name: '改名', defaultUnitId: unitB.id, phone: '110' }).expect(403);
      expectErrorBody(locked.body, 403, 'field_not_editable');
      expect(fieldCodes(locked.body)).toEqual({ name: 'field_not_editable', defaultUnitId: 'field_not_editable' });
      const after = (await t.http().get(`/api/enterprises/${entA.id}`).set(auth(organizer)).expect(200)).body;
      expect(after).toMatchObject({ name: entA.name, defaultUnitId: unitA.id, phone: '+86 22 8888 9999' });
    });
  });

  describe('experts', () => {
    it('creates experts employed by an enterprise, a unit or another body; Chinese text and emoji round-trip', async () => {
      const byUnit = await t
        .http()
        .post('/api/experts')
        .set(auth(organizer))
        .send({ name: '陈七', employerKind: 'unit', employerUnitId: unitA.id, title: '高级工程师', fields: ['制造', '质量管理 📈', '制造'], phone: '13900000000' })
        .expect(201);
      expect(byUnit.body).toEqual({
        id: expect.any(Number), name: '陈七', employerKind: 'unit', employerEnterpriseId: null, employerUnitId: unitA.id, employerName: null,
        title: '高级工程师', fields: ['制造', '质量管理 📈'], phone: '13900000000', active: true, deactivatedAt: null, createdAt: expect.any(String), updatedAt: expect.any(String),
      });
      expect((await t.http().get(`/api/experts/${byUnit.body.id}`).set(auth(organizer)).expect(200)).body).toEqual(byUnit.body);
      const other = await t.http().post('/api/experts').set(auth(organizer)).send({ name: '周八🎓', employerKind: 'other', employerName: '南开大学' }).expect(201);
      expect(other.body).toMatchObject({ name: '周八🎓', employerKind: 'other', employerName: '南开大学', fields: [] });
      const list = await t.http().get('/api/experts?employerKind=unit').set(auth(organizer)).expect(200);
      expect(list.body.items.map((x: Body) => x.id)).toEqual([byUnit.body.id]);
      expect((await t.http().get(`/api/experts?q=${encodeURIComponent('周八')}`).set(auth(organizer)).expect(200)).body.total).toBe(1);
    });

    it('refuses an inconsistent employer with field codes, and writes nothing', async () => {
      const before = await count('/api/experts');
      const cases: [Body, Record<string, string>][] = [
        [{ employerKind: 'enterprise' }, { employerEnterpriseId: 'required' }],
        [{ employerKind: 'unit', employerUnitId: unitA.id, employerEnterpriseId: entA.id }, { employerEnterpriseId: 'not_allowed' }],
        [{ employerKind: 'other' }, { employerName: 'required' }],
        [{ employerKind: 'enterprise', employerEnterpriseId: 999999 }, { employerEnterpriseId: 'enterprise_not_found' }],
        [{ employerKind: 'unit', employerUnitId: 999999 }, { employerUnitId: 'unit_not_found' }],
        [{ employerKind: 'boss', fields: 'x' }, { employerKind: 'is_in', fields: 'is_array' }],
        [{ employerKind: 'other', employerName: 'x', fields: [''] }, { fields: 'min_length' }],
        [{ employerKind: 'other', employerName: 'x', fields: ['a'.repeat(51)] }, { fields: 'max_length' }],
      ];
      for (const [body, codes] of cases) {
        const res = await t.http().post('/api/experts').set(auth(organizer)).send({ name: '不合格专家', ...body }).expect(400);
        expectErrorBody(res.body, 400, 'validation_failed');
        expect(fieldCodes(res.body)).toEqual(codes);
      }
      expect(await count('/api/experts')).toBe(before);
    });

    it('replaces the employer as a whole on change', async () => {
      const x = await createExpert(t, organizer, { employerEnterpriseId: entA.id });
      const moved = await t.http().patch(`/api/experts/${x.id}`).set(auth(organizer)).send({ employerKind: 'unit', employerUnitId: unitB.id }).expect(200);
      expect(moved.body).toMatchObject({ employerKind: 'unit', employerEnterpriseId: null, employerUnitId: unitB.id });
      const bad = await t.http().patch(`/api/experts/${x.id}`).set(auth(organizer)).send({ employerKind: 'enterprise' }).expect(400);
      expect(fieldCodes(bad.body)).toEqual({ employerEnterpriseId: 'required' });
      const renamed = await t.http().patch(`/api/experts/${x.id}`).set(auth(organizer)).send({ name: '新名字', fields: ['建设工程'] }).expect(200);
      expect(renamed.body).toMatchObject({ name: '新名字', fields: ['建设工程'], employerKind: 'unit', employerUnitId: unitB.id });
    });
  });

  describe('accounts of organisations', () => {
    it('creates logins tied to their organisation', async () => {
      const me = await t.http().get('/api/auth/me').set(auth(recommenderA.token)).expect(200);
      expect(me.body).toMatchObject({ role: 'recommender', unitId: unitA.id, enterpriseId: null, expertId: null, displayName: '滨海新区质量协会' });
      expect((await t.http().get('/api/auth/me').set(auth(enterpriseA.token)).expect(200)).body).toMatchObject({ role: 'enterprise', enterpriseId: entA.id });
      expect((await t.http().get('/api/auth/me').set(auth(expertA.account.token)).expect(200)).body).toMatchObject({ role: 'expert', expertId: expertA.id });
      const named = await t.http().post(`/api/units/${unitB.id}/accounts`).set(auth(organizer)).send({ username: 'street-office', displayName: '街道 🏠 经办人', password: 'Amber-海河-Lantern-42' }).expect(201);
      expect(named.body).toMatchObject({ username: 'street-office', displayName: '街道 🏠 经办人', role: 'recommender', unitId: unitB.id });
      expect(JSON.stringify(named.body)).not.toMatch(/password/i);
    });

    it('refuses weak initial passwords with the reason in Chinese, also one built from the organisation\'s name, writing nothing', async () => {
      const before = await userCount();
      const unitName = (await t.http().get(`/api/units/${unitB.id}`).set(auth(organizer)).expect(200)).body.name as string;
      const loneExpert = (await t.http().post('/api/experts').set(auth(organizer)).send({ name: '尚无账号的专家', employerKind: 'other', employerName: '某研究院' }).expect(201)).body.id as number;
      const cases: [string, Body, string][] = [
        [`/api/units/${unitB.id}/accounts`, { username: 'weak-unit', password: '12345678' }, '常见密码'],
        [`/api/enterprises/${entB.id}/accounts`, { username: 'weak-ent', password: 'weak-ent-2026' }, '用户名'],
        [`/api/experts/${loneExpert}/accounts`, { username: 'weak-expert', password: '18612345678' }, '手机号码'],
        // Without a display name the account is named after the unit; with one, the unit's name is still refused.
        [`/api/units/${unitB.id}/accounts`, { username: 'weak-unit', password: `${unitName}2026!` }, '姓名或显示名称'],
        [`/api/units/${unitB.id}/accounts`, { username: 'weak-unit', displayName: '经办人', password: `${unitName}2026!` }, '单位名称'],
      ];
      for (const [path, body, zh] of cases) {
        const res = await t.http().post(path).set(auth(organizer)).send(body).expect(400);
        expectErrorBody(res.body, 400, 'validation_failed');
        expect(res.body.errors).toEqual([{ field: 'password', code: 'weak_password', message: expect.stringContaining(zh) }]);
      }
      expect(await userCount()).toBe(before);
    });

    it('refuses an initial password built from the newest contest\'s name, as the database has it, writing nothing', async () => {
      const contest = await createContest(t, organizer, { name: '2026年滨海新区质量攻关活动 🏆' });
      const before = await userCount();
      const res = await t.http().post(`/api/units/${unitB.id}/accounts`).set(auth(organizer)).send({ username: 'contest-pw', password: `Go${contest.name}!` }).expect(400);
      expectErrorBody(res.body, 400, 'validation_failed');
      expect(res.body.errors).toEqual([{ field: 'password', code: 'weak_password', message: expect.stringContaining('评比名称') }]);
      expect(await userCount()).toBe(before);
    });

    it('refuses a taken username, a second login for an expert, a bad body and an unknown organisation, writing nothing', async () => {
      const before = await userCount();
      const taken = await t.http().post(`/api/enterprises/${entB.id}/accounts`).set(auth(organizer)).send({ username: recommenderA.username, password: 'Amber-海河-Lantern-42' }).expect(409);
      expectErrorBody(taken.body, 409, 'username_taken');
      const second = await t.http().post(`/api/experts/${expertA.id}/accounts`).set(auth(organizer)).send({ username: 'expert-second', password: 'Amber-海河-Lantern-42' }).expect(409);
      expectErrorBody(second.body, 409, 'expert_has_account');
      const bad = await t.http().post(`/api/units/${unitB.id}/accounts`).set(auth(organizer)).send({ username: 'a b', password: 'short', role: 'admin' }).expect(400);
      expect(fieldCodes(bad.body)).toEqual({ username: 'matches', password: 'min_length', role: 'unknown_field' });
      for (const path of ['units', 'enterprises', 'experts']) {
        const res = await t.http().post(`/api/${path}/999999/accounts`).set(auth(organizer)).send({ username: `ghost-${path}`, password: 'Amber-海河-Lantern-42' }).expect(404);
        expectErrorBody(res.body, 404, 'not_found');
      }
      expect(await userCount()).toBe(before);
    });

    it('hashes the initial password before its transaction opens (on SQLite one at a time: a hash inside held every other write back)', async () => {
      // Each transaction's work runs in a marked async context; each argon2 hash records whether it started in one
      // (its own request's transaction, not whatever else the service has open meanwhile).
      const manager = t.app.get(DataSource).manager;
      const transaction = manager.transaction;
      const inTransaction = new AsyncLocalStorage<true>();
      manager.transaction = ((...args: unknown[]) => inTransaction.run(true, () => (transaction as (...a: unknown[]) => Promise<unknown>).apply(manager, args))) as typeof manager.transaction;
      const hash = argon2.hash;
      const hashedInTransaction: boolean[] = [];
      argon2.hash = ((...args: Parameters<typeof argon2.hash>) => {
        hashedInTransaction.push(inTransaction.getStore() ?? false);
        return hash.apply(argon2, args);
      }) as typeof argon2.hash;
      try {
        const lone = (await t.http().post('/api/experts').set(auth(organizer)).send({ name: '先于事务哈希的专家', employerKind: 'other', employerName: '某研究院' }).expect(201)).body.id as number;
        for (const [path, username] of [[`/api/units/${unitB.id}/accounts`, 'hash-first-u'], [`/api/enterprises/${entB.id}/accounts`, 'hash-first-e'], [`/api/experts/${lone}/accounts`, 'hash-first-x']]) {
          await t.http().post(path).set(auth(organizer)).send({ username, password: 'Amber-海河-Lantern-42' }).expect(201);
        }
        await t.http().post('/api/users').set(auth(admin)).send({ username: 'hash-first-o', displayName: '先哈希', role: 'organizer', password: 'Amber-海河-Lantern-42' }).expect(201);
      } finally {
        manager.transaction = transaction;
        argon2.hash = hash;
      }
      expect(hashedInTransaction).toEqual([false, false, false, false]);
      // The accounts work with that hash.
      await login(t, 'hash-first-e', 'Amber-海河-Lantern-42');
    });
  });

  describe('authorisation', () => {
    let others: Record<'admin' | 'recommender' | 'enterprise' | 'expert', string>;
    beforeAll(() => {
      others = { admin, recommender: recommenderA.token, enterprise: enterpriseA.token, expert: expertA.account.token };
    });

    /** A refusal: the status and code, and no organisation data in the body. */
    const refused = (res: { status: number; body: Body }, status: number, code: string) => {
      expect(res.status).toBe(status);
      expectErrorBody(res.body, status, code);
      expect(res.body).not.toHaveProperty('name');
      expect(res.body).not.toHaveProperty('items');
    };

    it('organizer-only writes are refused to every other role, for own and foreign organisations, and to anonymous callers', async () => {
      const before = { units: await count('/api/units'), enterprises: await count('/api/enterprises'), experts: await count('/api/experts'), users: await userCount() };
      const writes: [string, string, Body][] = [];
      for (const [unit, ent, x] of [[unitA, entA, expertA], [unitB, entB, expertB]] as const) {
        writes.push(
          ['post', '/api/units', { name: '越权单位', kind: 'other' }],
          ['patch', `/api/units/${unit.id}`, { kind: 'other' }],
          ['post', `/api/units/${unit.id}/accounts`, { username: 'sneaky-u', password: 'Amber-海河-Lantern-42' }],
          ['post', `/api/enterprises/${ent.id}/approve`, {}],
          ['post', `/api/enterprises/${ent.id}/reject`, { reason: '越权' }],
          ['post', `/api/enterprises/${ent.id}/accounts`, { username: 'sneaky-e', password: 'Amber-海河-Lantern-42' }],
          ['post', '/api/experts', { name: '越权专家', employerKind: 'other', employerName: 'x' }],
          ['patch', `/api/experts/${x.id}`, { name: '越权' }],
          ['post', `/api/experts/${x.id}/accounts`, { username: 'sneaky-x', password: 'Amber-海河-Lantern-42' }],
        );
      }
      // The recommender of an enterprise's default unit may approve or reject it: checked below and in registration.e2e-spec.ts.
      const decision = /^\/api\/enterprises\/\d+\/(approve|reject)$/;
      for (const [role, token] of Object.entries(others)) {
        for (const [method, path, body] of writes) {
          if (role === 'recommender' && decision.test(path)) continue;
          const res = await (method === 'post' ? t.http().post(path) : t.http().patch(path)).set(auth(token)).send(body);
          if (res.status !== 403) throw new Error(`${role} ${method} ${path}: ${res.status}`);
          refused(res, 403, 'forbidden');
        }
      }
      for (const [method, path, body] of writes) {
        const res = await (method === 'post' ? t.http().post(path) : t.http().patch(path)).send(body);
        refused(res, 401, 'unauthenticated');
      }
      // A recommender decides on the enterprises of its own unit only: another unit's are not found.
      refused(await t.http().post(`/api/enterprises/${entB.id}/approve`).set(auth(recommenderA.token)), 404, 'not_found');
      refused(await t.http().post(`/api/enterprises/${entB.id}/reject`).set(auth(recommenderA.token)).send({ reason: '越权' }), 404, 'not_found');
      // Its own unit's enterprise is already approved: allowed to decide, but not from this status.
      refused(await t.http().post(`/api/enterprises/${entA.id}/approve`).set(auth(recommenderA.token)), 409, 'enterprise_status_conflict');
      refused(await t.http().post(`/api/enterprises/${entA.id}/reject`).set(auth(recommenderA.token)).send({ reason: '越权' }), 409, 'enterprise_status_conflict');
      expect({ units: await count('/api/units'), enterprises: await count('/api/enterprises'), experts: await count('/api/experts'), users: await userCount() }).toEqual(before);
      expect((await t.http().get(`/api/units/${unitA.id}`).set(auth(organizer)).expect(200)).body.kind).toBe('industry_association');
      for (const e of [entA, entB]) {
        expect((await t.http().get(`/api/enterprises/${e.id}`).set(auth(organizer)).expect(200)).body).toMatchObject({ status: 'approved', statusReason: null });
      }
    });

    it('units: organizers and enterprises see all, a recommender its own, experts and admins none', async () => {
      const total = await count('/api/units');
      expect((await t.http().get('/api/units?pageSize=200').set(auth(enterpriseA.token)).expect(200)).body.total).toBe(total);
      expect((await t.http().get(`/api/units/${unitB.id}`).set(auth(enterpriseA.token)).expect(200)).body.name).toBe(unitB.name);
      const own = await t.http().get('/api/units').set(auth(recommenderA.token)).expect(200);
      expect(own.body.items.map((u: Body) => u.id)).toEqual([unitA.id]);
      expect((await t.http().get(`/api/units/${unitA.id}`).set(auth(recommenderA.token)).expect(200)).body.id).toBe(unitA.id);
      refused(await t.http().get(`/api/units/${unitB.id}`).set(auth(recommenderA.token)), 404, 'not_found');
      for (const token of [expertA.account.token, admin]) {
        refused(await t.http().get('/api/units').set(auth(token)), 403, 'forbidden');
        refused(await t.http().get(`/api/units/${unitA.id}`).set(auth(token)), 403, 'forbidden');
      }
      refused(await t.http().get('/api/units'), 401, 'unauthenticated');
    });

    it('enterprises: a recommender sees those of its unit, an enterprise itself, experts and admins none', async () => {
      const mine = await t.http().get('/api/enterprises?pageSize=200').set(auth(recommenderA.token)).expect(200);
      expect(mine.body.items.length).toBeGreaterThan(0);
      expect(mine.body.items.every((e: Body) => e.defaultUnitId === unitA.id)).toBe(true);
      // Filters cannot widen the view.
      expect((await t.http().get(`/api/enterprises?defaultUnitId=${unitB.id}`).set(auth(recommenderA.token)).expect(200)).body.total).toBe(0);
      expect((await t.http().get(`/api/enterprises/${entA.id}`).set(auth(recommenderA.token)).expect(200)).body.id).toBe(entA.id);
      refused(await t.http().get(`/api/enterprises/${entB.id}`).set(auth(recommenderA.token)), 404, 'not_found');

      const self = await t.http().get(`/api/enterprises?q=${encodeURIComponent(entB.name)}`).set(auth(enterpriseA.token)).expect(200);
      expect(self.body.total).toBe(0);
      expect((await t.http().get('/api/enterprises').set(auth(enterpriseA.token)).expect(200)).body.items.map((e: Body) => e.id)).toEqual([entA.id]);
      refused(await t.http().get(`/api/enterprises/${entB.id}`).set(auth(enterpriseA.token)), 404, 'not_found');
      refused(await t.http().patch(`/api/enterprises/${entB.id}`).set(auth(enterpriseA.token)).send({ phone: '110' }), 404, 'not_found');
      refused(await t.http().patch(`/api/enterprises/${entA.id}`).set(auth(recommenderA.token)).send({ phone: '110' }), 403, 'forbidden');

      for (const token of [expertA.account.token, admin]) {
        refused(await t.http().get('/api/enterprises').set(auth(token)), 403, 'forbidden');
        refused(await t.http().get(`/api/enterprises/${entA.id}`).set(auth(token)), 403, 'forbidden');
        refused(await t.http().post('/api/enterprises').set(auth(token)).send({ name: 'x', uscc: newUscc() }), 403, 'forbidden');
        refused(await t.http().patch(`/api/enterprises/${entA.id}`).set(auth(token)).send({ phone: '110' }), 403, 'forbidden');
      }
      refused(await t.http().post('/api/enterprises').set(auth(enterpriseA.token)).send({ name: 'x', uscc: newUscc() }), 403, 'forbidden');
      expect((await t.http().get(`/api/enterprises/${entB.id}`).set(auth(organizer)).expect(200)).body.phone).toBeNull();
    });

    it('experts: an expert sees itself only; other roles learn nothing about experts', async () => {
      expect((await t.http().get(`/api/experts/${expertA.id}`).set(auth(expertA.account.token)).expect(200)).body.id).toBe(expertA.id);
      refused(await t.http().get(`/api/experts/${expertB.id}`).set(auth(expertA.account.token)), 404, 'not_found');
      refused(await t.http().get('/api/experts').set(auth(expertA.account.token)), 403, 'forbidden');
      for (const token of [recommenderA.token, enterpriseA.token, admin]) {
        refused(await t.http().get('/api/experts').set(auth(token)), 403, 'forbidden');
        refused(await t.http().get(`/api/experts/${expertA.id}`).set(auth(token)), 403, 'forbidden');
        refused(await t.http().get(`/api/experts/${expertB.id}`).set(auth(token)), 403, 'forbidden');
      }
    });

    it('a recommender or enterprise account without an organisation sees nothing', async () => {
      const loose = await createUser(t, admin, { username: 'loose-recommender', role: 'recommender' });
      expect((await t.http().get('/api/units').set(auth(loose.token)).expect(200)).body.total).toBe(0);
      expect((await t.http().get('/api/enterprises').set(auth(loose.token)).expect(200)).body.total).toBe(0);
      refused(await t.http().post('/api/enterprises').set(auth(loose.token)).send({ name: 'x', uscc: newUscc() }), 403, 'forbidden');
      const looseEnt = await createUser(t, admin, { username: 'loose-enterprise', role: 'enterprise' });
      expect((await t.http().get('/api/enterprises').set(auth(looseEnt.token)).expect(200)).body.total).toBe(0);
      refused(await t.http().get(`/api/enterprises/${entA.id}`).set(auth(looseEnt.token)), 404, 'not_found');
    });
  });

  it('the audit chain verifies after all of this', async () => {
    const v = await t.http().post('/api/audit/verify').set(auth(organizer)).expect(200);
    expect(v.body).toMatchObject({ ok: true, firstBroken: null });
  });
});
