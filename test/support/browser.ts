// Browser tests: Debian's Chromium driven by playwright-core against the app listening on 127.0.0.1.
// Each page records requests to any host other than the app and console errors; `clean()` fails
// the test on either. Screenshots go to test-output/screenshots/ (not committed).
import { describe, expect } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { TestApp } from './test-app.js';

export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = join(process.cwd(), 'test-output', 'screenshots');
export const hasChromium = existsSync(CHROMIUM);

/** `describe`, or `describe.skip` with a warning when Chromium is not installed (CI installs it). */
export function describeBrowser(name: string, fn: () => void): void {
  if (!hasChromium) {
    console.warn(`${name}: skipped — ${CHROMIUM} is missing (apt-get install -y chromium)`);
    describe.skip(name, fn);
  } else {
    describe(name, fn);
  }
}

/** Browser messages expected while a test itself cuts the network (context.setOffline). */
export const OFFLINE_NOISE = /net::ERR_INTERNET_DISCONNECTED|Failed to fetch|FetchEvent/;

/**
 * Legible screenshots on machines without a CJK system font: a fontconfig that adds the Noto Sans SC
 * already installed for the PDF certificates (the page itself names only system fonts).
 */
function fontconfig(dir: string): Record<string, string> {
  const noto = join(process.cwd(), 'node_modules', '@expo-google-fonts', 'noto-sans-sc', '400Regular');
  if (!existsSync(noto) || !existsSync('/etc/fonts/fonts.conf')) return {};
  const file = join(dir, 'fonts.conf');
  writeFileSync(file, `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include><dir>${noto}</dir><cachedir>${join(dir, 'cache')}</cachedir></fontconfig>\n`);
  return { FONTCONFIG_FILE: file };
}

export interface Tab {
  context: BrowserContext;
  page: Page;
  /** Requests to hosts other than the app. */
  foreign: string[];
  /** Console errors not expected by the test. */
  consoleErrors: string[];
  /** Responses ≥ 400, listed with console errors to tell which request caused one. */
  refused: string[];
  /** Console messages the test provokes on purpose (the browser logs a refused request as an error). */
  expected: RegExp[];
  /** While true, messages of a network cut by the test are ignored. */
  offline: boolean;
  /** Fails on foreign requests and console errors. */
  clean(): void;
  /** Screenshot named `<name>.png` under test-output/screenshots/, after expectAccessible() on the page. */
  shot(name: string, fullPage?: boolean): Promise<void>;
  close(): Promise<void>;
}

export interface BrowserHarness {
  base: string;
  browser: Browser;
  open(viewport?: { width: number; height: number }): Promise<Tab>;
  /** Logs in through the login screen (does not wait for the landing page). */
  logIn(page: Page, username: string, password: string): Promise<void>;
  /** A tab already signed in with `token` (session stored as the login screen stores it), opened at `hash`. */
  signedIn(token: string, hash: string, viewport?: { width: number; height: number }): Promise<Tab>;
  close(): Promise<void>;
}

/** Starts the app listening on 127.0.0.1 and a headless Chromium. */
/**
 * Playwright's own --disable-features list (a second --disable-features replaces it, not adds to it)
 * plus headless Chromium's WebUI omnibox popup, a renderer that loads some 400 chrome:// modules for
 * every new window (~1.2 s of CPU each, measured by the web bench's traces; the same list as there).
 */
const DISABLED_FEATURES = ['AvoidUnnecessaryBeforeUnloadCheckSync', 'DestroyProfileOnBrowserClose', 'HttpsUpgrades', 'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay', 'MediaRouter', 'PaintHolding', 'ThirdPartyStoragePartitioning', 'AvoidCorsURLLoaderRestartOnRedirect', 'OptimizationHints',
  'NetworkTimeServiceQuerying', 'AimEnabled', 'PreconnectToSearch', 'WebUIOmniboxPopup', 'WebUIOmniboxFullPopup', 'WebUIOmniboxAimPopup'];

export async function startBrowser(t: TestApp): Promise<BrowserHarness> {
  mkdirSync(SHOTS, { recursive: true });
  await t.app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  const fontDir = mkdtempSync(join(tmpdir(), 'qc-web-fonts-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    env: { ...process.env, ...fontconfig(fontDir) } as Record<string, string>,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--disable-features=${DISABLED_FEATURES.join(',')}`],
  });
  const host = new URL(base).host;

  async function open(viewport = { width: 1024, height: 768 }): Promise<Tab> {
    // The browser of a Chinese office: its own clock reads China Standard Time, like the screens.
    const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    const tab: Tab = {
      context, page, foreign: [], consoleErrors: [], refused: [], expected: [], offline: false,
      clean() {
        expect(tab.foreign).toEqual([]);
        if (tab.consoleErrors.length) throw new Error(`console errors:\n${tab.consoleErrors.join('\n')}\nrefused requests:\n${tab.refused.join('\n')}`);
      },
      async shot(name, fullPage = true) {
        // Every screen a test photographs is also checked with axe-core (not the OpenAPI UI, which is not ours).
        if (!new URL(page.url()).pathname.startsWith('/api/docs')) await expectAccessible(page, name);
        await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
      },
      async close() { await context.close(); },
    };
    context.on('request', (r) => {
      const u = new URL(r.url());
      if (/^(https?|wss?):$/.test(u.protocol) && u.host !== host) tab.foreign.push(r.url());
    });
    page.on('response', (r) => { if (r.status() >= 400) tab.refused.push(`${r.status()} ${r.request().method()} ${r.url()}`); });
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      if (tab.offline && OFFLINE_NOISE.test(m.text())) return;
      if (tab.expected.some((re) => re.test(m.text()))) return;
      tab.consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => tab.consoleErrors.push(`pageerror: ${e.message}`));
    return tab;
  }

  async function logIn(page: Page, username: string, password: string): Promise<void> {
    await page.goto(`${base}/#/login`);
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(password);
    await page.getByRole('button', { name: '登录' }).click();
  }

  async function signedIn(token: string, hash: string, viewport?: { width: number; height: number }): Promise<Tab> {
    const me = (await t.http().get('/api/auth/me').set('authorization', `Bearer ${token}`).expect(200)).body as Record<string, unknown>;
    const tab = await open(viewport);
    // A script in the page (this file is compiled without the DOM types).
    await tab.context.addInitScript({ content: `localStorage.setItem('qc.token', ${JSON.stringify(token)}); localStorage.setItem('qc.user', ${JSON.stringify(JSON.stringify(me))});` });
    await tab.page.goto(`${base}/${hash}`);
    return tab;
  }

  return {
    base, browser, open, logIn, signedIn,
    async close() {
      await browser.close();
      rmSync(fontDir, { recursive: true, force: true });
    },
  };
}

/** axe-core, evaluated through DevTools (not a <script>: the page's CSP allows only its own scripts). */
const AXE = join(process.cwd(), 'node_modules', 'axe-core', 'axe.min.js');
let axeSource: string | null = null;

/**
 * Fails on any serious or critical accessibility violation axe-core finds on the page as it is now,
 * listing each rule with up to five of its elements. Call it once the screen has rendered.
 */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  axeSource ??= readFileSync(AXE, 'utf8');
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(axeSource);
  const found = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => v.impact + ' ' + v.id + ': ' + v.help + '\\n' + v.nodes.slice(0, 5).map((n) => '    ' + n.target.join(' ') + ' ' + (n.failureSummary || '').split('\\n').slice(1).join(' ').trim()).join('\\n')))`)) as string[];
  if (found.length) throw new Error(`accessibility (${label}), ${found.length} serious or critical:\n  ${found.join('\n  ')}`);
}
