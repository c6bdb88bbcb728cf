// Searchable selects (issue 12): a long list of recommending units in the entry form, filtered by
// typing, chosen with the keyboard, still labelled and still what the form sends; and the
// organizer's filters of the entry list. Checked against the API.
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { createIntakeWorld, type IntakeWorld } from '../factories/entries.js';
import { createUnit } from '../factories/organisations.js';
import { describeBrowser, startBrowser, type BrowserHarness } from '../support/browser.js';
import { createTestApp, TEST_DB, type TestApp } from '../support/test-app.js';

jest.setTimeout(180_000);

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describeBrowser(`web: searchable selects (${TEST_DB})`, () => {
  let t: TestApp;
  let b: BrowserHarness;
  let w: IntakeWorld;
  const units: { id: number; name: string }[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    b = await startBrowser(t);
    w = await createIntakeWorld(t);
    for (let i = 1; i <= 12; i++) units.push(await createUnit(t, w.organizer, { name: `滨海新区质量协会第${i}分会` }));
    units.push(await createUnit(t, w.organizer, { name: '静海区市场监督管理局' }));
  });

  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('filters the recommending units as the enterprise types, chooses with the keyboard, and saves what was chosen', async () => {
    const tab = await b.signedIn(w.a.owner.token, `#/enterprise/entry/new/${w.contest.id}`, { width: 1024, height: 768 });
    try {
      const { page } = tab;
      const select = page.locator('#entry-unitId');
      const filter = page.locator('#entry-unitId-filter');
      await filter.waitFor();
      // The label still names the select (the filter box has its own name).
      expect(await page.getByLabel('推荐单位', { exact: true }).getAttribute('id')).toBe('entry-unitId');
      expect(await filter.getAttribute('aria-label')).toBe('筛选推荐单位');
      const all = await select.locator('option').count();
      expect(all).toBeGreaterThanOrEqual(units.length + 1);

      // Typing keeps only the matches; the only match is chosen and announced.
      await filter.pressSequentially('静海');
      expect(await select.locator('option').allTextContents()).toEqual(['请选择推荐单位', '静海区市场监督管理局']);
      expect(await select.inputValue()).toBe(String(units[12]!.id));
      expect(await page.locator('#entry-unitId-filter-status').textContent()).toBe('匹配 1 项');
      await filter.fill('没有这个单位');
      expect(await select.locator('option').count()).toBe(1);
      expect(await page.locator('#entry-unitId-filter-status').textContent()).toBe('没有匹配的选项');
      // Esc clears the filter: every option is back.
      await filter.press('Escape');
      expect(await select.locator('option').count()).toBe(all);

      // Twelve matches; ↓ moves into the list, whose own keyboard then picks the next one.
      await filter.fill('质量协会');
      expect(await select.locator('option').count()).toBe(13);
      expect(await select.inputValue()).toBe(String(units[0]!.id));
      await filter.press('ArrowDown');
      expect(await page.evaluate('document.activeElement.id')).toBe('entry-unitId');
      await page.keyboard.press('ArrowDown');
      const chosen = await select.inputValue();
      expect(chosen).toBe(String(units[1]!.id));
      await tab.shot('searchable-select');

      await page.locator('#entry-title').fill('可检索下拉框选择的推荐单位');
      await page.locator('#save-entry').click();
      await page.waitForURL(/#\/enterprise\/entry\/\d+$/);
      const id = Number(/entry\/(\d+)$/.exec(page.url())![1]);
      const saved = (await t.http().get(`/api/entries/${id}`).set(auth(w.organizer)).expect(200)).body as { unitId: number };
      expect(saved.unitId).toBe(units[1]!.id);
      tab.clean();
    } finally {
      await tab.close();
    }
  });

  it('filters the organizer’s entry list by a recommending unit found by typing', async () => {
    const tab = await b.signedIn(w.organizer, `#/organizer/contest/${w.contest.id}/entries`, { width: 1440, height: 900 });
    try {
      const { page } = tab;
      const filter = page.locator('#f-unit-filter');
      await filter.waitFor();
      await filter.fill('第12分会');
      expect(await page.locator('#f-unit option').allTextContents()).toEqual(['全部', '滨海新区质量协会第12分会']);
      expect(await page.locator('#f-unit').inputValue()).toBe(String(units[11]!.id));
      await tab.shot('searchable-filters');
      tab.clean();
    } finally {
      await tab.close();
    }
  });
});
