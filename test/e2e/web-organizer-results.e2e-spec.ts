// The organizer's results desk in Chromium (1280×900): compute, explanations, adjustments, freeze,
// notice with objections, publication, downloads; the panel quality charts; the audit trail and its
// verification; and the audit list's filters (actor, date) with actor names (GET /api/audit).
import { afterAll, beforeAll, beforeEach, expect, it, jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { descendingTotals, endNotice, resultsContest, type ResultsScenario } from '../factories/results.js';
import { describeBrowser, startBrowser, type BrowserHarness, type Tab } from '../support/browser.js';
import { createTestApp, TEST_DB, type TestApp } from '../support/test-app.js';

jest.setTimeout(180_000);

const DESK = { width: 1280, height: 900 };
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

interface Mark { expertId: number; points: string }
interface Explained { entryId: number; level: string | null; title: string; enterpriseName: string; unitId: number; unitName: string; stages: Record<string, { marks: Mark[] } | null> }

describeBrowser(`organizer's results desk in Chromium (${TEST_DB})`, () => {
  let t: TestApp;
  let b: BrowserHarness;
  let s: ResultsScenario;
  let organizer: string;
  let tab: Tab;

  beforeAll(async () => {
    t = await createTestApp();
    b = await startBrowser(t);
    // Entries 3 and 4 get the same marks: a tie the scores do not break, at the edge of the third prize.
    s = await resultsContest(t, 'finalizing', {
      entries: 4, experts: 5, totals: (i, x, stage) => descendingTotals(Math.min(i, 2), x, stage),
      rules: { quotas: { mode: 'count', scope: 'overall', counts: { first: 1, second: 1, third: 1, excellence: 0 } } },
    });
    organizer = await usernameOf(s.organizer);
  });

  // One organizer tab for the desk tests; each test checks only its own console (clean()).
  beforeEach(async () => {
    if (!tab) {
      tab = await b.open(DESK);
      await b.logIn(tab.page, organizer, 'Amber-海河-Lantern-42');
      await tab.page.waitForURL(/#\/organizer$/);
    }
    tab.consoleErrors.length = 0;
    tab.refused.length = 0;
    tab.expected = [];
  });

  afterAll(async () => {
    await tab?.close();
    await b?.close();
    await t?.close();
  });

  async function usernameOf(token: string): Promise<string> {
    return (await t.http().get('/api/auth/me').set(auth(token)).expect(200)).body.username as string;
  }
  const api = (path: string) => t.http().get(`/api${path}`).set(auth(s.organizer));
  const results = async () => (await api(`/contests/${s.contest.id}/results`).expect(200)).body;
  const resultsPage = () => `#/organizer/contest/${s.contest.id}/results`;

  /** Opens a screen afresh (a reload when the tab is already there: a same-hash goto draws nothing). */
  async function go(hash: string) {
    const target = `${b.base}/${hash}`;
    if (tab.page.url() === target) await tab.page.reload();
    else await tab.page.goto(target);
    await tab.page.locator('main h1').first().waitFor();
  }

  /** Confirms the dialog an action button opens (its OK button repeats the action's name). */
  async function confirm(button: string) {
    await tab.page.locator('main').getByRole('button', { name: button, exact: true }).click();
    await tab.page.getByRole('dialog').getByRole('button', { name: button, exact: true }).click();
  }

  it('computes the results, records the order of a tie, explains an entry, adjusts a level (reason required), freezes and opens the notice', async () => {
    const { page } = tab;
    // Before the computation GET …/results answers 404 results_not_computed (the page says so).
    tab.expected = [/status of 404/];
    await go(resultsPage());
    await page.getByText('尚未计算评审结果').waitFor();
    await page.locator('#compute').click();
    await page.locator('#snapshot-status[data-status="computed"]').waitFor();

    // The counts per level on the page are the API's.
    const expectCounts = async (counts: Record<string, number>) => {
      for (const level of ['first', 'second', 'third', 'excellence']) {
        expect(Number(await page.locator(`#level-counts li[data-level="${level}"] strong`).textContent())).toBe(counts[level]);
      }
    };
    const computed = await results();
    expect(computed.snapshot.status).toBe('computed');
    expect(computed.levelCounts).toMatchObject({ first: 1, second: 1, third: 2 });
    await expectCounts(computed.levelCounts);
    expect(await page.locator('#snapshot-hash').textContent()).toBe(computed.snapshot.hash);
    expect(await page.locator('#ranking-table tbody tr[data-entry]').count()).toBe(computed.ranking.total);

    // The tie of entries 3 and 4 is shown with both; the organizer puts entry 4 first, with a reason.
    const [, , third, fourth] = s.entries;
    expect(computed.unresolvedRankTies).toEqual([{ rank: 3, entryIds: [third!.id, fourth!.id] }]);
    expect(await page.locator('#rank-ties').textContent()).toContain(fourth!.title);
    await page.locator(`#tie-${third!.id}`).fill('2');
    await page.locator(`#tie-${fourth!.id}`).fill('1');
    await page.locator('#tie-reason').fill('组委会会议决定：成果 4 现场发表更完整');
    await page.locator('#tie-form button[type="submit"]').click();
    await page.locator('#results-flash .notice.ok', { hasText: '并列排序已记录' }).waitFor();
    const r = await results();
    expect(r.tieBreakOrder).toEqual([fourth!.id, third!.id]);
    expect(r.snapshot.reason).toBe('组委会会议决定：成果 4 现场发表更完整');
    expect(r.unresolvedRankTies).toEqual([]);
    await expectCounts(r.levelCounts);
    await tab.shot('org-results');

    // One entry's explanation: each expert's total per stage, as the API has it, and which were dropped.
    const entry = (r.ranking.items as Explained[])[0]!;
    const explain = page.locator(`#explain-${entry.entryId}`);
    expect(await explain.isVisible()).toBe(false);
    await page.locator(`[data-explain="${entry.entryId}"]`).click();
    await explain.waitFor();
    for (const stage of ['material', 'presentation']) {
      const marks = entry.stages[stage]!.marks;
      expect(marks).toHaveLength(5);
      for (const m of marks) {
        expect(await explain.locator(`[data-stage="${stage}"] tr[data-expert="${m.expertId}"] [data-role="points"]`).textContent()).toBe(m.points);
      }
    }
    expect(await explain.locator('[data-stage="material"] tr[data-status="dropped_highest"]').count()).toBe(1);
    expect(await explain.locator('[data-stage="material"] tr[data-status="dropped_lowest"]').count()).toBe(1);
    // The engine's reasons, as the API words them in Chinese, one sentence per step.
    const sentences = (entry as unknown as { explanationZh: { text: string }[] }).explanationZh.map((x) => x.text);
    expect(sentences.length).toBeGreaterThan(3);
    expect(await explain.locator('[data-role="explanation-zh"] li').allTextContents()).toEqual(sentences);
    expect(sentences[0]).toMatch(/^材料评审：5 位专家评分，/);
    await tab.shot('org-explanation');

    // The ranking filtered in the browser: by level, by unit, by text; the count says how many are shown.
    const items = r.ranking.items as Explained[];
    const visible = () => page.locator('#ranking-table tbody tr[data-entry]:visible').evaluateAll((rows) => rows.map((x) => Number((x as unknown as { dataset: { entry: string } }).dataset.entry)));
    expect(await page.locator('#ranking-count').textContent()).toBe(`显示 ${items.length} / ${items.length} 项`);
    await page.locator('#rank-f-level').selectOption('second');
    const seconds = items.filter((e) => e.level === 'second').map((e) => e.entryId);
    expect(seconds.length).toBeGreaterThan(0);
    expect(await visible()).toEqual(seconds);
    expect(await page.locator('#ranking-count').textContent()).toBe(`显示 ${seconds.length} / ${items.length} 项`);
    // The open explanation row of a filtered-out entry is hidden with it.
    if (!seconds.includes(entry.entryId)) expect(await explain.isVisible()).toBe(false);
    await page.locator('#rank-f-level').selectOption('');
    const unit = items[1]!;
    await page.locator('#rank-f-unit').selectOption(String(unit.unitId));
    expect(await visible()).toEqual(items.filter((e) => e.unitId === unit.unitId).map((e) => e.entryId));
    await page.locator('#rank-f-clear').click();
    expect(await page.locator('#rank-f-unit').inputValue()).toBe('');
    await page.locator('#rank-f-q').fill(items[2]!.title.slice(0, 6));
    const byText = items.filter((e) => [e.title, e.enterpriseName, e.unitName].some((x) => x.includes(items[2]!.title.slice(0, 6)))).map((e) => e.entryId);
    expect(await visible()).toEqual(byText);
    expect(byText).toContain(items[2]!.entryId);
    await page.locator('#rank-f-q').fill('没有这样的成果');
    expect(await visible()).toEqual([]);
    expect(await page.locator('#ranking-count').textContent()).toBe(`显示 0 / ${items.length} 项`);
    await page.locator('#rank-f-clear').click();
    expect(await page.locator('#rank-f-q').inputValue()).toBe('');
    expect(await page.locator('#ranking-count').textContent()).toBe(`显示 ${items.length} / ${items.length} 项`);
    await page.locator('#rank-f-level').selectOption('first');
    await tab.shot('org-ranking-filter');
    await page.locator('#rank-f-clear').click();

    // An adjustment without a reason: the API's message next to the reason field, nothing recorded.
    const target = (r.ranking.items as Explained[])[2]!;
    const refused = await t.http().post(`/api/contests/${s.contest.id}/results/adjustments`).set(auth(s.organizer))
      .send({ entryId: target.entryId, level: 'second', reason: '' }).expect(400);
    const reasonMessage = (refused.body.errors as { field: string; message: string }[]).find((e) => e.field === 'reason')!.message;
    tab.expected = [/status of 404/, /status of 400/];
    await page.locator('#adjust-entry').selectOption(String(target.entryId));
    await page.locator('#adjust-level').selectOption('second');
    await page.locator('#adjust-form button[type="submit"]').click();
    await page.locator('#adjust-reason-error').waitFor();
    expect(await page.locator('#adjust-reason-error').textContent()).toBe(reasonMessage);
    expect(await page.locator('#adjust-reason').getAttribute('aria-invalid')).toBe('true');
    expect((await results()).adjustments).toEqual([]);

    // With a reason: recorded, and the entry's level changes.
    await page.locator('#adjust-reason').fill('组委会评审会议决定：现场答辩表现突出');
    await page.locator('#adjust-form button[type="submit"]').click();
    await page.locator('#results-flash .notice.ok', { hasText: '等级调整已保存' }).waitFor();
    await page.locator(`#adjustments tr[data-adjustment]`).first().waitFor();
    const adjusted = await results();
    expect(adjusted.adjustments).toMatchObject([{ entryId: target.entryId, level: 'second', reason: '组委会评审会议决定：现场答辩表现突出' }]);
    expect((adjusted.ranking.items as Explained[]).find((e) => e.entryId === target.entryId)!.level).toBe('second');

    // Freeze (asks first), verify, then the notice.
    await confirm('锁定结果');
    await page.locator('#snapshot-status[data-status="frozen"]').waitFor();
    expect((await results()).snapshot.status).toBe('frozen');
    await page.locator('#verify').click();
    await page.locator('#verify-result[data-ok="true"]').waitFor();
    await confirm('进入公示');
    await page.locator('#notice-ends-at').waitFor();
    expect((await api(`/contests/${s.contest.id}`).expect(200)).body.phase).toBe('notice');
    tab.clean();
  });

  it('answers an objection filed by the public, shows what blocks publication, publishes and downloads the award list', async () => {
    const { page } = tab;
    const entry = s.entries[1]!;
    const filed = await t.http().post(`/api/public/contests/${s.contest.id}/objections`)
      .send({ entryId: entry.id, name: '滨海某机械公司', contact: '022-12345678', content: '该成果的效果数据与现场发表不一致。' }).expect(201);
    await go(resultsPage());
    const row = page.locator(`#objections tr[data-objection="${filed.body.id}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('open');
    expect(await page.locator('#phase-blockers').textContent()).toMatch(/异议|公示/);
    await tab.shot('org-objections');

    await page.locator(`#answer-${filed.body.id}`).fill('经核查，效果数据以成果报告为准，维持原评审结果。');
    await row.locator('button[type="submit"]').click();
    await page.locator(`#objections tr[data-objection="${filed.body.id}"][data-status="answered"]`).waitFor();
    const objections = (await api(`/contests/${s.contest.id}/objections`).expect(200)).body.items;
    expect(objections).toMatchObject([{ id: filed.body.id, status: 'answered', answer: '经核查，效果数据以成果报告为准，维持原评审结果。' }]);

    // The notice has not ended: the API refuses, and its reason is on the page.
    tab.expected = [/status of 409/];
    await confirm('发布结果');
    await page.locator('#notice .notice.error').waitFor();
    expect(await page.locator('#notice .notice.error').textContent()).toMatch(/公示/);
    expect((await api(`/contests/${s.contest.id}`).expect(200)).body.phase).toBe('notice');

    await endNotice(t, s);
    await go(resultsPage());
    await page.getByText('已满足发布条件。').waitFor();
    await confirm('发布结果');
    await page.locator('#published-state').waitFor();
    const pub = (await t.http().get(`/api/public/contests/${s.contest.id}/results`).expect(200)).body;
    expect(pub.status).toBe('published');
    const r = await results();
    for (const level of ['first', 'second', 'third']) expect(pub.levels[level] ?? []).toHaveLength(r.levelCounts[level]);

    // The award list as xlsx (a zip: starts with PK), every certificate as a zip, one as a PDF.
    const downloaded = async (button: string, name: RegExp, magic: string) => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.locator(button).click()]);
      expect(file.suggestedFilename()).toMatch(name);
      expect(readFileSync((await file.path())!).subarray(0, magic.length).toString()).toBe(magic);
    };
    await downloaded('#download-xlsx', /获奖名单\.xlsx$/, 'PK');
    await downloaded('#download-zip', /荣誉证书\.zip$/, 'PK');
    await downloaded('#download-certificate', /荣誉证书\.pdf$/, '%PDF');
    tab.clean();
  });

  it('charts each panel: one severity bar per judge and the spread of the marks', async () => {
    const { page } = tab;
    const report = (await api(`/contests/${s.contest.id}/results/quality`).expect(200)).body;
    await go(`#/organizer/contest/${s.contest.id}/quality`);
    await page.locator('section[data-panel]').first().waitFor();
    const sections = page.locator('section[data-panel]');
    expect(await sections.count()).toBe(report.panels.length);
    for (const [i, p] of (report.panels as { experts: unknown[]; entries: unknown[] }[]).entries()) {
      const section = sections.nth(i);
      expect(await section.locator('svg[id^="sev-"] rect.bar').count()).toBe(p.experts.length);
      expect(await section.locator('svg[id^="dist-"] circle.mean').count()).toBe(p.entries.length);
      expect(await section.locator('svg[role="img"] title').first().textContent()).toMatch(/评委宽严度/);
      expect(await section.locator('[data-role="kendall"]').textContent()).toMatch(/肯德尔和谐系数 W/);
    }
    await tab.shot('org-quality');
    tab.clean();
  });

  it('lists the audit trail with filters and before/after, and verifies the chains', async () => {
    const { page } = tab;
    await go('#/organizer/audit');
    await page.locator('#audit-table > tbody > tr').first().waitFor();
    await page.locator('#audit-action').selectOption('results.adjust');
    await page.locator('#audit-filters button[type="submit"]').click();
    await page.locator('#audit-list-title', { hasText: '共 1 条' }).waitFor();
    expect(await page.locator('#audit-table > tbody > tr').count()).toBe(1);
    const row = page.locator('#audit-table > tbody > tr').first();
    expect(await row.textContent()).toContain('组委会 结果汇总');
    await row.locator('summary', { hasText: '查看变更' }).click();
    expect(await row.locator('table.rs-diff').first().textContent()).toContain('组委会评审会议决定');
    await page.locator('#verify-audit').click();
    await page.locator('#audit-verify .notice.ok').waitFor();
    expect((await t.http().post('/api/audit/verify').set(auth(s.organizer)).expect(200)).body.ok).toBe(true);
    await page.locator('#audit-filters').getByRole('button', { name: '清除筛选' }).click();
    await page.locator('#audit-table > tbody > tr:not([data-action="results.adjust"])').first().waitFor();
    await tab.shot('org-audit');
    tab.clean();
  });

  it('GET /api/audit filters by actor (username or system) and date, and names the actor', async () => {
    const list = async (q: string) => (await api(`/audit?pageSize=200&${q}`).expect(200)).body as { items: { actorId: number | null; actorUsername: string | null; actorName: string | null; action: string; createdAt: string }[]; total: number };
    const mine = await list(`actor=${organizer}`);
    expect(mine.total).toBeGreaterThan(0);
    expect(mine.items.every((e) => e.actorUsername === organizer && e.actorName === '组委会 结果汇总')).toBe(true);
    const system = await list('actor=system');
    expect(system.items.map((e) => e.action)).toContain('objection.file');
    expect(system.items.every((e) => e.actorId === null && e.actorName === null)).toBe(true);
    expect((await list('actor=no-such-user')).total).toBe(0);
    const freeze = (await list('action=results.freeze')).items[0]!;
    const at = Date.parse(freeze.createdAt);
    const around = await list(`action=results.freeze&from=${new Date(at).toISOString()}&to=${new Date(at + 500).toISOString()}`);
    expect(around.total).toBe(1);
    expect((await list(`action=results.freeze&from=${new Date(at + 1000).toISOString()}`)).total).toBe(0);
    expect((await list(`action=results.freeze&to=${new Date(at - 1000).toISOString()}`)).total).toBe(0);
    const bad = await t.http().get('/api/audit?from=yesterday').set(auth(s.organizer)).expect(400);
    expect(bad.body.errors[0].field).toBe('from');
  });

  it('an enterprise user cannot open the results, quality or audit screens', async () => {
    const enterprise = await usernameOf(s.enterprises[0]!.token);
    const other = await b.open(DESK);
    await b.logIn(other.page, enterprise, 'Amber-海河-Lantern-42');
    await other.page.waitForURL(/#\/enterprise/);
    for (const hash of [resultsPage(), `#/organizer/contest/${s.contest.id}/quality`, '#/organizer/audit']) {
      await other.page.goto(`${b.base}/${hash}`);
      await other.page.waitForURL(/#\/login$/);
    }
    await t.http().get(`/api/contests/${s.contest.id}/results`).set(auth(s.enterprises[0]!.token)).expect(403);
    await t.http().get('/api/audit').set(auth(s.enterprises[0]!.token)).expect(403);
    other.clean();
    await other.close();
  });
});
