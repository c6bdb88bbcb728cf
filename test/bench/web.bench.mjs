// node test/bench/web.bench.mjs — the weight and the cold-load time of the expert's page (web/).
//
// Needs the build (`npm run build`) and Debian's Chromium (/usr/bin/chromium, or BENCH_CHROMIUM).
// Without BENCH_URL it starts the app from dist/ on an in-memory SQLite database, in a child process
// of its own (as in production: the service does not share its event loop with the browser driver),
// and creates an organizer and an expert (no contest: the page loads every script and style all the
// same); with BENCH_URL (e.g. the demo, http://127.0.0.1:3300) it logs in as BENCH_USER /
// BENCH_PASSWORD (default expert01 / Binhai-Lighthouse-2020) and measures the page with real assignments.
// A/B: BENCH_APPS=/tmp/perf-base,. (app roots, each with its dist/ and web/) starts one service per
// root and measures them alternately, round by round, in the same browser; the first root is the one
// of the LAST line.
//
// Printed:
//   weight — every script and stylesheet the page loads (as the browser received them), raw and
//            gzipped (zlib level 9; the service itself sends them uncompressed: a reverse proxy
//            usually compresses), plus the HTML (taken in the warm-up run only, so that reading the
//            bodies back does not load the timed runs);
//   cold   — navigation to #/expert until the task list (or its empty notice) is drawn, in a fresh
//            browser context (empty cache, no service worker), the median and the worst of RUNS runs
//            after one warm-up. Timed by the page itself: from its navigation start to the first frame
//            after the list entered the DOM (a MutationObserver added before any page script).
//            Playwright's own view (goto → locator visible) is printed too: it adds the driver's round
//            trips and the compilation of its injected script in the page (≈200 ms under a 4× CPU slowdown);
//   slow   — the same under Chromium's DevTools emulation of a slow device: CPU 4× slower and 40 ms
//            round trips (bandwidth left generous), goal under 1.5 s; with the API requests it made.
// The browser is the one of an expert in China: zh-CN, Asia/Shanghai, a CJK font (Noto Sans SC, as in
// the browser tests; without one every Chinese glyph is a failed font fallback). Headless Chromium's
// own omnibox popup (a WebUI renderer loading some 400 chrome:// modules for every new window, i.e.
// every cold run) is switched off: it competed with the page for the CPU and is not the page's cost.
// The LAST line is `gzip_bytes=<scripts + styles, gzipped> cold_ms=<median> slow_ms=<median>`.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const CHROMIUM = process.env.BENCH_CHROMIUM ?? '/usr/bin/chromium';
const HERE = fileURLToPath(new URL('../../', import.meta.url));

async function post(base, path, body, token) {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Child mode (`--serve <root>`): the app from <root>/dist on in-memory SQLite, with an expert; prints its URL. */
async function serve(root) {
  await import('reflect-metadata');
  const dist = new URL('dist/', `file://${resolve(root)}/`);
  const { loadConfig } = await import(new URL('src/config/app-config.js', dist).href);
  const { createApp } = await import(new URL('src/app.setup.js', dist).href);
  const dataDir = mkdtempSync(join(tmpdir(), 'qc-web-bench-'));
  const config = loadConfig({ DATA_DIR: dataDir, SQLITE_FILE: ':memory:', LOG_LEVEL: 'silent', ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'Bench-渤海-Beacon-71' });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;
  const admin = (await post(base, '/api/auth/login', { username: 'admin', password: 'Bench-渤海-Beacon-71' })).accessToken;
  await post(base, '/api/users', { username: 'bench-organizer', role: 'organizer', displayName: '组委会', password: 'Amber-海河-Lantern-42' }, admin);
  const organizer = (await post(base, '/api/auth/login', { username: 'bench-organizer', password: 'Amber-海河-Lantern-42' })).accessToken;
  const expert = await post(base, '/api/experts', { name: '评审专家', employerKind: 'other', employerName: '某大学质量研究所', fields: ['质量管理'] }, organizer);
  await post(base, `/api/experts/${expert.id}/accounts`, { username: 'bench-expert', password: 'Amber-海河-Lantern-42' }, organizer);
  const close = async () => { await app.close(); rmSync(dataDir, { recursive: true, force: true }); process.exit(0); };
  process.stdin.on('end', close); // the bench ended (or died): so does this service
  process.stdin.resume();
  process.stdout.write(JSON.stringify({ base }) + '\n');
}

/** Starts `--serve <root>` as a child process and waits for its URL. */
function startApp(root) {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve', root], { cwd: HERE, stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) ok({ root, base: JSON.parse(line).base, login: { username: 'bench-expert', password: 'Amber-海河-Lantern-42' }, close: async () => { child.stdin.end(); } });
    });
    child.on('exit', (code) => fail(new Error(`service for ${root} exited (${code}) before listening`)));
  });
}

/** A fontconfig adding the Noto Sans SC shipped in node_modules (as test/support/browser.ts does). */
function fontEnv(dir) {
  const noto = join(HERE, 'node_modules', '@expo-google-fonts', 'noto-sans-sc', '400Regular');
  if (!existsSync(noto) || !existsSync('/etc/fonts/fonts.conf')) return {};
  const file = join(dir, 'fonts.conf');
  writeFileSync(file, `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include><dir>${noto}</dir><cachedir>${join(dir, 'cache')}</cachedir></fontconfig>\n`);
  return { FONTCONFIG_FILE: file };
}

/**
 * Playwright's own --disable-features list (a second --disable-features would replace it, not add to
 * it) plus the headless browser's WebUI omnibox popup.
 */
const DISABLED_FEATURES = ['AvoidUnnecessaryBeforeUnloadCheckSync', 'DestroyProfileOnBrowserClose', 'HttpsUpgrades', 'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay', 'MediaRouter', 'PaintHolding', 'ThirdPartyStoragePartitioning', 'AvoidCorsURLLoaderRestartOnRedirect', 'OptimizationHints',
  'NetworkTimeServiceQuerying', 'AimEnabled', 'PreconnectToSearch', 'WebUIOmniboxPopup', 'WebUIOmniboxFullPopup', 'WebUIOmniboxAimPopup'];

/**
 * Runs in the page before its own scripts: window.__drawn resolves to the ms from navigation start to
 * the first frame after the task list (a table) or its notice entered <main> (the loading text is a
 * plain paragraph, not a notice).
 */
const DRAWN_PROBE = `window.__drawn = new Promise((done) => {
  const seen = () => document.querySelector('main table, main .notice');
  const mo = new MutationObserver(() => {
    if (!seen()) return;
    mo.disconnect();
    requestAnimationFrame(() => { const ch = new MessageChannel(); ch.port1.onmessage = () => done(performance.now()); ch.port2.postMessage(0); });
  });
  mo.observe(document, { subtree: true, childList: true });
});`;

async function main() {
  const { chromium } = await import('playwright-core');
  const roots = (process.env.BENCH_APPS ?? '.').split(',').map((r) => resolve(HERE, r.trim()));
  const servers = process.env.BENCH_URL
    ? [{ root: process.env.BENCH_URL, base: process.env.BENCH_URL.replace(/\/+$/, ''), login: { username: process.env.BENCH_USER ?? 'expert01', password: process.env.BENCH_PASSWORD ?? 'Binhai-Lighthouse-2020' }, close: async () => {} }]
    : await Promise.all(roots.map(startApp));
  for (const s of servers) Object.assign(s, await post(s.base, '/api/auth/login', s.login));
  const fontDir = mkdtempSync(join(tmpdir(), 'qc-web-bench-fonts-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    env: { ...process.env, ...fontEnv(fontDir) },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--disable-features=${DISABLED_FEATURES.join(',')}`],
  });

  /** One cold load of #/expert: ms until the list (or its empty notice) is drawn, and what was loaded. */
  async function coldLoad(server, slow = false, inventory = false) {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, serviceWorkers: 'block', locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    await context.addInitScript(`localStorage.setItem('qc.token', ${JSON.stringify(server.accessToken)}); localStorage.setItem('qc.user', ${JSON.stringify(JSON.stringify(server.user))});\n${DRAWN_PROBE}`);
    const page = await context.newPage();
    if (slow) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      await cdp.send('Network.enable');
      // latency is added to every request; throughput in bytes/s (about 50 Mbit/s: not the bottleneck).
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 40, downloadThroughput: 6_250_000, uploadThroughput: 6_250_000 });
    }
    const api = [];
    page.on('request', (r) => { const u = new URL(r.url()); if (u.pathname.startsWith('/api/')) api.push(`${r.method()} ${u.pathname}`); });
    const assets = [];
    if (inventory) {
      page.on('response', (r) => {
        const type = r.request().resourceType();
        if (['script', 'stylesheet', 'document'].includes(type)) assets.push(r.body().then((b) => ({ type, url: r.url(), bytes: b.length, gzip: gzipSync(b, { level: 9 }).length })));
      });
    }
    const t0 = performance.now();
    await page.goto(`${server.base}/#/expert`);
    await page.locator('main table, main .notice').first().waitFor({ timeout: 30_000 });
    const driver = performance.now() - t0;
    const ms = await page.evaluate(() => window.__drawn);
    // When the task-list request left, from navigation start (the critical path's last step).
    const apiStart = await page.evaluate(() => performance.getEntriesByType('resource').find((r) => r.name.includes('/api/experts/me/tasks'))?.startTime ?? NaN);
    const loaded = await Promise.all(assets);
    await context.close();
    return { ms, driver, apiStart, loaded, api };
  }

  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const worst = (xs) => Math.max(...xs);
  try {
    const first = [];
    for (const s of servers) first.push(await coldLoad(s, false, true)); // warm-up, and the inventory of what the page loads
    const cold = servers.map(() => ({ ms: [], driver: [] }));
    const slow = servers.map(() => ({ ms: [], driver: [], apiStart: [], api: null }));
    for (const s of servers) slow[servers.indexOf(s)].api = (await coldLoad(s, true)).api; // warm-up of the slow mode
    // Rounds: every service once per round, cold then slow, so that the machine's load hits all alike.
    for (let i = 0; i < RUNS; i++) {
      const line = [];
      for (let k = 0; k < servers.length; k++) {
        const c = await coldLoad(servers[k]);
        const w = await coldLoad(servers[k], true);
        cold[k].ms.push(c.ms); cold[k].driver.push(c.driver); slow[k].ms.push(w.ms); slow[k].driver.push(w.driver); slow[k].apiStart.push(w.apiStart);
        line.push(`${servers.length > 1 ? `[${k}] ` : ''}cold ${c.ms.toFixed(0)} (driver ${c.driver.toFixed(0)}) slow ${w.ms.toFixed(0)} (driver ${w.driver.toFixed(0)})`);
      }
      console.log(`round ${i + 1}: ${line.join(' | ')}`);
    }
    const sum = (list, k) => list.reduce((a, x) => a + x[k], 0);
    let last = '';
    for (let k = servers.length - 1; k >= 0; k--) {
      const s = servers[k];
      const code = first[k].loaded.filter((a) => a.type !== 'document');
      const doc = first[k].loaded.filter((a) => a.type === 'document');
      console.log(`\n[${k}] web interface at ${s.base} (${s.root}) — expert page (#/expert), ${s.user.username}`);
      for (const a of [...doc, ...code]) console.log(`  ${new URL(a.url).pathname.padEnd(24)} ${String(a.bytes).padStart(7)} B  gzip ${String(a.gzip).padStart(6)} B`);
      console.log(`scripts + styles: ${code.length} files, ${sum(code, 'bytes')} B raw, ${sum(code, 'gzip')} B gzipped (HTML ${sum(doc, 'gzip')} B gzipped)`);
      console.log(`cold load to the drawn task list: median ${median(cold[k].ms).toFixed(0)} ms, worst ${worst(cold[k].ms).toFixed(0)} ms over ${RUNS} runs (Playwright's view: median ${median(cold[k].driver).toFixed(0)} ms)`);
      console.log(`slow device (CPU 4× slower, 40 ms RTT): median ${median(slow[k].ms).toFixed(0)} ms, worst ${worst(slow[k].ms).toFixed(0)} ms over ${RUNS} runs (goal < 1500 ms; Playwright's view: median ${median(slow[k].driver).toFixed(0)} ms; task-list request sent at median ${median(slow[k].apiStart).toFixed(0)} ms); API requests: ${slow[k].api.join(', ') || 'none'}`);
      if (k === 0) last = `gzip_bytes=${sum(code, 'gzip')} cold_ms=${median(cold[k].ms).toFixed(0)} slow_ms=${median(slow[k].ms).toFixed(0)}`;
    }
    console.log(last);
  } finally {
    await browser.close();
    for (const s of servers) await s.close();
    rmSync(fontDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--serve') await serve(process.argv[3] ?? HERE);
else await main();
