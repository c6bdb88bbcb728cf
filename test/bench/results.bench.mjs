// npm run bench:results — how long computing a whole contest's results takes, against one raw SQL
// aggregate over the same score sheets, on MariaDB/MySQL.
//
// Needs the build (`npm run build`; the npm script does it) and a server: BENCH_MARIADB_URL, else
// TEST_MARIADB_URL, else mysql://root@127.0.0.1:3306. A fresh database qc_bench_results_<pid> is
// migrated with the service's own migrations, filled with bulk INSERTs (fixtures only: a contest in
// phase finalizing with N entries in panels of 7 experts, each expert's submitted sheet for both
// stages — N × 7 × 2 sheets), and dropped at the end.
//
// Measured, in this process, for N = 1,000 and N = 10,000:
//   compute — the service's compute path (src/results/results-computing.ts computePayload): load the
//             raw rows (loadResultsFacts, loadAdjustments), then aggregate, rank, allocate, select the
//             excellent units and explain (buildPayload → the judging core's computeResults);
//   raw     — SELECT entry_id, stage, SUM(total), COUNT(*) FROM score_sheets WHERE contest_id = ? AND
//             status = 'submitted' GROUP BY entry_id, stage (the same rows);
// each the median of RUNS runs after one warm-up; also the canonical JSON + SHA-256 of the payload
// (what the compute route adds before storing; streamed into the hash) and the payload size, the
// storing of the snapshot as the route does it (src/results/results.repository.ts storePayload: the
// snapshot row and one row per entry, in statements of ~1 MB; in a transaction rolled back), and the
// peak RSS of the process (fixtures are generated a panel at a time and hardly count).
// The LAST line is `ratio=<compute ÷ raw>` at N = 10,000.
import { createConnection } from 'mysql2/promise';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import 'reflect-metadata';
import { ids, insertRows, seedParticipants } from './bench-seed.mjs';

const dist = new URL('../../dist/', import.meta.url);
const load = (p) => import(new URL(p, dist).href);
const { DataSource } = await import('typeorm');
const { loadConfig } = await load('src/config/app-config.js');
const { buildDataSourceOptions } = await load('src/database/data-source.js');
const { Contest } = await load('src/contests/contest.entities.js');
const { defaultRules } = await load('src/contests/contest-rules.js');
const { loadResultsFacts, loadAdjustments } = await load('src/results/results-data.js');
const { buildPayload } = await load('src/results/results-payload.js');
const { canonicalDigest } = await load('src/results/canonical-json.js');
const { storePayload } = await load('src/results/results.repository.js');
const { ResultSnapshot } = await load('src/results/results.entities.js');

const SERVER = (process.env.BENCH_MARIADB_URL ?? process.env.TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');
const DB = `qc_bench_results_${process.pid}`;
// BENCH_SIZES=1000,10000,50000 adds the 50,000-entry run; the ratio is always the one at 10,000.
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);
const EXPERTS_PER_PANEL = 7;
const ENTRIES_PER_PANEL = 100;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const ms = (t) => `${t.toFixed(0)} ms`;
const mb = (b) => `${(b / 1048576).toFixed(1)} MB`;
const peakRss = () => process.resourceUsage().maxRSS * 1024;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const now = new Date().toISOString().slice(0, 19).replace('T', ' ');


/** One contest in phase finalizing with n entries, all sheets submitted. Returns its id. */
async function seedContest(conn, n, tag) {
  const rules = defaultRules();
  // The seed's quotas scaled: 5 % / 10 % / 15 % / 20 % of the ranked entries; units as in the seed.
  rules.quotas = { mode: 'ratio', scope: 'overall', ratios: { first: 50, second: 100, third: 150, excellence: 200 } };
  const [c] = await conn.query(
    'INSERT INTO contests (name, year, theme, phase, notice_days, rules, rules_version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)',
    [`基准评比 ${tag}`, 2020, null, 'finalizing', 7, JSON.stringify(rules), 1, now, now],
  );
  const contestId = c.insertId;
  const { unitCount, units, enterprises, tracks, experts, panels } = await seedParticipants(conn, {
    contestId, n, tag, now, entriesPerPanel: ENTRIES_PER_PANEL, expertsPerPanel: EXPERTS_PER_PANEL, usccLetter: 'X',
  });
  const team = JSON.stringify({ name: '精益QC小组', leader: '王强', members: [{ name: '王强', jobTitle: '高级工程师', role: '组长' }] });
  await insertRows(conn, 'entries',
    ['contest_id', 'enterprise_id', 'unit_id', 'track_id', 'title', 'entry_type', 'status', 'team_name', 'team', 'summary', 'activity_start', 'activity_end', 'economic_benefit', 'benefit_description', 'submitted_at', 'version', 'created_at', 'updated_at'],
    Array.from({ length: n }, (_, i) => {
      const ent = Math.floor(i / 5);
      return [contestId, enterprises[ent], units[ent % unitCount], tracks[Math.floor(i / ENTRIES_PER_PANEL) % tracks.length], `降低焊接缺陷率课题 ${tag}-${i + 1}`, i % 2 ? 'innovation' : 'problem_solving', 'presented', `精益QC小组${i + 1}`, team, '摘要', '2019-03-01', '2019-12-31', 100000, '效益', now, 3, now, now];
    }));
  const entries = await ids(conn, 'SELECT id FROM entries WHERE contest_id = ? ORDER BY id', [contestId]);
  // Deterministic, spread-out marks: few ties, like real scores. Generated and inserted a panel at a
  // time, so that the fixtures do not inflate this process's peak RSS.
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  let sheetCount = 0;
  for (let from = 0; from < entries.length; from += ENTRIES_PER_PANEL) {
    const assignments = [];
    const sheets = [];
    for (let i = from; i < Math.min(entries.length, from + ENTRIES_PER_PANEL); i++) {
      const entryId = entries[i];
      const p = Math.floor(i / ENTRIES_PER_PANEL);
      const quality = 600 + Math.floor(rnd() * 350);
      for (let x = 0; x < EXPERTS_PER_PANEL; x++) {
        const expertId = experts[p * EXPERTS_PER_PANEL + x];
        assignments.push([contestId, panels[p], expertId, entryId, now]);
        for (const stage of ['material', 'presentation']) {
          const total = Math.max(0, Math.min(1000, quality + Math.floor(rnd() * 80) - 40));
          sheets.push([contestId, entryId, expertId, stage, 'submitted', '{}', '{}', total, 1, 1, 1, now, now, now]);
        }
      }
    }
    await insertRows(conn, 'assignments', ['contest_id', 'panel_id', 'expert_id', 'entry_id', 'created_at'], assignments);
    await insertRows(conn, 'score_sheets', ['contest_id', 'entry_id', 'expert_id', 'stage', 'status', 'marks', 'comments', 'total', 'rubric_id', 'version', 'lock_version', 'submitted_at', 'created_at', 'updated_at'], sheets);
    sheetCount += sheets.length;
  }
  return { contestId, sheets: sheetCount };
}

const dataDir = mkdtempSync(join(tmpdir(), 'qc-bench-results-'));
const config = loadConfig({ DATABASE_URL: `${SERVER}/${DB}`, JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
const ds = new DataSource(await buildDataSourceOptions(config));
const admin = await createConnection(SERVER.replace(/^mariadb:/, 'mysql:'));
let ratio = null;
try {
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  const conn = await createConnection({ uri: `${SERVER.replace(/^mariadb:/, 'mysql:')}/${DB}`, charset: 'utf8mb4_unicode_ci' });
  const [[version]] = await conn.query('SELECT VERSION() AS v, @@max_allowed_packet AS p');
  const maxPacket = Number(version.p);
  console.log(`server ${version.v}, max_allowed_packet ${mb(Number(version.p))}; node ${process.version}; ${RUNS} runs after a warm-up, medians`);
  const results = [];
  for (const n of SIZES) {
    const t0 = performance.now();
    const { contestId, sheets } = await seedContest(conn, n, String(n));
    await conn.query('ANALYZE TABLE score_sheets, assignments, entries');
    const seedMs = performance.now() - t0;

    const contest = await ds.getRepository(Contest).findOneByOrFail({ id: contestId });
    const computeOnce = async () => {
      const a = performance.now();
      const { facts, missing } = await loadResultsFacts(ds.manager, contest);
      const adjustments = await loadAdjustments(ds.manager, contestId);
      const b = performance.now();
      const payload = buildPayload(facts, { tieBreakOrder: [], adjustments });
      const c = performance.now();
      if (missing.length) throw new Error(`${missing.length} sheets missing`);
      return { payload, load: b - a, core: c - b, total: c - a };
    };
    const rawOnce = async () => {
      const a = performance.now();
      const [rows] = await conn.query("SELECT entry_id, stage, SUM(total) AS s, COUNT(*) AS c FROM score_sheets WHERE contest_id = ? AND status = 'submitted' GROUP BY entry_id, stage", [contestId]);
      if (rows.length !== n * 2) throw new Error(`raw aggregate: ${rows.length} rows`);
      return performance.now() - a;
    };

    // Only the timings of a run are kept, and its payload only until the next run starts: a request
    // of the service holds one payload (the compute and freeze routes no longer read the current
    // snapshot's payload, only its tie-break order). Keeping every run's payload in `runs` and the
    // warm-up's in `cold`, as this benchmark did, held four payloads at once and measured a peak RSS
    // the service never reaches.
    const timings = ({ load, core, total }) => ({ load, core, total });
    let { payload, ...cold } = await computeOnce();
    await rawOnce();
    const runs = [];
    const raws = [];
    for (let r = 0; r < RUNS; r++) {
      payload = null;
      const run = await computeOnce();
      runs.push(timings(run));
      payload = run.payload;
      raws.push(await rawOnce());
    }
    const h0 = performance.now();
    const { hash, bytes } = canonicalDigest(payload);
    const hashMs = performance.now() - h0;
    const rssBeforeStore = peakRss();
    // Stored as the compute route stores it, then rolled back (the next size starts from the same tables).
    const ROLLBACK = Symbol('rollback');
    let storeMs = 0;
    let entryRows = 0;
    await ds.transaction(async (m) => {
      const snapshot = m.getRepository(ResultSnapshot).create({ contestId, version: 1, status: 'computed', hash, reason: null, createdBy: 0, createdAt: new Date(), frozenAt: null, publishedAt: null });
      const s0 = performance.now();
      await storePayload(m, snapshot, payload, true);
      storeMs = performance.now() - s0;
      const [row] = await m.query('SELECT COUNT(*) AS n FROM result_snapshot_entries WHERE snapshot_id = ?', [snapshot.id]);
      entryRows = Number(row.n);
      throw ROLLBACK;
    }).catch((e) => {
      if (e !== ROLLBACK) throw e;
    });
    const counts = payload.levelCounts;
    const row = {
      n,
      sheets,
      seedMs,
      cold: cold.total,
      compute: median(runs.map((x) => x.total)),
      load: median(runs.map((x) => x.load)),
      core: median(runs.map((x) => x.core)),
      raw: median(raws),
      hashMs,
      storeMs,
      bytes,
      rss: peakRss(),
    };
    results.push(row);
    console.log(
      `N=${n}: ${sheets} sheets (seeded in ${ms(seedMs)}); compute ${ms(row.compute)} (load ${ms(row.load)} + aggregate/rank/allocate/units/explain ${ms(row.core)}; first run ${ms(row.cold)}); ` +
        `raw SQL aggregate ${ms(row.raw)}; ratio ${(row.compute / row.raw).toFixed(2)}; canonical JSON + sha256 ${ms(hashMs)} over ${mb(row.bytes)} (${hash.slice(0, 12)}…); ` +
        `stored in ${ms(storeMs)} (the snapshot row + ${entryRows} entry rows${bytes > maxPacket ? ', together larger than max_allowed_packet' : ''}); ` +
        `levels ${counts.first}/${counts.second}/${counts.third}/${counts.excellence}, ${payload.excellentUnits.selectedCount} units; peak RSS so far ${mb(row.rss)} (${mb(rssBeforeStore)} before storing)`,
    );
    payload = null;
  }
  await conn.end();
  const small = results.find((r) => r.n === 1000) ?? results[0];
  const big = results.find((r) => r.n === 10000) ?? results.at(-1);
  console.log(`growth ×${(big.n / small.n).toFixed(0)} entries: compute ×${(big.compute / small.compute).toFixed(1)}, raw ×${(big.raw / small.raw).toFixed(1)}, payload ×${(big.bytes / small.bytes).toFixed(1)}`);
  console.log(`peak RSS ${mb(peakRss())} (targets: ratio ≤ 2, RSS ≤ 250 MB at 10,000 entries)`);
  ratio = big.compute / big.raw;
} finally {
  await ds.destroy().catch(() => undefined);
  await admin.query(`DROP DATABASE IF EXISTS \`${DB}\``);
  await admin.end();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(`ratio=${ratio.toFixed(2)}`);
