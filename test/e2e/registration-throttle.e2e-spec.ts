import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createUnit, newUscc, type UnitOut } from '../factories/organisations.js';
import { ADMIN, createTestApp, createUser, expectErrorBody, login, TEST_DB, type TestApp } from '../support/test-app.js';

type Body = Record<string, unknown>;
const REGISTER = '/api/public/enterprises/register';

// An app of its own (a low limit, client IPs from X-Forwarded-For): passport's strategies are
// process-wide, so two apps cannot share one test file.
describe(`self-registration throttled per client IP (${TEST_DB})`, () => {
  let t: TestApp;
  let unit: UnitOut;
  beforeAll(async () => {
    t = await createTestApp({ REGISTER_MAX_PER_IP: '3', REGISTER_WINDOW_SECONDS: '600', TRUST_PROXY: 'true' });
    const organizer = (await createUser(t, await login(t, ADMIN.username, ADMIN.password), { username: 'organizer-1', role: 'organizer' })).token;
    unit = await createUnit(t, organizer, { name: '限流测试单位' });
  });
  afterAll(() => t.close());

  const from = (ip: string, account: Body = {}) =>
    t.http().post(REGISTER).set('x-forwarded-for', ip).send({
      enterprise: { name: '限流测试企业', uscc: newUscc(), defaultUnitId: unit.id },
      account: { username: `flood-${Math.random().toString(36).slice(2, 10)}`, displayName: '联系人', password: 'Amber-海河-Lantern-42', ...account },
    });

  it('answers 429 too_many_registrations with Retry-After once an IP has made the limit of attempts, whatever their outcome; other IPs go on', async () => {
    const ip = '203.0.113.7';
    expect((await from(ip)).status).toBe(202);
    expect((await from(ip, { password: '12345678' })).status).toBe(400);
    expect((await from(ip, { username: ADMIN.username })).status).toBe(202);
    const refused = await from(ip, { username: 'flood-refused' });
    expect(refused.status).toBe(429);
    expectErrorBody(refused.body, 429, 'too_many_registrations');
    expect(refused.body.message).toBe('注册尝试过于频繁，请稍后再试');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);
    // Refused before any work: the account was not created.
    expect((await t.http().post('/api/auth/login').send({ username: 'flood-refused', password: 'Amber-海河-Lantern-42' })).status).toBe(401);
    expect((await from(ip)).status).toBe(429);
    expect((await t.http().post(REGISTER).set('x-forwarded-for', ip).set('accept-language', 'en').send({}).expect(400)).body.code).toBe('validation_failed');
    // Another address is not affected.
    expect((await from('198.51.100.9')).status).toBe(202);
  });

  it('counts in the database, in the same table as failed logins, under register:<ip>', async () => {
    const rows = await t.dataSource.query(`SELECT bucket, failures FROM login_throttle WHERE bucket LIKE 'register:%' ORDER BY bucket`);
    expect(rows.map((r: Body) => [r.bucket, Number(r.failures)])).toEqual([['register:198.51.100.9', 1], ['register:203.0.113.7', 5]]);
  });
});
