// Deactivating and reactivating organisations in Chromium (1024×768): the organizer stops a unit
// after a dialog that states the consequences, sees its badge and filters by it; the unit's user is
// told at the login screen why it cannot log in; an expert is stopped and started again. Every UI
// action is checked against the API. Screenshots (with axe-core) go to test-output/screenshots.
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { createIntakeWorld, type IntakeWorld } from '../factories/entries.js';
import { createExpert } from '../factories/organisations.js';
import { describeBrowser, startBrowser, type BrowserHarness } from '../support/browser.js';
import { createTestApp, TEST_DB, type TestApp } from '../support/test-app.js';

jest.setTimeout(180_000);

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describeBrowser(`organisations: deactivate and reactivate (${TEST_DB})`, () => {
  let t: TestApp;
  let b: BrowserHarness;
  let w: IntakeWorld;

  beforeAll(async () => {
    t = await createTestApp();
    b = await startBrowser(t);
    w = await createIntakeWorld(t);
  });

  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  const unit = async (id: number) => (await t.http().get(`/api/units/${id}`).set(auth(w.organizer)).expect(200)).body as { active: boolean };

  it('stops a unit after a dialog naming the consequences, shows the badge and the filter; its user is told why at login', async () => {
    const tab = await b.signedIn(w.organizer, '#/organizer/orgs/units');
    const { page } = tab;
    const row = page.locator(`#org-list tr[data-id="${w.a.unit.id}"]`);
    await row.waitFor();
    expect(await row.locator('.badge.active-state').textContent()).toBe('启用中');

    // Cancelling changes nothing.
    await row.locator('[data-action="deactivate"]').click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const text = await dialog.textContent();
    expect(text).toContain('停用推荐单位');
    expect(text).toContain('账号将不能登录');
    expect(text).toContain('不能再推荐成果');
    expect(text).toContain('全部保留');
    await tab.shot('orgs-unit-deactivate-dialog');
    await dialog.getByRole('button', { name: '取消' }).click();
    expect((await unit(w.a.unit.id)).active).toBe(true);

    await row.locator('[data-action="deactivate"]').click();
    await page.getByRole('dialog').getByRole('button', { name: '确认停用' }).click();
    await page.locator('.notice', { hasText: '已停用' }).waitFor();
    expect((await unit(w.a.unit.id)).active).toBe(false);
    const stopped = page.locator(`#org-list tr[data-id="${w.a.unit.id}"]`);
    expect(await stopped.getAttribute('data-active')).toBe('false');
    expect(await stopped.locator('.badge.active-state').textContent()).toBe('已停用');
    // A stopped unit gets no new accounts from this screen; it offers 启用 instead of 停用.
    expect(await stopped.locator('[data-action="account"]').count()).toBe(0);
    expect(await stopped.locator('[data-action="reactivate"]').textContent()).toBe('启用');

    // The filter: only stopped ones.
    await page.getByLabel('启用状态').selectOption('false');
    await page.locator('#org-search button[type="submit"]').click();
    // Locators, not a page expression: the interface's CSP refuses the eval that polling an expression needs.
    await page.locator('#org-list tbody tr').nth(1).waitFor({ state: 'detached' });
    expect(await page.locator('#org-list tbody tr').getAttribute('data-id')).toBe(String(w.a.unit.id));
    await tab.shot('orgs-units-deactivated-filter');
    await page.getByLabel('启用状态').selectOption('');
    await page.locator('#org-search button[type="submit"]').click();
    await page.locator('#org-list tbody tr').nth(1).waitFor();
    tab.clean();
    await tab.close();

    // The unit's recommender at the login screen.
    const other = await b.open();
    other.expected = [/status of 401/];
    await b.logIn(other.page, w.a.recommender.username, w.a.recommender.password);
    await other.page.getByText('推荐单位已被组委会停用').waitFor();
    await other.shot('login-unit-deactivated');
    other.clean();
    await other.close();

    // Started again from the screen.
    const again = await b.signedIn(w.organizer, '#/organizer/orgs/units');
    const r = again.page.locator(`#org-list tr[data-id="${w.a.unit.id}"]`);
    await r.locator('[data-action="reactivate"]').click();
    const dlg = again.page.getByRole('dialog');
    expect(await dlg.textContent()).toContain('重新启用');
    await dlg.getByRole('button', { name: '确认启用' }).click();
    await again.page.locator('.notice', { hasText: '已启用' }).waitFor();
    expect((await unit(w.a.unit.id)).active).toBe(true);
    again.clean();
    await again.close();
  });

  it('stops an expert (the dialog says it leaves panels and automatic assignment) and shows the conflict when done twice elsewhere', async () => {
    const x = await createExpert(t, w.organizer, { name: '待停用专家' });
    const tab = await b.signedIn(w.organizer, '#/organizer/orgs/experts');
    const { page } = tab;
    tab.expected = [/status of 409/];
    const row = page.locator(`#org-list tr[data-id="${x.id}"]`);
    await row.locator('[data-action="deactivate"]').click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.textContent()).toContain('自动分配会跳过该专家');
    // Meanwhile another organizer stops it: the screen shows the API's reason.
    await t.http().post(`/api/experts/${x.id}/deactivate`).set(auth(w.organizer)).expect(200);
    await dialog.getByRole('button', { name: '确认停用' }).click();
    await page.locator('#org-summary .notice', { hasText: '该评审专家已经停用' }).waitFor();
    const body = (await t.http().get(`/api/experts/${x.id}`).set(auth(w.organizer)).expect(200)).body as { active: boolean };
    expect(body.active).toBe(false);
    await tab.shot('orgs-expert-already-deactivated');
    tab.clean();
    await tab.close();
  });
});
