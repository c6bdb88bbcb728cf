// The organizer's contest set-up in a real browser (1280×900): a new contest copied from last year's
// (rules, checklist, rubrics, dates moved a year), then quotas, stage weights, the review checklist
// and a rubric item edited (totals live, a rubric not totalling 100 refused with the API's message),
// and an edit refused by the phase with the API's reason. Every change is checked through the API.
// Screenshots: org-contest-copy, org-rules, org-rules-rubric-error, org-rules-frozen.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { createContest, type ContestOut } from '../factories/contests.js';
import { describeBrowser, startBrowser, type BrowserHarness } from '../support/browser.js';
import { ADMIN, createTestApp, createUser, expectErrorBody, login, TEST_DB, type TestApp } from '../support/test-app.js';

jest.setTimeout(180_000);

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const DESK = { width: 1280, height: 900 };
const PASSWORD = 'Qc-评审-2026-北辰!';

interface Rubric { entryType: string; stage: string; version: number; items: { key: string; title: string; description: string; max: number }[] }

/** axe-core run in the page (evaluated through DevTools, so the strict CSP does not apply): serious or critical violations. */
async function axeViolations(page: Page): Promise<string[]> {
  const source = readFileSync(join(process.cwd(), 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  await page.evaluate(`${source}\n;0`);
  // A string, evaluated in the page: the test's own TypeScript has no DOM types.
  return page.evaluate(`axe.run(document).then((r) => r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`) as Promise<string[]>;
}

describeBrowser(`organizer contest set-up (${TEST_DB})`, () => {
  let t: TestApp;
  let b: BrowserHarness;
  let admin: string;
  let organizer: string;
  let lastYear: ContestOut;
  const lastRubric = [
    { key: 'logic', title: '逻辑清晰', description: '层次分明，前后呼应', max: 40 },
    { key: 'data', title: '数据充分', description: '以数据说话', max: 35.5 },
    { key: 'delivery', title: '发表表现', description: '', max: 24.5 },
  ];

  beforeAll(async () => {
    t = await createTestApp();
    b = await startBrowser(t);
    admin = await login(t, ADMIN.username, ADMIN.password);
    organizer = (await createUser(t, admin, { username: 'setup-organizer', role: 'organizer', displayName: '组委会 李老师', password: PASSWORD })).token;
    lastYear = await createContest(t, organizer, {
      name: '2025年滨海新区质量攻关活动', year: 2025, noticeDays: 10,
      rules: {
        stageWeights: { material: 70, presentation: 30 },
        quotas: { mode: 'ratio', scope: 'per_track', ratios: { first: 100, second: 200, third: 300, excellence: 100 } },
        minScores: { first: 85, second: 75, third: null, excellence: null },
        boundaryTiePolicy: 'report_only',
        reviewChecklist: [{ key: 'materials_complete', title: '材料齐全' }, { key: 'not_repeated', title: '非往届已获奖成果' }],
      },
    });
    await t.http().put(`/api/contests/${lastYear.id}/rubrics/innovation/presentation`).set(auth(organizer)).send({ items: lastRubric }).expect(200);
  });

  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  const api = (path: string) => t.http().get(`/api${path}`).set(auth(organizer)).expect(200).then((r) => r.body);
  const rubricOf = (c: { rubrics: Rubric[] }, type: string, stage: string) => c.rubrics.find((r) => r.entryType === type && r.stage === stage)!;

  it('creates a contest from last year\'s, edits quotas, weights, checklist and a rubric, and shows a phase refusal', async () => {
    const tab = await b.open(DESK);
    const { page } = tab;
    tab.expected = [/status of 400/, /status of 409/];
    await b.logIn(page, 'setup-organizer', PASSWORD);
    await page.waitForURL(/#\/organizer$/);

    // Copy: the name follows the new year; everything but the dates is last year's.
    await page.locator('#copy-form').waitFor();
    await page.getByLabel('复制自').selectOption(String(lastYear.id));
    await page.getByLabel('新活动的年份').fill('2026');
    await expect(page.getByLabel('新活动的名称').inputValue()).resolves.toBe('2026年滨海新区质量攻关活动');
    // A viewport shot: after a full-page one, Chromium dropped the next click on this form's button.
    await page.locator('#copy-form').scrollIntoViewIfNeeded();
    await tab.shot('org-contest-copy', false);
    await page.getByRole('button', { name: '复制并创建' }).click();
    await page.waitForURL(/#\/organizer\/contest\/\d+\/rules$/);
    const id = Number(/contest\/(\d+)\/rules$/.exec(page.url())![1]);
    expect(id).not.toBe(lastYear.id);
    await expect(page.locator('#setup-msg').textContent()).resolves.toContain('已从「2025年滨海新区质量攻关活动」复制设置');
    const old = await api(`/contests/${lastYear.id}`);
    const copied = await api(`/contests/${id}`);
    expect(copied).toMatchObject({ name: '2026年滨海新区质量攻关活动', year: 2026, phase: 'draft', noticeDays: 10, theme: old.theme });
    expect(copied.rules).toEqual(old.rules);
    expect(new Date(copied.submissionClosesAt).getUTCFullYear()).toBe(new Date(old.submissionClosesAt).getUTCFullYear() + 1);
    for (const r of old.rubrics as Rubric[]) expect(rubricOf(copied, r.entryType, r.stage).items).toEqual(r.items);
    expect(rubricOf(copied, 'innovation', 'presentation').items.map((i) => i.title)).toEqual(['逻辑清晰', '数据充分', '发表表现']);

    // The screen shows what was copied.
    await expect(page.locator('#su-w-material').inputValue()).resolves.toBe('70');
    await expect(page.locator('#su-q-mode').inputValue()).resolves.toBe('ratio');
    await expect(page.locator('#su-tie').inputValue()).resolves.toBe('report_only');

    // Stage weights: the total follows the typing.
    await page.getByLabel('材料评审 %').fill('55');
    await expect(page.locator('#su-w-total').textContent()).resolves.toBe('合计 85%（应为 100%）');
    await page.getByLabel('现场发表 %').fill('45');
    await expect(page.locator('#su-w-total').textContent()).resolves.toBe('合计 100%');
    // Quotas: counts per track instead of ratios.
    await page.getByLabel('名额方式').selectOption('count');
    for (const [level, count] of [['first', 3], ['second', 5], ['third', 8], ['excellence', 10]] as const) await page.locator(`#su-q-${level}`).fill(String(count));
    await expect(page.locator('#su-q-note').textContent()).resolves.toBe('各等级名额合计 26 项。');
    // A trimming threshold the API refuses: its message lands next to the group.
    await page.getByLabel('去掉最高分和最低分的最少评分表数').fill('2');
    await page.getByRole('button', { name: '保存评比规则' }).click();
    const aggError = page.locator('#su-agg .field-error');
    await aggError.waitFor();
    expect(await aggError.textContent()).toContain('3–100 的整数');
    expect(await page.locator('#su-agg').getAttribute('aria-invalid')).toBe('true');
    expect((await api(`/contests/${id}`)).rules.stageWeights).toEqual({ material: 70, presentation: 30 });
    await page.getByLabel('去掉最高分和最低分的最少评分表数').fill('4');
    await page.getByRole('button', { name: '保存评比规则' }).click();
    await page.locator('#setup-msg', { hasText: '评比规则已保存' }).waitFor();
    let now = await api(`/contests/${id}`);
    expect(now.rules).toMatchObject({
      stageWeights: { material: 55, presentation: 45 },
      quotas: { mode: 'count', scope: 'per_track', counts: { first: 3, second: 5, third: 8, excellence: 10 } },
      aggregation: { method: 'trimmed_mean', trimMinSheets: 4 },
      minScores: { first: 85, second: 75, third: null, excellence: null },
      boundaryTiePolicy: 'report_only',
    });
    expect(now.rulesVersion).toBe(copied.rulesVersion + 1);

    // The review checklist: one more item.
    await page.locator('#checklist-add').click();
    await page.locator('#su-check-2').fill('成果不涉及保密内容');
    await page.getByRole('button', { name: '保存初审检查项' }).click();
    await page.locator('#setup-msg', { hasText: '初审检查项已保存' }).waitFor();
    now = await api(`/contests/${id}`);
    expect(now.rules.reviewChecklist.map((i: { title: string }) => i.title)).toEqual(['材料齐全', '非往届已获奖成果', '成果不涉及保密内容']);
    expect(now.rules.reviewChecklist[2].key).toMatch(/^check_[a-z0-9]+$/);

    // A rubric item: the total is shown live; 105 points are refused with the API's message.
    const form = page.locator('#rubric-problem_solving-material');
    const before = rubricOf(now, 'problem_solving', 'material');
    expect(before.items[0].max).toBe(15);
    await expect(form.locator('#rubric-problem_solving-material-total').textContent()).resolves.toBe('合计 100 分');
    await form.getByLabel('第 1 项满分').fill('20');
    await expect(form.locator('#rubric-problem_solving-material-total').textContent()).resolves.toBe('合计 105 分（应为 100 分）');
    await form.getByLabel('第 1 项名称').fill('选题（含现状调查）');
    await form.getByRole('button', { name: /保存「问题解决型 · 材料评审」评分表/ }).click();
    const totalError = form.locator('#rubric-problem_solving-material-items .field-error');
    await totalError.waitFor();
    expect(await totalError.textContent()).toBe('评分表各项满分之和应为 100 分（现为 105 分）');
    await tab.shot('org-rules-rubric-error');
    expect(rubricOf(await api(`/contests/${id}`), 'problem_solving', 'material').version).toBe(before.version);
    await form.getByLabel('第 2 项满分').fill('25');
    await expect(form.locator('#rubric-problem_solving-material-total').textContent()).resolves.toBe('合计 100 分');
    await form.getByRole('button', { name: /保存「问题解决型 · 材料评审」评分表/ }).click();
    await page.locator('#setup-msg', { hasText: '「问题解决型 · 材料评审」评分表已保存' }).waitFor();
    const after = rubricOf(await api(`/contests/${id}`), 'problem_solving', 'material');
    expect(after.version).toBe(before.version + 1);
    expect(after.items[0]).toEqual({ ...before.items[0], title: '选题（含现状调查）', max: 20 });
    expect(after.items[1]).toEqual({ ...before.items[1], max: 25 });
    expect(after.items.slice(2)).toEqual(before.items.slice(2));
    await tab.shot('org-rules');
    expect(await axeViolations(page)).toEqual([]);

    // Once presentation has started the rules are frozen: the screen says so, and the API's reason is shown.
    await t.dataSource.query(`UPDATE contests SET phase = 'presentation' WHERE id = ${id}`);
    await page.reload();
    await page.locator('#rules-form').waitFor();
    await expect(page.locator('main').textContent()).resolves.toContain('评比规则、初审检查项和评分表已冻结');
    await page.getByLabel('材料评审 %').fill('50');
    await page.getByLabel('现场发表 %').fill('50');
    await page.getByRole('button', { name: '保存评比规则' }).click();
    const refusal = page.locator('#rules-form .notice.error');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe('现场发表开始后评比规则、评分表和分组已冻结');
    expect((await api(`/contests/${id}`)).rules.stageWeights).toEqual({ material: 55, presentation: 45 });
    // What the phase still allows goes through: a new name (only changed fields are sent).
    await page.getByLabel('活动名称').fill('2026年滨海新区质量攻关活动（正式）');
    await page.getByRole('button', { name: '保存名称与日期' }).click();
    await page.locator('#setup-msg', { hasText: '名称与关键日期已保存' }).waitFor();
    expect((await api(`/contests/${id}`)).name).toBe('2026年滨海新区质量攻关活动（正式）');
    await tab.shot('org-rules-frozen');
    tab.clean();
    await tab.close();
  });

  it('refuses the set-up API to other roles', async () => {
    const res = await t.http().put(`/api/contests/${lastYear.id}/rubrics/problem_solving/material`).set(auth(admin)).send({ items: lastRubric }).expect(403);
    expectErrorBody(res.body, 403, 'forbidden');
    expect(rubricOf(await api(`/contests/${lastYear.id}`), 'problem_solving', 'material').version).toBe(1);
  });
});
