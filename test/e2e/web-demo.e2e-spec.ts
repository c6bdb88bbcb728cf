// Each role's main journey in a real browser on the demo data (`npm run demo`, full size): the
// published 2020 year, the 2021 competition being scored today, the 2022 call for entries.
// Chromium via playwright-core; every tab fails on a request to another host and on console errors.
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { DEMO_CLOCK, runDemo, type DemoSummary } from '../../src/demo/run-demo.js';
import { Clock, settable } from '../../src/common/clock.js';
import { serviceSignIn } from '../../src/demo/demo-sessions.js';
import { minimalPdf } from '../factories/entries.js';
import { describeBrowser, startBrowser, type BrowserHarness } from '../support/browser.js';
import { ADMIN, createTestApp, TEST_DB, type TestApp } from '../support/test-app.js';
import { docxText, expectEveryAwardAtItsLevel, keep, pdfText, type PublicList } from '../support/report-documents.js';

jest.setTimeout(300_000);

const PASSWORD = 'Binhai-Lighthouse-2020';
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describeBrowser(`every role's journey on the demo data (${TEST_DB})`, () => {
  let t: TestApp;
  let b: BrowserHarness;
  let demo: DemoSummary;
  const account = (role: string) => demo.accounts.find((a) => a.role === role)!.username;
  const token = async (username: string, password = PASSWORD) =>
    (await t.http().post('/api/auth/login').send({ username, password }).expect(200)).body.accessToken as string;

  beforeAll(async () => {
    t = await createTestApp({ CLOCK: DEMO_CLOCK });
    b = await startBrowser(t);
    demo = await runDemo(b.base, { size: 'full', seed: 2020, adminUsername: ADMIN.username, adminPassword: ADMIN.password, password: PASSWORD, log: () => {}, clock: settable(t.app.get(Clock)), signIn: serviceSignIn(t.app) });
  }, 600_000);

  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('the public board shows the 2020 awards: 14 / 26 / 32 / 45 and the 5 excellent units', async () => {
    const tab = await b.open({ width: 1280, height: 900 });
    const { page } = tab;
    await page.goto(`${b.base}/`);
    await page.waitForURL(new RegExp(`#/public/${demo.contestId}$`));
    await page.locator('#level-counts').waitFor();
    expect(await page.locator('#result-status').textContent()).toMatch(/^已发布/);
    const counts = await page.locator('#level-counts li').allTextContents();
    expect(counts).toEqual(['一等奖14 项', '二等奖26 项', '三等奖32 项', '优秀奖45 项']);
    await page.getByRole('heading', { name: '优秀推荐单位（5 家）' }).waitFor();
    expect(await page.locator('section[aria-labelledby="excellent-units"] li').count()).toBe(5);
    expect(await page.locator('section[aria-labelledby="level-first"] tbody tr').count()).toBe(14);
    await tab.shot('demo-public-board');
    tab.clean();
    await tab.close();
  });

  it('an expert scores on a tablet while the organizer watches: offline mid-draft, recovery, submission arriving live', async () => {
    const expertName = account('expert');
    const expertToken = await token(expertName);
    const tasks = (await t.http().get('/api/experts/me/assignments').set(auth(expertToken)).expect(200)).body;
    const first = tasks.items.find((a: { contestId: number }) => a.contestId === demo.liveContestId);
    expect(first).toBeDefined();
    const entryId = first.entryId as number;
    const sheetPath = `/api/entries/${entryId}/sheets/material/mine`;
    const rubric = (await t.http().get(sheetPath).set(auth(expertToken)).expect(200)).body.rubric as { items: { key: string; max: number }[] };
    const marks = Object.fromEntries(rubric.items.map((i) => [i.key, Math.round(i.max * 8) / 10]));
    const keys = rubric.items.map((i) => i.key);

    // The organizer's progress board on the desktop, open before the expert starts.
    const desk = await b.open({ width: 1280, height: 900 });
    await b.logIn(desk.page, account('organizer'), PASSWORD);
    await desk.page.waitForURL(/#\/organizer$/);
    await desk.page.goto(`${b.base}/#/organizer/progress/${demo.liveContestId}`);
    const row = desk.page.locator(`tr[data-entry="${entryId}"]`);
    await row.waitFor();
    await desk.page.locator('#live-state[data-state="live"]').waitFor();
    const organizerToken = await token(account('organizer'));
    const before = (await t.http().get(`/api/contests/${demo.liveContestId}/progress`).set(auth(organizerToken)).expect(200)).body;
    const want = before.sessions.flatMap((s: { entries: unknown[] }) => s.entries).find((e: { entryId: number }) => e.entryId === entryId);
    expect(await row.locator('td').nth(3).textContent()).toBe(`${want.submitted}/${want.expected}`);
    expect(await row.locator('td').nth(4).textContent()).toContain('材料评审');
    await desk.page.evaluate('window.__sameDocument = true');
    await desk.shot('demo-organizer-progress');

    // The expert on a 1024×768 tablet: today's sessions first, in presentation order.
    const tab = await b.open();
    const { page, context } = tab;
    tab.expected = [/status of 409/];
    await b.logIn(page, expertName, PASSWORD);
    await page.waitForURL(/#\/expert$/);
    const link = page.locator(`a[href="#/expert/sheet/${entryId}/material"]`).first();
    await link.waitFor();
    expect(await page.locator('main section.card').first().getByText('今天').count()).toBe(1);
    await tab.shot('demo-expert-tasks');
    await link.click();
    await page.locator(`#mark-${keys[0]}`).waitFor();
    for (const k of keys.slice(0, 2)) await page.locator(`#mark-${k}`).fill(String(marks[k]));
    await page.locator(`#comment-${keys[0]}`).fill('现状调查数据充分 👍');
    await page.locator('#save-state[data-state="saved"]').waitFor();
    await page.evaluate('navigator.serviceWorker.ready.then(() => true)');

    // The hall's Wi-Fi drops mid-draft; the tablet is even reloaded.
    tab.offline = true;
    await context.setOffline(true);
    for (const k of keys.slice(2)) await page.locator(`#mark-${k}`).fill(String(marks[k]));
    await page.locator('#save-state[data-state="offline"]').waitFor();
    await page.reload();
    await page.locator(`#mark-${keys[0]}`).waitFor();
    for (const k of keys) expect(Number(await page.locator(`#mark-${k}`).inputValue())).toBe(marks[k]);
    await tab.shot('demo-expert-sheet-offline');
    await context.setOffline(false);
    await page.locator('#save-state[data-state="saved"]').waitFor({ timeout: 15_000 });
    tab.offline = false;
    const draft = (await t.http().get(sheetPath).set(auth(expertToken)).expect(200)).body;
    expect(draft.status).toBe('draft');
    expect(draft.marks).toEqual(marks);
    expect(draft.comments).toEqual({ [keys[0]!]: '现状调查数据充分 👍' });

    // Submit after the confirmation: the sheet locks, and the organizer's board moves without a reload.
    await page.getByRole('button', { name: '提交评分' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确认提交' }).click();
    await page.locator('#sheet-locked').waitFor();
    await tab.shot('demo-expert-sheet-locked');
    const done = (await t.http().get(sheetPath).set(auth(expertToken)).expect(200)).body;
    expect(done.status).toBe('submitted');
    await row.locator('td').nth(3).filter({ hasText: new RegExp(`^${want.submitted + 1}/${want.expected}$`) }).waitFor({ timeout: 15_000 });
    expect(await desk.page.evaluate('window.__sameDocument')).toBe(true);
    await desk.shot('demo-organizer-progress-updated');
    tab.clean();
    desk.clean();
    await tab.close();
    await desk.close();
  });

  it('the organizer\'s desk shows this year\'s contests and, for the one being scored, what still blocks the next phase', async () => {
    const tab = await b.open({ width: 1280, height: 900 });
    const { page } = tab;
    await b.logIn(page, account('organizer'), PASSWORD);
    await page.waitForURL(/#\/organizer$/);
    await page.locator('#contest-list').waitFor();
    const phases = Object.fromEntries(await Promise.all([demo.contestId, demo.liveContestId, demo.openContestId].map(async (id) =>
      [id, await page.locator(`tr[data-contest="${id}"] [data-phase]`).getAttribute('data-phase')])));
    expect(phases).toEqual({ [demo.contestId]: 'published', [demo.liveContestId]: 'presentation', [demo.openContestId]: 'open' });
    await tab.shot('demo-organizer-contests');
    await page.goto(`${b.base}/#/organizer/contest/${demo.liveContestId}`);
    await page.locator('#phase-conditions').waitFor();
    expect(await page.locator('#phase-conditions li[data-condition="sheets_submitted"]').getAttribute('data-met')).toBe('false');
    expect(await page.locator('#phase-conditions li[data-condition="panels_signed_off"]').getAttribute('data-met')).toBe('false');
    await tab.shot('demo-organizer-overview');
    // The 2020 results with the explanation of an entry, and the quality charts.
    await page.goto(`${b.base}/#/organizer/contest/${demo.contestId}/quality`);
    await page.locator('main svg').first().waitFor();
    await tab.shot('demo-organizer-quality');
    tab.clean();
    await tab.close();
  });

  it('an enterprise completes its 2022 draft with a report and submits it; its recommending unit recommends it', async () => {
    const entToken = await token(account('enterprise'));
    const drafts = (await t.http().get(`/api/entries?contestId=${demo.openContestId}`).set(auth(entToken)).expect(200)).body.items;
    expect(drafts).toHaveLength(1);
    const entryId = drafts[0].id as number;

    const tab = await b.open();
    const { page } = tab;
    await b.logIn(page, account('enterprise'), PASSWORD);
    await page.waitForURL(/#\/enterprise$/);
    const row = page.locator(`#entry-list tr[data-entry="${entryId}"]`);
    await row.waitFor();
    await tab.shot('demo-enterprise-home');
    await page.goto(`${b.base}/#/enterprise/entry/${entryId}`);
    await page.locator('#entry-status[data-status="draft"]').waitFor();
    expect(await page.locator('#submit-blockers').textContent()).toContain('尚未上传成果报告');
    await page.locator('#upload-file').setInputFiles({ name: '成果报告.pdf', mimeType: 'application/pdf', buffer: minimalPdf('demo report') });
    await page.locator('#upload-submit').click();
    await page.locator('#attachments tr[data-kind="report"]').waitFor();
    await page.getByRole('button', { name: '提交申报', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确认提交' }).click();
    await page.locator('#entry-status[data-status="submitted"]').waitFor();
    await page.locator('#timeline li[data-status="submitted"]').waitFor();
    await tab.shot('demo-enterprise-submitted');
    const submitted = (await t.http().get(`/api/entries/${entryId}`).set(auth(entToken)).expect(200)).body;
    expect(submitted.status).toBe('submitted');
    const files = (await t.http().get(`/api/entries/${entryId}/attachments`).set(auth(entToken)).expect(200)).body.items;
    expect(files).toEqual([expect.objectContaining({ kind: 'report', current: true, originalName: '成果报告.pdf' })]);
    tab.clean();
    await tab.close();

    const unit = await b.open();
    await b.logIn(unit.page, account('recommender'), PASSWORD);
    await unit.page.waitForURL(/#\/unit$/);
    const mine = unit.page.locator(`tr[data-entry="${entryId}"]`);
    await mine.waitFor();
    await unit.shot('demo-unit-home');
    await mine.locator('[data-action="recommend"]').click();
    await unit.page.getByRole('dialog').getByRole('button', { name: '确认推荐' }).click();
    await unit.page.locator(`tr[data-entry="${entryId}"] [data-status="recommended"]`).waitFor();
    expect((await t.http().get(`/api/entries/${entryId}`).set(auth(entToken)).expect(200)).body.status).toBe('recommended');
    unit.clean();
    await unit.close();
  });

  it('the year\'s report of 2020: the seed\'s figures and sentence, the notice as DOCX and PDF, 2020 and 2021 side by side', async () => {
    const organizer = await token(account('organizer'));
    const id = demo.contestId;
    const st = (await t.http().get(`/api/contests/${id}/statistics`).set(auth(organizer)).expect(200)).body;
    expect(st.participation).toMatchObject({ entries: 160, enterprises: 150, units: 20 });
    expect(st.entriesByUnit).toHaveLength(20);
    expect(st.awards.counts).toEqual({ first: 14, second: 26, third: 32, excellence: 45, total: 117 });
    expect(st.excellentUnits).toHaveLength(5);
    // The demo declined 2, returned 5 (resubmitted and passed) and rejected 3; one team was absent; one objection, answered.
    expect(st.review).toMatchObject({ reviewed: 158, passedFirstTime: 150, returnedThenPassed: 5, returnedPending: 0, rejected: 3, declined: 2 });
    expect(st.review.failedItems.map((f: { key: string; count: number }) => [f.key, f.count])).toEqual([['report_length', 5], ['not_repeated', 3]]);
    expect(st.attendance).toMatchObject({ absent: 1 });
    expect(st.objections).toEqual({ filed: 1, answered: 1, open: 0, upheld: 0 });
    expect(st.benefits.declaringEntries).toBe(160);
    expect(st.summarySentence).toBe('经材料初审、现场发表、专家评审，评选出质量攻关优秀成果一等奖14项，二等奖26项，三等奖32项，优秀奖45项，同时评选出5家优秀推荐单位');
    const pub = (await t.http().get(`/api/contests/${id}/statistics`).expect(200)).body;
    expect(pub).toMatchObject({ scope: 'public', participation: { entries: 160 }, summarySentence: st.summarySentence });
    // Year on year, from this year's contest: 2020 (published) and 2021 (being scored), not 2022's call.
    const live = (await t.http().get(`/api/contests/${demo.liveContestId}/statistics`).set(auth(organizer)).expect(200)).body;
    expect(live.yearOnYear.map((y: { year: number }) => y.year)).toEqual([2020, 2021]);
    expect(live.yearOnYear[0]).toMatchObject({ contestId: id, entries: 160, enterprises: 150, awards: { total: 117 }, growth: null });
    expect(live.yearOnYear[1].growth.entries.delta).toBe(live.yearOnYear[1].entries - 160);

    await t.http().put(`/api/contests/${id}/report/document`).set(auth(organizer)).send({ documentNumber: '津滨质量组办〔2020〕5号', issuer: '滨海新区质量工作领导小组办公室' }).expect(200);
    const list = (await t.http().get(`/api/public/contests/${id}/results`).expect(200)).body as PublicList;
    const bytes = (path: string) => t.http().get(path).set(auth(organizer)).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    const docx = (await bytes(`/api/contests/${id}/report/notice.docx`)).body as Buffer;
    keep(`report-notice-demo-${TEST_DB}.docx`, docx);
    const words = await docxText(docx);
    expect(words).toContain('关于公布2020年度质量攻关优秀成果评选结果的通知');
    expect(words).toContain(`${st.summarySentence}。`);
    expectEveryAwardAtItsLevel(words, list);
    const pdf = pdfText((await bytes(`/api/contests/${id}/report/notice.pdf`)).body as Buffer, `report-notice-demo-${TEST_DB}.pdf`);
    expect(pdf.replace(/\s+/gu, '')).toContain(`${st.summarySentence}。`);
    expectEveryAwardAtItsLevel(pdf, list);

    // The organizer's desk: charts with their tables, the sentence to copy, the downloads; the public board's subset.
    const tab = await b.open({ width: 1280, height: 900 });
    const { page } = tab;
    await b.logIn(page, account('organizer'), PASSWORD);
    await page.waitForURL(/#\/organizer$/);
    await page.goto(`${b.base}/#/organizer/contest/${id}/report`);
    await page.locator('#chart-units').waitFor();
    expect(await page.locator('#rp-entries').textContent()).toBe('160 项');
    expect(await page.locator('#summary-sentence').textContent()).toBe(st.summarySentence);
    expect(await page.locator('#fig-units tbody tr').count()).toBe(20);
    expect(await page.locator('#chart-award-types rect[data-level]').count()).toBeGreaterThan(3);
    expect(await page.locator('#download-notice-docx').isVisible()).toBe(true);
    await tab.shot('demo-organizer-report');
    await page.goto(`${b.base}/#/organizer/contest/${demo.liveContestId}/report`);
    // A hash change, not a load: the 2020 report's own year table is still on screen until the 2021 one replaces it.
    await page.locator('#fig-years tbody tr').nth(1).waitFor();
    expect(await page.locator('#fig-years tbody tr td:first-child').allTextContents()).toEqual(['2020', '2021']);
    await page.goto(`${b.base}/#/public/${id}`);
    await page.locator('#public-statistics').waitFor();
    expect(await page.locator('#public-summary-sentence').textContent()).toBe(`${st.summarySentence}。`);
    tab.clean();
    await tab.close();
  });

  it('the admin sees the accounts of every role', async () => {
    const tab = await b.open({ width: 1280, height: 900 });
    await b.logIn(tab.page, ADMIN.username, ADMIN.password);
    await tab.page.waitForURL(/#\/admin$/);
    await tab.page.locator('#page-info').waitFor();
    const users = (await t.http().get('/api/users?pageSize=1').set(auth(await token(ADMIN.username, ADMIN.password))).expect(200)).body;
    expect(await tab.page.locator('#page-info').textContent()).toContain(`共 ${users.total} 个账号`);
    await tab.shot('demo-admin-accounts');
    tab.clean();
    await tab.close();
  });
});
