// An enterprise's whole way in, in Chromium (1024×768): it registers itself on the public page (the
// USCC checked as typed, a weak password refused with the API's reason at the field, then the API's
// receipt), logs in while pending and sees that state, is approved by an organizer (API), changes its
// password through the account menu (weak refused with the reason, strong accepted, then logs in with
// it), saves a draft entry (what is missing listed first) and sees what still blocks submission. The
// organizer's audit screen then names every action in Chinese, codes only under 技术细节.
// Screenshots go to test-output/screenshots/.
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { createIntakeWorld, type IntakeWorld } from '../factories/entries.js';
import { generateUscc } from '../../src/judging/uscc.js';
import { describeBrowser, startBrowser, type BrowserHarness, type Tab } from '../support/browser.js';
import { createTestApp, TEST_DB, type TestApp } from '../support/test-app.js';

jest.setTimeout(180_000);

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const FIRST_PASSWORD = 'Qc-评审-2026-北辰!';
const NEW_PASSWORD = 'Kite-运河-Maple-8127?';
const USERNAME = 'beichen-valve';
const ENTERPRISE = '天津北辰精工阀门有限公司';

describeBrowser(`web: enterprise self-registration, account menu, partial draft, audit in Chinese (${TEST_DB})`, () => {
  let t: TestApp;
  let b: BrowserHarness;
  let w: IntakeWorld;
  let tab: Tab;
  let uscc = '';
  let enterpriseId = 0;

  beforeAll(async () => {
    t = await createTestApp();
    b = await startBrowser(t);
    w = await createIntakeWorld(t);
    let s = 20261205;
    uscc = generateUscc(() => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31));
  });

  afterAll(async () => {
    await tab?.close();
    await b?.close();
    await t?.close();
  });

  it('registers itself: the USCC as typed, a weak password refused with the API reason at the field, then the receipt', async () => {
    tab = await b.open({ width: 1024, height: 768 });
    const { page } = tab;
    tab.expected = [/status of 400/];
    // The way in: linked from the login page (and the public board).
    await page.goto(`${b.base}/#/login`);
    await page.locator('#login-register').click();
    await page.waitForURL(/#\/register$/);
    await page.getByLabel('推荐单位', { exact: false }).first().selectOption({ label: w.a.unit.name });
    await page.locator('#reg-enterprise-name').fill(ENTERPRISE);
    // A wrong check character, said while typing, and refused before anything is sent.
    const wrong = uscc.slice(0, 17) + (uscc[17] === '0' ? '1' : '0');
    await page.locator('#reg-enterprise-uscc').fill(wrong);
    await expect(page.locator('#reg-uscc-check').textContent()).resolves.toBe('统一社会信用代码校验码（第 18 位）不正确');
    await page.locator('#reg-enterprise-uscc').fill(uscc.toLowerCase());
    await expect(page.locator('#reg-uscc-check').textContent()).resolves.toMatch(/字母应为大写/);
    await page.locator('#reg-enterprise-contactPerson').fill('王建国');
    await page.locator('#reg-enterprise-phone').fill('022-26881234');
    await page.locator('#reg-account-username').fill(USERNAME);
    await page.locator('#reg-account-displayName').fill('北辰精工 王建国');
    await page.locator('#reg-account-password').fill('password2026');
    await page.locator('#reg-password2').fill('password2026');
    const posts: string[] = [];
    page.on('request', (r) => { if (r.url().endsWith('/api/public/enterprises/register')) posts.push(r.method()); });
    await page.locator('#register-submit').click();
    await page.locator('#reg-enterprise-uscc[aria-invalid="true"]').waitFor();
    expect(await page.locator('#reg-enterprise-uscc-error').textContent()).toMatch(/字母应为大写/);
    expect(posts).toEqual([]);

    // A valid USCC; the weak password goes to the API, whose reason appears at the password field.
    await page.locator('#reg-enterprise-uscc').fill(uscc);
    await expect(page.locator('#reg-uscc-check').textContent()).resolves.toMatch(/正确/);
    const refused = page.waitForResponse((r) => r.url().endsWith('/api/public/enterprises/register'));
    await page.locator('#register-submit').click();
    const res = await refused;
    expect(res.status()).toBe(400);
    const body = (await res.json()) as { code: string; errors: { field: string; code: string; message: string }[] };
    expect(body.code).toBe('validation_failed');
    const weak = body.errors.find((e) => e.field === 'account.password');
    expect(weak?.code).toBe('weak_password');
    await page.locator('#reg-account-password-error').waitFor();
    expect(await page.locator('#reg-account-password-error').textContent()).toBe(weak!.message);
    expect(weak!.message).toMatch(/[\u4e00-\u9fa5]/);
    await tab.shot('registration-weak-password');

    await page.locator('#reg-account-password').fill(FIRST_PASSWORD);
    await page.locator('#reg-password2').fill(FIRST_PASSWORD);
    const accepted = page.waitForResponse((r) => r.url().endsWith('/api/public/enterprises/register'));
    await page.locator('#register-submit').click();
    const ok = await accepted;
    expect(ok.status()).toBe(202);
    const receipt = (await ok.json()) as { status: string; message: string };
    expect(receipt.status).toBe('received');
    await page.locator('#register-done').waitFor();
    expect(await page.locator('#register-done .notice').textContent()).toBe(receipt.message);
    await tab.shot('registration-received');
    tab.clean();

    const list = (await t.http().get(`/api/enterprises?pageSize=200`).set(auth(w.organizer)).expect(200)).body as { items: { id: number; uscc: string; status: string; name: string }[] };
    const mine = list.items.find((e) => e.uscc === uscc);
    expect(mine).toMatchObject({ status: 'pending', name: ENTERPRISE });
    enterpriseId = mine!.id;
  });

  it('logs in while pending and sees that state; once approved by the organizer it may create entries', async () => {
    const { page } = tab;
    await page.locator('#register-login').click();
    await b.logIn(page, USERNAME, FIRST_PASSWORD);
    await page.waitForURL(/#\/enterprise$/);
    await page.locator('#registration-state[data-state="pending"]').waitFor();
    expect(await page.locator(`[data-new-entry="${w.contest.id}"]`).count()).toBe(0);
    await tab.shot('registration-pending');

    const approved = await t.http().post(`/api/enterprises/${enterpriseId}/approve`).set(auth(w.organizer)).expect(200);
    expect(approved.body).toMatchObject({ id: enterpriseId, status: 'approved' });
    await page.reload();
    await page.locator(`[data-new-entry="${w.contest.id}"]`).waitFor();
    expect(await page.locator('#registration-state').count()).toBe(0);
    tab.clean();
  });

  it('changes its password through the account menu: weak refused with the reason, strong accepted, then logs in with it', async () => {
    const { page } = tab;
    tab.expected = [/status of 400/];
    const menu = page.locator('#account-menu');
    await expect(menu.locator('summary').textContent()).resolves.toBe('北辰精工 王建国企业');
    await menu.locator('summary').click();
    await tab.shot('account-menu', false);
    await page.locator('#menu-password').click();
    await page.waitForURL(/#\/account\/password$/);
    await page.locator('#pw-oldPassword').fill(FIRST_PASSWORD);
    await page.locator('#pw-newPassword').fill('beichen-valve1');
    await page.locator('#pw-newPassword2').fill('beichen-valve1');
    const refused = page.waitForResponse((r) => r.url().endsWith('/api/auth/password'));
    await page.locator('#password-submit').click();
    const res = await refused;
    expect(res.status()).toBe(400);
    const body = (await res.json()) as { errors: { field: string; code: string; message: string }[] };
    const weak = body.errors.find((e) => e.field === 'newPassword');
    expect(weak?.code).toBe('weak_password');
    await page.locator('#pw-newPassword-error').waitFor();
    expect(await page.locator('#pw-newPassword-error').textContent()).toBe(weak!.message);
    await tab.shot('password-weak');

    await page.locator('#pw-newPassword').fill(NEW_PASSWORD);
    await page.locator('#pw-newPassword2').fill(NEW_PASSWORD);
    await page.locator('#password-submit').click();
    await page.waitForURL(/#\/login$/);
    expect(await page.locator('.notice.ok').textContent()).toBe('密码已修改，请用新密码重新登录。');
    // The old password no longer works; the new one does.
    await t.http().post('/api/auth/login').send({ username: USERNAME, password: FIRST_PASSWORD }).expect(401);
    await b.logIn(page, USERNAME, NEW_PASSWORD);
    await page.waitForURL(/#\/enterprise$/);
    tab.expected = [/status of 400/, /status of 401/];
    tab.clean();
  });

  it('saves a partial draft with only a title, then lists what still blocks submission', async () => {
    const { page } = tab;
    await page.locator(`[data-new-entry="${w.contest.id}"]`).click();
    await page.waitForURL(/#\/enterprise\/entry\/new\//);
    // The URL changes before the form's data arrives: wait for the form, then count (count() does not wait).
    await page.locator('#entry-form #entry-title').waitFor();
    // Only the title is needed to save; what submission needs is marked as such.
    expect(await page.locator('label[for="entry-title"] .req').count()).toBe(1);
    expect(await page.locator('label[for="entry-summary"] .req').count()).toBe(0);
    expect(await page.locator('label[for="entry-summary"] .req-later').textContent()).toBe('（提交前必填）');
    expect(await page.locator('label[for="entry-benefitDescription"] .req-later').count()).toBe(0);
    // Without a title nothing is sent.
    const posts: string[] = [];
    page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith(`/api/contests/${w.contest.id}/entries`)) posts.push(r.url()); });
    await page.locator('#save-entry').click();
    await page.locator('#entry-title[aria-invalid="true"]').waitFor();
    expect(await page.locator('#entry-form .notice.error').textContent()).toBe('还不能保存，请填写：课题名称');
    expect(posts).toEqual([]);
    await tab.shot('entry-draft-missing');

    // A title (and the preselected type) is a draft: saved, with every gap listed where submission is.
    await page.locator('#entry-title').fill('降低阀体铸件气孔缺陷率');
    await page.locator('#save-entry').click();
    await page.waitForURL(/#\/enterprise\/entry\/\d+$/);
    expect(posts).toHaveLength(1);
    const id = Number(/entry\/(\d+)$/.exec(page.url())![1]);
    const saved = (await t.http().get(`/api/entries/${id}`).set(auth(w.organizer)).expect(200)).body as Record<string, unknown>;
    expect(saved).toMatchObject({ status: 'draft', title: '降低阀体铸件气孔缺陷率', entryType: 'problem_solving', team: { name: '', leader: '', members: [] }, summary: null, activityStart: null, economicBenefit: null });
    await page.locator('#submit-blockers').waitFor();
    expect(await page.locator('#submit-blockers li').allTextContents()).toEqual([
      '尚未填写小组名称', '尚未填写组长', '尚未填写小组成员（至少一人）', '尚未填写成果简介',
      '尚未填写活动开始日期', '尚未填写活动结束日期', '尚未填写经济效益（没有时填 0）', '尚未上传成果报告（PDF）',
    ]);
    // The form shows the gaps empty (no "null"), and a second save of a little more works.
    expect(await page.locator('#entry-summary').inputValue()).toBe('');
    expect(await page.locator('#entry-economicBenefit').inputValue()).toBe('');
    await page.locator('#entry-summary').fill('针对阀体铸件气孔缺陷，分析原因并改进浇注工艺。');
    await page.locator('#entry-team-name').fill('铸造攻关QC小组');
    await page.locator('#save-entry').click();
    await page.locator('#flash, .notice').filter({ hasText: '已保存修改' }).first().waitFor();
    const items = await page.locator('#submit-blockers li').allTextContents();
    expect(items).not.toContain('尚未填写成果简介');
    expect(items).not.toContain('尚未填写小组名称');
    expect(items).toContain('尚未填写组长');
    await tab.shot('entry-draft-blockers');
    tab.clean();
  });

  it('the audit screen names the actions in Chinese, with codes only under 技术细节', async () => {
    const org = await b.signedIn(w.organizer, '#/organizer/audit', { width: 1440, height: 900 });
    try {
      await org.page.locator('#audit-table').waitFor();
      const cells = await org.page.locator('#audit-table td.audit-action').allTextContents();
      for (const name of ['企业自助注册', '审核通过企业注册', '修改密码', '创建申报成果']) expect(cells).toContain(name);
      expect(cells.filter((c) => c.startsWith('其他操作'))).toEqual([]);
      // Outside the folds no action code (a dotted lower-case word) appears; inside, they do.
      const visible = await org.page.locator('#audit-table').evaluate((table) => {
        const copy = table.cloneNode(true) as { querySelectorAll(s: string): { remove(): void }[]; textContent: string | null };
        for (const d of copy.querySelectorAll('details.tech')) d.remove();
        return copy.textContent ?? '';
      });
      expect(visible).not.toMatch(/\b[a-z_]+\.[a-z_]+\b/);
      expect(visible).not.toMatch(/lockVersion|problem_solving|industry_association|\d{4}-\d{2}-\d{2}T/);
      expect(visible).toContain('问题解决型');
      const folded = await org.page.locator('#audit-table details.tech').allTextContents();
      expect(folded.join('\n')).toContain('enterprise.register');
      expect(folded.join('\n')).toContain('user.change_password');
      await org.page.locator('#audit-table details.tech summary').first().click();
      await org.shot('audit-chinese');
      org.clean();
    } finally {
      await org.close();
    }
  });
});
