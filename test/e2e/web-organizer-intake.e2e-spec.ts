// The organizer's desk in a real browser (1280×900), part 1: contests, a contest's phase with the
// next phase's conditions, entries (filters, one entry), and preliminary review. Every UI action is
// checked through the API. Screenshots: org-contests, org-contest-overview, org-entries, org-entry, org-review.
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { closeSubmissions } from '../factories/contests.js';
import { createEntry, createIntakeWorld, submitEntry, submittedRecommendedEntry, uploadReport, type EntryOut, type IntakeWorld } from '../factories/entries.js';
import { describeBrowser, startBrowser, type BrowserHarness, type Tab } from '../support/browser.js';
import { createTestApp, TEST_DB, type TestApp } from '../support/test-app.js';

jest.setTimeout(180_000);

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const DESK = { width: 1280, height: 900 };
const PASSWORD = 'Amber-海河-Lantern-42';

describeBrowser(`organizer desk: contests, entries, review (${TEST_DB})`, () => {
  let t: TestApp;
  let b: BrowserHarness;
  let w: IntakeWorld;
  let organizer: string;
  /** Three entries of enterprise A, recommended; one of B submitted, and 17 drafts of B (for paging). */
  let recommended: EntryOut[];
  let submitted: EntryOut;

  beforeAll(async () => {
    t = await createTestApp();
    b = await startBrowser(t);
    w = await createIntakeWorld(t);
    organizer = (await t.http().get('/api/auth/me').set(auth(w.organizer)).expect(200)).body.username;
    recommended = [];
    for (let i = 0; i < 3; i++) recommended.push(await submittedRecommendedEntry(t, w.a.owner.token, w.a.recommender.token, w.contest.id));
    submitted = await createEntry(t, w.b.owner.token, w.contest.id);
    await uploadReport(t, w.b.owner.token, submitted.id);
    await submitEntry(t, w.b.owner.token, submitted.id);
    for (let i = 0; i < 17; i++) await createEntry(t, w.b.owner.token, w.contest.id);
  });

  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  const api = (path: string) => t.http().get(`/api${path}`).set(auth(w.organizer)).expect(200).then((r) => r.body);
  const deskTab = async (): Promise<Tab> => {
    const tab = await b.open(DESK);
    await b.logIn(tab.page, organizer, PASSWORD);
    await tab.page.waitForURL(/#\/organizer$/);
    return tab;
  };
  const confirm = (tab: Tab, name: string) => tab.page.getByRole('dialog').getByRole('button', { name }).click();

  it('creates a contest from the form, with the API\'s field errors next to the fields', async () => {
    const tab = await deskTab();
    const { page } = tab;
    tab.expected = [/status of 400/];
    await page.locator('#contest-form').waitFor();
    await page.getByLabel('年度').fill('2021');
    await page.getByRole('button', { name: '创建评比活动' }).click();
    await expect(page.locator('#c-name-error').textContent()).resolves.toMatch(/[\u4e00-\u9fff]/);
    expect(await page.locator('#c-name').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('活动名称').fill('2021年滨海新区质量攻关活动（界面）');
    await page.getByLabel('申报开始时间').fill('2021-03-01T09:00');
    await page.getByLabel('申报截止时间').fill('2021-02-01T09:00');
    await page.getByRole('button', { name: '创建评比活动' }).click();
    await expect(page.locator('#c-closes-error').textContent()).resolves.toBe('申报截止时间应晚于开始时间');
    await expect(page.locator('#c-name-error').count()).resolves.toBe(0);

    await page.getByLabel('申报截止时间').fill('2021-04-30T17:00');
    await page.getByRole('button', { name: '创建评比活动' }).click();
    await page.waitForURL(/#\/organizer\/contest\/\d+$/);
    const id = Number(/contest\/(\d+)$/.exec(page.url())![1]);
    const created = await api(`/contests/${id}`);
    expect(created).toMatchObject({ name: '2021年滨海新区质量攻关活动（界面）', year: 2021, phase: 'draft', noticeDays: 7 });
    expect(new Date(created.submissionClosesAt).getTime()).toBeGreaterThan(new Date(created.submissionOpensAt).getTime());
    await expect(page.locator('#overview-msg').textContent()).resolves.toContain('已创建评比活动');
    tab.clean();
    await tab.close();
  });

  it('lands on the contests, opens the overview, sees what blocks the next phase, and moves the contest on', async () => {
    const tab = await deskTab();
    const { page } = tab;
    const row = page.locator(`#contest-list tr[data-contest="${w.contest.id}"]`);
    await row.waitFor();
    expect(await row.locator('td[data-role="entries"]').textContent()).toBe('21');
    await expect(page.locator('#audit-link').getAttribute('href')).resolves.toBe('#/organizer/audit');
    await tab.shot('org-contests');

    await row.getByRole('link', { name: w.contest.name }).click();
    await page.waitForURL(new RegExp(`#/organizer/contest/${w.contest.id}$`));
    const deadline = page.locator('#phase-conditions li[data-condition="deadline_reached"]');
    await deadline.waitFor();
    expect(await deadline.getAttribute('data-met')).toBe('false');
    expect(await deadline.textContent()).toContain('申报截止时间未到');
    expect(await page.locator('#phase-conditions li[data-condition="recommended_entries"]').getAttribute('data-met')).toBe('true');
    expect(await page.locator('#entry-counts li[data-status="recommended"] strong').textContent()).toBe('3');
    await tab.shot('org-contest-overview');

    // Asking anyway: the API refuses and says why.
    tab.expected = [/status of 409/];
    await page.locator('#phase-next').click();
    await confirm(tab, '确认进入');
    await expect(page.locator('#overview-msg .notice.error').textContent()).resolves.toContain('申报截止时间未到');
    expect((await api(`/contests/${w.contest.id}`)).phase).toBe('open');

    await closeSubmissions(t, w.organizer, w.contest.id);
    await page.reload();
    await page.locator('#phase-conditions li[data-condition="deadline_reached"][data-met="true"]').waitFor();
    await page.locator('#phase-next').click();
    await confirm(tab, '确认进入');
    await page.locator('#current-phase', { hasText: '初审中' }).waitFor();
    expect(await page.locator('#overview-msg').textContent()).toContain('已进入「初审中」');
    expect((await api(`/contests/${w.contest.id}`)).phase).toBe('review');
    expect((await api(`/contests/${w.contest.id}/phase`)).next).toBe('presentation');
    // The next action is the review queue.
    await expect(page.getByRole('link', { name: '进入材料初审' }).getAttribute('href')).resolves.toBe(`#/organizer/contest/${w.contest.id}/review`);
    tab.clean();
    await tab.close();
  });

  it('filters entries by status (as the API does), keeps the filters when paging and after a visit to an entry, shows one entry with its report', async () => {
    const tab = await deskTab();
    const { page } = tab;
    await page.goto(`${b.base}/#/organizer/contest/${w.contest.id}/entries`);
    await page.locator('#entries-total', { hasText: '共 21 项' }).waitFor();

    await page.getByLabel('状态').selectOption('recommended');
    await page.getByRole('button', { name: '筛选', exact: true }).click();
    await page.locator('#entries-total', { hasText: '共 3 项' }).waitFor();
    const shown = await page.locator('#entries-table tbody tr').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-entry'))));
    const fromApi = await api(`/entries?contestId=${w.contest.id}&status=recommended`);
    expect(shown.sort()).toEqual(fromApi.items.map((e: { id: number }) => e.id).sort());
    expect(shown.sort()).toEqual(recommended.map((e) => e.id).sort());
    await page.getByLabel('成果名称').fill(recommended[1]!.title);
    await page.getByRole('button', { name: '筛选', exact: true }).click();
    await page.locator('#entries-total', { hasText: '共 1 项' }).waitFor();
    await tab.shot('org-entries');

    const entry = recommended[1]!;
    await page.getByRole('link', { name: entry.title }).click();
    await page.waitForURL(new RegExp(`#/organizer/entry/${entry.id}$`));
    await page.locator('#entry-title', { hasText: entry.title }).waitFor();
    expect(await page.locator('#entry-details').textContent()).toContain(entry.team.name);
    expect(await page.locator('#timeline li').count()).toBe(3);
    expect(await page.locator('#timeline li').last().getAttribute('data-status')).toBe('recommended');
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载 成果报告.pdf' }).click()]);
    expect(file.suggestedFilename()).toBe('成果报告.pdf');
    await tab.shot('org-entry');

    // Back to the list: the filters are still there.
    await page.getByRole('link', { name: '← 返回成果列表' }).click();
    await page.locator('#entries-total', { hasText: '共 1 项' }).waitFor();
    expect(await page.getByLabel('状态').inputValue()).toBe('recommended');
    await page.getByRole('button', { name: '清除筛选' }).click();
    await page.locator('#entries-total', { hasText: '共 21 项' }).waitFor();

    // Paging keeps the filters: drafts, 10 a page.
    await page.getByLabel('状态').selectOption('draft');
    await page.getByLabel('每页显示').selectOption('10');
    await page.getByRole('button', { name: '筛选', exact: true }).click();
    await page.locator('#entries-total', { hasText: '共 17 项' }).waitFor();
    expect(await page.locator('#page-at').textContent()).toBe('第 1 / 2 页');
    expect(await page.locator('#entries-table tbody tr').count()).toBe(10);
    await page.getByRole('button', { name: '下一页' }).click();
    await page.locator('#page-at', { hasText: '第 2 / 2 页' }).waitFor();
    const second = await page.locator('#entries-table tbody tr').evaluateAll((trs) => trs.map((tr) => [Number(tr.getAttribute('data-entry')), tr.getAttribute('data-status')]));
    const apiSecond = await api(`/entries?contestId=${w.contest.id}&status=draft&page=2&pageSize=10&sort=-createdAt`);
    expect(second).toEqual(apiSecond.items.map((e: { id: number }) => [e.id, 'draft']));
    expect(second).toHaveLength(7);
    expect(await page.getByLabel('状态').inputValue()).toBe('draft');
    expect(await page.getByLabel('每页显示').inputValue()).toBe('10');
    tab.clean();
    await tab.close();
  });

  it('reviews: a failing item (with its note) returns the entry, a reject needs a reason, bulk pass, closing review', async () => {
    const tab = await deskTab();
    const { page } = tab;
    const [first, second, third] = recommended as [EntryOut, EntryOut, EntryOut];
    await page.goto(`${b.base}/#/organizer/contest/${w.contest.id}/review`);
    await page.locator('#review-queue tbody tr').nth(2).waitFor();
    expect(await page.locator('#review-stats li[data-state="awaiting"] strong').textContent()).toBe('3');

    // Return: one item fails, with a note.
    await page.locator(`#review-queue tr[data-entry="${first.id}"] button.review`).click();
    await page.locator(`#decision-form[data-entry="${first.id}"]`).waitFor();
    await page.getByLabel('合格：活动时间在规定范围内').uncheck();
    await page.getByLabel('退回修改').check();
    // Without a note: the API's error next to that item's note.
    tab.expected = [/status of 400/];
    await page.locator('#decision-submit').click();
    await expect(page.locator('#chk-1-note-error').textContent()).resolves.toMatch(/^请说明检查项/);
    expect(await page.locator('#chk-1-note').getAttribute('aria-invalid')).toBe('true');
    expect((await api(`/entries/${first.id}`)).status).toBe('recommended');
    await page.getByLabel('活动时间在规定范围内 不合格说明').fill('活动开始时间早于规定日期');
    await tab.shot('org-review');
    await page.locator('#decision-submit').click();
    await page.locator('#review-msg', { hasText: '退回修改' }).waitFor();
    const review = await api(`/entries/${first.id}/review`);
    expect(review.status).toBe('returned');
    expect(review.decisions).toHaveLength(1);
    expect(review.decisions[0]).toMatchObject({ round: 1, decision: 'return' });
    expect(review.decisions[0].checklist.find((c: { key: string }) => c.key === 'activity_period')).toMatchObject({ ok: false, note: '活动开始时间早于规定日期' });
    expect((await api(`/entries/${first.id}`)).status).toBe('returned');
    await expect(page.locator(`#review-queue tr[data-entry="${first.id}"]`).count()).resolves.toBe(0);

    // Reject without a reason: the API's message next to the reason.
    await page.locator(`#review-queue tr[data-entry="${second.id}"] button.review`).click();
    await page.getByLabel('不予通过').check();
    await page.locator('#decision-submit').click();
    await confirm(tab, '不予通过');
    await expect(page.locator('#decision-reason-error').textContent()).resolves.toBe('不予通过须说明理由');
    expect(await page.locator('#decision-reason').getAttribute('aria-invalid')).toBe('true');
    expect((await api(`/entries/${second.id}`)).status).toBe('recommended');
    await page.getByRole('button', { name: '取消', exact: true }).click();

    // Bulk pass of the two left.
    await page.getByLabel(`选择 ${second.title}`).check();
    await page.getByLabel(`选择 ${third.title}`).check();
    await page.locator('#bulk-pass').click();
    await confirm(tab, '全部通过');
    await page.locator('#review-msg', { hasText: '已批量通过 2 项' }).waitFor();
    for (const e of [second, third]) expect((await api(`/entries/${e.id}`)).status).toBe('passed');
    const stats = await api(`/contests/${w.contest.id}/review/stats`);
    expect(stats.totals).toMatchObject({ awaiting: 0, passed: 2, returned: 1 });
    expect(await page.locator('#review-stats li[data-state="passed"] strong').textContent()).toBe('2');

    // Closing review rejects the returned entry, after confirmation.
    await page.getByLabel('说明', { exact: true }).fill('退回修改期限已过');
    await page.locator('#close-submit').click();
    await confirm(tab, '结束初审');
    await page.locator('#review-msg', { hasText: '材料初审已结束' }).waitFor();
    expect((await api(`/contests/${w.contest.id}/review/stats`)).reviewClosureNote).toBe('退回修改期限已过');
    expect((await api(`/entries/${first.id}`)).status).toBe('rejected');
    tab.clean();
    await tab.close();
  });

  it('refuses other roles: an enterprise user is sent to the login; a missing entry shows the API\'s message', async () => {
    const tab = await b.open(DESK);
    const { page } = tab;
    await b.logIn(page, w.a.owner.username, PASSWORD);
    await page.waitForURL(/#\/enterprise$/);
    await page.goto(`${b.base}/#/organizer/contest/${w.contest.id}/review`);
    await page.waitForURL(/#\/login$/);
    await t.http().get(`/api/contests/${w.contest.id}/review/queue`).set(auth(w.a.owner.token)).expect(403);
    tab.clean();
    await tab.close();

    const desk = await deskTab();
    desk.expected = [/status of 404/];
    await desk.page.goto(`${b.base}/#/organizer/entry/999999`);
    await expect(desk.page.locator('main .notice.error').textContent()).resolves.toMatch(/[\u4e00-\u9fff]/);
    desk.clean();
    await desk.close();
  });
});
