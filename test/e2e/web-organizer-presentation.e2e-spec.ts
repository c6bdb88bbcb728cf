// The organizer's desk in Chromium, presentation part: 分组与评审组 (tracks, placement, panels, conflicts,
// assignments) and 场次与抽签 (sessions, the commit → draw → public record, check-in). Every UI action is
// checked through the API; every test fails on a foreign request or an unexpected console error.
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { createTrack, setPhase } from '../factories/contests.js';
import { createExpert } from '../factories/organisations.js';
import { createPanel, placeTracks, reviewWorld, type PanelOut, type ReviewWorld, type SessionOut } from '../factories/presentation.js';
import { describeBrowser, startBrowser, type BrowserHarness, type Tab } from '../support/browser.js';
import { ADMIN, createTestApp, createUser, login, TEST_DB, type TestApp } from '../support/test-app.js';

jest.setTimeout(180_000);

const DESK = { width: 1280, height: 900 };
const PASSWORD = 'Amber-海河-Lantern-42';
const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

type Expert = Awaited<ReturnType<typeof createExpert>>;
interface Assignment { id: number; panelId: number; expertId: number; entryId: number }
interface Conflict { expertId: number; entryId: number; source: string; reason: string }

describeBrowser(`organizer desk: tracks, panels, sessions and the draw in Chromium (${TEST_DB})`, () => {
  let t: TestApp;
  let b: BrowserHarness;
  let organizer: { username: string; token: string };
  let w: ReviewWorld;
  let experts: Expert[];

  beforeAll(async () => {
    t = await createTestApp();
    b = await startBrowser(t);
    const admin = await login(t, ADMIN.username, ADMIN.password);
    const username = `desk-organizer-${process.pid}`;
    organizer = { username, token: (await createUser(t, admin, { username, role: 'organizer', displayName: '组委会 评审办' })).token };
    w = await reviewWorld(t, [{ industry: '制造业' }, { industry: '制造业' }], { organizer: organizer.token });
    // experts[2] works for the enterprise of entries[0]: an automatic conflict.
    experts = [
      await createExpert(t, organizer.token, { name: '王建国' }),
      await createExpert(t, organizer.token, { name: '李明华' }),
      await createExpert(t, organizer.token, { name: '张海燕', employerEnterpriseId: w.enterprises[0]!.id }),
    ];
  });

  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  const api = async <T>(path: string, token = organizer.token): Promise<T> => (await t.http().get(`/api${path}`).set(auth(token)).expect(200)).body as T;
  const items = async <T>(path: string): Promise<T[]> => (await api<{ items: T[] }>(`${path}${path.includes('?') ? '&' : '?'}pageSize=200`)).items;

  /** The organizer logged in at `path`; `expected`: console errors of refusals the test provokes. */
  async function desk(path: string, expected: RegExp[]): Promise<Tab> {
    const tab = await b.open(DESK);
    tab.expected = expected;
    await b.logIn(tab.page, organizer.username, PASSWORD);
    await tab.page.waitForURL(/#\/organizer$/);
    await tab.page.goto(`${b.base}/#${path}`);
    return tab;
  }

  /** Confirms the open <dialog> with its button `name`. */
  async function confirm(page: Page, name: string): Promise<void> {
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name }).click();
  }

  /** Waits for the success message of the action just taken. */
  async function flashed(page: Page, text: RegExp): Promise<void> {
    await page.locator('#flash').filter({ hasText: text }).waitFor();
  }

  it('sets up a track, placement, a panel, conflicts and assignments through the screen', async () => {
    const tab = await desk(`/organizer/contest/${w.contest.id}/setup`, [/status of 400/, /status of 409/]);
    const { page } = tab;
    await page.locator('#track-form').waitFor();
    expect(await page.locator('nav.tabs a[aria-current="page"]').textContent()).toBe('分组与评审组');

    // A track, then the automatic placement of the passed entries into it.
    await page.locator('#track-name').fill('制造类·问题解决型');
    await page.locator('#track-industry').fill('制造业');
    await page.locator('#track-type').selectOption('problem_solving');
    await page.locator('#track-form button[type="submit"]').click();
    await flashed(page, /制造类·问题解决型/);
    const tracks = await api<{ id: number; name: string; industry: string; entryType: string }[]>(`/contests/${w.contest.id}/tracks`);
    expect(tracks).toEqual([expect.objectContaining({ name: '制造类·问题解决型', industry: '制造业', entryType: 'problem_solving' })]);
    const track = tracks[0]!;

    await page.locator('#place-tracks').click();
    await flashed(page, /分入 2 项/);
    expect(await page.locator('#place-outcome li').count()).toBe(2);
    for (const e of w.entries) expect((await api<{ trackId: number }>(`/entries/${e.id}`)).trackId).toBe(track.id);
    expect(await page.locator(`#tracks-table tr[data-track="${track.id}"] td.num`).textContent()).toBe('2');

    // A panel without a leader: the API's message stands next to the leader field.
    await page.locator('#panel-new-track').selectOption(String(track.id));
    await page.locator('#panel-new-name').fill('制造类评审组');
    await page.locator('#panel-form-new button[type="submit"]').click();
    const leaderError = page.locator('#panel-new-leader-error');
    await leaderError.waitFor();
    expect(await leaderError.textContent()).toBe('不能为空');
    expect(await page.locator('#panel-new-leader').getAttribute('aria-invalid')).toBe('true');
    expect(await items(`/contests/${w.contest.id}/panels`)).toEqual([]);

    await page.locator('#panel-new-leader').selectOption(String(experts[0]!.id));
    for (const x of experts.slice(1)) await page.locator(`#panel-new-members-${x.id}`).check();
    await page.locator('#panel-form-new button[type="submit"]').click();
    await flashed(page, /「制造类评审组」（3 人）/);
    const panels = await items<PanelOut>(`/contests/${w.contest.id}/panels`);
    expect(panels).toHaveLength(1);
    const panel = panels[0]!;
    expect(panel).toMatchObject({ name: '制造类评审组', trackId: track.id, leaderExpertId: experts[0]!.id });
    expect(panel.members.map((m) => m.id).sort()).toEqual(experts.map((x) => x.id).sort());

    // The automatic conflict (employer) is listed with its source.
    const auto = page.locator(`#conflicts-table tr[data-source="employer_enterprise"][data-expert="${experts[2]!.id}"][data-entry="${w.entries[0]!.id}"]`);
    expect(await auto.textContent()).toContain('自动：任职于申报企业');

    // Default assignment: everyone judges everything except the conflicted pair.
    await page.locator(`#assign-default-${panel.id}`).click();
    await confirm(page, '重新分配');
    await flashed(page, /已分配 5 对评审/);
    let assignments = await items<Assignment>(`/contests/${w.contest.id}/assignments`);
    expect(assignments).toHaveLength(5);
    expect(assignments.some((a) => a.expertId === experts[2]!.id && a.entryId === w.entries[0]!.id)).toBe(false);
    const count = (entryId: number) => page.locator(`#assign-table-${panel.id} tr[data-entry="${entryId}"] td[data-role="count"]`).textContent();
    expect(await count(w.entries[0]!.id)).toBe('2');
    expect(await count(w.entries[1]!.id)).toBe('3');
    expect(await page.locator('[data-outcome="default"]').textContent()).toContain('因回避未分配：张海燕');
    // Fewer than five judges (the contest's trimming threshold) is highlighted and reported.
    expect(await page.locator(`#assign-table-${panel.id} tr.pr-below`).count()).toBe(2);
    expect(await page.locator('#below-min li').count()).toBe(2);

    // The organizer declares a conflict: listed as declared, and its assignment goes.
    await page.locator('#conflict-expert').selectOption(String(experts[1]!.id));
    await page.locator('#conflict-entry').selectOption(String(w.entries[1]!.id));
    await page.locator('#conflict-reason').fill('曾担任该课题的技术顾问');
    await page.locator('#conflict-form button[type="submit"]').click();
    await flashed(page, /已登记回避/);
    const declared = (await items<Conflict>(`/contests/${w.contest.id}/conflicts`)).filter((c) => c.source === 'declared_by_organizer');
    expect(declared).toEqual([expect.objectContaining({ expertId: experts[1]!.id, entryId: w.entries[1]!.id, reason: '曾担任该课题的技术顾问' })]);
    const row = page.locator(`#conflicts-table tr[data-source="declared_by_organizer"]`);
    expect(await row.textContent()).toContain('组委会登记');
    expect(await row.textContent()).toContain('曾担任该课题的技术顾问');
    expect(await count(w.entries[1]!.id)).toBe('2');
    expect(await items<Assignment>(`/contests/${w.contest.id}/assignments`)).toHaveLength(4);

    // Removing one assignment asks first.
    assignments = await items<Assignment>(`/contests/${w.contest.id}/assignments`);
    const gone = assignments.find((a) => a.expertId === experts[0]!.id && a.entryId === w.entries[1]!.id)!;
    await page.locator(`button[data-assignment="${gone.id}"]`).click();
    await confirm(page, '移除');
    await flashed(page, /已移除 王建国/);
    expect((await items<Assignment>(`/contests/${w.contest.id}/assignments`)).map((a) => a.id)).not.toContain(gone.id);
    expect(await count(w.entries[1]!.id)).toBe('1');

    // A manual assignment of the conflicted pair: the 409 stands next to the expert field.
    const add = page.locator(`#add-form-${panel.id}`);
    await page.locator(`#assign-${panel.id} details:has(#add-form-${panel.id}) > summary`).click();
    await page.locator(`#add-${panel.id}-entry`).selectOption(String(w.entries[1]!.id));
    await page.locator(`#add-${panel.id}-expert`).selectOption(String(experts[1]!.id));
    await add.locator('button[type="submit"]').click();
    const conflictError = page.locator(`#add-${panel.id}-expert-error`);
    await conflictError.waitFor();
    expect(await conflictError.textContent()).toContain('回避');
    // …and the allowed one is made.
    await page.locator(`#add-${panel.id}-expert`).selectOption(String(experts[0]!.id));
    await add.locator('button[type="submit"]').click();
    await flashed(page, /已分配 王建国 评审/);
    expect((await items<Assignment>(`/contests/${w.contest.id}/assignments?entryId=${w.entries[1]!.id}`)).map((a) => a.expertId).sort())
      .toEqual([experts[0]!.id, experts[2]!.id].sort());
    expect(await count(w.entries[1]!.id)).toBe('2');
    await tab.shot('org-setup');
    tab.clean();
    await tab.close();
  });

  it('creates a session, commits and draws the order verifiably, and checks an entry in as absent', async () => {
    // A contest of its own with a track, its panel and two placed entries (through the API).
    const v = await reviewWorld(t, [{}, {}], { organizer: organizer.token });
    const track = await createTrack(t, organizer.token, v.contest.id, { name: '综合组' });
    await placeTracks(t, organizer.token, v.contest.id);
    const panel = await createPanel(t, organizer.token, v.contest.id, { trackId: track.id, leaderExpertId: experts[0]!.id, memberExpertIds: [experts[1]!.id], name: '综合评审组' });

    const tab = await desk(`/organizer/contest/${v.contest.id}/sessions`, [/status of 400/]);
    const { page } = tab;
    await page.locator('#session-form').waitFor();
    expect(await page.locator('#progress-link').getAttribute('href')).toBe(`#/organizer/progress/${v.contest.id}`);

    // Without a name and a start time: the API's messages next to both fields.
    await page.locator('#session-track').selectOption(String(track.id));
    expect(await page.locator('#session-panel').inputValue()).toBe(String(panel.id));
    expect(await page.locator('#session-entries input:checked').count()).toBe(2);
    await page.locator('#session-venue').fill('滨海新区会议中心 3 号厅');
    await page.locator('#session-form button[type="submit"]').click();
    await page.locator('#session-name-error').waitFor();
    expect(await page.locator('#session-name-error').textContent()).toBe('不能为空');
    expect(await page.locator('#session-starts-error').textContent()).toBe('不能为空');
    expect(await items(`/contests/${v.contest.id}/sessions`)).toEqual([]);

    await page.locator('#session-name').fill('第一场现场发表');
    await page.locator('#session-starts').fill('2030-09-15T09:00');
    await page.locator('#session-form button[type="submit"]').click();
    await flashed(page, /「第一场现场发表」（2 项成果）/);
    const sessions = await items<SessionOut>(`/contests/${v.contest.id}/sessions`);
    expect(sessions).toHaveLength(1);
    const session = sessions[0]!;
    const startsAt = await page.evaluate(() => new Date('2030-09-15T09:00').toISOString());
    expect(session).toMatchObject({ name: '第一场现场发表', venue: '滨海新区会议中心 3 号厅', startsAt, panelId: panel.id, entryCount: 2, slotMinutes: 15, qaMinutes: 5, commitment: null });
    expect(await page.locator(`#sessions-table tr[data-session="${session.id}"] [data-role="draw-state"]`).textContent()).toBe('未抽签');
    await tab.shot('org-sessions');

    // Step 1: the browser makes the seed and publishes only its SHA-256.
    await page.locator('#draw-commit').click();
    await flashed(page, /已公布承诺值/);
    const seed = (await page.locator('#draw-seed').textContent())!;
    expect(seed).toMatch(/^[0-9a-f]{64}$/);
    const committed = await api<SessionOut>(`/sessions/${session.id}`);
    expect(committed.commitment).toBe(sha256(seed));
    expect(committed.seed).toBeNull();
    expect(await page.locator('#draw-commitment').textContent()).toBe(sha256(seed));

    // Step 2: the draw, after a confirmation, with the kept seed.
    expect(await page.locator('#draw-seed-input').inputValue()).toBe(seed);
    await page.locator('#draw-form button[type="submit"]').click();
    await confirm(page, '抽签');
    await flashed(page, /抽签完成/);
    const order = await page.locator('#order-table tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-entry'))));
    expect([...order].sort()).toEqual(v.entries.map((e) => e.id).sort());
    expect(await page.locator('#order-table tbody tr td.num').allTextContents()).toEqual(['1', '2']);

    // Step 3: the public record verifies and matches the page.
    expect(await page.locator('#draw-public').getAttribute('href')).toBe(`/api/public/sessions/${session.id}/draw`);
    await page.locator('#draw-verify.pr-verified').waitFor();
    const record = (await t.http().get(`/api/public/sessions/${session.id}/draw`).expect(200)).body as { commitment: string; seed: string; order: number[]; currentOrder: number[] };
    expect(record.seed).toBe(seed);
    expect(sha256(record.seed)).toBe(record.commitment);
    expect(record.order).toEqual(order);
    expect(record.currentOrder).toEqual(order);
    expect(await page.locator('#draw-revealed').textContent()).toBe(seed);
    expect(await page.locator('#draw').textContent()).toContain('已于');
    await tab.shot('org-draw');

    // Check-in, in the presentation phase: the first entry is absent.
    await setPhase(t, organizer.token, v.contest.id, 'presentation');
    await page.reload();
    const first = page.locator(`#order-table tr[data-entry="${order[0]}"]`);
    await first.locator('button[data-attendance="absent"]').click();
    await confirm(page, '确定');
    await flashed(page, /缺席/);
    const after = await api<SessionOut>(`/sessions/${session.id}`);
    expect(after.slots.find((x) => x.entryId === order[0])).toMatchObject({ attendance: 'absent', entryStatus: 'absent' });
    expect(after.slots.find((x) => x.entryId === order[1])).toMatchObject({ attendance: 'pending' });
    expect(await first.getAttribute('data-attendance')).toBe('absent');
    expect(await first.locator('[data-role="attendance"]').textContent()).toBe('缺席');
    // Recorded: the only action left is undoing it with a reason (while the session is open).
    expect(await first.locator('button').allTextContents()).toEqual(['撤销签到']);
    await tab.shot('org-checkin');
    tab.clean();
    await tab.close();
  });

  it('refuses the screens to an expert and shows the API refusal for a missing contest', async () => {
    const tab = await b.open(DESK);
    const { page } = tab;
    await b.logIn(page, experts[0]!.account.username, PASSWORD);
    await page.waitForURL(/#\/expert$/);
    await page.goto(`${b.base}/#/organizer/contest/${w.contest.id}/setup`);
    await page.waitForURL(/#\/login$/);
    // The API refuses the expert whatever the page does.
    for (const path of [`/contests/${w.contest.id}/panels`, `/contests/${w.contest.id}/sessions`, `/contests/${w.contest.id}/conflicts`]) {
      await t.http().get(`/api${path}`).set(auth(experts[0]!.account.token)).expect(403);
    }
    await t.http().post(`/api/contests/${w.contest.id}/tracks/place`).set(auth(experts[0]!.account.token)).expect(403);
    tab.clean();
    await tab.close();

    const org = await desk('/organizer/contest/999999/sessions', [/status of 404/]);
    await org.page.locator('main .notice.error').filter({ hasText: '资源不存在' }).waitFor();
    org.clean();
    await org.close();
  });
});
