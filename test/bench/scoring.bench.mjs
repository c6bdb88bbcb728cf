// Burst benchmark of expert scoring: `npm run bench:scoring` (builds first; not part of `npm test`).
//
// A whole room submits within the same minute after a presentation (DOMAIN.md). This measures
// POST /api/entries/:entryId/sheets/:stage/submit of the BUILT service (node dist/src/main.js, a child
// process, LOG_LEVEL=warn) on MariaDB/MySQL, with 100 connections for ≥ 10 s, each connection using
// its own expert's token and its own sequence of DISTINCT sheets (every request is a first submit:
// context read, sheet insert, version insert, audit record, one transaction). In the same run, in
// alternating slices (BENCH_ROUNDS), a raw baseline (test/bench/raw-server.mjs: node:http + a mysql2
// pool, one INSERT per request into a table shaped like score_sheets) under the same load. Both
// servers run in their own process; the load generator (autocannon) runs here.
//
// Fixtures. Through the HTTP API: the admin's login, the organizer account, the contest (with its
// rubrics), the 100 experts, their accounts and their logins (each has its own token). By bulk SQL,
// for speed (documented here, as allowed): the recommending unit, the enterprises, the entries, the
// track, the panel and its members, the session with every entry checked in as present, the
// expert × entry assignments, and the contest's phase set to `presentation`. The measured part
// is only the submissions, which go through the real HTTP API.
//
// Afterwards every acknowledged (2xx) sheet is checked to be in the database exactly once (one sheet
// row, submitted, exactly one version row, one audit event per submitted sheet); non-2xx answers are
// reported as errors. The LAST line printed is `ratio=<app req/s ÷ raw req/s>`.
//
// Env: DATABASE_URL (default mysql://root@127.0.0.1:3306/qc_bench_<pid>; a database the bench creates
// is dropped at the end), BENCH_DURATION (seconds, ≥ 10, default 10), BENCH_CONNECTIONS (100),
// BENCH_EXPERTS (100), BENCH_ENTRIES (600: 120,000 distinct sheets, enough for 12 s at 10,000
// submits a second; at 300 a fast machine ran out and re-sent sheets), BENCH_WARMUP (seconds, 2),
// BENCH_ROUNDS (5: the measured seconds of each server are split into this many slices, app and raw
// alternating, so that the machine slowing down for a while — seen here: every part of the service's
// profile 25–40 % slower at once, for one server's 10 s and not the other's — weighs on both alike;
// rates over the summed time, percentiles over every answer; 1 measures each server in one window,
// as before 2026-12-07; a CPU profile always measures the service in one),
// BENCH_CPU_PROF=dir (run the service under --cpu-prof into that directory and print where its CPU
// time goes in the measured phase, by category; profiling slows the service by a few per cent). The server CPU time per
// request (from /proc) is printed on Linux in any case.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createConnection } from 'mysql2/promise';
import { mainThreadProfile, summarizeProfile } from './cpu-profile.mjs';
import { runBench, stopChildren } from './bench-run.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DURATION = Math.max(10, Number(process.env.BENCH_DURATION ?? 10));
const WARMUP = Math.max(0, Number(process.env.BENCH_WARMUP ?? 2));
const ROUNDS_ASKED = Math.max(1, Math.floor(Number(process.env.BENCH_ROUNDS ?? 5)));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const EXPERTS = Number(process.env.BENCH_EXPERTS ?? 100);
const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 600);
const DB_URL = (process.env.DATABASE_URL ?? `mysql://root@127.0.0.1:3306/qc_bench_${process.pid}`).replace(/^mariadb:/, 'mysql:');
const STAGES = ['material', 'presentation'];

const log = (...a) => console.log(...a);
const children = [];
let dbCreatedHere = false;
let dataDir = null;

function serverConn(withDb) {
  const u = new URL(DB_URL);
  return createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: withDb ? u.pathname.slice(1) : undefined,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
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

function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: 'inherit', cwd: ROOT, ...opts });
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))));
  });
}

/** Starts a child process and resolves once `ready(line)` matches a line of its stdout. */
function start(name, args, env, ready) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(p);
    let out = '';
    let up = false;
    const onData = (d) => {
      // After start-up, whatever the service logs (LOG_LEVEL=warn: warnings and errors) is shown.
      if (up) return process.stderr.write(`[${name}] ${d}`);
      out += d.toString();
      if (out.length > 200_000) out = out.slice(-100_000);
      if (ready(out)) {
        up = true;
        resolve(p);
      }
    };
    p.stdout.on('data', onData);
    p.stderr.on('data', (d) => {
      out += d.toString();
      process.stderr.write(`[${name}] ${d}`);
    });
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
  const json = text ? JSON.parse(text) : null;
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return json;
}

async function pool(items, concurrency, fn) {
  const out = new Array(items.length);
  let i = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (i < items.length) {
        const k = i++;
        out[k] = await fn(items[k], k);
      }
    }),
  );
  return out;
}

/** CPU time (user + system) of a child process in ms, from /proc (Linux; null elsewhere). */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms (CLK_TCK 100)
  } catch {
    return null;
  }
}
const monoUs = () => Number(process.hrtime.bigint() / 1000n);

const sqlDate = (d = new Date()) => d.toISOString().slice(0, 19).replace('T', ' ');

async function bulkInsert(conn, table, columns, rows) {
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    await conn.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ?`, [chunk]);
  }
}

/** Fixtures: see the header. Returns the entry ids, the experts with tokens, and the marks per stage. */
async function fixtures(base, adminPassword) {
  const admin = (await http(base, 'POST', '/api/auth/login', { username: 'bench-admin', password: adminPassword })).accessToken;
  await http(base, 'POST', '/api/users', { username: 'bench-organizer', displayName: '组委会', role: 'organizer', password: 'Bench-海河-Lantern-42' }, admin);
  const org = (await http(base, 'POST', '/api/auth/login', { username: 'bench-organizer', password: 'Bench-海河-Lantern-42' })).accessToken;
  const contest = await http(base, 'POST', '/api/contests', { name: '质量攻关评分压测', year: 2020 }, org);
  const rubricOf = (stage) => contest.rubrics.find((r) => r.entryType === 'problem_solving' && r.stage === stage);
  // 80 % of each item's maximum, in points with at most one decimal.
  const marks = Object.fromEntries(STAGES.map((s) => [s, Object.fromEntries(rubricOf(s).items.map((i) => [i.key, Math.round(i.max * 8) / 10]))]));

  const t0 = Date.now();
  const experts = await pool(Array.from({ length: EXPERTS }, (_, i) => i), 8, async (i) => {
    const x = await http(base, 'POST', '/api/experts', { name: `专家${i + 1}`, employerKind: 'other', employerName: '某大学质量研究所', fields: ['质量管理'] }, org);
    const username = `bench-expert-${i + 1}`;
    await http(base, 'POST', `/api/experts/${x.id}/accounts`, { username, password: 'Bench-海河-Lantern-42' }, org);
    const token = (await http(base, 'POST', '/api/auth/login', { username, password: 'Bench-海河-Lantern-42' })).accessToken;
    return { id: x.id, token };
  });
  log(`  ${EXPERTS} experts with accounts and tokens through the API in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const conn = await serverConn(true);
  try {
    const now = sqlDate();
    const [u] = await conn.query('INSERT INTO recommending_units (name, kind, created_at, updated_at) VALUES (?, ?, ?, ?)', ['压测推荐单位', 'industry_association', now, now]);
    const enterpriseCount = Math.ceil(ENTRIES / 5);
    const [e0] = await conn.query('SELECT COALESCE(MAX(id), 0) AS m FROM enterprises');
    await bulkInsert(conn, 'enterprises', ['name', 'uscc', 'industry', 'default_unit_id', 'status', 'created_at', 'updated_at'],
      Array.from({ length: enterpriseCount }, (_, i) => [`压测企业${i + 1}有限公司`, `BENCH${String(i).padStart(13, '0')}`, '制造业', u.insertId, 'approved', now, now]));
    const [enterprises] = await conn.query('SELECT id FROM enterprises WHERE id > ? ORDER BY id', [e0[0].m]);
    const [track] = await conn.query('INSERT INTO tracks (contest_id, name, industry, entry_type, created_at) VALUES (?, ?, NULL, NULL, ?)', [contest.id, '制造类', now]);
    const team = JSON.stringify({ name: 'QC小组', leader: '张三', members: [{ name: '张三', jobTitle: '工程师', role: '组长' }] });
    const [before] = await conn.query('SELECT COALESCE(MAX(id), 0) AS m FROM entries');
    await bulkInsert(conn, 'entries',
      ['contest_id', 'enterprise_id', 'unit_id', 'track_id', 'title', 'entry_type', 'status', 'team_name', 'team', 'summary', 'activity_start', 'activity_end', 'economic_benefit', 'benefit_description', 'submitted_at', 'version', 'created_at', 'updated_at'],
      Array.from({ length: ENTRIES }, (_, i) => [contest.id, enterprises[i % enterprises.length].id, u.insertId, track.insertId, `降低焊接不良率 #${i + 1}`, 'problem_solving', 'presented', 'QC小组', team, '成果简介', '2019-01-01', '2019-12-31', 100000, '年节约成本', now, 1, now, now]));
    const [entryRows] = await conn.query('SELECT id FROM entries WHERE id > ? AND contest_id = ? ORDER BY id', [before[0].m, contest.id]);
    const entryIds = entryRows.map((r) => r.id);
    const [panel] = await conn.query('INSERT INTO panels (contest_id, track_id, name, leader_expert_id, created_at) VALUES (?, ?, ?, ?, ?)', [contest.id, track.insertId, '第一评审组', experts[0].id, now]);
    await bulkInsert(conn, 'panel_members', ['panel_id', 'expert_id'], experts.map((x) => [panel.insertId, x.id]));
    const [session] = await conn.query(
      'INSERT INTO presentation_sessions (contest_id, track_id, panel_id, name, venue, starts_at, slot_minutes, qa_minutes, created_at) VALUES (?, ?, ?, ?, ?, ?, 10, 5, ?)',
      [contest.id, track.insertId, panel.insertId, '第一场', '第一会议室', now, now],
    );
    await bulkInsert(conn, 'session_slots', ['session_id', 'entry_id', 'position', 'starts_at', 'attendance', 'checked_at'], entryIds.map((id, i) => [session.insertId, id, i + 1, now, 'present', now]));
    const assignments = [];
    for (const x of experts) for (const id of entryIds) assignments.push([contest.id, panel.insertId, x.id, id, now]);
    await bulkInsert(conn, 'assignments', ['contest_id', 'panel_id', 'expert_id', 'entry_id', 'created_at'], assignments);
    await conn.query("UPDATE contests SET phase = 'presentation' WHERE id = ?", [contest.id]);
    await conn.query(`CREATE TABLE bench_raw_sheets (
      id INT AUTO_INCREMENT PRIMARY KEY, contest_id INT NOT NULL, entry_id INT NOT NULL, expert_id INT NOT NULL,
      stage VARCHAR(16) NOT NULL, status VARCHAR(16) NOT NULL, marks TEXT NOT NULL, comments TEXT NOT NULL, total INT NULL,
      rubric_id INT NOT NULL, version INT NOT NULL, lock_version INT NOT NULL, reopen_reason TEXT NULL, submitted_at DATETIME NULL,
      created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL,
      UNIQUE KEY uq_bench_raw_sheets (expert_id, entry_id, stage), KEY ix_bench_raw_sheets_contest (contest_id, status)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    log(`  SQL fixtures: ${ENTRIES} entries, 1 panel of ${EXPERTS}, 1 session (all present), ${assignments.length} assignments; phase presentation`);
    return { contestId: contest.id, entryIds, experts, marks };
  } finally {
    await conn.end();
  }
}

/**
 * One load phase: `connections` autocannon clients; client k takes expert k mod n for the whole phase
 * and walks that expert's own sequence of sheets (entry i, stage i mod 2), continuing where the
 * expert's previous phase stopped, so every request is a distinct sheet. The request id carries the
 * sheet, the server echoes it, and each 2xx answer records the sheet as acknowledged.
 */
function load({ port, seconds, pathOf, tokenOf, bodyOf, state, title }) {
  let nextClient = 0;
  const statuses = new Map();
  const latencies = []; // ms, every answer (the percentiles of several slices are taken over all of them)
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections: CONNECTIONS,
        duration: seconds,
        pipelining: 1,
        timeout: 30,
        title,
        setupClient: (client) => {
          const x = nextClient++ % EXPERTS;
          client.on('response', (_status, _bytes, ms) => latencies.push(ms));
          client.setRequests([
            {
              method: 'POST',
              setupRequest: (req) => {
                const seq = state.next[x]++;
                if (!state.capacity || seq < state.capacity) {
                  req.path = pathOf(x, seq);
                } else {
                  state.exhausted++;
                  req.path = pathOf(x, seq % state.capacity);
                }
                req.headers = { 'content-type': 'application/json', authorization: `Bearer ${tokenOf(x)}`, 'x-request-id': `b-${x}-${seq}` };
                req.body = bodyOf(seq);
                return req;
              },
              onResponse: (status, _body, _ctx, headers) => {
                statuses.set(status, (statuses.get(status) ?? 0) + 1);
                const id = headers['x-request-id'] ?? headers['X-Request-Id'];
                if (status >= 200 && status < 300 && id) state.acked.add(id);
              },
            },
          ]);
        },
      },
      (err, result) => (err ? reject(err) : resolve({ result, statuses, latencies })),
    );
    autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false });
  });
}

function summary(name, { result, statuses, latencies }) {
  const ok = [...statuses].filter(([s]) => s >= 200 && s < 300).reduce((n, [, c]) => n + c, 0);
  const non2xx = [...statuses].filter(([s]) => s < 200 || s >= 300);
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    ok,
    non2xx: non2xx.reduce((n, [, c]) => n + c, 0),
    byStatus: Object.fromEntries(statuses),
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: result.duration,
    latencies,
  };
}

/** Several slices of one server's measured load as one: the rate over the summed time, the percentiles over every answer of every slice (whole ms, as autocannon's). */
function combined(name, slices) {
  const sum = (f) => slices.reduce((n, x) => n + f(x), 0);
  const byStatus = {};
  for (const x of slices) for (const [k, v] of Object.entries(x.byStatus)) byStatus[k] = (byStatus[k] ?? 0) + v;
  const all = Float64Array.from(slices.flatMap((x) => x.latencies)).sort();
  const at = (q) => (all.length ? Math.round(all[Math.min(all.length - 1, Math.max(0, Math.ceil(q * all.length) - 1))]) : 0);
  return {
    name,
    rps: sum((x) => x.ok + x.non2xx) / sum((x) => x.seconds),
    p50: at(0.5),
    p99: at(0.99),
    max: at(1),
    ok: sum((x) => x.ok),
    non2xx: sum((x) => x.non2xx),
    byStatus,
    errors: sum((x) => x.errors),
    timeouts: sum((x) => x.timeouts),
  };
}

function print(s) {
  log(`  ${s.name.padEnd(11)} ${s.rps.toFixed(0).padStart(6)} req/s   p50 ${String(s.p50).padStart(4)} ms   p99 ${String(s.p99).padStart(4)} ms   max ${s.max} ms   2xx ${s.ok}   non-2xx ${s.non2xx}   errors ${s.errors}   timeouts ${s.timeouts}   statuses ${JSON.stringify(s.byStatus)}`);
}

async function checkApp(contestId, acked, experts, entryIds) {
  const conn = await serverConn(true);
  try {
    const [sheets] = await conn.query(
      `SELECT s.expert_id, s.entry_id, s.stage, s.status, s.version, COUNT(v.id) AS nv
       FROM score_sheets s LEFT JOIN score_sheet_versions v ON v.sheet_id = s.id
       WHERE s.contest_id = ? GROUP BY s.id, s.expert_id, s.entry_id, s.stage, s.status, s.version`,
      [contestId],
    );
    const [[audit]] = await conn.query("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'sheet.submit'");
    const byKey = new Map();
    for (const s of sheets) {
      const k = `${s.expert_id}:${s.entry_id}:${s.stage}`;
      byKey.set(k, [...(byKey.get(k) ?? []), s]);
    }
    let missing = 0;
    let doubled = 0;
    let wrong = 0;
    for (const id of acked) {
      const [, x, seq] = id.split('-').map(Number);
      const k = `${experts[x].id}:${entryIds[Math.floor((seq % (2 * entryIds.length)) / 2)]}:${STAGES[seq % 2]}`;
      const found = byKey.get(k) ?? [];
      if (found.length === 0) missing++;
      else if (found.length > 1) doubled++;
      else if (found[0].status !== 'submitted' || Number(found[0].version) !== 1 || Number(found[0].nv) !== 1) wrong++;
    }
    const versions = sheets.reduce((n, s) => n + Number(s.nv), 0);
    return { acked: acked.size, rows: sheets.length, versions, audit: Number(audit.n), missing, doubled, wrong, unacked: sheets.length - (acked.size - missing) };
  } finally {
    await conn.end();
  }
}

async function checkRaw(acked) {
  const conn = await serverConn(true);
  try {
    const [rows] = await conn.query('SELECT expert_id, entry_id, stage, COUNT(*) AS n FROM bench_raw_sheets GROUP BY expert_id, entry_id, stage');
    const byKey = new Map(rows.map((r) => [`${r.expert_id}:${r.entry_id}:${r.stage}`, Number(r.n)]));
    let missing = 0;
    let doubled = 0;
    for (const id of acked) {
      const [, x, seq] = id.split('-').map(Number);
      const n = byKey.get(`${x + 1}:${Math.floor(seq / 2) + 1}:${STAGES[seq % 2]}`) ?? 0;
      if (n === 0) missing++;
      else if (n > 1) doubled++;
    }
    return { acked: acked.size, rows: rows.length, missing, doubled, unacked: rows.length - (acked.size - missing) };
  } finally {
    await conn.end();
  }
}

async function main() {
  const rounds = process.env.BENCH_CPU_PROF ? 1 : ROUNDS_ASKED;
  log(`scoring burst benchmark: ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s measured per server${rounds > 1 ? ` in ${rounds} slices, app and raw alternating` : ''}; ${EXPERTS} experts × ${ENTRIES} entries × 2 stages`);
  const admin = await serverConn(false);
  const [exists] = await admin.query('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [dbName()]);
  if (exists.length && !process.env.DATABASE_URL) throw new Error(`database ${dbName()} exists already`);
  if (!exists.length) {
    await admin.query(`CREATE DATABASE \`${dbName()}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    dbCreatedHere = true;
  }
  await admin.end();
  log(`  database ${dbName()}${dbCreatedHere ? ' (created, dropped at the end)' : ' (given, kept)'}`);

  dataDir = mkdtempSync(join(tmpdir(), 'qc-bench-'));
  const appPort = await freePort();
  const adminPassword = randomBytes(12).toString('base64url');
  const profDir = process.env.BENCH_CPU_PROF ? join(process.cwd(), process.env.BENCH_CPU_PROF) : null;
  if (profDir) mkdirSync(profDir, { recursive: true });
  const nodeArgs = profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--import', pathToFileURL(join(ROOT, 'test/bench/exit-on-signal.mjs')).href] : [];
  const appProc = await start('app', [...nodeArgs, 'dist/src/main.js'], {
    DATABASE_URL: DB_URL,
    PORT: String(appPort),
    HOST: '127.0.0.1',
    JWT_SECRET: randomBytes(32).toString('hex'),
    ADMIN_USERNAME: 'bench-admin',
    ADMIN_PASSWORD: adminPassword,
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    MIGRATIONS_RUN: 'true',
  }, (out) => out.includes('listening on'));
  const base = `http://127.0.0.1:${appPort}`;
  log(`  service (dist/src/main.js) on port ${appPort}`);
  const fx = await fixtures(base, adminPassword);

  const rawPort = await freePort();
  const rawProc = await start('raw', ['test/bench/raw-server.mjs'], { DATABASE_URL: DB_URL, PORT: String(rawPort) }, (out) => out.includes('listening'));
  log(`  raw baseline (node:http + mysql2 pool, one INSERT) on port ${rawPort}`);

  const bodies = STAGES.map((s) => JSON.stringify({ marks: fx.marks[s] }));
  const appState = { next: new Array(EXPERTS).fill(0), capacity: 2 * fx.entryIds.length, exhausted: 0, acked: new Set() };
  const app = {
    port: appPort,
    state: appState,
    title: 'app',
    pathOf: (x, seq) => `/api/entries/${fx.entryIds[Math.floor(seq / 2)]}/sheets/${STAGES[seq % 2]}/submit`,
    tokenOf: (x) => fx.experts[x].token,
    bodyOf: (seq) => bodies[seq % 2],
  };
  const rawState = { next: new Array(EXPERTS).fill(0), capacity: 0, exhausted: 0, acked: new Set() };
  const raw = {
    port: rawPort,
    state: rawState,
    title: 'raw',
    pathOf: (x, seq) => `/raw/sheets/${x + 1}/${Math.floor(seq / 2) + 1}/${STAGES[seq % 2]}`,
    tokenOf: (x) => fx.experts[x].token,
    bodyOf: (seq) => bodies[seq % 2],
  };

  log('\nload (POST submit, each request a distinct sheet):');
  const appWarm = WARMUP ? summary('app warm-up', await load({ ...app, seconds: WARMUP })) : null;
  const rawWarm = WARMUP ? summary('raw warm-up', await load({ ...raw, seconds: WARMUP })) : null;
  // The server's COMMIT count around the app's measured slices: how many submits each group commit carried.
  const statusConn = await serverConn(false);
  const commits = async () => Number((await statusConn.query("SHOW GLOBAL STATUS LIKE 'Com_commit'"))[0][0]?.Value ?? 0);
  let appCommits = 0;
  let appCpu = 0;
  let rawCpu = 0;
  const appSlices = [];
  const rawSlices = [];
  let appT0 = 0;
  let appT1 = 0;
  const slice = DURATION / rounds;
  for (let i = 0; i < rounds; i++) {
    const commits0 = await commits();
    const appCpu0 = cpuMs(appProc.pid);
    appT0 = monoUs();
    appSlices.push(summary('app', await load({ ...app, seconds: slice })));
    appT1 = monoUs();
    appCpu += (cpuMs(appProc.pid) ?? 0) - (appCpu0 ?? 0);
    appCommits += (await commits()) - commits0;
    if (profDir) break; // one window, profiled; raw is measured after the service has stopped
    const rawCpu0 = cpuMs(rawProc.pid);
    rawSlices.push(summary('raw', await load({ ...raw, seconds: slice })));
    rawCpu += (cpuMs(rawProc.pid) ?? 0) - (rawCpu0 ?? 0);
  }
  await statusConn.end();
  const appRun = combined('app', appSlices);
  let profile = null;
  if (profDir) {
    // End the service now (its work is done) so that --cpu-prof writes the profile of the measured window.
    const before = new Set(readdirSync(profDir));
    appProc.removeAllListeners('exit');
    const exited = new Promise((r) => appProc.once('exit', r));
    appProc.kill('SIGUSR2');
    await exited;
    const file = mainThreadProfile(profDir, before);
    if (file) profile = { file, ...summarizeProfile(file, appT0, appT1, appRun.ok + appRun.non2xx) };
    const rawCpu0 = cpuMs(rawProc.pid);
    rawSlices.push(summary('raw', await load({ ...raw, seconds: DURATION })));
    rawCpu += (cpuMs(rawProc.pid) ?? 0) - (rawCpu0 ?? 0);
  }
  const rawRun = combined('raw', rawSlices);
  for (const s of [appWarm, appRun, rawWarm, rawRun]) if (s) print(s);
  if (cpuMs(rawProc.pid) !== null) {
    const per = (ms, n) => (ms / Math.max(1, n)).toFixed(2);
    log(`  server CPU per request (measured phase): app ${per(appCpu, appRun.ok + appRun.non2xx)} ms (${(appCpu / (DURATION * 10)).toFixed(0)} % of a core), raw ${per(rawCpu, rawRun.ok + rawRun.non2xx)} ms (${(rawCpu / (DURATION * 10)).toFixed(0)} % of a core)`);
  }
  log(`  transactions committed by the service in the measured phase: ${appCommits} (${(appRun.ok / Math.max(1, appCommits)).toFixed(1)} acknowledged submits each)`);
  if (profile) {
    log(`\nwhere the service's time goes (CPU profile of the measured phase, ${profile.totalMs.toFixed(0)} ms sampled; ${profile.file}):`);
    for (const r of profile.rows) log(`  ${(r.share * 100).toFixed(1).padStart(5)} %  ${r.perRequestUs.toFixed(0).padStart(5)} µs/request  ${r.name}`);
  }
  const failures = (s) => (s ? s.non2xx + s.errors + s.timeouts : 0);
  if (appState.exhausted) log(`  WARNING: ${appState.exhausted} app requests re-sent a sheet (raise BENCH_ENTRIES): not all requests were distinct`);

  const a = await checkApp(fx.contestId, appState.acked, fx.experts, fx.entryIds);
  const r = await checkRaw(rawState.acked);
  log('\nintegrity (warm-up and measured requests):');
  log(`  app: ${a.acked} acknowledged sheets; in the database: ${a.rows} sheets, ${a.versions} versions, ${a.audit} sheet.submit audit events; acknowledged but missing ${a.missing}, doubled ${a.doubled}, not submitted/version≠1 ${a.wrong}; written but unacknowledged (in flight at the stop) ${a.unacked}`);
  log(`  raw: ${r.acked} acknowledged rows; in the database ${r.rows}; acknowledged but missing ${r.missing}, doubled ${r.doubled}; unacknowledged ${r.unacked}`);
  const intact = a.missing === 0 && a.doubled === 0 && a.wrong === 0 && a.versions === a.rows && a.audit === a.rows && r.missing === 0 && r.doubled === 0;
  const ratio = appRun.rps / rawRun.rps;
  log('\nresult:');
  log(`  integrity ${intact ? 'OK' : 'FAILED'}; errors (non-2xx + socket errors + timeouts, warm-up included): app ${failures(appWarm) + failures(appRun)}, raw ${failures(rawWarm) + failures(rawRun)}`);
  log(`  target ratio ≥ 0.5: ${ratio >= 0.5 ? 'met' : 'MISSED'}; p99 ≤ 3 × raw (${appRun.p99} ≤ ${3 * rawRun.p99} ms): ${appRun.p99 <= 3 * rawRun.p99 ? 'met' : 'MISSED'}`);
  process.exitCode = intact && failures(appWarm) + failures(appRun) === 0 ? 0 : 1;
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
