// The SMS / IM webhook channel against a local HTTP gateway that checks the HMAC signature; the
// inbox (access, read, read-all), settings (validation, muting a channel), the outbox desk (dead
// after the last try with the error, resend, audited, organizers only), the events of the pipeline
// (assignment, draw), "remind the missing experts", and the reminder scheduler under its lock rows.
// No SMTP_URL here: e-mail is skipped, not failed, and the inbox still works.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuditEvent } from '../../src/audit/audit-event.entity.js';
import { Notification } from '../../src/notifications/notification.entities.js';
import { RemindersService } from '../../src/notifications/reminders.service.js';
import { createEntry, createIntakeWorld, submitEntry, uploadReport, type IntakeWorld } from '../factories/entries.js';
import { buildScoringScenario, type ScoringScenario } from '../factories/scenario.js';
import { sleep, waitFor } from '../support/mail-server.js';
import { createTestApp, expectErrorBody, TEST_DB, type TestApp } from '../support/test-app.js';

jest.setTimeout(180_000);

const SECRET = 'gateway-secret-滨海-0123456789';
const FAILING = '13900000000';
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

interface Received { headers: IncomingMessage['headers']; body: Record<string, string>; raw: string }

/** A gateway that accepts only correctly signed requests and fails for one number while `failing`. */
class Gateway {
  readonly received: Received[] = [];
  badSignatures = 0;
  failing = true;
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => { raw += c; });
      req.on('end', () => {
        const ts = String(req.headers['x-qc-timestamp'] ?? '');
        const want = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(`${ts}.${raw}`).digest('hex')}`);
        const got = Buffer.from(String(req.headers['x-qc-signature'] ?? ''));
        if (!ts || got.length !== want.length || !timingSafeEqual(got, want)) {
          this.badSignatures++;
          res.writeHead(401).end('bad signature');
          return;
        }
        const body = JSON.parse(raw) as Record<string, string>;
        if (this.failing && body.to === FAILING) {
          res.writeHead(500).end('号码暂不可达');
          return;
        }
        this.received.push({ headers: req.headers, body, raw });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/sms`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

describe(`notifications: webhook, inbox, settings, outbox desk (${TEST_DB})`, () => {
  let t: TestApp;
  let w: IntakeWorld;
  const gw = new Gateway();
  const outbox = () => t.dataSource.getRepository(Notification);

  beforeAll(async () => {
    await gw.start();
    t = await createTestApp({
      SMS_WEBHOOK_URL: gw.url, SMS_WEBHOOK_SECRET: SECRET, PUBLIC_URL: 'https://qc.example.cn',
      NOTIFY_POLL_MS: '40', NOTIFY_MAX_ATTEMPTS: '2', NOTIFY_RETRY_BASE_SECONDS: '0', REMINDER_INTERVAL_SECONDS: '1',
    });
    w = await createIntakeWorld(t);
  });
  afterAll(async () => {
    await t?.close();
    await gw.stop();
  });

  it('sends a signed webhook the gateway verifies; e-mail without SMTP_URL is skipped and the inbox works', async () => {
    expect((await t.http().put('/api/notifications/settings').set(auth(w.a.owner.token)).send({ phone: '138-0013-8000' })).status).toBe(200);
    const entry = await createEntry(t, w.a.owner.token, w.contest.id, { title: '降低焊接不良率 🔧' });
    await uploadReport(t, w.a.owner.token, entry.id);
    await submitEntry(t, w.a.owner.token, entry.id);
    expect((await t.http().post(`/api/entries/${entry.id}/recommend`).set(auth(w.a.recommender.token))).status).toBe(200);
    const got = await waitFor('the webhook', () => gw.received.find((r) => r.body.kind === 'entry_recommended'));
    expect(gw.badSignatures).toBe(0);
    expect(got.body).toEqual({
      id: expect.stringMatching(/^entry:\d+:v\d+:recommended:u\d+:sms$/),
      kind: 'entry_recommended',
      to: '13800138000',
      subject: '【已推荐】成果《降低焊接不良率 🔧》已获推荐',
      text: expect.stringContaining(`「${w.contest.name}」：贵企业的成果《降低焊接不良率 🔧》已由推荐单位推荐。`),
      link: `https://qc.example.cn/#/enterprise/entry/${entry.id}`,
      createdAt: expect.any(String),
    });
    expect(got.headers['x-idempotency-key']).toBe(got.body.id);
    expect(got.headers['content-type']).toContain('application/json');
    // The gateway really checks: a forged signature is refused.
    const forged = await fetch(gw.url, { method: 'POST', headers: { 'x-qc-timestamp': '1', 'x-qc-signature': 'sha256=00' }, body: got.raw });
    expect(forged.status).toBe(401);
    gw.badSignatures = 0;
    // E-mail is not configured: skipped (not failed); the unit (no phone) gets its inbox message, its SMS skipped.
    const mail = await outbox().findOneByOrFail({ kind: 'entry_recommended', channel: 'email' });
    expect(mail).toMatchObject({ status: 'skipped', lastError: '未配置 SMTP_URL', attempts: 0 });
    const unitSms = await outbox().findOneByOrFail({ kind: 'entry_submitted', channel: 'sms' });
    expect(unitSms).toMatchObject({ status: 'skipped', lastError: '收件人未填写手机号码' });
    const unitInbox = await t.http().get('/api/notifications').set(auth(w.a.recommender.token));
    expect(unitInbox.status).toBe(200);
    expect(unitInbox.body.items[0]).toMatchObject({ kind: 'entry_submitted', subject: expect.stringContaining('降低焊接不良率 🔧'), link: '#/unit', readAt: null });
  });

  it('keeps each inbox to its owner; mark read and read-all', async () => {
    const mine = await t.http().get('/api/notifications').set(auth(w.a.owner.token));
    const first = mine.body.items[0];
    expect(first).toMatchObject({ kind: 'entry_recommended', kindName: '成果已获推荐', readAt: null });
    const before = (await t.http().get('/api/notifications/unread-count').set(auth(w.a.owner.token))).body.unread as number;
    expect(before).toBeGreaterThan(0);
    // Another enterprise, the unit and even the organizer cannot read or mark it: 404.
    for (const token of [w.b.owner.token, w.a.recommender.token, w.organizer]) {
      const res = await t.http().post(`/api/notifications/${first.id}/read`).set(auth(token));
      expectErrorBody(res.body, 404, 'not_found');
    }
    expect((await t.http().get('/api/notifications').set(auth(w.b.owner.token))).body.items.some((n: { id: number }) => n.id === first.id)).toBe(false);
    const read = await t.http().post(`/api/notifications/${first.id}/read`).set(auth(w.a.owner.token));
    expect(read.status).toBe(200);
    expect(read.body.readAt).toEqual(expect.any(String));
    expect((await t.http().get('/api/notifications/unread-count').set(auth(w.a.owner.token))).body).toEqual({ unread: before - 1 });
    expect((await t.http().get('/api/notifications?unread=true').set(auth(w.a.owner.token))).body.items.every((n: { readAt: null }) => n.readAt === null)).toBe(true);
    const all = await t.http().post('/api/notifications/read-all').set(auth(w.a.owner.token));
    expect(all.body).toEqual({ marked: before - 1 });
    expect((await t.http().get('/api/notifications/unread-count').set(auth(w.a.owner.token))).body).toEqual({ unread: 0 });
    expectErrorBody((await t.http().get('/api/notifications')).body, 401, 'unauthenticated');
  });

  it('validates the settings and honours a muted channel (audited)', async () => {
    const bad = await t.http().put('/api/notifications/settings').set(auth(w.a.owner.token)).send({ email: 'not-an-address', phone: '12345' });
    expectErrorBody(bad.body, 400, 'validation_failed');
    expect(bad.body.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`).sort()).toEqual(['email:invalid_email', 'phone:invalid_phone']);
    expect(bad.body.errors[0].message).toMatch(/格式不正确/);
    const inbox = await t.http().put('/api/notifications/settings').set(auth(w.a.owner.token)).send({ mutes: [{ kind: 'entry_recommended', channel: 'inbox' }] });
    expectErrorBody(inbox.body, 400, 'validation_failed');
    const unknown = await t.http().put('/api/notifications/settings').set(auth(w.a.owner.token)).send({ wechat: 'x' });
    expectErrorBody(unknown.body, 400, 'validation_failed');
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'wechat', code: 'unknown_field' })]);
    const ok = await t.http().put('/api/notifications/settings').set(auth(w.a.owner.token)).send({ mutes: [{ kind: 'entry_recommended', channel: 'sms' }] });
    expect(ok.body).toMatchObject({ phone: '13800138000', email: null, mutes: [{ kind: 'entry_recommended', channel: 'sms' }], channels: { email: false, sms: true } });
    expect(ok.body.kinds).toContainEqual({ kind: 'entry_returned', name: '成果退回修改' });
    expect(await t.dataSource.getRepository(AuditEvent).countBy({ action: 'notification.settings' })).toBeGreaterThan(0);
    const entry = await createEntry(t, w.a.owner.token, w.contest.id, { title: '静音测试课题' });
    await uploadReport(t, w.a.owner.token, entry.id);
    await submitEntry(t, w.a.owner.token, entry.id);
    expect((await t.http().post(`/api/entries/${entry.id}/recommend`).set(auth(w.a.recommender.token))).status).toBe(200);
    const rows = await outbox().find({ where: { kind: 'entry_recommended' } });
    const forEntry = rows.filter((r) => r.link === `#/enterprise/entry/${entry.id}`);
    expect(forEntry.map((r) => r.channel).sort()).toEqual(['email', 'inbox']);
  });

  it('marks a message dead after the last try with its error; the organizer sees it and resends it (audited)', async () => {
    expect((await t.http().put('/api/notifications/settings').set(auth(w.a.recommender.token)).send({ phone: FAILING })).status).toBe(200);
    const entry = await createEntry(t, w.a.owner.token, w.contest.id, { title: '网关故障课题' });
    await uploadReport(t, w.a.owner.token, entry.id);
    await submitEntry(t, w.a.owner.token, entry.id);
    const dead = await waitFor('the dead message', () => outbox().findOneBy({ kind: 'entry_submitted', channel: 'sms', address: FAILING, status: 'dead' }));
    expect(dead).toMatchObject({ attempts: 2, lastError: '网关返回 HTTP 500：号码暂不可达' });
    const summary = await t.http().get('/api/outbox').set(auth(w.organizer));
    expect(summary.status).toBe(200);
    expect(summary.body.channels).toEqual({ email: false, sms: true });
    expect(summary.body.byKind.find((k: { kind: string }) => k.kind === 'entry_submitted')).toMatchObject({ kindName: '成果待推荐', dead: 1 });
    expect(summary.body.totals).toMatchObject({ kind: '*', dead: 1 });
    const list = await t.http().get('/api/outbox/messages?status=dead').set(auth(w.organizer));
    expect(list.body.total).toBe(1);
    expect(list.body.items[0]).toMatchObject({ id: dead.id, channel: 'sms', status: 'dead', attempts: 2, lastError: '网关返回 HTTP 500：号码暂不可达', address: FAILING });
    // Organizers only.
    for (const token of [w.a.owner.token, w.a.recommender.token, w.expert]) {
      expectErrorBody((await t.http().get('/api/outbox').set(auth(token))).body, 403, 'forbidden');
      expectErrorBody((await t.http().post(`/api/outbox/messages/${dead.id}/resend`).set(auth(token))).body, 403, 'forbidden');
    }
    expectErrorBody((await t.http().get('/api/outbox/messages?status=lost').set(auth(w.organizer))).body, 400, 'validation_failed');
    expectErrorBody((await t.http().post('/api/outbox/messages/999999/resend').set(auth(w.organizer))).body, 404, 'notification_not_found');
    const sent = await outbox().findOneByOrFail({ kind: 'entry_recommended', channel: 'sms', status: 'sent' });
    expectErrorBody((await t.http().post(`/api/outbox/messages/${sent.id}/resend`).set(auth(w.organizer))).body, 409, 'notification_not_resendable');
    gw.failing = false;
    const resent = await t.http().post(`/api/outbox/messages/${dead.id}/resend`).set(auth(w.organizer));
    expect(resent.status).toBe(200);
    expect(resent.body).toMatchObject({ id: dead.id, status: 'pending', attempts: 0 });
    await waitFor('the resent message', () => gw.received.find((r) => r.body.to === FAILING));
    await waitFor('the resent message recorded', () => outbox().findOneBy({ id: dead.id, status: 'sent' }));
    expect(await outbox().findOneByOrFail({ id: dead.id })).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    const audit = await t.dataSource.getRepository(AuditEvent).findOneByOrFail({ action: 'notification.resend' });
    expect(audit.targetId).toBe(String(dead.id));
    expect(JSON.parse(String(audit.before))).toMatchObject({ status: 'dead', lastError: '网关返回 HTTP 500：号码暂不可达' });
    expect(gw.badSignatures).toBe(0);
  });

  it('sends initial credentials only through the channel the organizer picks, then clears them from the outbox', async () => {
    const url = `/api/enterprises/${w.b.enterprise.id}/accounts`;
    const password = 'Qc-评审-2026-北辰!';
    const noMail = await t.http().post(url).set(auth(w.organizer)).send({ username: 'ent-b-mail', password, deliverTo: { channel: 'email', address: 'b@example.cn' } });
    expectErrorBody(noMail.body, 409, 'channel_not_configured');
    const badPhone = await t.http().post(url).set(auth(w.organizer)).send({ username: 'ent-b-sms', password, deliverTo: { channel: 'sms', address: '12345' } });
    expectErrorBody(badPhone.body, 400, 'validation_failed');
    expect(badPhone.body.errors[0]).toMatchObject({ field: 'deliverTo.address', code: 'invalid_phone' });
    const inbox = await t.http().post(url).set(auth(w.organizer)).send({ username: 'ent-b-sms', password, deliverTo: { channel: 'inbox', address: 'x' } });
    expectErrorBody(inbox.body, 400, 'validation_failed');
    const ok = await t.http().post(url).set(auth(w.organizer)).send({ username: 'ent-b-sms', password, deliverTo: { channel: 'sms', address: '138 0013 8009' } });
    expect(ok.status).toBe(201);
    const got = await waitFor('the credentials', () => gw.received.find((r) => r.body.kind === 'account_issued'));
    expect(got.body.to).toBe('13800138009');
    expect(got.body.text).toContain('用户名：ent-b-sms');
    expect(got.body.text).toContain(`初始密码：${password}`);
    expect(got.body.link).toBe('https://qc.example.cn/#/login');
    // Sent (the worker records it just after the gateway answers): the password is gone from the outbox;
    // the new account's inbox copy never had it; no e-mail row.
    await waitFor('the credentials recorded as sent', () => outbox().findOneBy({ kind: 'account_issued', channel: 'sms', status: 'sent' }));
    const rows = (await outbox().find({ where: { kind: 'account_issued' } })).filter((r) => r.userId === ok.body.id || r.userId === null);
    expect(rows.map((r) => `${r.channel}:${r.status}`).sort()).toEqual(['inbox:sent', 'sms:sent']);
    for (const r of rows) expect(r.body).not.toContain(password);
    expect(rows.find((r) => r.channel === 'sms')!.body).toBe('（账号凭据已发出，内容已从发件箱清除）');
    const audit = await t.dataSource.getRepository(AuditEvent).find({ where: { action: 'user.create' } });
    expect(JSON.stringify(audit)).not.toContain(password);
  });

  it('reminds a draft before the submission deadline once, one instance running each check under its lock row', async () => {
    // A deadline in two days: the 3-day reminder, once however often the check runs.
    const soon = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const res = await t.http().patch(`/api/contests/${w.contest.id}`).set(auth(w.organizer)).send({ submissionClosesAt: soon });
    expect(res.status).toBe(200);
    const draft = await createEntry(t, w.b.owner.token, w.contest.id, { title: '草稿课题' });
    const reminders = t.app.get(RemindersService);
    await sleep(1100);
    // Two at once (as two instances would): each check runs in at most one of them.
    const [x, y] = await Promise.all([reminders.runDue(), reminders.runDue()]);
    expect(x.filter((c) => y.includes(c))).toEqual([]);
    const row = await waitFor('the reminder', () => outbox().findOneBy({ kind: 'reminder_submission', channel: 'inbox', link: `#/enterprise/entry/${draft.id}` }));
    expect(row.subject).toBe(`【申报提醒】${w.contest.name}还有 3 天截止`);
    expect(row.body).toContain('《草稿课题》仍是草稿');
    // One per account of the enterprise (it has two by now), and no more however often the check runs.
    const count = () => outbox().countBy({ kind: 'reminder_submission', channel: 'inbox', link: `#/enterprise/entry/${draft.id}` });
    await waitFor('every account reminded', async () => (await count()) === 2);
    await sleep(1100);
    await reminders.runDue();
    expect(await count()).toBe(2);
  });

  describe('presentation', () => {
    let s: ScoringScenario;
    beforeAll(async () => {
      s = await buildScoringScenario(t, { entries: 2, experts: 2, absent: 0, conflicts: 0 });
    });

    it('tells experts of their assignment and the draw, and each team its slot', async () => {
      const expertInbox = (await t.http().get('/api/notifications').set(auth(s.experts[0]!.token))).body.items as { kind: string; subject: string; body: string }[];
      expect(expertInbox.map((n) => n.kind).sort()).toEqual(['account_issued', 'expert_assigned', 'session_drawn']);
      expect(expertInbox.find((n) => n.kind === 'expert_assigned')!.body).toContain('您已被分配评审 2 项成果');
      const team = (await t.http().get('/api/notifications').set(auth(s.enterprises[0]!.token))).body.items as { kind: string; subject: string; body: string; link: string }[];
      const drawn = team.find((n) => n.kind === 'session_drawn')!;
      expect(drawn.subject).toMatch(/第 [12] 位$/);
      expect(drawn.body).toMatch(/预计 \d{4}-\d\d-\d\d \d\d:\d\d 发表/);
      expect(drawn.link).toBe(`#/enterprise/entry/${s.entries[0]!.id}`);
    });

    it('reminds the missing experts from the progress board (organizers only, audited)', async () => {
      const url = `/api/contests/${s.contest.id}/notifications/remind-missing-experts`;
      for (const token of [s.enterprises[0]!.token, s.experts[0]!.token, s.units[0]!.token]) expectErrorBody((await t.http().post(url).set(auth(token)).send({})).body, 403, 'forbidden');
      expectErrorBody((await t.http().post(`/api/contests/${s.contest.id}/notifications/remind-missing-experts`).set(auth(s.organizer)).send({ sessionId: 999999 })).body, 404, 'not_found');
      expectErrorBody((await t.http().post('/api/contests/999999/notifications/remind-missing-experts').set(auth(s.organizer)).send({})).body, 404, 'not_found');
      const res = await t.http().post(url).set(auth(s.organizer)).send({ sessionId: s.session.id });
      expect(res.status).toBe(200);
      expect(res.body.experts).toHaveLength(2);
      expect(res.body.experts[0]).toMatchObject({ expertId: s.experts[0]!.id, missing: 4 });
      expect(res.body.messages).toBe(6); // per expert: the inbox, e-mail (not configured: skipped) and SMS (no number: skipped)
      const inbox = (await t.http().get('/api/notifications').set(auth(s.experts[1]!.token))).body.items as { kind: string; subject: string }[];
      expect(inbox[0]).toMatchObject({ kind: 'reminder_sheets', subject: expect.stringContaining('还有 4 张评分表未提交') });
      expect(await t.dataSource.getRepository(AuditEvent).countBy({ action: 'notification.remind_missing_experts' })).toBe(1);
    });
  });
});
