// The expert page's cold load (issue 12, `npm run bench:web`): its one API read leaves while the
// modules are still loading (web/prefetch.js, taken over by api.js: one request, not two), and the
// other roles' stylesheets, fetched without blocking the first paint, are switched on by app.js.
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildScoringScenario, type ScoringScenario } from '../factories/scenario.js';
import { describeBrowser, startBrowser, type BrowserHarness, type Tab } from '../support/browser.js';
import { createTestApp, TEST_DB, type TestApp } from '../support/test-app.js';

jest.setTimeout(180_000);

describeBrowser(`expert page cold load in Chromium (${TEST_DB})`, () => {
  let t: TestApp;
  let b: BrowserHarness;
  let s: ScoringScenario;

  beforeAll(async () => {
    t = await createTestApp();
    b = await startBrowser(t);
    s = await buildScoringScenario(t, { entries: 2, experts: 3 });
  });

  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  /** A fresh tab holding the expert's session, not yet navigated. */
  async function expertTab(token: string): Promise<Tab> {
    const me = (await t.http().get('/api/auth/me').set('authorization', `Bearer ${token}`).expect(200)).body as Record<string, unknown>;
    const tab = await b.open();
    await tab.context.addInitScript({ content: `localStorage.setItem('qc.token', ${JSON.stringify(token)}); localStorage.setItem('qc.user', ${JSON.stringify(JSON.stringify(me))});` });
    return tab;
  }
  const isTasks = (url: string) => new URL(url).pathname === '/api/experts/me/tasks';

  it('asks for the task list while app.js is still on its way, once, and draws the list from that answer', async () => {
    const tab = await expertTab(s.experts[1].token);
    const asked: string[] = [];
    tab.page.on('request', (r) => { if (isTasks(r.url())) asked.push(r.method()); });
    // app.js is held back until the task-list request has been seen: without the prefetch nothing
    // could send it (the screens run from app.js) and this test would time out.
    let release!: () => void;
    const held = new Promise<void>((ok) => { release = ok; });
    await tab.page.route('**/app.js', async (route) => { await held; await route.continue(); });
    const early = tab.page.waitForRequest((r) => isTasks(r.url()), { timeout: 30_000 });
    await tab.page.goto(`${b.base}/#/expert`, { waitUntil: 'commit' });
    await early;
    release();
    await tab.page.locator('main table').first().waitFor();
    expect(await tab.page.locator('#pending-total').textContent()).toMatch(/^待提交评分表 \d+ 张$/);
    expect(asked).toEqual(['GET']);
    // The other roles' stylesheets (media=print in index.html) apply once the app runs.
    const screensCss = (readFileSync(join(process.cwd(), 'web/index.html'), 'utf8').match(/data-screens>/g) ?? []).length;
    expect(screensCss).toBeGreaterThan(0);
    expect(await tab.page.evaluate("[...document.querySelectorAll('link[data-screens]')].map((l) => l.media)")).toEqual(Array(screensCss).fill('all'));
    tab.clean();
    await tab.close();
  });

  it("nothing is prefetched for another role: the organizer's page never asks for an expert's task list", async () => {
    const tab = await expertTab(s.organizer);
    const asked: string[] = [];
    tab.page.on('request', (r) => { if (isTasks(r.url())) asked.push(r.method()); });
    await tab.page.goto(`${b.base}/#/organizer`);
    await tab.page.getByRole('heading', { level: 1 }).first().waitFor();
    await tab.page.waitForLoadState('networkidle');
    expect(asked).toEqual([]);
    tab.clean();
    await tab.close();
  });
});
