// npm run bench:public — the public award list, GET /api/public/contests/:id/results, of the BUILT
// service (node dist/src/main.js, a child process, LOG_LEVEL=warn) on MariaDB/MySQL, against a raw
// node:http server (test/bench/raw-bytes-server.mjs) returning the very same bytes from memory, each
// under the same load (autocannon, BENCH_CONNECTIONS clients, BENCH_DURATION s after a warm-up).
//
// Fixtures: the organizer's account through the API; by bulk SQL (as bench:results does) a contest in
// phase finalizing with BENCH_ENTRIES entries in panels of 5 experts, every sheet submitted; then
// through the API its computation, freezing, the notice, the end of the notice and publication — the
// publication builds the list's cache. The bytes the raw server sends are the service's own answer,
// checked to be identical before the load.
//
// Printed: req/s, latencies, the server CPU time per request (from /proc, Linux) and the body size.
// The LAST line is `ratio=<app req/s ÷ raw req/s>` (goal ≥ 0.5).
//
// Env: DATABASE_URL (default mysql://root@127.0.0.1:3306/qc_bench_public_<pid>; a database the bench
// creates is dropped at the end), BENCH_ENTRIES (1000), BENCH_CONNECTIONS (50), BENCH_DURATION (10),
// BENCH_WARMUP (2), BENCH_CPU_PROF=dir (run the service under --cpu-prof and print where its CPU
// time goes in the measured phase, by category, as bench:scoring does).
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createConnection } from 'mysql2/promise';
import { mainThreadProfile, summarizeProfile } from './cpu-profile.mjs';
import { runBench, stopChildren } from './bench-run.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DURATION = Math.max(5, Number(process.env.BENCH_DURATION ?? 10));
const WARMUP = Math.max(0, Number(process.env.BENCH_WARMUP ?? 2));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 1000);
const EXPERTS_PER_PANEL = 5;
const ENTRIES_PER_PANEL = 100;
const DB_URL = (process.env.DATABASE_URL ?? `mysql://root@127.0.0.1:3306/qc_bench_public_${process.pid}`).replace(/^mariadb:/, 'mysql:');

const log = (...a) => console.log(...a);
const children = [];
let dbCreatedHere = false;
let dataDir = null;

function serverConn(withDb) {
  const u = new URL(DB_URL);
  return createConnection({
    host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password),
    database: withDb ? u.pathname.slice(1) : undefined, charset: 'utf8mb4_unicode_ci', timezone: 'Z',
  });
}
const dbName = () => new URL(DB_URL).pathname.slice(1);

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Starts a child process and resolves once `ready(output)` is true. */
function start(name, args, env, ready) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(p);
    let out = '';
    let up = false;
    p.stdout.on('data', (d) => {
      if (up) return process.stderr.write(`[${name}] ${d}`);
      out += d.toString();
      if (out.length > 200_000) out = out.slice(-100_000);
      if (ready(out)) {
        up = true;
        resolve(p);
      }
    });
    p.stderr.on('data', (d) => process.stderr.write(`[${name}] ${d}`));
    p.on('exit', (code) => reject(new Error(`${name} exited early (${code}):\n${out.slice(-4000)}`)));
  });
}

async function http(base, method, path, body, token) {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** CPU time (user + system) of a child process in ms, from /proc (Linux; null elsewhere). */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

const sqlDate = (d = new Date()) => d.toISOString().slice(0, 19).replace('T', ' ');

async function bulkInsert(conn, table, columns, rows) {
  for (let i = 0; i < rows.length; i += 2000) await conn.query(`INSERT INTO ${table} (${columns.join(',')}) VALUES ?`, [rows.slice(i, i + 2000)]);
}
async function ids(conn, sql, params) {
  const [rows] = await conn.query(sql, params);
  return rows.map((r) => r.id);
}

/** A published contest of ENTRIES entries (see the header). Returns its id. */
async function fixtures(base, adminPassword) {
  const admin = (await http(base, 'POST', '/api/auth/login', { username: 'bench-admin', password: adminPassword })).accessToken;
  await http(base, 'POST', '/api/users', { username: 'bench-organizer', displayName: '组委会', role: 'organizer', password: 'Bench-海河-Lantern-42' }, admin);
  const org = (await http(base, 'POST', '/api/auth/login', { username: 'bench-organizer', password: 'Bench-海河-Lantern-42' })).accessToken;
  const contest = await http(base, 'POST', '/api/contests', { name: '2030年质量攻关成果评比（公示压测）', year: 2030, rules: { showScoresPublicly: true } }, org);
  const conn = await serverConn(true);
  try {
    const now = sqlDate();
    await conn.query("UPDATE contests SET phase = 'finalizing' WHERE id = ?", [contest.id]);
    await bulkInsert(conn, 'recommending_units', ['name', 'kind', 'created_at', 'updated_at'], Array.from({ length: 50 }, (_, u) => [`压测推荐单位 ${u + 1}`, 'industry_association', now, now]));
    const units = await ids(conn, 'SELECT id FROM recommending_units WHERE name LIKE ? ORDER BY id', ['压测推荐单位 %']);
    await bulkInsert(conn, 'enterprises', ['name', 'uscc', 'default_unit_id', 'status', 'created_at', 'updated_at'],
      Array.from({ length: Math.ceil(ENTRIES / 5) }, (_, k) => [`滨海精工制造有限公司 ${k + 1}`, `PB${String(k).padStart(16, '0')}`, units[k % 50], 'approved', now, now]));
    const enterprises = await ids(conn, 'SELECT id FROM enterprises WHERE name LIKE ? ORDER BY id', ['滨海精工制造有限公司 %']);
    await bulkInsert(conn, 'tracks', ['contest_id', 'name', 'created_at'], ['制造类', '服务类', '建设工程类', '创新类'].map((name) => [contest.id, name, now]));
    const tracks = await ids(conn, 'SELECT id FROM tracks WHERE contest_id = ? ORDER BY id', [contest.id]);
    const panelCount = Math.ceil(ENTRIES / ENTRIES_PER_PANEL);
    await bulkInsert(conn, 'experts', ['name', 'employer_kind', 'employer_name', 'fields', 'created_at', 'updated_at'],
      Array.from({ length: panelCount * EXPERTS_PER_PANEL }, (_, k) => [`压测专家 ${k + 1}`, 'other', '某大学', '[]', now, now]));
    const experts = await ids(conn, 'SELECT id FROM experts WHERE name LIKE ? ORDER BY id', ['压测专家 %']);
    await bulkInsert(conn, 'panels', ['contest_id', 'track_id', 'name', 'leader_expert_id', 'created_at'],
      Array.from({ length: panelCount }, (_, p) => [contest.id, tracks[p % 4], `第${p + 1}评审组`, experts[p * EXPERTS_PER_PANEL], now]));
    const panels = await ids(conn, 'SELECT id FROM panels WHERE contest_id = ? ORDER BY id', [contest.id]);
    const team = JSON.stringify({ name: '精益QC小组', leader: '王强', members: [{ name: '王强', jobTitle: '高级工程师', role: '组长' }] });
    await bulkInsert(conn, 'entries',
      ['contest_id', 'enterprise_id', 'unit_id', 'track_id', 'title', 'entry_type', 'status', 'team_name', 'team', 'summary', 'activity_start', 'activity_end', 'economic_benefit', 'benefit_description', 'submitted_at', 'version', 'created_at', 'updated_at'],
      Array.from({ length: ENTRIES }, (_, i) => {
        const e = Math.floor(i / 5);
        return [contest.id, enterprises[e], units[e % 50], tracks[Math.floor(i / ENTRIES_PER_PANEL) % 4], `降低焊接缺陷率课题 ${i + 1}`, i % 2 ? 'innovation' : 'problem_solving', 'presented', `精益QC小组${i + 1}`, team, '摘要', '2029-03-01', '2029-12-31', 100000, '效益', now, 3, now, now];
      }));
    const entries = await ids(conn, 'SELECT id FROM entries WHERE contest_id = ? ORDER BY id', [contest.id]);
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const assignments = [];
    const sheets = [];
    entries.forEach((entryId, i) => {
      const p = Math.floor(i / ENTRIES_PER_PANEL);
      const quality = 600 + Math.floor(rnd() * 350);
      for (let x = 0; x < EXPERTS_PER_PANEL; x++) {
        const expertId = experts[p * EXPERTS_PER_PANEL + x];
        assignments.push([contest.id, panels[p], expertId, entryId, now]);
        for (const stage of ['material', 'presentation']) sheets.push([contest.id, entryId, expertId, stage, 'submitted', '{}', '{}', Math.max(0, Math.min(1000, quality + Math.floor(rnd() * 80) - 40)), 1, 1, 1, now, now, now]);
      }
    });
    await bulkInsert(conn, 'assignments', ['contest_id', 'panel_id', 'expert_id', 'entry_id', 'created_at'], assignments);
    await bulkInsert(conn, 'score_sheets', ['contest_id', 'entry_id', 'expert_id', 'stage', 'status', 'marks', 'comments', 'total', 'rubric_id', 'version', 'lock_version', 'submitted_at', 'created_at', 'updated_at'], sheets);
  } finally {
    await conn.end();
  }
  await http(base, 'POST', `/api/contests/${contest.id}/results/compute`, {}, org);
  await http(base, 'POST', `/api/contests/${contest.id}/results/freeze`, {}, org);
  await http(base, 'POST', `/api/contests/${contest.id}/phase`, { to: 'notice' }, org);
  await http(base, 'PATCH', `/api/contests/${contest.id}`, { noticeEndsAt: new Date(Date.now() - 1000).toISOString(), reason: '压测：公示期届满' }, org);
  await http(base, 'POST', `/api/contests/${contest.id}/phase`, { to: 'published' }, org);
  return contest.id;
}

function load(port, path, seconds, title) {
  const statuses = new Map();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}${path}`, connections: CONNECTIONS, duration: seconds, pipelining: 1, timeout: 30, title,
        setupClient: (client) => client.on('response', (status) => statuses.set(status, (statuses.get(status) ?? 0) + 1)),
      },
      (err, result) => (err ? reject(err) : resolve({ result, statuses })),
    );
    autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false });
  });
}

function summary(name, { result, statuses }) {
  const count = (ok) => [...statuses].filter(([s]) => (s >= 200 && s < 300) === ok).reduce((n, [, c]) => n + c, 0);
  return { name, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max, ok: count(true), non2xx: count(false), errors: result.errors, timeouts: result.timeouts };
}

const print = (s) => log(`  ${s.name.padEnd(11)} ${s.rps.toFixed(0).padStart(6)} req/s   p50 ${String(s.p50).padStart(4)} ms   p99 ${String(s.p99).padStart(4)} ms   max ${s.max} ms   2xx ${s.ok}   non-2xx ${s.non2xx}   errors ${s.errors}   timeouts ${s.timeouts}`);

async function main() {
  log(`public award list benchmark: ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s measured per server; a published contest of ${ENTRIES} entries`);
  const admin = await serverConn(false);
  await admin.query(`CREATE DATABASE \`${dbName()}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  dbCreatedHere = true;
  await admin.end();
  dataDir = mkdtempSync(join(tmpdir(), 'qc-bench-public-'));
  const appPort = await freePort();
  const adminPassword = randomBytes(12).toString('base64url');
  const profDir = process.env.BENCH_CPU_PROF ? join(process.cwd(), process.env.BENCH_CPU_PROF) : null;
  if (profDir) mkdirSync(profDir, { recursive: true });
  const nodeArgs = profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--import', pathToFileURL(join(ROOT, 'test/bench/exit-on-signal.mjs')).href] : [];
  const appProc = await start('app', [...nodeArgs, 'dist/src/main.js'], {
    DATABASE_URL: DB_URL, PORT: String(appPort), HOST: '127.0.0.1', JWT_SECRET: randomBytes(32).toString('hex'),
    ADMIN_USERNAME: 'bench-admin', ADMIN_PASSWORD: adminPassword, LOG_LEVEL: 'warn', DATA_DIR: dataDir, MIGRATIONS_RUN: 'true',
  }, (out) => out.includes('listening on'));
  const base = `http://127.0.0.1:${appPort}`;
  const t0 = Date.now();
  const contestId = await fixtures(base, adminPassword);
  const path = `/api/public/contests/${contestId}/results`;
  const res = await fetch(base + path);
  const body = Buffer.from(await res.arrayBuffer());
  const list = JSON.parse(body.toString('utf8'));
  log(`  fixtures and publication in ${((Date.now() - t0) / 1000).toFixed(1)} s; the list: ${Object.values(list.levels).reduce((n, l) => n + l.length, 0)} awarded entries, ${(body.length / 1024).toFixed(0)} KB (${res.headers.get('content-type')})`);
  const bodyFile = join(dataDir, 'list.json');
  writeFileSync(bodyFile, body);
  const rawPort = await freePort();
  const rawProc = await start('raw', ['test/bench/raw-bytes-server.mjs'], { BODY_FILE: bodyFile, PORT: String(rawPort) }, (out) => out.includes('listening'));
  const same = Buffer.from(await (await fetch(`http://127.0.0.1:${rawPort}${path}`)).arrayBuffer());
  if (!same.equals(body)) throw new Error('the raw server does not return the same bytes');

  log('\nload (GET the public award list):');
  const runs = [];
  const cpu = {};
  let profile = null;
  for (const [name, port, proc] of [['app', appPort, appProc], ['raw', rawPort, rawProc]]) {
    if (WARMUP) runs.push(summary(`${name} warm-up`, await load(port, path, WARMUP, name)));
    const [c0, t0us] = [cpuMs(proc.pid), Number(process.hrtime.bigint() / 1000n)];
    const run = summary(name, await load(port, path, DURATION, name));
    const [c1, t1us] = [cpuMs(proc.pid), Number(process.hrtime.bigint() / 1000n)];
    runs.push(run);
    cpu[name] = c0 === null || c1 === null ? null : (c1 - c0) / Math.max(1, run.ok + run.non2xx);
    if (name === 'app' && profDir) {
      // End the service now (its work is done) so that --cpu-prof writes the profile of the measured window.
      const before = new Set(readdirSync(profDir));
      proc.removeAllListeners('exit');
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGUSR2');
      await exited;
      const file = mainThreadProfile(profDir, before);
      if (file) profile = { file, ...summarizeProfile(file, t0us, t1us, run.ok + run.non2xx) };
    }
  }
  for (const s of runs) print(s);
  if (cpu.app !== null && cpu.raw !== null) log(`  server CPU per request (measured phase): app ${cpu.app.toFixed(3)} ms, raw ${cpu.raw.toFixed(3)} ms`);
  if (profile) {
    log(`\nwhere the service's time goes (CPU profile of the measured phase, ${profile.totalMs.toFixed(0)} ms sampled; ${profile.file}):`);
    for (const r of profile.rows) log(`  ${(r.share * 100).toFixed(1).padStart(5)} %  ${r.perRequestUs.toFixed(0).padStart(5)} µs/request  ${r.name}`);
  }
  const app = runs.find((r) => r.name === 'app');
  const raw = runs.find((r) => r.name === 'raw');
  const failures = runs.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0);
  const ratio = app.rps / raw.rps;
  log('\nresult:');
  log(`  errors (non-2xx + socket errors + timeouts, warm-ups included): ${failures}; target ratio ≥ 0.5: ${ratio >= 0.5 ? 'met' : 'MISSED'}`);
  process.exitCode = failures === 0 ? 0 : 1;
  log(`ratio=${ratio.toFixed(2)}`);
}

async function cleanup() {
  await stopChildren(children);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (dbCreatedHere) {
    const c = await serverConn(false);
    await c.query(`DROP DATABASE IF EXISTS \`${dbName()}\``);
    await c.end();
  }
}

await runBench(main, cleanup, 'stopping the servers and dropping the database');
