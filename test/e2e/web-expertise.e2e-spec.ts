// Assignment by expertise in Chromium: the expert proposes its profile, the organizer keeps the topic
// list and approves, the enterprise chooses its entry's topics, and the organizer's assignment screen
// shows the affinity heat map, assigns by expertise and gives the reasons; the quality screen the coverage.
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { createTrack } from '../factories/contests.js';
import { createExpert } from '../factories/organisations.js';
import { createPanel, placeTracks, reviewWorld, type ReviewWorld } from '../factories/presentation.js';
import { describeBrowser, startBrowser, type BrowserHarness } from '../support/browser.js';
import { createTestApp, TEST_DB, type TestApp } from '../support/test-app.js';

jest.setTimeout(240_000);

const DESK = { width: 1280, height: 900 };
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describeBrowser(`assignment by expertise in Chromium (${TEST_DB})`, () => {
  let t: TestApp;
  let b: BrowserHarness;
  let w: ReviewWorld;
  let experts: Awaited<ReturnType<typeof createExpert>>[];
  let panelId: number;

  beforeAll(async () => {
    t = await createTestApp();
    b = await startBrowser(t);
    w = await reviewWorld(t, [{ industry: '制造' }, { industry: '服务' }, { industry: '制造' }, { industry: '服务' }]);
    for (const name of ['工艺', '服务', '统计技术']) await t.http().post('/api/expertise/topics').set(auth(w.organizer)).send({ name }).expect(201);
    experts = [await createExpert(t, w.organizer, { name: '王工艺' }), await createExpert(t, w.organizer, { name: '李服务' }), await createExpert(t, w.organizer, { name: '赵通才' })];
    await t.http().put(`/api/experts/${experts[0]!.id}/profile`).set(auth(w.organizer)).send({ industries: ['制造'], entryTypes: ['problem_solving'], topics: ['工艺'] }).expect(200);
    const track = await createTrack(t, w.organizer, w.contest.id, { name: '综合组' });
    await placeTracks(t, w.organizer, w.contest.id);
    panelId = (await createPanel(t, w.organizer, w.contest.id, { trackId: track.id, leaderExpertId: experts[0]!.id, memberExpertIds: experts.map((x) => x.id), name: '第一评审组' })).id;
  });

  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('lets the expert propose its profile and the organizer approve it', async () => {
    const tab = await b.signedIn(experts[1]!.account.token, '#/account/profile', DESK);
    const { page } = tab;
    await page.locator('#profile-form').waitFor();
    await page.locator('#xp-industries').getByLabel('服务').check();
    await page.locator('#xp-entryTypes').getByLabel('问题解决型').check();
    await page.locator('#xp-topics').getByLabel('服务').check();
    await page.locator('#xp-years').fill('12');
    await page.locator('#profile-save').click();
    await page.locator('#profile-pending').waitFor();
    expect(await page.locator('#profile-pending-facts').textContent()).toContain('服务');
    tab.clean();
    await tab.close();

    const org = await b.signedIn(w.organizer, '#/organizer/expertise', DESK);
    await org.page.locator(`#approve-${experts[1]!.id}`).click();
    await org.page.locator('#flash').filter({ hasText: '已通过' }).waitFor();
    await org.shot('expertise-organizer');
    org.clean();
    await org.close();
    const profile = (await t.http().get(`/api/experts/${experts[1]!.id}/profile`).set(auth(w.organizer)).expect(200)).body;
    expect(profile).toMatchObject({ industries: ['服务'], topics: ['服务'], yearsOfExperience: 12, pending: null });
  });

  it('lets the enterprise choose its entry\'s topics on the entry screen', async () => {
    const tab = await b.signedIn(w.enterprises[0]!.token, `#/enterprise/entry/${w.entries[0]!.id}`, DESK);
    const { page } = tab;
    await page.locator('#entry-topics-form').waitFor();
    await page.locator('#entry-topics').getByLabel('工艺').check();
    await page.locator('#entry-topics-save').click();
    await page.getByText('已保存：工艺').waitFor();
    tab.clean();
    await tab.close();
    expect((await t.http().get(`/api/entries/${w.entries[0]!.id}/topics`).set(auth(w.organizer)).expect(200)).body.topics).toEqual(['工艺']);
  });

  it('shows the heat map, assigns by expertise and gives the reasons on the assignment screen', async () => {
    const tab = await b.signedIn(w.organizer, `#/organizer/contest/${w.contest.id}/setup`, DESK);
    const { page } = tab;
    const map = page.locator(`#heatmap-${panelId}`);
    await map.waitFor();
    // 王工艺 on the first entry: industry 制造 3 + topic 工艺 2 + 问题解决型 1.
    expect(await map.locator(`tr[data-entry="${w.entries[0]!.id}"] td`).first().getAttribute('data-score')).toBe('6');
    await page.locator(`#expertise-${panelId} summary`).filter({ hasText: '按专业匹配分配' }).click();
    await page.locator(`#xa-${panelId}-min`).fill('1');
    await page.locator(`#xa-${panelId}-load`).fill('2');
    await page.locator(`#expertise-form-${panelId} button[type="submit"]`).click();
    await page.getByRole('dialog').getByRole('button', { name: '重新分配' }).click();
    await page.locator('#flash').filter({ hasText: '已按专业匹配分配 4 对评审' }).waitFor();
    await page.locator(`#heatmap-${panelId} td[data-assigned="true"]`).first().waitFor();
    expect(await page.locator(`#heatmap-${panelId} td[data-assigned="true"]`).count()).toBe(4);
    await page.locator(`#reasons-${panelId} summary`).click();
    const reason = page.locator(`#reasons-${panelId} tr[data-pair="${experts[0]!.id}:${w.entries[0]!.id}"]`);
    expect(await reason.textContent()).toContain('行业「制造」+3');
    expect(await reason.textContent()).toContain('方法/专业「工艺」+2');
    expect(await page.locator(`#coverage-${panelId}`).textContent()).toContain('专业覆盖');
    await tab.shot('expertise-heatmap');
    tab.clean();
    await tab.close();
    const stored = (await t.http().get(`/api/panels/${panelId}/affinity`).set(auth(w.organizer)).expect(200)).body;
    expect(stored.assignments).toHaveLength(4);
    expect(stored.assignments.find((a: { expertId: number; entryId: number }) => a.expertId === experts[0]!.id && a.entryId === w.entries[0]!.id)).toBeDefined();
  });
});
