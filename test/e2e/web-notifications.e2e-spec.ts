// Notifications in Chromium: the enterprise sees the bell's count rise when the organizer returns
// its entry (without reloading), opens the message from the inbox and its deep link opens the entry;
// the notification settings screen saves an address and a muted channel; the organizer's outbox
// desk shows a failed message with its error and resends it.
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { Notification } from '../../src/notifications/notification.entities.js';
import { reviewWorld, type ReviewWorld } from '../factories/presentation.js';
import { checklistAnswer, decide } from '../factories/review.js';
import { waitFor } from '../support/mail-server.js';
import { describeBrowser, startBrowser, type BrowserHarness } from '../support/browser.js';
import { createTestApp, TEST_DB, type TestApp } from '../support/test-app.js';

jest.setTimeout(180_000);

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describeBrowser(`notifications: bell, inbox, settings, outbox desk (${TEST_DB})`, () => {
  let t: TestApp;
  let b: BrowserHarness;
  let w: ReviewWorld;

  beforeAll(async () => {
    t = await createTestApp({ NOTIFY_POLL_MS: '100' });
    b = await startBrowser(t);
    w = await reviewWorld(t, [{ pass: false }]);
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('the enterprise sees the bell count rise when its entry is returned, and the deep link opens the entry', async () => {
    const entry = w.entries[0]!;
    const tab = await b.signedIn(w.enterprises[0]!.token, '#/enterprise');
    const { page } = tab;
    // The account's opening and the recommendation already told it twice.
    const before = (await t.http().get('/api/notifications/unread-count').set(auth(w.enterprises[0]!.token))).body.unread as number;
    expect(before).toBe(2);
    await page.locator(`#bell[data-unread="${before}"]`).waitFor();
    await expect(page.locator('#bell-count').textContent()).resolves.toBe(String(before));
    await decide(t, w.organizer, w.contest.id, entry.id, { decision: 'return', checklist: checklistAnswer({ report_length: '报告超过 30 页' }), reason: '请压缩篇幅' });
    // No reload: the bell polls.
    await page.locator(`#bell[data-unread="${before + 1}"]`).waitFor({ timeout: 20_000 });
    await expect(page.locator('#bell').getAttribute('aria-label')).resolves.toBe(`消息通知，${before + 1} 条未读`);
    await page.locator('#bell').click();
    await page.waitForURL(/#\/inbox$/);
    const first = page.locator('#inbox-list li').first();
    await expect(first.getAttribute('data-kind')).resolves.toBe('entry_returned');
    await expect(first.locator('.inbox-subject').textContent()).resolves.toBe(`【退回修改】成果《${entry.title}》需修改后重新提交`);
    await expect(first.locator('.pre').textContent()).resolves.toContain('成果报告篇幅符合要求：报告超过 30 页');
    await tab.shot('notifications-inbox');
    await first.locator('.inbox-subject').click();
    await page.waitForURL(new RegExp(`#/enterprise/entry/${entry.id}$`));
    await page.getByRole('heading', { name: entry.title }).first().waitFor();
    // Opening it marked it read.
    await page.locator(`#bell[data-unread="${before}"]`).waitFor();
    const inbox = await t.http().get('/api/notifications').set(auth(w.enterprises[0]!.token));
    expect(inbox.body.items[0]).toMatchObject({ kind: 'entry_returned', readAt: expect.any(String) });
    // 全部标为已读 empties the bell.
    await page.goto(`${b.base}/#/inbox`);
    await page.locator('#inbox-read-all').click();
    await page.locator('#bell[data-unread="0"]').waitFor();
    await expect(page.locator('#bell-count').isHidden()).resolves.toBe(true);
    tab.clean();
    await tab.close();
  });

  it('the settings screen saves the address and a muted channel', async () => {
    const tab = await b.signedIn(w.units[0]!.token, '#/unit');
    const { page } = tab;
    await page.locator('#account-menu summary').click();
    await page.locator('#menu-notifications').click();
    await page.waitForURL(/#\/account\/notifications$/);
    await page.getByLabel('电子邮箱').fill('tuijian@binhai.example.cn');
    await page.getByLabel('手机号码').fill('13800138001');
    await page.locator('#ns-entry_submitted-email').uncheck();
    await tab.shot('notifications-settings');
    await page.locator('#ns-save').click();
    await page.getByText('通知设置已保存。').waitFor();
    const s = await t.http().get('/api/notifications/settings').set(auth(w.units[0]!.token));
    expect(s.body).toMatchObject({ email: 'tuijian@binhai.example.cn', phone: '13800138001', mutes: [{ kind: 'entry_submitted', channel: 'email' }] });
    // A wrong address is shown next to its field.
    await page.getByLabel('电子邮箱').fill('not-an-address');
    tab.expected = [/status of 400/];
    await page.locator('#ns-save').click();
    await page.locator('#ns-email[aria-invalid="true"]').waitFor();
    await page.getByText('电子邮箱格式不正确').first().waitFor();
    tab.clean();
    await tab.close();
  });

  it('the organizer desk shows a failed message with its error and resends it', async () => {
    const now = new Date();
    now.setMilliseconds(0);
    // A message that failed its last try (the channel tests make real ones; here only the desk is under test).
    const row = await t.dataSource.getRepository(Notification).save({
      userId: null, kind: 'entry_returned', channel: 'email', contestId: w.contest.id, subject: '【退回修改】成果《测试》需修改后重新提交', body: '正文', link: '#/enterprise',
      address: 'qc@example.cn', status: 'dead', attempts: 8, nextAttemptAt: now, leaseOwner: null, leaseUntil: null, lastError: '550 5.1.1 mailbox unavailable 邮箱不存在',
      idempotencyKey: `web-test:${Date.now()}`, readAt: null, createdAt: now, sentAt: null,
    });
    const tab = await b.signedIn(w.organizer, '#/organizer');
    const { page } = tab;
    await page.getByRole('link', { name: '消息发送' }).click();
    await page.waitForURL(/#\/organizer\/outbox$/);
    const line = page.locator(`#outbox-messages tr[data-id="${row.id}"]`);
    await line.waitFor();
    await expect(line.locator('[data-role="error"]').textContent()).resolves.toBe('550 5.1.1 mailbox unavailable 邮箱不存在');
    await expect(page.locator('#outbox-counts tr[data-kind="entry_returned"] td').nth(2).textContent()).resolves.toBe('1');
    await expect(page.locator('#outbox-channels').textContent()).resolves.toContain('未配置 SMTP_URL');
    await tab.shot('notifications-outbox');
    await line.getByRole('button', { name: '重新发送' }).click();
    await page.getByText('没有发送失败的消息。').waitFor();
    // Not configured here: the worker skips it (not failed again).
    const after = await waitFor('the resent message handled', async () => {
      const r = await t.dataSource.getRepository(Notification).findOneByOrFail({ id: row.id });
      return r.status === 'skipped' ? r : null;
    });
    expect(after).toMatchObject({ lastError: '未配置 SMTP_URL', attempts: 0 });
    tab.clean();
    await tab.close();
  });
});
