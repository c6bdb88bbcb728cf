// The web interface (web/) in a real browser: Debian's Chromium driven by playwright-core, against
// the app as main.ts builds it, on SQLite or MariaDB. Every test fails on a request to any host
// other than the app and on any console error. Screenshots go to test-output/screenshots/.
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { publish, resultsContest } from '../factories/results.js';
import { buildScoringScenario, type ScoringScenario } from '../factories/scenario.js';
import { marksFor, mySheet, submitSheet } from '../factories/scoring.js';
import { describeBrowser, expectAccessible, startBrowser, type BrowserHarness, type Tab } from '../support/browser.js';
import { createTestApp, TEST_DB, type TestApp } from '../support/test-app.js';

jest.setTimeout(180_000);

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describeBrowser(`web interface in Chromium (${TEST_DB})`, () => {
  let t: TestApp;
  let b: BrowserHarness;
  let base: string;
  let s: ScoringScenario;

  beforeAll(async () => {
    t = await createTestApp();
    b = await startBrowser(t);
    base = b.base;
    s = await buildScoringScenario(t, { entries: 4, experts: 5, absent: 1, conflicts: 1 });
  });

  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  const open = (viewport?: { width: number; height: number }): Promise<Tab> => b.open(viewport);
  const logIn = (page: Tab['page'], username: string, password: string) => b.logIn(page, username, password);

  async function usernameOf(token: string): Promise<string> {
    const me = await t.http().get('/api/auth/me').set(auth(token)).expect(200);
    return me.body.username as string;
  }

  /** The expert's assignments, as the API lists them. */
  async function tasksOf(token: string): Promise<{ entryId: number; attendance: string | null }[]> {
    return (await t.http().get('/api/experts/me/assignments').set(auth(token)).expect(200)).body.items as { entryId: number; attendance: string | null }[];
  }

  /** The expert's assignments whose entry is not absent (a sheet that can be scored), in the API's order. */
  async function scorableTasksOf(token: string): Promise<{ entryId: number; attendance: string | null }[]> {
    return (await tasksOf(token)).filter((a) => a.attendance !== 'absent');
  }

  it('serves the interface at / with a CSP that allows only its own scripts, and leaves /api alone', async () => {
    const index = await t.http().get('/').expect(200);
    expect(index.headers['content-type']).toMatch(/text\/html/);
    expect(index.text).toContain('<script type="module" src="app.js"></script>');
    const csp = String(index.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).not.toMatch(/upgrade-insecure-requests/);
    // No inline script or style anywhere in the interface: its pages and assets get the strict policy.
    const directive = (policy: string, name: string) => policy.split(';').find((d) => d.trim().startsWith(`${name} `))?.trim();
    for (const path of ['/', '/index.html', '/app.js', '/styles.css', '/screens/expert.js', '/api/health']) {
      const policy = String((await t.http().get(path)).headers['content-security-policy']);
      expect([path, directive(policy, 'script-src'), directive(policy, 'style-src')]).toEqual([path, "script-src 'self'", "style-src 'self'"]);
      expect(policy).not.toContain('unsafe-inline');
    }
    // Only the OpenAPI UI keeps inline styles (its page has a <style> block); its scripts are files,
    // so script-src stays strict there too; the rest of its policy is the site's.
    const docs = await t.http().get('/api/docs').redirects(1).expect(200);
    const docsPolicy = String(docs.headers['content-security-policy']);
    expect([directive(docsPolicy, 'script-src'), directive(docsPolicy, 'style-src')]).toEqual(["script-src 'self'", "style-src 'self' 'unsafe-inline'"]);
    expect(directive(docsPolicy, 'default-src')).toBe(directive(csp, 'default-src'));
    expect(directive(docsPolicy, 'connect-src')).toBe(directive(csp, 'connect-src'));
    await t.http().get('/app.js').expect(200).expect('content-type', /javascript/);
    await t.http().get('/styles.css').expect(200).expect('content-type', /css/);
    // Unknown paths, under /api or not, keep the API's one error body.
    const missing = await t.http().get('/api/no-such-route').expect(404);
    expect(missing.body.code).toBe('route_not_found');
    expect((await t.http().get('/no-such-file.js').expect(404)).body.code).toBe('route_not_found');
    await t.http().get('/api/docs-json').expect(200);
  });

  it('the OpenAPI UI still works under its own policy (inline styles only; no CSP console errors)', async () => {
    const tab = await open();
    await tab.page.goto(`${base}/api/docs`);
    await tab.page.getByText('质量攻关成果评审系统 API').first().waitFor();
    await tab.page.locator('.opblock').first().waitFor();
    // Interact: open an operation and the Authorize dialog (swagger-ui's scripts run, nothing inline is refused).
    await tab.page.locator('.opblock-summary').first().click();
    await tab.page.locator('.opblock-body').first().waitFor();
    await tab.page.getByRole('button', { name: /Authorize/ }).first().click();
    await tab.page.locator('.modal-ux').waitFor();
    tab.clean();
    await tab.close();
  });

  it('(a) an expert scores offline-tolerantly: autosave, reload without network, sync, submit, locked view', async () => {
    const tab = await open();
    const { context, page } = tab;
    const expert = s.experts[0]!;
    const entry = s.entries[0]!;
    const username = await usernameOf(expert.token);

    // A wrong password: the API's message is shown. Sheets use optimistic locking: the server may
    // answer a save 409 stale_version (also when it lost an internal race), which the page handles
    // by reading the sheet again and resending; the API checks below prove the outcome.
    tab.expected = [/status of 401/, /status of 409/];
    await logIn(page, username, 'wrong-password');
    await expect(page.getByRole('alert').first().textContent()).resolves.toMatch(/用户名或密码|密码/);
    await tab.shot('login-error', false);
    await page.getByLabel('密码').fill('Amber-海河-Lantern-42');
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/#\/expert$/);
    await page.locator(`a[href="#/expert/sheet/${entry.id}/material"]`).waitFor();
    await tab.shot('expert-assignments');

    const rubric = (await mySheet(t, expert.token, entry.id, 'material')).rubric;
    const marks = marksFor(rubric, 0.8);
    const keys = rubric.items.map((i) => i.key);
    const half = keys.slice(0, 3);
    const rest = keys.slice(3);

    await page.locator(`a[href="#/expert/sheet/${entry.id}/material"]`).click();
    await page.locator(`#mark-${keys[0]}`).waitFor();
    // Labelled inputs in points, one decimal, bounded by the item's maximum.
    const first = page.getByLabel(new RegExp(`^${rubric.items[0]!.title}（满分`));
    expect(await first.getAttribute('step')).toBe('0.1');
    expect(await first.getAttribute('max')).toBe(String(rubric.items[0]!.max));
    // The API's precision (rubric.markDecimals) is the sheet's: two decimals are flagged at the field, in Chinese, and not sent.
    expect((rubric as unknown as { markDecimals: number }).markDecimals).toBe(1);
    const puts: string[] = [];
    const onRequest = (r: { method(): string; url(): string; postData(): string | null }) => {
      if (r.method() === 'PUT' && r.url().includes('/sheets/')) puts.push(r.postData() ?? '');
    };
    page.on('request', onRequest);
    await page.locator(`#mark-${keys[0]}`).fill('1.25');
    await page.locator(`#mark-${keys[0]}[aria-invalid="true"]`).waitFor();
    expect(await page.locator(`#mark-${keys[0]}-error`).textContent()).toBe('分数最多保留一位小数（如 12.5）');
    await page.locator('#save-state[data-state="invalid"]').waitFor();
    // Trailing zeros are no extra precision: 1.50 is 1.5, which the API takes.
    await page.locator(`#mark-${keys[0]}`).fill('1.50');
    await page.locator('#save-state[data-state="saved"]').waitFor();
    expect(await page.locator(`#mark-${keys[0]}[aria-invalid="true"]`).count()).toBe(0);
    expect(puts.some((b) => b.includes('1.25'))).toBe(false);
    expect((await mySheet(t, expert.token, entry.id, 'material')).marks[keys[0]!]).toBe(1.5);
    page.off('request', onRequest);
    for (const k of half) await page.locator(`#mark-${k}`).fill(String(marks[k]));
    await expect(page.locator('#save-state').textContent()).resolves.toBeDefined();
    await page.locator('#save-state[data-state="saved"]').waitFor();
    const saved = await mySheet(t, expert.token, entry.id, 'material');
    expect(saved.status).toBe('draft');
    for (const k of half) expect(saved.marks[k]).toBe(marks[k]);
    const halfTotal = half.reduce((a, k) => a + Math.round(marks[k]! * 10), 0) / 10;
    expect(Number(await page.locator('#sheet-total').textContent())).toBe(halfTotal);
    await tab.shot('expert-sheet');

    // The shell is cached by the service worker before the network goes.
    await page.evaluate('navigator.serviceWorker.ready.then(() => true)');

    tab.offline = true;
    await context.setOffline(true);
    for (const k of rest) await page.locator(`#mark-${k}`).fill(String(marks[k]));
    await page.locator('#save-state[data-state="offline"]').waitFor();
    expect(await page.locator('#save-state').textContent()).toBe('未同步，网络恢复后自动保存');
    await tab.shot('expert-sheet-offline');
    // Nothing of the offline edits reached the server.
    expect((await mySheet(t, expert.token, entry.id, 'material')).marks[rest[0]!]).toBeNull();

    // A reload without network: the page and the draft come back from this browser.
    await page.reload();
    await page.locator(`#mark-${keys[0]}`).waitFor();
    for (const k of keys) expect(Number(await page.locator(`#mark-${k}`).inputValue())).toBe(marks[k]);
    expect(await page.locator('#save-state').textContent()).toBe('未同步，网络恢复后自动保存');

    // The network returns: the draft is sent by itself.
    await context.setOffline(false);
    await page.locator('#save-state[data-state="saved"]').waitFor({ timeout: 15_000 });
    tab.offline = false;
    const synced = await mySheet(t, expert.token, entry.id, 'material');
    expect(synced.status).toBe('draft');
    for (const k of keys) expect(synced.marks[k]).toBe(marks[k]);

    // Submit after the confirmation; then the locked view.
    const fullTotal = keys.reduce((a, k) => a + Math.round(marks[k]! * 10), 0) / 10;
    expect(Number(await page.locator('#sheet-total').textContent())).toBe(fullTotal);
    await page.getByRole('button', { name: '提交评分' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(`合计 ${fullTotal} 分`);
    await tab.shot('expert-sheet-confirm', false);
    await dialog.getByRole('button', { name: '确认提交' }).click();
    await page.locator('#sheet-locked').waitFor();
    expect(await page.locator('#sheet-locked').textContent()).toContain('已提交，评分表已锁定');
    expect(Number(await page.locator('#locked-total').textContent())).toBe(fullTotal);
    expect(await page.locator('input[id^="mark-"]').count()).toBe(0);
    const submitted = await mySheet(t, expert.token, entry.id, 'material');
    expect(submitted.status).toBe('submitted');
    expect(submitted.total).toBe(fullTotal);
    await tab.shot('expert-sheet-locked');

    // The report: fetched with the bearer token and opened from an object URL.
    const [popup] = await Promise.all([context.waitForEvent('page'), page.locator('#open-report').click()]);
    expect(popup.url()).toMatch(/^blob:/);
    await popup.close();

    // A reload after submission shows the locked sheet, and no draft is left in the browser.
    await page.reload();
    await page.locator('#sheet-locked').waitFor();
    expect(await page.evaluate('Object.keys(localStorage).filter((k) => k.startsWith("qc.draft.")).length')).toBe(0);
    tab.clean();
    await context.close();
  });

  it('(a2) a draft outlives the end of the session: re-login by keyboard sends it; logout warns about unsynced drafts', async () => {
    const tab = await open();
    const { context, page } = tab;
    const expert = s.experts[3]!;
    const entry = s.entries[2]!;
    const username = await usernameOf(expert.token);
    const rubric = (await mySheet(t, expert.token, entry.id, 'presentation')).rubric;
    const key = rubric.items[0]!.key;

    // Keyboard only: the username field has focus, Tab to the password, Enter submits.
    await page.goto(`${base}/#/login`);
    await page.locator('#login-username:focus').waitFor();
    await page.keyboard.type(username);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Amber-海河-Lantern-42');
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/expert$/);
    await page.goto(`${base}/#/expert/sheet/${entry.id}/presentation`);
    await page.locator(`#mark-${key}`).waitFor();

    tab.offline = true;
    await context.setOffline(true);
    await page.locator(`#mark-${key}`).fill('3.5');
    await page.locator('#save-state[data-state="offline"]').waitFor();
    // Meanwhile the session ends (the password is changed elsewhere).
    await t.http().post('/api/auth/password').set(auth(expert.token)).send({ oldPassword: 'Amber-海河-Lantern-42', newPassword: 'Birch-渤海-Compass-57' }).expect(204);
    tab.expected = [/status of 401/, /status of 409/];
    await context.setOffline(false);
    await page.waitForURL(/#\/login$/, { timeout: 15_000 });
    tab.offline = false;
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill('Birch-渤海-Compass-57');
    await page.getByRole('button', { name: '登录' }).click();
    // Back on the sheet, the draft is restored from this browser and saved.
    await page.waitForURL(new RegExp(`#/expert/sheet/${entry.id}/presentation$`));
    await page.locator('#save-state[data-state="saved"]').waitFor({ timeout: 15_000 });
    const fresh = (await t.http().post('/api/auth/login').send({ username, password: 'Birch-渤海-Compass-57' }).expect(200)).body.accessToken as string;
    expect((await mySheet(t, fresh, entry.id, 'presentation')).marks[key]).toBe(3.5);

    // Logout with an unsynced draft asks first; cancelling keeps the draft and the session.
    tab.offline = true;
    await context.setOffline(true);
    await page.locator(`#mark-${key}`).fill('4');
    await page.locator('#save-state[data-state="offline"]').waitFor();
    await page.locator('#account-menu summary').click();
    await page.getByRole('button', { name: '退出登录' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: '取消' }).click();
    expect(page.url()).toMatch(/presentation$/);
    await page.locator('#account-menu summary').click();
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '丢弃并退出' }).click();
    await page.waitForURL(/#\/login$/);
    expect(await page.evaluate('Object.keys(localStorage).filter((k) => k.startsWith("qc.")).length')).toBe(0);
    await context.setOffline(false);
    tab.offline = false;
    tab.clean();
    await context.close();
  });

  it('(a3) an expert declares a conflict from the sheet: a reason is required; then the entry leaves the task list', async () => {
    const tab = await open();
    const { page } = tab;
    const expert = s.experts[4]!;
    const target = (await scorableTasksOf(expert.token)).pop()!;
    expect(target).toBeDefined();
    await logIn(page, await usernameOf(expert.token), 'Amber-海河-Lantern-42');
    await page.waitForURL(/#\/expert$/);
    // The task list loads with one API request, whatever the expert's past years hold (counted on a reload, once the first load is done).
    await page.locator(`a[href="#/expert/sheet/${target.entryId}/presentation"]`).waitFor();
    await page.waitForLoadState('networkidle');
    const calls: string[] = [];
    const count = (r: { url(): string; method(): string }) => { const u = new URL(r.url()); if (u.pathname.startsWith('/api/')) calls.push(`${r.method()} ${u.pathname}`); };
    page.on('request', count);
    await page.reload();
    await page.locator(`a[href="#/expert/sheet/${target.entryId}/presentation"]`).waitFor();
    await page.waitForLoadState('networkidle');
    page.off('request', count);
    // One request for the list; a reload (an app start) also checks the stored session once (GET /auth/me),
    // and the header's bell asks for its unread count once the screen is drawn (never before the list).
    expect([...calls].sort()).toEqual(['GET /api/auth/me', 'GET /api/experts/me/tasks', 'GET /api/notifications/unread-count']);
    expect(calls.indexOf('GET /api/notifications/unread-count')).toBeGreaterThan(calls.indexOf('GET /api/experts/me/tasks'));
    await expectAccessible(page, 'expert task list');
    await page.goto(`${base}/#/expert/sheet/${target.entryId}/presentation`);
    await page.locator('#conflict summary').click();
    await page.getByRole('button', { name: '申报回避' }).click();
    await page.locator('#conflict-reason[aria-invalid="true"]').waitFor();
    expect(await page.locator('#conflict .field-error').textContent()).toBe('请填写回避原因');
    await page.getByLabel('回避原因').fill('本人曾参与该课题的技术指导 🙏');
    await page.getByRole('button', { name: '申报回避' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确认回避' }).click();
    await page.waitForURL(/#\/expert$/);
    await page.getByText('已申报回避，该成果已从您的评审任务中移除。').waitFor();
    expect(await page.locator(`a[href^="#/expert/sheet/${target.entryId}/"]`).count()).toBe(0);
    const conflicts = (await t.http().get(`/api/contests/${s.contest.id}/conflicts`).set(auth(s.organizer)).expect(200)).body.items as { expertId: number; entryId: number; source: string; reason: string }[];
    expect(conflicts).toContainEqual(expect.objectContaining({ expertId: expert.id, entryId: target.entryId, source: 'declared_by_expert', reason: '本人曾参与该课题的技术指导 🙏' }));
    const after = await tasksOf(expert.token);
    expect(after.map((a) => a.entryId)).not.toContain(target.entryId);
    await tab.shot('expert-conflict-declared');
    tab.clean();
    await tab.close();
  });

  it('(a4) a submit while the last draft save is on its way waits for its answer and sends the version it returned: no 409, no "submitted elsewhere"', async () => {
    const tab = await open();
    const { page } = tab;
    const expert = s.experts[1]!;
    const [target] = await scorableTasksOf(expert.token);
    expect(target).toBeDefined();
    const rubric = (await mySheet(t, expert.token, target.entryId, 'material')).rubric;
    const marks = marksFor(rubric);
    await logIn(page, await usernameOf(expert.token), 'Amber-海河-Lantern-42');
    await page.waitForURL(/#\/expert$/);
    // A slow network: the draft save is held on its way until the expert has confirmed the submit.
    // Every sheet request the page sends, and every answer it gets, in order.
    let release = () => {};
    const held = new Promise<void>((ok) => { release = ok; });
    await page.route('**/sheets/material/draft', async (route) => {
      await held;
      await route.continue();
    });
    const events: string[] = [];
    const name = (r: { method(): string; url(): string }) => `${r.method()} ${new URL(r.url()).pathname.split('/').pop()}`;
    page.on('request', (r) => { if (r.url().includes('/sheets/')) events.push(`sent ${name(r)}`); });
    page.on('response', (r) => { if (r.url().includes('/sheets/')) events.push(`answered ${name(r.request())} ${r.status()}`); });
    await page.goto(`${base}/#/expert/sheet/${target.entryId}/material`);
    await page.locator(`#mark-${rubric.items[0]!.key}`).waitFor();
    // The navigation settled: the sheet drawn is the one asked for, not a screen still being replaced.
    await page.locator(`#main[data-hash="#/expert/sheet/${target.entryId}/material"]:not([aria-busy])`).waitFor();
    const draftSent = page.waitForRequest((r) => r.method() === 'PUT' && r.url().includes('/draft'));
    for (const item of rubric.items) await page.locator(`#mark-${item.key}`).fill(String(marks[item.key]));
    await draftSent;
    await page.getByRole('button', { name: '提交评分' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确认提交' }).click();
    // A page that does not wait sends its submit at once; given a second, this one sends nothing yet.
    await page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/submit'), { timeout: 1000 }).catch(() => null);
    events.push('draft released');
    release();
    await page.locator('#sheet-locked').waitFor();
    // Whatever the page does with the draft save's answer, it has done.
    await page.waitForLoadState('networkidle');
    expect(await page.locator('#sheet-locked').textContent()).toContain('第 1 版');
    expect(await page.locator('#main').textContent()).not.toContain('已在别处提交');
    // One submit, sent once the draft's answer (and its lockVersion) was in; every answer a success.
    expect(events.filter((e) => e.startsWith('sent POST submit'))).toHaveLength(1);
    expect(events.indexOf('sent POST submit')).toBeGreaterThan(events.indexOf('draft released'));
    expect(events.indexOf('sent POST submit')).toBeGreaterThan(events.lastIndexOf('answered PUT draft 200'));
    expect(events.lastIndexOf('answered PUT draft 200')).toBeGreaterThan(events.indexOf('draft released'));
    expect(events.filter((e) => e.startsWith('answered') && !e.endsWith(' 200'))).toEqual([]);
    expect(await mySheet(t, expert.token, target.entryId, 'material')).toMatchObject({ status: 'submitted', version: 1, marks });
    tab.clean();
    await tab.close();
  });

  it('(a5) a slow navigation: the screen left stays, busy and inert, until the next one draws; a tap on it does nothing; two hash changes in one turn draw the screen once', async () => {
    const tab = await open();
    const { page } = tab;
    const expert = s.experts[1]!;
    const [target, other] = await scorableTasksOf(expert.token);
    expect(other).toBeDefined();
    const main = page.locator('#main');
    await logIn(page, await usernameOf(expert.token), 'Amber-海河-Lantern-42');
    await page.waitForURL(/#\/expert$/);
    const link = (entryId: number) => page.locator(`a[href="#/expert/sheet/${entryId}/material"]`);
    await link(other!.entryId).waitFor();
    await page.locator('#main[data-hash="#/expert"]:not([aria-busy])').waitFor();
    expect(await page.evaluate('document.getElementById("main").inert')).toBe(false);

    // The sheet's data held on its way: the task list stays in view, marked busy, inert, dimmed.
    let release = () => {};
    const held = new Promise<void>((ok) => { release = ok; });
    await page.route(`**/entries/${target!.entryId}/sheets/material/mine`, async (route) => {
      await held;
      await route.continue();
    });
    await link(target!.entryId).click();
    await page.locator('#main[aria-busy="true"]').waitFor();
    expect(await page.evaluate('document.getElementById("main").inert')).toBe(true);
    // Dimmed once the moment has passed (page.evaluate, not waitForFunction: the page's CSP refuses eval).
    const opacity = () => page.evaluate('getComputedStyle(document.getElementById("main")).opacity');
    for (let i = 0; i < 40 && (await opacity()) !== '0.45'; i++) await page.waitForTimeout(50);
    expect(await opacity()).toBe('0.45');
    // A tap on another task of the list left behind: nothing happens (before, it queued a second sheet).
    const box = (await link(other!.entryId).boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForTimeout(300);
    expect(await page.evaluate('location.hash')).toBe(`#/expert/sheet/${target!.entryId}/material`);
    await tab.shot('navigation-waiting');

    release();
    await page.locator('#main[data-hash$="/material"]:not([aria-busy])').waitFor();
    expect(await main.getAttribute('data-hash')).toBe(`#/expert/sheet/${target!.entryId}/material`);
    await page.locator('#sheet-total, #sheet-locked').first().waitFor();
    expect(await page.evaluate('document.getElementById("main").inert')).toBe(false);
    expect(await opacity()).toBe('1');
    expect(await page.evaluate('location.hash')).toBe(`#/expert/sheet/${target!.entryId}/material`);

    // A navigation whose screen draws only its error (a stale link: no such entry) ends the wait too.
    tab.expected = [/status of 404/];
    await page.evaluate('location.hash = "#/expert/sheet/99999999/material"');
    await page.locator('#main[data-hash="#/expert/sheet/99999999/material"]:not([aria-busy])').waitFor();
    expect(await page.evaluate('document.getElementById("main").inert')).toBe(false);
    await page.locator('#main p.notice.error').waitFor();

    // Two hash changes in one turn (a script, a double tap): the sheet is drawn once, its data read once.
    const reads: string[] = [];
    page.on('request', (r) => { if (r.url().endsWith(`/entries/${other!.entryId}/sheets/material/mine`)) reads.push(r.url()); });
    await page.evaluate(`location.hash = "#/expert"; location.hash = "#/expert/sheet/${other!.entryId}/material"`);
    await page.locator(`#main[data-hash="#/expert/sheet/${other!.entryId}/material"]:not([aria-busy])`).waitFor();
    await page.locator('#sheet-total, #sheet-locked').first().waitFor();
    await page.waitForLoadState('networkidle');
    expect(reads).toHaveLength(1);
    tab.clean();
    await tab.close();
  });

  it('(b) the organizer\'s progress board shows a submission arriving without a reload', async () => {
    const tab = await open({ width: 1280, height: 900 });
    const { context, page } = tab;
    await logIn(page, await usernameOf(s.organizer), 'Amber-海河-Lantern-42');
    await page.waitForURL(/#\/organizer$/);
    await page.goto(`${base}/#/organizer/progress`);
    await page.waitForURL(new RegExp(`#/organizer/progress/${s.contest.id}$`));
    const entry = s.entries[1]!;
    const row = page.locator(`tr[data-entry="${entry.id}"]`);
    await row.waitFor();
    await page.locator('#live-state[data-state="live"]').waitFor();
    const before = (await t.http().get(`/api/contests/${s.contest.id}/progress`).set(auth(s.organizer)).expect(200)).body;
    const want = before.sessions[0].entries.find((e: { entryId: number }) => e.entryId === entry.id);
    expect(await row.locator('td').nth(3).textContent()).toBe(`${want.submitted}/${want.expected}`);
    await tab.shot('organizer-progress');
    await page.evaluate('window.__sameDocument = true');

    const expert = s.experts[2]!;
    const rubric = (await mySheet(t, expert.token, entry.id, 'presentation')).rubric;
    await submitSheet(t, expert.token, entry.id, 'presentation', marksFor(rubric, 0.9));

    await row.locator('td').nth(3).filter({ hasText: new RegExp(`^${want.submitted + 1}/${want.expected}$`) }).waitFor({ timeout: 15_000 });
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    await tab.shot('organizer-progress-updated');
    tab.clean();
    await context.close();
  });

  it('(c) the public board shows levels with counts, the notice and the objection form; then the published list', async () => {
    const r = await resultsContest(t, 'notice', { entries: 6, rules: { quotas: { mode: 'count', scope: 'overall', counts: { first: 1, second: 2, third: 2, excellence: 1 } } } });
    const list = (await t.http().get(`/api/public/contests/${r.contest.id}/results`).expect(200)).body;
    const tab = await open();
    const { context, page } = tab;
    await page.goto(`${base}/#/public`);
    await page.waitForURL(new RegExp(`#/public/${r.contest.id}$`));
    await page.locator('#level-counts').waitFor();
    expect(await page.locator('#result-status').textContent()).toMatch(/^公示中 · 公示截止/);
    for (const [level, name] of [['first', '一等奖'], ['second', '二等奖'], ['third', '三等奖'], ['excellence', '优秀奖']] as const) {
      const n = list.levels[level].length as number;
      expect(n).toBeGreaterThan(0);
      expect(await page.locator(`#level-counts li[data-level="${level}"]`).textContent()).toBe(`${name}${n} 项`);
      expect(await page.getByRole('heading', { name: `${name}（${n} 项）` }).count()).toBe(1);
    }
    expect(await page.getByRole('heading', { name: /优秀推荐单位/ }).count()).toBe(1);
    expect(list.listHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await page.locator('#list-hash').textContent()).toBe(`结果校验码（SHA-256）：${list.listHash}`);
    await tab.shot('public-notice');

    // The objection form: the API's per-field messages appear next to their fields.
    tab.expected = [/status of 400/];
    const form = page.locator('#objection-form');
    await form.getByRole('button', { name: '提交异议' }).click();
    await form.locator('.field-error').first().waitFor();
    expect(await page.locator('#obj-name').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#obj-entry').getAttribute('aria-invalid')).toBe('true');
    await tab.shot('public-objection-errors');
    await page.getByLabel('异议涉及的成果').selectOption(String(list.levels.first[0].entryId));
    await page.getByLabel('提出人（个人或单位）').fill('王先生');
    // A contact that is neither a phone number nor an e-mail address is refused before sending.
    await page.getByLabel('联系方式').fill('找王先生');
    await form.getByRole('button', { name: '提交异议' }).click();
    await page.locator('#obj-contact-error').waitFor();
    expect(await page.locator('#obj-contact-error').textContent()).toMatch(/^请填写有效的电话号码/);
    expect((await t.http().get(`/api/contests/${r.contest.id}/objections`).set(auth(r.organizer)).expect(200)).body.items).toHaveLength(0);
    await page.getByLabel('联系方式').fill('13800000000');
    await page.getByLabel('异议内容及理由').fill('该成果的活动时间是否符合要求？');
    await form.getByRole('button', { name: '提交异议' }).click();
    await page.getByRole('heading', { name: '异议已提交' }).waitFor();
    const objections = (await t.http().get(`/api/contests/${r.contest.id}/objections`).set(auth(r.organizer)).expect(200)).body;
    expect(objections.items).toHaveLength(1);
    expect(objections.items[0]).toMatchObject({ entryId: list.levels.first[0].entryId, name: '王先生', status: 'open' });

    // Answered and published: the board says so and no longer offers the form.
    await t.http().post(`/api/objections/${objections.items[0].id}/answer`).set(auth(r.organizer)).send({ answer: '经核查，符合要求。' }).expect(200);
    await publish(t, r);
    await page.reload();
    await page.locator('#level-counts').waitFor();
    expect(await page.locator('#result-status').textContent()).toMatch(/^已发布/);
    expect(await page.locator('#objection-form').count()).toBe(0);
    await tab.shot('public-published');
    tab.clean();
    await context.close();
  });
});
