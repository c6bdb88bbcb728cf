// The day of the presentation in Chromium: a late team's absence undone with a reason at the desk;
// the score sheet on a tablet (the total stays in view, a wheel never changes a mark, 「提交并评下一项」);
// the panel leader's sign-off (what is missing first, then the confirmation); the organizer reopens
// a sheet with a reason, the expert resubmits, and the versions show side by side.
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { buildScoringScenario, type ScoringScenario } from '../factories/scenario.js';
import { marksFor, mySheet, submitSheet, STAGES, type Stage } from '../factories/scoring.js';
import { describeBrowser, startBrowser, type BrowserHarness, type Tab } from '../support/browser.js';
import { createTestApp, createUser, TEST_DB, type TestApp } from '../support/test-app.js';

jest.setTimeout(240_000);

const PASSWORD = 'Amber-海河-Lantern-42';
const TABLET = { width: 740, height: 600 };
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describeBrowser(`the presentation day in Chromium: check-in undo, sheet ergonomics, sign-off, reopen (${TEST_DB})`, () => {
  let t: TestApp;
  let b: BrowserHarness;
  let s: ScoringScenario;
  let organizer: string;
  let late: number;
  let order: number[];

  beforeAll(async () => {
    t = await createTestApp();
    b = await startBrowser(t);
    s = await buildScoringScenario(t, { entries: 3, experts: 2, absent: 1, conflicts: 0 });
    late = s.absentEntryIds[0]!;
    organizer = `day-organizer-${process.pid}`;
    await createUser(t, s.admin, { username: organizer, role: 'organizer', displayName: '组委会 现场' });
    const slots = (await t.http().get(`/api/sessions/${s.session.id}`).set(auth(s.organizer)).expect(200)).body.slots as { entryId: number; position: number }[];
    order = [...slots].sort((a, b) => a.position - b.position).map((x) => x.entryId);
  });

  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  async function logIn(username: string, viewport?: { width: number; height: number }, expected: RegExp[] = []): Promise<Tab> {
    const tab = await b.open(viewport);
    tab.expected = expected;
    await b.logIn(tab.page, username, PASSWORD);
    await tab.page.waitForURL(/#\/(organizer|expert)$/);
    return tab;
  }
  /** The scenario's expert accounts carry generated usernames: ask the API whose token it is. */
  const expertName = async (i: number) => (await t.http().get('/api/auth/me').set(auth(s.experts[i]!.token)).expect(200)).body.username as string;
  async function confirm(page: Page, name: string): Promise<void> {
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name }).click();
    await dialog.waitFor({ state: 'detached' });
  }
  async function withReason(page: Page, reason: string, name: string): Promise<void> {
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    // No reason, no action: the dialog stays open.
    await dialog.getByRole('button', { name }).click();
    expect(await dialog.isVisible()).toBe(true);
    await dialog.locator('#dlg-reason').fill(reason);
    await dialog.getByRole('button', { name }).click();
    await dialog.waitFor({ state: 'detached' });
  }

  it('undoes a late team\'s absence with a reason at the check-in desk, then records it present', async () => {
    const tab = await logIn(organizer);
    const { page } = tab;
    await page.goto(`${b.base}/#/organizer/contest/${s.contest.id}/sessions`);
    const row = page.locator(`#order-table tr[data-entry="${late}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-attendance')).toBe('absent');
    await row.getByRole('button', { name: /撤销签到/ }).click();
    await withReason(page, '该小组因交通原因迟到，已到场', '确认撤销');
    await page.locator(`#order-table tr[data-entry="${late}"][data-attendance="pending"]`).waitFor();
    await page.locator(`#order-table tr[data-entry="${late}"]`).getByRole('button', { name: /到场/ }).click();
    await confirm(page, '确定');
    await page.locator(`#order-table tr[data-entry="${late}"][data-attendance="present"]`).waitFor();
    await tab.shot('day-checkin-undo');
    const audit = (await t.http().get(`/api/audit?action=presentation.session.check_in_undo&targetId=${s.session.id}`).set(auth(s.organizer)).expect(200)).body.items;
    expect(audit[0].after).toMatchObject({ entryId: late, attendance: 'pending', reason: '该小组因交通原因迟到，已到场' });
    tab.clean();
    await tab.close();
  });

  it('keeps the total in view, ignores the wheel over a mark, and 「提交并评下一项」 opens the next entry', async () => {
    const tab = await logIn(await expertName(1), TABLET);
    const { page } = tab;
    const rubric = (await mySheet(t, s.experts[1]!.token, order[0]!, 'material')).rubric;
    const marks = marksFor(rubric);
    const keys = rubric.items.map((i) => i.key);
    await page.goto(`${b.base}/#/expert/sheet/${order[0]}/material`);
    await page.locator(`#mark-${keys[0]}`).waitFor();
    await page.locator('#pending-count').filter({ hasText: '待提交 6 张' }).waitFor();

    // The page is longer than the screen, and the bar with the total and the buttons is on it all the same.
    expect(await page.evaluate('document.documentElement.scrollHeight > innerHeight')).toBe(true);
    const inView = async (sel: string) => {
      const box = (await page.locator(sel).boundingBox())!;
      return box.y >= 0 && box.y + box.height <= TABLET.height;
    };
    await page.evaluate('scrollTo(0, 0)');
    expect(await inView('#sheet-total')).toBe(true);
    expect(await inView('#sheet-submit-next')).toBe(true);
    await page.evaluate('scrollTo(0, document.documentElement.scrollHeight / 2)');
    expect(await inView('#sheet-total')).toBe(true);

    // A wheel over the focused mark scrolls the page, never the mark.
    const first = page.locator(`#mark-${keys[0]}`);
    await first.fill(String(marks[keys[0]!]));
    await first.hover();
    for (const dy of [-100, 100, -100]) await page.mouse.wheel(0, dy);
    await page.waitForTimeout(200);
    expect(await first.inputValue()).toBe(String(marks[keys[0]!]));
    // Touch targets: at least 44 px high.
    expect((await first.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    expect((await page.locator('#sheet-submit-next').boundingBox())!.height).toBeGreaterThanOrEqual(44);
    // A tap on the row, away from the field, puts the cursor in the mark.
    await page.locator('.item').nth(1).locator('.desc').click();
    expect(await page.evaluate('document.activeElement?.id')).toBe(`mark-${keys[1]}`);

    for (const k of keys.slice(1)) await page.locator(`#mark-${k}`).fill(String(marks[k]));
    expect(Number(await page.locator('#sheet-total').textContent())).toBeCloseTo(Object.values(marks).reduce((a, v) => a + v, 0), 5);
    await tab.shot('day-sheet-tablet', false);
    await page.locator('#sheet-submit-next').click();
    await confirm(page, '确认提交');
    await page.waitForURL(new RegExp(`#/expert/sheet/${order[1]}/material$`));
    await page.locator('.notice.ok').filter({ hasText: '已提交' }).waitFor();
    await page.locator('#pending-count').filter({ hasText: '待提交 5 张' }).waitFor();
    const done = (await mySheet(t, s.experts[1]!.token, order[0]!, 'material'));
    expect(done).toMatchObject({ status: 'submitted', version: 1, marks });

    await page.goto(`${b.base}/#/expert`);
    await page.locator('#pending-total').filter({ hasText: '待提交评分表 5 张' }).waitFor();
    tab.clean();
    await tab.close();
  });

  it('shows the panel leader what is missing, then signs the session off once every sheet is in', async () => {
    const tab = await logIn(await expertName(0));
    const { page } = tab;
    const box = page.locator(`[data-sign-off="${s.session.id}"]`);
    const missing = box.locator(`#sign-off-missing-${s.session.id} tbody tr`);
    await missing.first().waitFor();
    expect(await missing.count()).toBe(order.length * s.experts.length * STAGES.length - 1);
    expect(await box.locator(`#sign-off-confirm-${s.session.id}`).count()).toBe(0);
    await tab.shot('day-signoff-missing');

    for (const [i, x] of s.experts.entries()) {
      for (const entryId of order) {
        for (const stage of STAGES as Stage[]) if (!(i === 1 && entryId === order[0] && stage === 'material')) await submitSheet(t, x.token, entryId, stage);
      }
    }
    await box.locator(`#sign-off-recheck-${s.session.id}`).click();
    await box.locator(`#sign-off-confirm-${s.session.id}`).click();
    await confirm(page, '确认');
    await box.getByText('本场评分已由组长确认').waitFor();
    const session = (await t.http().get(`/api/sessions/${s.session.id}`).set(auth(s.organizer)).expect(200)).body;
    expect(session.signedOffAt).toEqual(expect.any(String));
    await tab.shot('day-signoff-done');
    tab.clean();
    await tab.close();
  });

  it('lets the organizer reopen a sheet with a reason; the expert resubmits; the versions show side by side', async () => {
    const sheet = (await t.http().get(`/api/entries/${order[0]}/sheets`).set(auth(s.organizer)).expect(200)).body.items
      .find((x: { expertId: number; stage: string }) => x.expertId === s.experts[1]!.id && x.stage === 'material');
    const desk = await logIn(organizer);
    await desk.page.goto(`${b.base}/#/organizer/entry/${order[0]}`);
    const row = desk.page.locator(`#entry-sheets-table tr[data-sheet="${sheet.id}"]`);
    await row.waitFor();
    await row.locator('[data-action="reopen"]').click();
    await withReason(desk.page, '第一项分数录入有误，请核对后重新提交', '确认退回');
    await desk.page.locator(`#entry-sheets-table tr[data-sheet="${sheet.id}"][data-status="draft"]`).waitFor();
    const reopened = (await t.http().get(`/api/sheets/${sheet.id}`).set(auth(s.organizer)).expect(200)).body;
    expect(reopened).toMatchObject({ status: 'draft', reopenReason: '第一项分数录入有误，请核对后重新提交' });
    expect((await t.http().get(`/api/sessions/${s.session.id}`).set(auth(s.organizer)).expect(200)).body.signedOffAt).toBeNull();

    // The expert corrects the first mark and submits version 2.
    const tab = await logIn(await expertName(1), TABLET);
    const key = reopened.rubric.items[0].key as string;
    await tab.page.goto(`${b.base}/#/expert/sheet/${order[0]}/material`);
    const first = tab.page.locator(`#mark-${key}`);
    await first.waitFor();
    const corrected = String(Number(await first.inputValue()) - 1);
    await first.fill(corrected);
    await tab.page.locator('#sheet-submit').click();
    await confirm(tab.page, '确认提交');
    await tab.page.locator('#sheet-locked').getByText('第 2 版').waitFor();
    tab.clean();
    await tab.close();

    await desk.page.reload();
    // The versions come from their own route (GET /sheets/{id}/versions).
    const versionsRead = desk.page.waitForResponse((r) => r.url().endsWith(`/api/sheets/${sheet.id}/versions`) && r.status() === 200);
    await desk.page.locator(`#entry-sheets-table tr[data-sheet="${sheet.id}"][data-status="submitted"] [data-action="versions"]`).click();
    expect(((await (await versionsRead).json()) as { version: number }[]).map((v) => v.version)).toEqual([1, 2]);
    const table = desk.page.locator('#versions-table');
    await table.waitFor();
    expect(await table.locator('thead th').allTextContents()).toEqual(['评分项', expect.stringMatching(/^第 1 版/), expect.stringMatching(/^第 2 版/)]);
    const changed = table.locator(`tr[data-item="${key}"] td.changed`);
    expect(await changed.textContent()).toBe(corrected);
    expect(await table.locator('td.changed').count()).toBe(2); // the mark and the total
    await desk.shot('day-sheet-versions');
    desk.clean();
    await desk.close();
  });

  it('gives the expert its score-sheet history, a printable schedule with types and tracks, and its own profile', async () => {
    const expert = s.experts[1]!;
    const mine = (await t.http().get('/api/experts/me/sheets?pageSize=200').set(auth(expert.token)).expect(200)).body;
    expect(mine.total).toBeGreaterThan(0);
    const tab = await b.signedIn(expert.token, '#/expert', TABLET);
    const { page } = tab;
    await page.locator('#link-sheets').click();
    await page.waitForURL(/#\/expert\/sheets$/);
    await page.locator('#sheets-total').getByText(`共 ${mine.total} 张评分表`).waitFor();
    const section = page.locator(`section[data-contest="${s.contest.id}"]`);
    expect(await section.locator('tr[data-sheet]').count()).toBe(mine.total);
    const twice = mine.items.find((x: { version: number }) => x.version === 2);
    expect(await section.locator(`tr[data-sheet="${twice.id}"]`).textContent()).toContain('第 2 版');
    const contest = (await t.http().get(`/api/contests/${s.contest.id}`).set(auth(expert.token)).expect(200)).body;
    expect(await section.locator('h2').textContent()).toBe(contest.name);
    await page.locator('#sheets-contest').selectOption(String(s.contest.id));
    await page.locator('#sheets-filter button[type="submit"]').click();
    await page.locator('#sheets-total').getByText(`共 ${mine.total} 张评分表（${contest.name}）`).waitFor();
    await tab.shot('expert-sheet-history');

    await page.goto(`${b.base}/#/expert`);
    await page.locator('#link-schedule').click();
    await page.waitForURL(/#\/expert\/schedule$/);
    // The expert's home, still mounted for a moment after the click, has a section[data-session] too
    // (labelled by session-<id>): the schedule's own is labelled by sched-<id>.
    const block = page.locator(`section[data-session="${s.session.id}"][aria-labelledby="sched-${s.session.id}"]`);
    await block.waitFor();
    const assigned = (await t.http().get('/api/experts/me/assignments').set(auth(expert.token)).expect(200)).body.items as { entryId: number; entryType: string }[];
    expect(await block.locator('tr[data-entry]').count()).toBe(assigned.length);
    const kind = assigned[0]!.entryType === 'innovation' ? '创新型' : '问题解决型';
    expect(await block.locator(`tr[data-entry="${assigned[0]!.entryId}"]`).textContent()).toContain(kind);
    await page.locator('#print-schedule').waitFor();
    await tab.shot('expert-schedule');

    const profile = (await t.http().get(`/api/experts/${expert.id}`).set(auth(expert.token)).expect(200)).body;
    await page.locator('#account-menu summary').click();
    await page.locator('#menu-profile').click();
    await page.waitForURL(/#\/account\/profile$/);
    expect(await page.locator('#profile-name').textContent()).toBe(profile.name);
    expect(await page.locator('#profile-fields').textContent()).toBe(profile.fields.length ? profile.fields.join('、') : '—');
    // The organisation's record is read-only for the expert; only its profile of expertise is a form,
    // whose changes wait for the organizer's approval (issue 16).
    expect(await page.locator('#expert-profile').locator('input, textarea, select').count()).toBe(0);
    expect(await page.locator('input, textarea, select').count()).toBe(await page.locator('#profile-form').locator('input, textarea, select').count());
    expect(await page.locator('#profile-save').textContent()).toContain('待组委会审核');
    await tab.shot('expert-profile');
    tab.clean();
    await tab.close();
  });

  it('refreshes a stored session at start: a stale name is replaced, a deactivated account goes back to the login with the reason', async () => {
    const username = `day-stale-${process.pid}`;
    const user = await createUser(t, s.admin, { username, role: 'organizer', displayName: '组委会 核对' });
    // A session stored before a rename (the cached user says 旧的姓名): the start replaces it with the server's.
    const me = (await t.http().get('/api/auth/me').set(auth(user.token)).expect(200)).body;
    const tab = await b.open();
    const { page } = tab;
    await tab.context.addInitScript({ content: `localStorage.setItem('qc.token', ${JSON.stringify(user.token)}); localStorage.setItem('qc.user', ${JSON.stringify(JSON.stringify({ ...me, displayName: '旧的姓名' }))});` });
    await page.goto(`${b.base}/#/organizer`);
    await page.locator('.account-name').getByText('组委会 核对').waitFor();
    expect(JSON.parse(await page.evaluate<string>("localStorage.getItem('qc.user')")).displayName).toBe('组委会 核对');

    // The admin opens the row, another admin deactivates it meanwhile: the action reads the account first.
    const admin = await b.signedIn(s.admin, '#/admin');
    await admin.page.locator('#filter-q').fill(username);
    await admin.page.locator('#user-filters button[type="submit"]').click();
    const row = admin.page.locator(`#user-list tr[data-user="${user.id}"][data-active="true"]`);
    await row.waitFor();
    await t.http().post(`/api/users/${user.id}/deactivate`).set(auth(s.admin)).expect(200);
    await row.locator('[data-action="deactivate"]').click();
    await admin.page.locator(`#user-list tr[data-user="${user.id}"][data-active="false"]`).waitFor();
    await admin.page.getByText('已被他人修改').waitFor();
    expect(await admin.page.getByRole('dialog').count()).toBe(0);
    await admin.shot('admin-stale-row');
    admin.clean();
    await admin.close();

    // The organizer's stored session is void now: the next start goes to the login and says why.
    tab.expected = [/401/];
    await page.reload();
    await page.waitForURL(/#\/login$/);
    await page.getByText('账号可能已被停用').waitFor();
    expect(await page.evaluate("localStorage.getItem('qc.token')")).toBeNull();
    await tab.shot('stale-session-login');
    tab.clean();
    await tab.close();
  });
});
