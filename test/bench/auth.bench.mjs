// The authenticated request floor: `npm run bench:auth` (builds first; not part of `npm test`).
//
// Loads GET /api/auth/me (a bearer token, the caller's own account: the guards, then one read of the
// user) of the BUILT service (node dist/src/main.js, a child process, LOG_LEVEL=warn) on MariaDB/MySQL,
// and, in the same run, the floor: a minimal Nest + fastify service with one GET route and nothing
// else (test/bench/floor-server.mjs). Each server runs in its own process; the load generator
// (autocannon, BENCH_CONNECTIONS connections) runs here. The servers are measured in alternating
// rounds (warm-up first), so that a change in the machine's load touches them alike.
//
// The figure is the server's CPU time (user + system, from /proc) per request, not req/s: the
// machine this runs on is shared, and wall-clock rates there are not evidence.
// The LAST line is `ratio=<floor CPU per request ÷ app CPU per request>` (1 = the app costs no
// more than the floor; of the first app root when there are several).
//
// Env: BENCH_APPS=/tmp/base,. (app roots, each with its dist/: one service per root, each with
// its own database, measured in the same rounds; default "."), DATABASE_HOST_URL (server, default
// mysql://root@127.0.0.1:3306; a database per root is created and dropped), BENCH_DURATION (seconds per
// round, default 5), BENCH_ROUNDS (3), BENCH_CONNECTIONS (50), BENCH_WARMUP (seconds, 2),
// BENCH_CPU_PROF=dir (run the services under --cpu-prof and print, per service, the share of the
// measured rounds' CPU samples under each package or source folder, inclusive).
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createConnection } from 'mysql2/promise';
import { runBench, stopChildren } from './bench-run.mjs';
import { mainThreadProfile } from './cpu-profile.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const DURATION = Math.max(2, Number(process.env.BENCH_DURATION ?? 5));
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const WARMUP = Math.max(0, Number(process.env.BENCH_WARMUP ?? 2));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SERVER_URL = (process.env.DATABASE_HOST_URL ?? 'mysql://root@127.0.0.1:3306').replace(/^mariadb:/, 'mysql:').replace(/\/+$/, '');
const roots = (process.env.BENCH_APPS ?? '.').split(',').map((r) => resolve(r.trim()));
const profDir = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : null;

const log = (...a) => console.log(...a);
const children = [];
const databases = [];
const dataDirs = [];

function serverConn() {
  const u = new URL(SERVER_URL);
  return createConnection({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) });
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

/** Starts a child process and resolves once `ready(output)` is true. */
function start(name, cwd, args, env, ready) {
  return new Promise((res, rej) => {
    const p = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(p);
    let out = '';
    let up = false;
    p.stdout.on('data', (d) => {
      if (up) return;
      out += d.toString();
      if (ready(out)) {
        up = true;
        res(p);
      }
    });
    p.stderr.on('data', (d) => {
      out += d.toString();
      if (up) process.stderr.write(`[${name}] ${d}`);
    });
    p.on('exit', (code) => rej(new Error(`${name} exited early (${code}):\n${out.slice(-4000)}`)));
  });
}

/** CPU time (user + system) of a process in ms, from /proc (Linux; null elsewhere). */
function cpuMs(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) * 10; // clock ticks of 10 ms (CLK_TCK 100)
  } catch {
    return null;
  }
}
const monoUs = () => Number(process.hrtime.bigint() / 1000n);

async function startApp(root, i) {
  const db = `qc_bench_auth_${process.pid}_${i}`;
  const admin = await serverConn();
  await admin.query(`CREATE DATABASE \`${db}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  databases.push(db);
  await admin.end();
  const dataDir = mkdtempSync(join(tmpdir(), 'qc-bench-auth-'));
  dataDirs.push(dataDir);
  const port = await freePort();
  const password = randomBytes(12).toString('base64url');
  // A directory per service: one profile per thread (the service runs worker threads), the main one picked.
  const nodeArgs = profDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profDir, `app-${i}-${basename(root)}`)}`, '--import', pathToFileURL(join(HERE, 'exit-on-signal.mjs')).href] : [];
  const proc = await start(`app ${basename(root)}`, root, [...nodeArgs, 'dist/src/main.js'], {
    DATABASE_URL: `${SERVER_URL}/${db}`,
    PORT: String(port),
    HOST: '127.0.0.1',
    JWT_SECRET: randomBytes(32).toString('hex'),
    ADMIN_USERNAME: 'bench-admin',
    ADMIN_PASSWORD: password,
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    MIGRATIONS_RUN: 'true',
  }, (out) => out.includes('listening on'));
  const base = `http://127.0.0.1:${port}`;
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench-admin', password }) });
  if (!res.ok) throw new Error(`login on ${root}: ${res.status} ${await res.text()}`);
  const { accessToken } = await res.json();
  return { name: `app ${root === ROOT ? '(this tree)' : root}`, proc, port, path: '/api/auth/me', headers: { authorization: `Bearer ${accessToken}` }, cpu: 0, requests: 0, non2xx: 0, windows: [] };
}

async function startFloor() {
  const port = await freePort();
  const nodeArgs = profDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profDir, 'floor')}`, '--import', pathToFileURL(join(HERE, 'exit-on-signal.mjs')).href] : [];
  const proc = await start('floor', ROOT, [...nodeArgs, join(HERE, 'floor-server.mjs')], { PORT: String(port) }, (out) => out.includes('listening'));
  return { name: 'floor (Nest + fastify, one route)', proc, port, path: '/api/floor/me', headers: {}, cpu: 0, requests: 0, non2xx: 0, windows: [] };
}

function load(server, seconds) {
  return new Promise((res, rej) => {
    const instance = autocannon(
      { url: `http://127.0.0.1:${server.port}${server.path}`, connections: CONNECTIONS, duration: seconds, pipelining: 1, timeout: 30, headers: server.headers },
      (err, result) => (err ? rej(err) : res(result)),
    );
    autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false });
  });
}

async function measure(server) {
  const [c0, t0] = [cpuMs(server.proc.pid), monoUs()];
  const r = await load(server, DURATION);
  const [c1, t1] = [cpuMs(server.proc.pid), monoUs()];
  const n = r['2xx'] + r.non2xx;
  server.cpu += c1 - c0;
  server.requests += n;
  server.non2xx += r.non2xx + r.errors + r.timeouts;
  server.windows.push([t0, t1]);
  return { rps: r.requests.average, p99: r.latency.p99, cpuPer: (c1 - c0) / Math.max(1, n) };
}

/** Inclusive share of the sampled CPU of the measured windows under each package or source folder. */
function byPackage(file, windows) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  let t = prof.startTime;
  let total = 0;
  prof.samples.forEach((id, i) => {
    t += prof.timeDeltas[i];
    const d = prof.timeDeltas[i + 1] ?? 0;
    if (!windows.some(([a, b]) => t >= a && t <= b)) return;
    self.set(id, (self.get(id) ?? 0) + d);
    total += d;
  });
  const label = (n) => {
    const url = n.callFrame.url;
    if (n.callFrame.functionName === '(garbage collector)') return '(garbage collector)';
    if (n.callFrame.functionName === '(idle)') return '(idle)';
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (m) return m[1];
    const s = /\/dist\/src\/([^/]+(?:\/[^/]+)?)/.exec(url);
    if (s) return `src/${s[1].replace(/\.js$/, '')}`;
    if (/^node:/.test(url)) return url;
    return null;
  };
  const sums = new Map();
  for (const [id, d] of self) {
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(nodes.get(cur));
      if (l) seen.add(l);
    }
    for (const l of seen) sums.set(l, (sums.get(l) ?? 0) + d);
  }
  return { total, rows: [...sums].sort((a, b) => b[1] - a[1]).slice(0, 25) };
}

async function stopForProfile(server) {
  server.proc.removeAllListeners('exit');
  const exited = new Promise((r) => server.proc.once('exit', r));
  server.proc.kill('SIGUSR2');
  await exited;
}

async function main() {
  log(`auth floor benchmark: GET /api/auth/me vs a minimal Nest + fastify route; ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${ROUNDS} × ${DURATION} s per server, alternating`);
  if (profDir) mkdirSync(profDir, { recursive: true });
  const apps = [];
  for (const [i, root] of roots.entries()) apps.push(await startApp(root, i));
  const floor = await startFloor();
  const servers = [...apps, floor];
  for (const s of servers) log(`  ${s.name} on port ${s.port}`);
  for (const s of servers) if (WARMUP) await load(s, WARMUP);
  for (let round = 1; round <= ROUNDS; round++) {
    for (const s of servers) {
      const r = await measure(s);
      log(`  round ${round}  ${s.name.padEnd(40)} ${r.rps.toFixed(0).padStart(6)} req/s  p99 ${String(r.p99).padStart(4)} ms  CPU ${r.cpuPer.toFixed(3)} ms/request`);
    }
  }
  log('\nserver CPU per request (user + system, /proc; all rounds):');
  for (const s of servers) log(`  ${s.name.padEnd(40)} ${(s.cpu / Math.max(1, s.requests)).toFixed(3)} ms   (${s.requests} requests, ${s.non2xx} non-2xx/errors)`);
  if (profDir) {
    for (const s of servers) await stopForProfile(s);
    for (const s of servers) {
      const dir = s === floor ? join(profDir, 'floor') : join(profDir, readdirSync(profDir).find((d) => d.startsWith(`app-${apps.indexOf(s)}-`)) ?? 'none');
      const file = existsSync(dir) ? mainThreadProfile(dir) : undefined;
      if (!file) continue;
      const p = byPackage(file, s.windows);
      log(`\nwhere ${s.name}'s CPU goes (inclusive, measured rounds, ${(p.total / 1000).toFixed(0)} ms sampled; ${file}):`);
      for (const [name, us] of p.rows) log(`  ${((us / p.total) * 100).toFixed(1).padStart(5)} %  ${(us / Math.max(1, s.requests)).toFixed(0).padStart(5)} µs/request  ${name}`);
    }
  }
  const failed = servers.some((s) => s.non2xx > 0);
  if (failed) log('\nWARNING: some requests failed (see the non-2xx counts)');
  process.exitCode = failed ? 1 : 0;
  const per = (s) => s.cpu / Math.max(1, s.requests);
  log(`ratio=${(per(floor) / Math.max(1e-9, per(apps[0]))).toFixed(2)}`);
}

async function cleanup() {
  await stopChildren(children);
  for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
  if (databases.length) {
    const c = await serverConn();
    for (const db of databases) await c.query(`DROP DATABASE IF EXISTS \`${db}\``);
    await c.end();
  }
}

await runBench(main, cleanup, 'stopping the servers and dropping the databases');
