// node test/bench/web.bench.mjs — the weight and the cold-load time of the expert's page (web/).
//
// Needs the build (`npm run build`) and Debian's Chromium (/usr/bin/chromium, or BENCH_CHROMIUM).
// Without BENCH_URL it starts the app from dist/ on an in-memory SQLite database and creates an
// organizer and an expert (no contest: the page loads every script and style all the same);
// with BENCH_URL (e.g. the demo, http://127.0.0.1:3300) it logs in as BENCH_USER / BENCH_PASSWORD
// (default expert01 / Binhai-Lighthouse-2020) and measures the page with real assignments.
//
// Printed:
//   weight — every script and stylesheet the page loads (as the browser received them), raw and
//            gzipped (zlib level 9; the service itself sends them uncompressed: a reverse proxy
//            usually compresses), plus the HTML;
//   cold   — navigation to #/expert until the task list is drawn, in a fresh browser context (empty
//            cache, no service worker), the median and the worst of RUNS runs after one warm-up;
//   slow   — the same under Chromium's DevTools emulation of a slow device: CPU 4× slower and 40 ms
//            round trips (bandwidth left generous), goal under 1.5 s; with the API requests it made.
// The LAST line is `gzip_bytes=<scripts + styles, gzipped> cold_ms=<median> slow_ms=<median>`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const CHROMIUM = process.env.BENCH_CHROMIUM ?? '/usr/bin/chromium';

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

/** The app from dist/ on in-memory SQLite, with an expert account; returns its URL and a token. */
async function startApp() {
  await import('reflect-metadata');
  const dist = new URL('../../dist/', import.meta.url);
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
  return {
    base,
    login: { username: 'bench-expert', password: 'Amber-海河-Lantern-42' },
    close: async () => { await app.close(); rmSync(dataDir, { recursive: true, force: true }); },
  };
}

const server = process.env.BENCH_URL
  ? { base: process.env.BENCH_URL.replace(/\/+$/, ''), login: { username: process.env.BENCH_USER ?? 'expert01', password: process.env.BENCH_PASSWORD ?? 'Binhai-Lighthouse-2020' }, close: async () => {} }
  : await startApp();
const { accessToken, user } = await post(server.base, '/api/auth/login', server.login);
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

/** One cold load of #/expert: ms until the list (or its empty notice) is drawn, and what was loaded. */
async function coldLoad(slow = false) {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, serviceWorkers: 'block' });
  await context.addInitScript(`localStorage.setItem('qc.token', ${JSON.stringify(accessToken)}); localStorage.setItem('qc.user', ${JSON.stringify(JSON.stringify(user))});`);
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
  page.on('response', (r) => {
    const type = r.request().resourceType();
    if (['script', 'stylesheet', 'document'].includes(type)) assets.push(r.body().then((b) => ({ type, url: r.url(), bytes: b.length, gzip: gzipSync(b, { level: 9 }).length })));
  });
  const t0 = performance.now();
  await page.goto(`${server.base}/#/expert`);
  await page.locator('main table, main .notice').first().waitFor({ timeout: 30_000 });
  const ms = performance.now() - t0;
  const loaded = await Promise.all(assets);
  await context.close();
  return { ms, loaded, api };
}

try {
  const first = await coldLoad(); // warm-up (also the inventory of what the page loads)
  const times = [];
  for (let i = 0; i < RUNS; i++) times.push((await coldLoad()).ms);
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const slowFirst = await coldLoad(true);
  const slow = [];
  for (let i = 0; i < RUNS; i++) slow.push((await coldLoad(true)).ms);
  slow.sort((a, b) => a - b);
  const slowMedian = slow[Math.floor(slow.length / 2)];

  const sum = (list, k) => list.reduce((a, x) => a + x[k], 0);
  const code = first.loaded.filter((a) => a.type !== 'document');
  const doc = first.loaded.filter((a) => a.type === 'document');
  console.log(`web interface at ${server.base} — expert page (#/expert), ${user.username}`);
  for (const a of [...doc, ...code]) console.log(`  ${new URL(a.url).pathname.padEnd(24)} ${String(a.bytes).padStart(7)} B  gzip ${String(a.gzip).padStart(6)} B`);
  console.log(`scripts + styles: ${code.length} files, ${sum(code, 'bytes')} B raw, ${sum(code, 'gzip')} B gzipped (HTML ${sum(doc, 'gzip')} B gzipped)`);
  console.log(`cold load to the drawn task list: median ${median.toFixed(0)} ms, worst ${times[times.length - 1].toFixed(0)} ms over ${RUNS} runs`);
  console.log(`slow device (CPU 4× slower, 40 ms RTT): median ${slowMedian.toFixed(0)} ms, worst ${slow[slow.length - 1].toFixed(0)} ms over ${RUNS} runs (goal < 1500 ms); API requests: ${slowFirst.api.join(', ') || 'none'}`);
  console.log(`gzip_bytes=${sum(code, 'gzip')} cold_ms=${median.toFixed(0)} slow_ms=${slowMedian.toFixed(0)}`);
} finally {
  await browser.close();
  await server.close();
}
