// Contest set-up in Chromium, the parts added by issue 12's last jobs: the organizer sets the
// recommendation and review deadlines (China Standard Time inputs; an out-of-order one is refused with
// the API's reason on its field; the unit's screen shows its deadline), and orders the tie-break chain
// with keyboard-reachable 上移 / 下移 buttons (refused with the API's reason once rules are frozen).
// Checked against the API.
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { createEntry, createIntakeWorld, submitEntry, uploadReport, type IntakeWorld } from '../factories/entries.js';
import { describeBrowser, startBrowser, type BrowserHarness } from '../support/browser.js';
import { createTestApp, TEST_DB, type TestApp } from '../support/test-app.js';

jest.setTimeout(180_000);

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
/** The datetime-local value of an instant in China Standard Time. */
const cst = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 16);

describeBrowser(`contest set-up: recommendation and review deadlines (${TEST_DB})`, () => {
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

  const contest = async () => (await t.http().get(`/api/contests/${w.contest.id}`).set(auth(w.organizer)).expect(200)).body as Record<string, string | null>;

  it('sets both deadlines in CST, shows the refusal of an out-of-order one, and the unit sees its deadline', async () => {
    const closes = Date.parse((await contest()).submissionClosesAt!);
    const tab = await b.signedIn(w.organizer, `#/organizer/contest/${w.contest.id}/rules`);
    const { page } = tab;
    tab.expected = [/status of 400/];
    await page.locator('#basics-form').waitFor();

    // A recommendation deadline a day before the submission deadline: refused, on its field.
    await page.getByLabel('推荐截止时间').fill(cst(closes - 86400_000));
    await page.getByRole('button', { name: '保存名称与日期' }).click();
    await page.locator('#su-rec-closes[aria-invalid="true"]').waitFor();
    expect(await page.locator('#basics-form').textContent()).toContain('推荐截止时间不能早于申报截止时间');
    expect((await contest()).recommendationClosesAt).toBeNull();

    // Two days and five days after it (17:00 CST): saved.
    const day = (d: number) => { const x = new Date(closes + d * 86400_000 + 8 * 3600_000); x.setUTCHours(17, 0, 0, 0); return x.getTime() - 8 * 3600_000; };
    await page.getByLabel('推荐截止时间').fill(cst(day(2)));
    await page.getByLabel('初审截止时间').fill(cst(day(5)));
    await page.getByRole('button', { name: '保存名称与日期' }).click();
    await page.locator('#setup-msg', { hasText: '名称与关键日期已保存' }).waitFor();
    const saved = await contest();
    expect(saved.recommendationClosesAt).toBe(new Date(day(2)).toISOString());
    expect(saved.reviewClosesAt).toBe(new Date(day(5)).toISOString());
    expect(await page.getByLabel('推荐截止时间').inputValue()).toBe(cst(day(2)));
    await tab.shot('org-rules-key-dates');
    tab.clean();
    await tab.close();

    // The unit's screen names the deadline (in CST, as the screen writes times).
    const e = await createEntry(t, w.a.owner.token, w.contest.id);
    await uploadReport(t, w.a.owner.token, e.id);
    await submitEntry(t, w.a.owner.token, e.id);
    const unit = await b.signedIn(w.a.recommender.token, '#/unit');
    const line = unit.page.locator(`#deadline-${w.contest.id}`);
    await line.waitFor();
    const text = await line.textContent();
    expect(text).toContain('推荐截止：');
    expect(text).toContain('初审截止：');
    expect(text).toContain('17:00');
    expect(text).not.toContain('已截止');
    await unit.shot('unit-deadlines');
    unit.clean();
    await unit.close();
  });

  it('orders the tie-break chain with up/down buttons, drops a criterion, saves; refused with the reason once rules are frozen', async () => {
    const tab = await b.signedIn(w.organizer, `#/organizer/contest/${w.contest.id}/rules`);
    const { page } = tab;
    tab.expected = [/status of 409/];
    const items = () => page.locator('#tiebreak-items li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-key')));
    await page.locator('#tiebreak-form').waitFor();
    expect(await items()).toEqual(['presentation_score', 'untrimmed_sum', 'organizer_decision']);
    // The first item cannot move up; the last cannot move down.
    expect(await page.getByRole('button', { name: '上移「现场发表得分高者优先」' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: '下移「现场发表得分高者优先」' }).click();
    expect(await items()).toEqual(['untrimmed_sum', 'presentation_score', 'organizer_decision']);
    // Focus follows the moved item, and the move is announced.
    expect(await page.evaluate('document.activeElement.getAttribute("aria-label")')).toBe('下移「现场发表得分高者优先」');
    expect(await page.locator('#tiebreak-status').textContent()).toBe('「现场发表得分高者优先」已移到第 2 步。');
    await page.keyboard.press('Enter');
    expect(await items()).toEqual(['untrimmed_sum', 'organizer_decision', 'presentation_score']);
    await page.getByRole('button', { name: '不使用「按组委会裁定的顺序」' }).click();
    expect(await items()).toEqual(['untrimmed_sum', 'presentation_score']);
    await page.getByRole('button', { name: '保存判定顺序' }).click();
    await page.locator('#setup-msg', { hasText: '并列名次判定顺序已保存' }).waitFor();
    expect(((await contest()) as unknown as { rules: { tieBreakChain: string[] } }).rules.tieBreakChain).toEqual(['untrimmed_sum', 'presentation_score']);
    expect(await items()).toEqual(['untrimmed_sum', 'presentation_score']);
    expect(await page.locator('#tiebreak-unused button').textContent()).toBe('加入：按组委会裁定的顺序');
    await tab.shot('org-rules-tiebreak');

    // Presentation has started: rules are frozen, the API's reason is shown, nothing changes.
    await t.dataSource.query(`UPDATE contests SET phase = 'presentation' WHERE id = ${w.contest.id}`);
    await page.reload();
    await page.locator('#tiebreak-form').waitFor();
    await page.getByRole('button', { name: '上移「现场发表得分高者优先」' }).click();
    await page.getByRole('button', { name: '保存判定顺序' }).click();
    const refusal = page.locator('#tiebreak-form .notice.error');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe('现场发表开始后评比规则、评分表和分组已冻结');
    expect(((await contest()) as unknown as { rules: { tieBreakChain: string[] } }).rules.tieBreakChain).toEqual(['untrimmed_sum', 'presentation_score']);
    tab.clean();
    await tab.close();
  });
});
