// Paper in Chromium (issue 13): page.pdf() of the printable 发表顺序表, the public award list and an
// expert's locked score sheet — A4, the contest/session head line and page numbers on the page, and
// none of the interface's buttons or navigation (pdftotext). The PDFs go to test-output/ to look at.
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resultsContest, type ResultsScenario } from '../factories/results.js';
import { describeBrowser, startBrowser, type BrowserHarness, type Tab } from '../support/browser.js';
import { createTestApp, TEST_DB, type TestApp } from '../support/test-app.js';

jest.setTimeout(300_000);

const OUT = join(process.cwd(), 'test-output');
const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const squash = (s: string) => s.replace(/\s+/gu, '');

/** Prints the tab's page as the browser would (print media, the page's own @page size) and returns its text. */
async function printed(tab: Tab, name: string): Promise<{ text: string; info: string }> {
  const file = join(OUT, `${name}-${TEST_DB}.pdf`);
  await tab.page.pdf({ path: file, preferCSSPageSize: true, printBackground: true });
  expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  return {
    text: execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }),
    info: execFileSync('pdfinfo', [file], { encoding: 'utf8' }),
  };
}

/** Every button's text and the navigation's link texts on the page (none may be printed). */
async function interfaceTexts(tab: Tab): Promise<string[]> {
  const texts = (await tab.page.$$eval('button, #nav a, nav a, .crumbs a', (els) => els.map((e) => (e.textContent ?? '').trim()))) as string[];
  return [...new Set(texts.filter((t) => t.length >= 2))];
}

function expectPaper(p: { text: string; info: string }, buttons: string[]): void {
  expect(p.info).toMatch(/Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)/);
  const flat = squash(p.text);
  expect(flat).toMatch(/第1页\/共\d+页/);
  expect(buttons.length).toBeGreaterThan(0);
  for (const b of buttons) expect({ button: b, printed: flat.includes(squash(b)) }).toEqual({ button: b, printed: false });
}

describeBrowser(`printing the presentation day's paper (${TEST_DB})`, () => {
  let t: TestApp;
  let b: BrowserHarness;
  let s: ResultsScenario;

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    t = await createTestApp();
    b = await startBrowser(t);
    s = await resultsContest(t, 'notice', { entries: 4, experts: 3, units: 1, perEnterprise: 4, title: (i) => `降低焊接缺陷率 第${i + 1}项 🔧` });
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('the 发表顺序表 prints on A4 with the head line, every slot and the draw record, and no button or navigation', async () => {
    const session = (await t.http().get(`/api/sessions/${s.session.id}`).set(auth(s.organizer)).expect(200)).body as {
      name: string; commitment: string; seed: string; slots: { position: number; title: string; teamName: string; enterpriseName: string }[];
    };
    const tab = await b.signedIn(s.organizer, `#/organizer/session/${s.session.id}/print`, { width: 1280, height: 900 });
    await tab.page.locator('#print-order-table').waitFor();
    await tab.shot('print-running-order');
    const buttons = await interfaceTexts(tab);
    expect(buttons).toContain('打印发表顺序表');
    const paper = await printed(tab, 'running-order');
    expectPaper(paper, buttons);
    const flat = squash(paper.text);
    expect(flat).toContain(squash(`${s.contest.name} · ${session.name}`));
    expect(flat).toContain('发表顺序表');
    for (const x of session.slots) {
      expect(flat).toContain(squash(x.teamName));
      expect(flat).toContain(squash(x.enterpriseName));
      expect(flat).toContain(squash(x.title.replace('🔧', '')));
    }
    // The slots in drawn order: each title after the previous one.
    const at = session.slots.map((x) => flat.indexOf(squash(x.title.replace('🔧', ''))));
    expect([...at].sort((a, c) => a - c)).toEqual(at);
    expect(flat).toContain(session.commitment);
    expect(flat).toContain(session.seed);
    tab.clean();
    await tab.close();
  });

  it('the public award list prints by level on A4 without the objection form, the buttons or the navigation', async () => {
    const pub = (await t.http().get(`/api/public/contests/${s.contest.id}/results`).expect(200)).body as { levels: Record<string, { title: string }[]>; version: number };
    const tab = await b.open({ width: 1280, height: 900 });
    await tab.page.goto(`${b.base}/#/public/${s.contest.id}`);
    await tab.page.locator('#objection-form').waitFor();
    const buttons = await interfaceTexts(tab);
    expect(buttons).toEqual(expect.arrayContaining(['打印获奖名单', '提交异议']));
    const paper = await printed(tab, 'award-list');
    expectPaper(paper, buttons);
    const flat = squash(paper.text);
    expect(flat).toContain(squash(`${s.contest.name} · 获奖名单（公示·第${pub.version}版）`));
    expect(flat).not.toContain('对公示结果有异议');
    let n = 0;
    for (const [level, name] of [['first', '一等奖'], ['second', '二等奖'], ['third', '三等奖'], ['excellence', '优秀奖']] as const) {
      for (const e of pub.levels[level] ?? []) {
        expect(flat).toContain(squash(e.title.replace('🔧', '')));
        expect(flat).toContain(name);
        n++;
      }
    }
    expect(n).toBeGreaterThan(0);
    tab.clean();
    await tab.close();
  });

  it("an expert's locked score sheet prints with its marks, the expert's signature line and no buttons", async () => {
    const entry = s.entries[0]!;
    const tab = await b.signedIn(s.experts[1]!.token, `#/expert/sheet/${entry.id}/material`, { width: 1280, height: 900 });
    await tab.page.locator('#sheet-locked').waitFor();
    const total = (await tab.page.locator('#locked-total').textContent())!.trim();
    const buttons = await interfaceTexts(tab);
    expect(buttons).toContain('打印评分表');
    const paper = await printed(tab, 'locked-sheet');
    expectPaper(paper, buttons);
    const flat = squash(paper.text);
    for (const part of [`评分表·${squash(entry.title.replace('🔧', ''))}·材料评审`, '已提交，评分表已锁定', '第1版', '评审专家签字', '合计', `${total}100`]) expect(flat).toContain(part);
    tab.clean();
    await tab.close();
  });
});
