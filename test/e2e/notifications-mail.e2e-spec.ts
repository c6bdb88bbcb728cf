// E-mail over real SMTP (issue 14): an SMTP server runs inside the test (smtp-server) and what
// arrives is parsed (mailparser). A returned entry sends exactly one mail to the enterprise's
// contact, with the returned checklist items in Chinese; a rolled-back transaction sends nothing;
// with the server down for the first two tries the mail arrives once after it comes back.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { messageIdOf } from '../../src/notifications/notification-rules.js';
import { Notification } from '../../src/notifications/notification.entities.js';
import { NotificationsService } from '../../src/notifications/notifications.service.js';
import { checklistAnswer, decide } from '../factories/review.js';
import { reviewWorld, type ReviewWorld } from '../factories/presentation.js';
import { sleep, TestMailServer, waitFor } from '../support/mail-server.js';
import { createTestApp, TEST_DB, type TestApp } from '../support/test-app.js';

jest.setTimeout(120_000);

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describe(`notifications by e-mail over SMTP (${TEST_DB})`, () => {
  let t: TestApp;
  let w: ReviewWorld;
  const smtp = new TestMailServer();
  const contact = '质量科 <qc-office@binhai-steel.example.cn>';
  const address = 'qc-office@binhai-steel.example.cn';

  beforeAll(async () => {
    await smtp.start();
    t = await createTestApp({
      SMTP_URL: smtp.url,
      MAIL_FROM: '滨海新区质量攻关评审 <noreply@qc.example.cn>',
      PUBLIC_URL: 'https://qc.example.cn',
      NOTIFY_POLL_MS: '40',
      NOTIFY_RETRY_BASE_SECONDS: '1',
      NOTIFY_MAX_ATTEMPTS: '6',
    });
    w = await reviewWorld(t, [{ pass: false }, { pass: false }]);
    const res = await t.http().put('/api/notifications/settings').set(auth(w.enterprises[0]!.token)).send({ email: address, phone: '138 0022 1234' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ email: address, phone: '13800221234', channels: { email: true, sms: false } });
    void contact;
  });
  afterAll(async () => {
    await t?.close();
    await smtp.stop();
  });

  it('a returned entry sends exactly one mail to the enterprise contact, with the returned items in Chinese', async () => {
    const entry = w.entries[0]!;
    await decide(t, w.organizer, w.contest.id, entry.id, {
      decision: 'return',
      checklist: checklistAnswer({ report_length: '成果报告超过 30 页，请压缩到 20 页以内 📄', type_fits: '课题类型应为“现场型”' }),
      reason: '请按检查项修改后重新提交',
    });
    const [got] = await waitFor('the mail', () => (smtp.to(address).length ? smtp.to(address) : null));
    // Several more polls of the worker: still one.
    await sleep(600);
    expect(smtp.to(address)).toHaveLength(1);
    const mail = got!.mail;
    expect(mail.subject).toBe(`【退回修改】成果《${entry.title}》需修改后重新提交`);
    expect(mail.from?.value[0]).toMatchObject({ address: 'noreply@qc.example.cn', name: '滨海新区质量攻关评审' });
    expect(mail.text).toContain('2020年滨海新区质量攻关活动');
    expect(mail.text).toContain('成果报告篇幅符合要求：成果报告超过 30 页，请压缩到 20 页以内 📄');
    expect(mail.text).toContain('课题类型与内容相符：课题类型应为“现场型”');
    expect(mail.text).toContain('下一步：请登录系统按检查项修改材料，并重新提交。');
    expect(mail.text).toContain(`https://qc.example.cn/#/enterprise/entry/${entry.id}`);
    // Multipart: the HTML part carries the same items (escaped) and the deep link as a button.
    expect(mail.html).toContain('成果报告篇幅符合要求：成果报告超过 30 页');
    expect(mail.html).toContain(`href="https://qc.example.cn/#/enterprise/entry/${entry.id}"`);
    // The Chinese subject travels encoded (RFC 2047), and the Message-ID comes from the idempotency key.
    const raw = mail.headerLines.find((l) => l.key === 'subject')!.line;
    expect(raw).toMatch(/=\?UTF-8\?[BQ]\?/i);
    const row = await t.dataSource.getRepository(Notification).findOneByOrFail({ channel: 'email', address, kind: 'entry_returned' });
    expect(got!.messageId).toBe(messageIdOf(row.idempotencyKey));
    expect(row).toMatchObject({ status: 'sent', attempts: 1, lastError: null, leaseOwner: null });
    // The SMS channel is not configured: skipped, not failed; the inbox has the message.
    const sms = await t.dataSource.getRepository(Notification).findOneByOrFail({ channel: 'sms', kind: 'entry_returned', userId: row.userId! });
    expect(sms).toMatchObject({ status: 'skipped', lastError: '未配置 SMS_WEBHOOK_URL' });
    const inbox = await t.http().get('/api/notifications').set(auth(w.enterprises[0]!.token));
    expect(inbox.body.items[0]).toMatchObject({ kind: 'entry_returned', kindName: '成果退回修改', link: `#/enterprise/entry/${entry.id}`, readAt: null });
    expect(inbox.body.items[0].body).toContain('成果报告篇幅符合要求');
  });

  it('a rolled-back transaction writes and sends nothing', async () => {
    const before = smtp.received.length;
    const entry = w.entries[1]!;
    const notifications = t.app.get(NotificationsService);
    const count = () => t.dataSource.getRepository(Notification).countBy({ kind: 'entry_returned' });
    const rows = await count();
    await expect(t.app.get(DataSource).transaction(async (m) => {
      await notifications.notify(m, { event: 'entry.status', entryId: entry.id, to: 'returned', reason: '材料齐全（成果报告等）：缺少附件' });
      // The rows are there inside the transaction…
      expect(await m.getRepository(Notification).countBy({ kind: 'entry_returned' })).toBeGreaterThan(rows);
      throw new Error('the use case fails after notifying');
    })).rejects.toThrow('the use case fails');
    // …and gone with it: nothing to deliver.
    expect(await count()).toBe(rows);
    // A use case refused by the API (a second decision on a returned entry) leaves no message either.
    const again = await t.http().post(`/api/contests/${w.contest.id}/review/${w.entries[0]!.id}`).set(auth(w.organizer)).send({ decision: 'reject', checklist: checklistAnswer(), reason: '重复' });
    expect(again.status).toBe(409);
    await sleep(500);
    expect(smtp.received.length).toBe(before);
    expect(await count()).toBe(rows);
  });

  it('with the SMTP server down for the first two tries, the mail arrives once after it comes back', async () => {
    await smtp.stop();
    const user = (await t.dataSource.getRepository(Notification).findOneByOrFail({ channel: 'email', address })).userId!;
    const key = `test:smtp-down:${Date.now()}`;
    await t.dataSource.transaction((m) => t.app.get(NotificationsService).enqueue(m, [{ userId: user }], {
      kind: 'entry_passed', contestId: w.contest.id, facts: { contest: '2020年滨海新区质量攻关活动', entryTitle: '降低不良率课题' }, link: '#/enterprise', key,
    }));
    const repo = t.dataSource.getRepository(Notification);
    const row = await waitFor('two failed tries', async () => {
      const r = await repo.findOneByOrFail({ idempotencyKey: `${key}:u${user}:email` });
      return r.attempts >= 2 ? r : null;
    });
    expect(row).toMatchObject({ status: 'pending', attempts: 2 });
    expect(row.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(smtp.to(address).filter((r) => r.mail.subject?.includes('初审通过'))).toHaveLength(0);
    await smtp.start();
    await waitFor('the mail after the server is back', () => smtp.to(address).some((r) => r.mail.subject?.includes('初审通过')));
    await sleep(600);
    await waitFor('the mail recorded as sent', () => repo.findOneBy({ idempotencyKey: `${key}:u${user}:email`, status: 'sent' }));
    const got = smtp.to(address).filter((r) => r.messageId === messageIdOf(`${key}:u${user}:email`));
    expect(got).toHaveLength(1);
    expect(await repo.findOneByOrFail({ idempotencyKey: `${key}:u${user}:email` })).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
  });
});
