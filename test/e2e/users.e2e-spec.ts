import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN, createTestApp, createUser, expectErrorBody, login, TEST_DB, type TestApp } from '../support/test-app.js';

describe(`user administration (${TEST_DB})`, () => {
  let t: TestApp;
  let admin: string;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await createTestApp();
    admin = await login(t, ADMIN.username, ADMIN.password);
  });
  afterAll(() => t.close());

  it('creates, lists and reads users; Chinese text and emoji round-trip', async () => {
    const res = await t.http().post('/api/users').set(auth(admin)).send({ username: 'zhang.san', displayName: '张三 🏆 评审专家', role: 'expert', password: 'Amber-海河-Lantern-42' }).expect(201);
    expect(res.body).toMatchObject({ username: 'zhang.san', displayName: '张三 🏆 评审专家', role: 'expert', active: true });
    expect(res.body.passwordHash).toBeUndefined();
    const one = await t.http().get(`/api/users/${res.body.id}`).set(auth(admin)).expect(200);
    expect(one.body.displayName).toBe('张三 🏆 评审专家');
    const list = await t.http().get('/api/users?role=expert&page=1&pageSize=10').set(auth(admin)).expect(200);
    expect(list.body).toMatchObject({ total: 1, page: 1, pageSize: 10 });
    expect(list.body.items.map((u: { username: string }) => u.username)).toEqual(['zhang.san']);
  });

  it('refuses a taken username with 409 and writes nothing', async () => {
    await t.http().post('/api/users').set(auth(admin)).send({ username: 'dup-user', displayName: 'A', role: 'organizer', password: 'Amber-海河-Lantern-42' }).expect(201);
    const res = await t.http().post('/api/users').set(auth(admin)).send({ username: 'dup-user', displayName: 'B', role: 'expert', password: 'Amber-海河-Lantern-42' }).expect(409);
    expectErrorBody(res.body, 409, 'username_taken');
    // The message also sits on the field, for forms to show it next to the username.
    expect(res.body.errors).toEqual([{ field: 'username', code: 'username_taken', message: '用户名已被使用' }]);
    const list = await t.http().get('/api/users?pageSize=200').set(auth(admin)).expect(200);
    expect(list.body.items.filter((u: { username: string }) => u.username === 'dup-user')).toHaveLength(1);
  });

  it('filters the list by part of the username or display name (q) and by active state', async () => {
    const a = await t.http().post('/api/users').set(auth(admin)).send({ username: 'find.me-1', displayName: '检索 甲', role: 'expert', password: 'Amber-海河-Lantern-42' }).expect(201);
    await t.http().post('/api/users').set(auth(admin)).send({ username: 'other-2', displayName: '检索%乙', role: 'organizer', password: 'Amber-海河-Lantern-42' }).expect(201);
    const names = async (query: string): Promise<string[]> =>
      (await t.http().get(`/api/users?${query}`).set(auth(admin)).expect(200)).body.items.map((u: { username: string }) => u.username);
    expect(await names('q=find.me')).toEqual(['find.me-1']);
    expect(await names(`q=${encodeURIComponent('检索')}`)).toEqual(['find.me-1', 'other-2']);
    // LIKE wildcards in q are literal.
    expect(await names(`q=${encodeURIComponent('%乙')}`)).toEqual(['other-2']);
    expect(await names('q=find&role=organizer')).toEqual([]);
    await t.http().post(`/api/users/${a.body.id}/deactivate`).set(auth(admin)).expect(200);
    expect(await names(`q=${encodeURIComponent('检索')}&active=false`)).toEqual(['find.me-1']);
    expect(await names(`q=${encodeURIComponent('检索')}&active=true`)).toEqual(['other-2']);
    expect((await t.http().get(`/api/users?q=${'x'.repeat(101)}`).set(auth(admin)).expect(400)).body.errors[0].field).toBe('q');
  });

  it('validates the body: bad role, short password, bad username, unknown field', async () => {
    const res = await t.http().post('/api/users').set(auth(admin)).send({ username: 'a b', displayName: '', role: 'king', password: 'short', extra: 1 }).expect(400);
    const byField = Object.fromEntries(res.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]));
    expect(byField).toEqual({ username: 'matches', displayName: 'min_length', role: 'is_in', password: 'min_length', extra: 'unknown_field' });
  });

  it('refuses weak passwords with the reason in Chinese on the field (create and reset), writing nothing; a strong one passes', async () => {
    const weak: [string, string, string][] = [
      // [password, what the Chinese message says, a word of the English one]
      ['password', '常见密码', 'commonly used'],
      ['12345678', '常见密码', 'commonly used'],
      ['li.ming.qc', '用户名', 'username'],
      ['13812345678', '手机号码', 'Phone'],
      ['zhangwei1990', '拼音', 'pinyin'],
      ['19900101', '日期', 'Dates'],
      ['zxcvbnm,./', '键盘', 'Keyboard'],
    ];
    const count = async () => (await t.http().get('/api/users?pageSize=1').set(auth(admin)).expect(200)).body.total as number;
    const before = await count();
    for (const [password, zh, en] of weak) {
      const res = await t.http().post('/api/users').set(auth(admin)).send({ username: 'li.ming.qc', displayName: '李明', role: 'expert', password }).expect(400);
      expectErrorBody(res.body, 400, 'validation_failed');
      expect(res.body.errors).toEqual([{ field: 'password', code: 'weak_password', message: expect.stringContaining(zh) }]);
      const english = await t.http().post('/api/users').set(auth(admin)).set('accept-language', 'en').send({ username: 'li.ming.qc', displayName: '李明', role: 'expert', password });
      expect(english.body.errors[0].message).toContain(en);
    }
    // The display name (a Chinese name) too.
    const named = await t.http().post('/api/users').set(auth(admin)).send({ username: 'li.ming.qc', displayName: '李明', role: 'expert', password: 'Amber-李明-Lantern-42' }).expect(400);
    expect(named.body.errors).toEqual([{ field: 'password', code: 'weak_password', message: '密码不能包含姓名或显示名称' }]);
    expect(await count()).toBe(before);

    const ok = await t.http().post('/api/users').set(auth(admin)).send({ username: 'li.ming.qc', displayName: '李明', role: 'expert', password: 'Qc-评审-2026-北辰!' }).expect(201);
    await login(t, 'li.ming.qc', 'Qc-评审-2026-北辰!');

    // An admin's reset follows the same rule, judged against the target's username and name.
    for (const [password, zh] of [['li.ming.qc-2026', '用户名'], ['woaini1314', '常见密码'], ['13912345678', '手机号码']]) {
      const res = await t.http().post(`/api/users/${ok.body.id}/reset-password`).set(auth(admin)).send({ password }).expect(400);
      expectErrorBody(res.body, 400, 'validation_failed');
      expect(res.body.errors).toEqual([{ field: 'password', code: 'weak_password', message: expect.stringContaining(zh) }]);
    }
    // Nothing changed: the old password still logs in.
    await login(t, 'li.ming.qc', 'Qc-评审-2026-北辰!');
    await t.http().post(`/api/users/${ok.body.id}/reset-password`).set(auth(admin)).send({ password: 'Ember-蓟州-Meadow-64' }).expect(200);
    await login(t, 'li.ming.qc', 'Ember-蓟州-Meadow-64');
  });

  it('refuses every other role with 403 and anonymous callers with 401', async () => {
    for (const role of ['organizer', 'recommender', 'enterprise', 'expert']) {
      const u = await createUser(t, admin, { username: `other-${role}`, role });
      const res = await t.http().get('/api/users').set(auth(u.token)).expect(403);
      expectErrorBody(res.body, 403, 'forbidden');
      await t.http().post('/api/users').set(auth(u.token)).send({ username: `x-${role}`, displayName: 'x', role: 'admin', password: 'Amber-海河-Lantern-42' }).expect(403);
      await t.http().post(`/api/users/${u.id}/reset-password`).set(auth(u.token)).send({ password: 'Cedar-津门-Harbor-93' }).expect(403);
    }
    await t.http().get('/api/users').expect(401);
  });

  it('resets a password: old tokens and the old password stop working', async () => {
    const u = await createUser(t, admin, { username: 'reset-me', role: 'enterprise' });
    await t.http().post(`/api/users/${u.id}/reset-password`).set(auth(admin)).send({ password: 'Delta-北辰-Orchard-18' }).expect(200);
    await t.http().get('/api/auth/me').set(auth(u.token)).expect(401);
    await t.http().post('/api/auth/login').send({ username: 'reset-me', password: u.password }).expect(401);
    await login(t, 'reset-me', 'Delta-北辰-Orchard-18');
  });

  it('answers 404 for an unknown user and 400 for a non-numeric id', async () => {
    expectErrorBody((await t.http().get('/api/users/999999').set(auth(admin)).expect(404)).body, 404, 'not_found');
    expectErrorBody((await t.http().get('/api/users/abc').set(auth(admin)).expect(400)).body, 400, 'invalid_id');
  });

  it('does not let an admin deactivate themselves', async () => {
    const me = await t.http().get('/api/auth/me').set(auth(admin)).expect(200);
    expectErrorBody((await t.http().post(`/api/users/${me.body.id}/deactivate`).set(auth(admin)).expect(409)).body, 409, 'cannot_deactivate_self');
  });

  it('audits user writes without secrets, and the chain verifies', async () => {
    const res = await t.http().get('/api/audit?targetType=user&action=user.create').set(auth(admin)).expect(200);
    expect(res.body.total).toBeGreaterThan(3);
    const first = res.body.items.at(-1);
    expect(first).toMatchObject({ action: 'user.create', actorRole: 'system', after: { username: 'admin', role: 'admin' } });
    expect(JSON.stringify(res.body)).not.toMatch(/argon2|passwordHash/);
    const v = await t.http().post('/api/audit/verify').set(auth(admin)).expect(200);
    expect(v.body).toMatchObject({ ok: true, firstBroken: null });
    expect(v.body.events).toBeGreaterThan(3);
  });

  it('detects a row of the audit trail edited directly in the database', async () => {
    const rows = await t.dataSource.query(`SELECT id FROM audit_events WHERE action = 'user.reset_password' ORDER BY id`);
    expect(rows.length).toBeGreaterThan(0);
    const id = Number(rows[0].id);
    await t.dataSource.query(`UPDATE audit_events SET target_id = '1' WHERE id = ${id}`);
    const v = await t.http().post('/api/audit/verify').set(auth(admin)).expect(200);
    expect(v.body.ok).toBe(false);
    expect(v.body.firstBroken).toMatchObject({ id, problem: 'content does not match its hash' });
  });
});
