// The portals in Chromium (1024×768): the enterprise drafts, uploads, submits and resubmits an
// entry; its recommending unit declines (reason required) or recommends; the admin manages
// accounts; after publication the enterprise downloads its certificate. Every UI action is checked
// against the API. Screenshots go to test-output/screenshots/.
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeSubmissions, setPhase } from '../factories/contests.js';
import { createEntry, createIntakeWorld, minimalPdf, type EntryOut, type IntakeWorld } from '../factories/entries.js';
import { resultsContest } from '../factories/results.js';
import { checklistAnswer, decide } from '../factories/review.js';
import { describeBrowser, startBrowser, type BrowserHarness, type Tab } from '../support/browser.js';
import { ADMIN, createTestApp, TEST_DB, type TestApp } from '../support/test-app.js';

jest.setTimeout(180_000);

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const PASSWORD = 'Amber-海河-Lantern-42';

describeBrowser(`portals: enterprise, recommending unit, admin (${TEST_DB})`, () => {
  let t: TestApp;
  let b: BrowserHarness;
  let w: IntakeWorld;
  let dir: string;
  let pdf: string;
  let text: string;
  /** The entry the enterprise creates in the first test (later tests continue with it). */
  let entryId = 0;

  beforeAll(async () => {
    t = await createTestApp();
    b = await startBrowser(t);
    w = await createIntakeWorld(t);
    dir = mkdtempSync(join(tmpdir(), 'qc-portals-'));
    pdf = join(dir, '成果报告.pdf');
    writeFileSync(pdf, minimalPdf('portal report'));
    text = join(dir, 'notes.pdf');
    writeFileSync(text, 'not a pdf at all');
  });

  afterAll(async () => {
    await b?.close();
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const entry = async (id: number): Promise<EntryOut> => (await t.http().get(`/api/entries/${id}`).set(auth(w.organizer)).expect(200)).body as EntryOut;
  const attachments = async (id: number) => (await t.http().get(`/api/entries/${id}/attachments`).set(auth(w.organizer)).expect(200)).body.items as { kind: string; version: number; current: boolean; originalName: string }[];

  async function asUser(username: string, landing: RegExp, password = PASSWORD): Promise<Tab> {
    const tab = await b.open({ width: 1024, height: 768 });
    await b.logIn(tab.page, username, password);
    await tab.page.waitForURL(landing);
    return tab;
  }

  const withToken = (token: string, hash: string): Promise<Tab> => b.signedIn(token, hash);

  /** Clicks `button` and confirms in the dialog with `ok`. */
  async function confirm(tab: Tab, button: string, ok: string): Promise<void> {
    await tab.page.getByRole('button', { name: button, exact: true }).click();
    const dialog = tab.page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: ok }).click();
  }

  it('an enterprise drafts an entry with a member, sees API errors next to the fields, uploads a PDF report and submits it', async () => {
    const tab = await asUser(w.a.owner.username, /#\/enterprise$/);
    const { page } = tab;
    tab.expected = [/status of 400/, /status of 415/];
    await page.locator(`[data-new-entry="${w.contest.id}"]`).waitFor();

    await page.locator(`[data-new-entry="${w.contest.id}"]`).click();
    await page.waitForURL(new RegExp(`#/enterprise/entry/new/${w.contest.id}$`));
    await page.getByLabel('课题名称').fill('降低装配线返工率');
    await page.getByLabel('小组名称').fill('装配线QC小组');
    await page.locator('#entry-team-leader').fill('赵敏');
    await page.locator('#member-0-name').fill('赵敏');
    await page.locator('#member-0-jobTitle').fill('工程师');
    await page.locator('#add-member').click();
    await page.locator('#member-1-jobTitle').fill('技术员');
    await page.getByLabel('成果简介').fill('通过分层分析和对策实施，返工率由 4% 降至 1%。');
    await page.getByLabel('活动开始日期').fill('2020-05-01');
    await page.getByLabel('活动结束日期').fill('2020-03-01');
    await page.getByLabel('经济效益（元）').fill('360000');

    // The new member's name is missing: the API's error sits at that member's name input.
    await page.locator('#save-entry').click();
    await page.locator('#member-1-name-error').waitFor();
    expect(await page.locator('#member-1-name').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#member-1-name').getAttribute('data-field')).toBe('team.members.1.name');

    // Then the activity period: the end before the start is refused at the end date.
    await page.locator('#member-1-name').fill('钱多');
    await page.locator('#save-entry').click();
    await page.locator('#entry-activityEnd-error').waitFor();
    expect(await page.locator('#entry-activityEnd-error').textContent()).toBe('活动结束日期早于开始日期');
    expect(await page.locator('#member-1-name-error').count()).toBe(0);
    await tab.shot('enterprise-entry-form');
    const none = await t.http().get('/api/entries').set(auth(w.a.owner.token)).expect(200);
    expect(none.body.total).toBe(0);

    await page.getByLabel('活动结束日期').fill('2020-11-30');
    await page.locator('#save-entry').click();
    await page.waitForURL(/#\/enterprise\/entry\/\d+$/);
    entryId = Number(/(\d+)$/.exec(page.url())![1]);
    await page.locator('#entry-status[data-status="draft"]').waitFor();
    const draft = await entry(entryId);
    expect(draft).toMatchObject({ status: 'draft', title: '降低装配线返工率', activityEnd: '2020-11-30', economicBenefit: 360000, unitId: w.a.unit.id });
    expect(draft.team.members).toEqual([{ name: '赵敏', jobTitle: '工程师', role: '组长' }, { name: '钱多', jobTitle: '技术员', role: '组员' }]);

    // Submitting without a report: the blocker is shown, and the API refuses with its message.
    expect(await page.locator('#submit-blockers').textContent()).toContain('尚未上传成果报告');

    // A file that is not a PDF is refused by content: the message sits at the file input.
    await page.locator('#upload-file').setInputFiles(text);
    await page.locator('#upload-submit').click();
    await page.locator('#upload-file-error').waitFor();
    expect(await page.locator('#upload-file-error').textContent()).toContain('PDF');

    await page.locator('#upload-file').setInputFiles(pdf);
    await page.locator('#upload-submit').click();
    await page.locator('#attachments tr[data-kind="report"]').waitFor();
    expect(await page.locator('#submit-blockers').count()).toBe(0);

    await confirm(tab, '提交申报', '确认提交');
    await page.locator('#entry-status[data-status="submitted"]').waitFor();
    const submitted = await entry(entryId);
    expect(submitted.status).toBe('submitted');
    expect(submitted.submittedAt).not.toBeNull();
    expect(await attachments(entryId)).toEqual([expect.objectContaining({ kind: 'report', version: 1, current: true, originalName: '成果报告.pdf' })]);
    // The timeline shows the submission; the form is read-only now.
    await page.locator('#timeline li[data-status="submitted"]').waitFor();
    expect(await page.locator('#entry-title').isDisabled()).toBe(true);
    expect(await page.locator('#upload-form').count()).toBe(0);
    await tab.shot('enterprise-entry-submitted');

    // Home: the entry with its status and next step.
    await page.goto(`${b.base}/#/enterprise`);
    const row = page.locator(`#entry-list tr[data-entry="${entryId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('已提交：等待推荐单位推荐');
    await tab.shot('enterprise-home');
    tab.clean();
    await tab.close();
  });

  it('the recommending unit must give a reason to decline, recommends, and opens the report', async () => {
    const tab = await asUser(w.a.recommender.username, /#\/unit$/);
    const { page, context } = tab;
    tab.expected = [/status of 400/];
    const row = page.locator(`tr[data-entry="${entryId}"]`);
    await row.waitFor();
    expect(await page.locator(`#quota-${w.contest.id}`).textContent()).toContain('已推荐 0 项');
    await tab.shot('unit-home');

    // Declining without a reason: the API's error is shown next to the reason.
    await row.locator('[data-action="decline"]').click();
    await page.locator('#decline-form').waitFor();
    await confirm(tab, '确认不予推荐', '不予推荐');
    await page.locator('#decline-reason-error').waitFor();
    expect(await page.locator('#decline-reason').getAttribute('aria-invalid')).toBe('true');
    expect((await entry(entryId)).status).toBe('submitted');
    await page.getByRole('button', { name: '取消' }).click();

    // The report opens from an object URL fetched with the bearer token.
    const [popup] = await Promise.all([context.waitForEvent('page'), row.locator('[data-action="report"]').click()]);
    expect(popup.url()).toMatch(/^blob:/);
    await popup.close();

    await row.locator('[data-action="recommend"]').click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('当前剩余 30 个');
    await dialog.getByRole('button', { name: '确认推荐' }).click();
    await page.locator(`tr[data-entry="${entryId}"] [data-status="recommended"]`).waitFor();
    expect((await entry(entryId)).status).toBe('recommended');
    expect(await page.locator(`#quota-${w.contest.id}`).textContent()).toContain('已推荐 1 项');

    // The status filter.
    await page.getByLabel('按状态筛选').selectOption('submitted');
    expect(await page.locator(`tr[data-entry="${entryId}"]`).count()).toBe(0);
    tab.clean();
    await tab.close();
  });

  it('another enterprise withdraws its own draft, and opening this entry gets the API\'s refusal; other roles are sent to the login', async () => {
    const own = await createEntry(t, w.b.owner.token, w.contest.id, { title: '另一家企业的草稿' });
    const tab = await withToken(w.b.owner.token, `#/enterprise/entry/${own.id}`);
    const { page } = tab;
    tab.expected = [/status of 404/];
    await page.locator('#withdraw-entry').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('撤回原因（可选）').fill('内容需要重新整理');
    await dialog.getByRole('button', { name: '确认撤回' }).click();
    await page.locator('#entry-status[data-status="withdrawn"]').waitFor();
    expect((await t.http().get(`/api/entries/${own.id}`).set(auth(w.b.owner.token)).expect(200)).body.status).toBe('withdrawn');
    expect(await page.locator('#timeline li[data-status="withdrawn"]').textContent()).toContain('内容需要重新整理');

    // Enterprise A's entry: the API's 404, shown as its message; nor is it in B's list.
    await page.goto(`${b.base}/#/enterprise/entry/${entryId}`);
    await page.getByText('资源不存在').waitFor();
    expect(await page.locator('#entry-form').count()).toBe(0);
    await t.http().get(`/api/entries/${entryId}`).set(auth(w.b.owner.token)).expect(404);
    await page.goto(`${b.base}/#/enterprise`);
    await page.locator(`#entry-list tr[data-entry="${own.id}"]`).waitFor();
    expect(await page.locator(`tr[data-entry="${entryId}"]`).count()).toBe(0);
    // The unit's and the admin's screens are not for an enterprise.
    await page.goto(`${b.base}/#/admin`);
    await page.waitForURL(/#\/login$/);
    tab.clean();
    await tab.close();
  });

  it('a returned entry shows the reviewer\'s notes and is resubmitted; the unit sees the decision', async () => {
    await closeSubmissions(t, w.organizer, w.contest.id);
    await setPhase(t, w.organizer, w.contest.id, 'review');
    await decide(t, w.organizer, w.contest.id, entryId, {
      decision: 'return', checklist: checklistAnswer({ report_length: '成果报告超过 20 页，请精简' }), reason: '请精简成果报告后重新提交',
    });

    const tab = await withToken(w.a.owner.token, '#/enterprise');
    const { page } = tab;
    const row = page.locator(`#entry-list tr[data-entry="${entryId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('退回修改：请按意见修改后重新提交');
    await row.getByRole('link').click();
    const notes = page.locator('#review-notes');
    await notes.waitFor();
    expect(await notes.textContent()).toContain('成果报告超过 20 页，请精简');
    expect(await notes.textContent()).toContain('请精简成果报告后重新提交');
    await tab.shot('enterprise-entry-returned');

    // Editable again: a new report version, then resubmission.
    await page.locator('#upload-file').setInputFiles(pdf);
    await page.locator('#upload-submit').click();
    await page.locator('#attachments tr[data-kind="report"]').nth(1).waitFor();
    await confirm(tab, '重新提交', '确认重新提交');
    await page.locator('#entry-status[data-status="resubmitted"]').waitFor();
    expect((await entry(entryId)).status).toBe('resubmitted');
    expect((await attachments(entryId)).filter((a) => a.kind === 'report').map((a) => [a.version, a.current])).toEqual(expect.arrayContaining([[2, true], [1, false]]));
    await page.locator('#timeline li[data-status="resubmitted"]').waitFor();
    expect(await page.locator('#timeline li[data-status="returned"]').textContent()).toContain('请精简成果报告后重新提交');
    tab.clean();
    await tab.close();

    const unit = await withToken(w.a.recommender.token, '#/unit');
    const decision = unit.page.locator(`tr[data-entry="${entryId}"] [data-decision="return"]`);
    await decision.waitFor();
    expect(await decision.textContent()).toContain('成果报告超过 20 页，请精简');
    unit.clean();
    await unit.close();
  });

  it('the admin creates an account (a taken username is refused at the field) and deactivates it', async () => {
    const tab = await asUser(ADMIN.username, /#\/admin$/, ADMIN.password);
    const { page } = tab;
    tab.expected = [/status of 409/, /status of 400/];
    await page.locator('#user-list').waitFor();

    const form = page.locator('#create-user');
    await form.getByLabel('用户名').fill(w.a.owner.username);
    await form.getByLabel('姓名').fill('审计 孙老师');
    await form.getByLabel('角色').selectOption('organizer');
    await form.getByLabel('初始密码').fill('short');
    await form.getByRole('button', { name: '创建账号' }).click();
    await page.locator('#new-password-error').waitFor();

    await form.getByLabel('初始密码').fill(PASSWORD);
    await form.getByRole('button', { name: '创建账号' }).click();
    await page.locator('#new-username-error').waitFor();
    expect(await page.locator('#new-username-error').textContent()).toBe('用户名已被使用');

    await form.getByLabel('用户名').fill('auditor.sun');
    await form.getByRole('button', { name: '创建账号' }).click();
    await page.getByText('已创建账号「auditor.sun」').waitFor();
    const found = await t.http().get('/api/users?q=auditor.sun').set(auth(await adminToken())).expect(200);
    expect(found.body.items).toEqual([expect.objectContaining({ username: 'auditor.sun', role: 'organizer', active: true, displayName: '审计 孙老师' })]);
    const id = found.body.items[0].id as number;

    // Search; reset the password (too short first: the API's error at the field), then deactivate.
    await page.getByLabel('用户名或姓名').fill('auditor');
    await page.getByRole('button', { name: '查询' }).click();
    const row = page.locator(`tr[data-user="${id}"]`);
    await row.waitFor();
    expect(await page.locator('#user-list tbody tr').count()).toBe(1);
    await row.locator('[data-action="reset"]').click();
    await page.getByLabel('新密码').fill('short');
    await confirm(tab, '保存新密码', '确认重置');
    await page.locator('#reset-password-error').waitFor();
    await page.getByLabel('新密码').fill('Ember-蓟州-Meadow-64');
    await confirm(tab, '保存新密码', '确认重置');
    await page.getByText('已重置「auditor.sun」的密码').waitFor();
    await t.http().post('/api/auth/login').send({ username: 'auditor.sun', password: 'Ember-蓟州-Meadow-64' }).expect(200);
    await row.locator('[data-action="deactivate"]').click();
    await page.getByRole('dialog').getByRole('button', { name: '确认停用' }).click();
    await page.locator(`tr[data-user="${id}"][data-active="false"]`).waitFor();
    expect((await t.http().get(`/api/users/${id}`).set(auth(await adminToken())).expect(200)).body.active).toBe(false);
    await t.http().post('/api/auth/login').send({ username: 'auditor.sun', password: 'Ember-蓟州-Meadow-64' }).expect(401);
    await tab.shot('admin-accounts');
    tab.clean();
    await tab.close();
  });

  it('after publication the enterprise sees its award and downloads the certificate; the unit sees the award', async () => {
    const s = await resultsContest(t, 'published', { entries: 2, experts: 2, units: 1 });
    const list = (await t.http().get(`/api/public/contests/${s.contest.id}/results`).expect(200)).body;
    const awarded = Object.values(list.levels as Record<string, { entryId: number }[]>).flat()[0]!;
    const owner = s.enterprises.find((e) => s.entries.some((x) => x.id === awarded.entryId && x.enterpriseId === e.id))!;
    const tab = await withToken(owner.token, '#/enterprise');
    const { page } = tab;
    const button = page.locator(`[data-certificate="${awarded.entryId}"]`);
    await button.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toMatch(/^荣誉证书-.+\.pdf$/);
    const file = join(dir, 'cert.pdf');
    await download.saveAs(file);
    expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await tab.shot('enterprise-home-awarded');

    // The entry's page: its presentation (session, venue, drawn position) and the certificate.
    const schedule = (await t.http().get(`/api/entries/${awarded.entryId}/schedule`).set(auth(owner.token)).expect(200)).body;
    await page.locator(`#entry-list tr[data-entry="${awarded.entryId}"] a`).click();
    const facts = page.locator('#schedule-facts');
    await facts.waitFor();
    expect(await facts.textContent()).toContain(schedule.session.venue);
    expect(await facts.textContent()).toContain(`第 ${schedule.position} 位`);
    await page.locator('#download-certificate').waitFor();
    tab.clean();
    await tab.close();

    const unit = await withToken(s.units[0]!.token, '#/unit');
    await unit.page.locator(`tr[data-entry="${awarded.entryId}"] [data-level]`).waitFor();
    unit.clean();
    await unit.close();
  });

  async function adminToken(): Promise<string> {
    const res = await t.http().post('/api/auth/login').send(ADMIN).expect(200);
    return res.body.accessToken as string;
  }
});
