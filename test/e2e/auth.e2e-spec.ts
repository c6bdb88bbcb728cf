import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import { ADMIN, createTestApp, createUser, expectErrorBody, login, TEST_DB, type TestApp } from '../support/test-app.js';

describe(`auth and accounts (${TEST_DB})`, () => {
  let t: TestApp;
  let adminToken: string;

  beforeAll(async () => {
    t = await createTestApp({ LOGIN_MAX_FAILURES_PER_USERNAME: '3' });
    adminToken = await login(t, ADMIN.username, ADMIN.password);
  });
  afterAll(() => t.close());

  it('answers health without a token', async () => {
    const res = await t.http().get('/api/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.info.database.status).toBe('up');
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('documents the auth routes with bearer auth in the OpenAPI document', async () => {
    const res = await t.http().get('/api/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/api/auth/login', '/api/auth/me', '/api/auth/password', '/api/users']),
    );
    expect(res.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('logs the bootstrap admin in and answers /me', async () => {
    const res = await t.http().post('/api/auth/login').send(ADMIN).expect(200);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 8 * 3600, user: { username: 'admin', role: 'admin', active: true } });
    expect(res.body.user.passwordHash).toBeUndefined();
    const me = await t.http().get('/api/auth/me').set('authorization', `Bearer ${res.body.accessToken}`).expect(200);
    expect(me.body).toMatchObject({ username: 'admin', role: 'admin' });
  });

  it('refuses /me without a token, with a tampered token and with an expired token', async () => {
    const none = await t.http().get('/api/auth/me').expect(401);
    expectErrorBody(none.body, 401, 'unauthenticated');

    const [h, p, s] = adminToken.split('.');
    const tampered = [h, Buffer.from(JSON.stringify({ sub: 2, tv: 0, iat: 1, exp: 4102444800 })).toString('base64url'), s].join('.');
    expectErrorBody((await t.http().get('/api/auth/me').set('authorization', `Bearer ${tampered}`).expect(401)).body, 401, 'token_invalid');
    expect(p).toBeTruthy();

    const expired = new JwtService({ secret: t.config.jwtSecret }).sign({ sub: 1, tv: 0, exp: Math.floor(Date.now() / 1000) - 60 });
    expectErrorBody((await t.http().get('/api/auth/me').set('authorization', `Bearer ${expired}`).expect(401)).body, 401, 'token_invalid');

    const otherSecret = new JwtService({ secret: 'x'.repeat(40) }).sign({ sub: 1, tv: 0 });
    await t.http().get('/api/auth/me').set('authorization', `Bearer ${otherSecret}`).expect(401);
  });

  it('stops a deactivated user at once, and reactivation needs a new login', async () => {
    const u = await createUser(t, adminToken, { username: 'org-deact', role: 'organizer' });
    await t.http().get('/api/auth/me').set('authorization', `Bearer ${u.token}`).expect(200);
    const d = await t.http().post(`/api/users/${u.id}/deactivate`).set('authorization', `Bearer ${adminToken}`).expect(200);
    expect(d.body.active).toBe(false);
    expectErrorBody((await t.http().get('/api/auth/me').set('authorization', `Bearer ${u.token}`).expect(401)).body, 401, 'token_invalid');
    const denied = await t.http().post('/api/auth/login').send({ username: 'org-deact', password: u.password }).expect(401);
    expect(denied.body.code).toBe('account_inactive');

    await t.http().post(`/api/users/${u.id}/reactivate`).set('authorization', `Bearer ${adminToken}`).expect(200);
    await t.http().get('/api/auth/me').set('authorization', `Bearer ${u.token}`).expect(401);
    const fresh = await login(t, 'org-deact', u.password);
    await t.http().get('/api/auth/me').set('authorization', `Bearer ${fresh}`).expect(200);
  });

  it('answers a wrong password and an unknown user alike', async () => {
    await createUser(t, adminToken, { username: 'expert-pw', role: 'expert' });
    const wrong = await t.http().post('/api/auth/login').send({ username: 'expert-pw', password: 'nope-nope' }).expect(401);
    const unknown = await t.http().post('/api/auth/login').send({ username: 'nobody-here', password: 'nope-nope' }).expect(401);
    expectErrorBody(wrong.body, 401, 'invalid_credentials');
    expect(unknown.body.code).toBe(wrong.body.code);
    expect(unknown.body.message).toBe(wrong.body.message);
  });

  it('throttles repeated failed logins for a username with 429, even with the right password', async () => {
    const u = await createUser(t, adminToken, { username: 'throttled', role: 'enterprise' });
    for (let i = 0; i < 3; i++) await t.http().post('/api/auth/login').send({ username: 'throttled', password: 'wrong-wrong' }).expect(401);
    const res = await t.http().post('/api/auth/login').send({ username: 'throttled', password: u.password }).expect(429);
    expectErrorBody(res.body, 429, 'too_many_login_attempts');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // Another user is not affected.
    await login(t, ADMIN.username, ADMIN.password);
  });

  it('rejects bad login bodies with field errors', async () => {
    const missing = await t.http().post('/api/auth/login').send({ username: 'admin' }).expect(400);
    expectErrorBody(missing.body, 400, 'validation_failed');
    expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'password', code: 'required' })]);

    const unknown = await t.http().post('/api/auth/login').send({ ...ADMIN, remember: true }).expect(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'remember', code: 'unknown_field' })]);

    const wrongType = await t.http().post('/api/auth/login').send({ username: 42, password: 'x' }).expect(400);
    expect(wrongType.body.errors[0]).toMatchObject({ field: 'username', code: 'is_string' });
  });

  it('rejects broken JSON with 400 and an oversize body with 413, with the error body', async () => {
    const broken = await t.http().post('/api/auth/login').set('content-type', 'application/json').send('{"username": "admin",').expect(400);
    expectErrorBody(broken.body, 400, 'malformed_json');
    const big = JSON.stringify({ username: 'admin', password: 'x'.repeat(t.config.bodyLimitBytes + 10) });
    const tooBig = await t.http().post('/api/auth/login').set('content-type', 'application/json').send(big).expect(413);
    expectErrorBody(tooBig.body, 413, 'payload_too_large');
  });

  it('speaks Chinese by default and English on Accept-Language: en', async () => {
    const zh = await t.http().get('/api/auth/me').expect(401);
    expect(zh.body.message).toBe('请先登录');
    const en = await t.http().get('/api/auth/me').set('accept-language', 'en-US,en;q=0.9').expect(401);
    expect(en.body.message).toBe('Authentication required');
    const v = await t.http().post('/api/auth/login').send({ username: 'admin' }).expect(400);
    expect(v.body.errors[0].message).toBe('不能为空');
  });

  it('answers an unknown route with 404 in the error shape', async () => {
    const res = await t.http().get('/api/no-such-thing').set('authorization', `Bearer ${adminToken}`).expect(404);
    expectErrorBody(res.body, 404, 'route_not_found');
  });

  it('lets a user change their own password with the old one; old tokens end', async () => {
    const u = await createUser(t, adminToken, { username: 'changer', role: 'recommender' });
    const bad = await t.http().post('/api/auth/password').set('authorization', `Bearer ${u.token}`).send({ oldPassword: 'wrong', newPassword: 'Fjord-滨海-Beacon-71' }).expect(400);
    expect(bad.body.errors[0]).toMatchObject({ field: 'oldPassword', code: 'wrong_old_password' });
    const short = await t.http().post('/api/auth/password').set('authorization', `Bearer ${u.token}`).send({ oldPassword: u.password, newPassword: 'short' }).expect(400);
    expect(short.body.errors[0]).toMatchObject({ field: 'newPassword', code: 'min_length' });
    // Weak new passwords: refused with the reason in Chinese; the old password still works after each.
    for (const [newPassword, zh] of [['password', '常见密码'], ['12345678', '常见密码'], ['changer-2026', '用户名'], ['15039827461', '手机号码'], ['wangfang123', '拼音']]) {
      const weak = await t.http().post('/api/auth/password').set('authorization', `Bearer ${u.token}`).send({ oldPassword: u.password, newPassword }).expect(400);
      expectErrorBody(weak.body, 400, 'validation_failed');
      expect(weak.body.errors).toEqual([{ field: 'newPassword', code: 'weak_password', message: expect.stringContaining(zh) }]);
    }
    await t.http().get('/api/auth/me').set('authorization', `Bearer ${u.token}`).expect(200);
    await t.http().post('/api/auth/password').set('authorization', `Bearer ${u.token}`).send({ oldPassword: u.password, newPassword: 'Fjord-滨海-Beacon-71' }).expect(204);
    await t.http().get('/api/auth/me').set('authorization', `Bearer ${u.token}`).expect(401);
    await login(t, 'changer', 'Fjord-滨海-Beacon-71');
  });
});
