// npm run bench:statistics — how long a contest's statistics take (the year's report,
// src/reports/reports.service.ts), against the raw GROUP BY queries they need, on MariaDB/MySQL.
//
// Needs the build (`npm run build`; the npm script does it) and a server: BENCH_MARIADB_URL, else
// TEST_MARIADB_URL, else mysql://root@127.0.0.1:3306. A fresh database qc_bench_statistics_<pid> is
// migrated with the service's own migrations, filled with bulk INSERTs (fixtures only: a published
// contest of N entries with teams of 5–12 members and declared benefits, a review decision per entry
// (some returned, then passed; some rejected), presentation sessions with slots, N × 7 × 2 submitted
// score sheets, a few objections), and dropped at the end.
//
// Measured, in this process, for N = 1,000 and N = 10,000, each the median of RUNS runs after a warm-up:
//   statistics — ReportsService.statistics for an organizer: the queries (through TypeORM), the
//                award list (ResultsService.awardList, here its cached answer: a structured clone of
//                the list, as the service returns it once read), every figure and the year on year;
//   raw        — the very same SQL text (statistics-sql.ts) through a mysql2 pool of the same size, in
//                parallel as the service runs them, rows discarded.
// Also this process's CPU time per run of each (the machine may be loaded: CPU time is the fairer
// figure). The LAST line is `ratio=<statistics ÷ raw>` (wall-clock medians) at N = 10,000.
import { createConnection, createPool } from 'mysql2/promise';
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
const { defaultRules } = await load('src/contests/contest-rules.js');
const { ReportsService } = await load('src/reports/reports.service.js');
const { statisticsQueries, YEAR_QUERIES, AWARDED_FACTS } = await load('src/reports/statistics-sql.js');

const SERVER = (process.env.BENCH_MARIADB_URL ?? process.env.TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');
const DB = `qc_bench_statistics_${process.pid}`;
const SIZES = [1000, 10000];
const EXPERTS_PER_PANEL = 7;
const ENTRIES_PER_PANEL = 100;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const POOL = 10; // TypeORM's mysql2 pool default

const ms = (t) => `${t.toFixed(0)} ms`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const stamp = (d) => d.toISOString().slice(0, 19).replace('T', ' ');
const now = stamp(new Date('2020-09-20T02:00:00Z'));
const LEVELS = ['first', 'second', 'third', 'excellence'];


/** A published contest of n entries with everything the statistics count. Returns its id and award list. */
async function seedContest(conn, n, tag) {
  let seed = 4242 + n;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const rules = defaultRules();
  const [c] = await conn.query('INSERT INTO contests (name, year, theme, phase, notice_days, rules, rules_version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)',
    [`基准评比 ${tag}`, 2020, null, 'published', 7, JSON.stringify(rules), 1, now, now]);
  const contestId = c.insertId;
  const rubricItems = JSON.stringify([{ key: 'a', title: '选题', description: '', max: 50 }, { key: 'b', title: '效果', description: '', max: 50 }]);
  await insertRows(conn, 'rubrics', ['contest_id', 'entry_type', 'stage', 'version', 'items', 'created_at'],
    [['problem_solving', 'material'], ['problem_solving', 'presentation'], ['innovation', 'material'], ['innovation', 'presentation']].map(([t, s]) => [contestId, t, s, 1, rubricItems, now]));
  const rubrics = await ids(conn, 'SELECT id FROM rubrics WHERE contest_id = ? ORDER BY id', [contestId]);
  const { unitCount, units, enterprises, tracks, experts, panels } = await seedParticipants(conn, {
    contestId, n, tag, now, entriesPerPanel: ENTRIES_PER_PANEL, expertsPerPanel: EXPERTS_PER_PANEL, usccLetter: 'Y', industries: ['制造', '服务', '建设工程', '交通运输', '能源'],
  });
  const rows = Array.from({ length: n }, (_, i) => {
    const ent = Math.floor(i / 5);
    const size = 5 + Math.floor(rnd() * 8);
    const team = JSON.stringify({ name: `精益QC小组${i + 1}`, leader: '王强', members: Array.from({ length: size }, (_, k) => ({ name: `成员${k}`, jobTitle: '工程师', role: k ? '组员' : '组长' })) });
    const status = i % 50 === 49 ? 'rejected' : i % 2 ? 'awarded' : 'not_awarded';
    return [contestId, enterprises[ent], units[ent % unitCount], tracks[Math.floor(i / ENTRIES_PER_PANEL) % tracks.length], `降低焊接缺陷率课题 ${tag}-${i + 1}`, i % 3 ? 'problem_solving' : 'innovation', status,
      `精益QC小组${i + 1}`, team, '摘要', '2019-03-01', '2019-12-31', Math.floor(rnd() * 3_000_000), '效益', now, 3, now, now];
  });
  await insertRows(conn, 'entries', ['contest_id', 'enterprise_id', 'unit_id', 'track_id', 'title', 'entry_type', 'status', 'team_name', 'team', 'summary', 'activity_start', 'activity_end', 'economic_benefit', 'benefit_description', 'submitted_at', 'version', 'created_at', 'updated_at'], rows);
  const entries = await ids(conn, 'SELECT id FROM entries WHERE contest_id = ? ORDER BY id', [contestId]);
  const okList = JSON.stringify(['materials_complete', 'activity_period', 'report_length'].map((key) => ({ key, ok: true, note: null })));
  const failed = (bad) => JSON.stringify(['materials_complete', 'activity_period', 'report_length'].map((key) => ({ key, ok: key !== bad, note: key === bad ? '缺少数据' : null })));
  const decisions = [];
  entries.forEach((id, i) => {
    if (i % 50 === 49) decisions.push([contestId, id, 1, 'reject', failed('activity_period'), '不符合条件', 1, now]);
    else if (i % 20 === 3) decisions.push([contestId, id, 1, 'return', failed('report_length'), '补充', 1, now], [contestId, id, 2, 'pass', okList, null, 1, now]);
    else decisions.push([contestId, id, 1, 'pass', okList, null, 1, now]);
  });
  await insertRows(conn, 'review_decisions', ['contest_id', 'entry_id', 'round', 'decision', 'checklist', 'reason', 'decided_by', 'created_at'], decisions);
  // A session of 16 per panel and day; slots 20 minutes apart from 08:30 China time.
  for (let from = 0, p = 0; from < entries.length; from += ENTRIES_PER_PANEL, p++) {
    const panelEntries = entries.slice(from, from + ENTRIES_PER_PANEL);
    for (let k = 0; k < panelEntries.length; k += 16) {
      const startsAt = new Date(Date.UTC(2020, 8, 15 + Math.floor(k / 16), 0, 30));
      const [s] = await conn.query('INSERT INTO presentation_sessions (contest_id, track_id, panel_id, name, venue, starts_at, slot_minutes, qa_minutes, created_at) VALUES (?,?,?,?,?,?,?,?,?)',
        [contestId, tracks[p % tracks.length], panels[p], `第${p + 1}组第${k / 16 + 1}场`, '报告厅', stamp(startsAt), 15, 5, now]);
      await insertRows(conn, 'session_slots', ['session_id', 'entry_id', 'position', 'starts_at', 'attendance', 'checked_at'],
        panelEntries.slice(k, k + 16).map((id, j) => [s.insertId, id, j + 1, stamp(new Date(startsAt.getTime() + j * 20 * 60_000)), j === 15 ? 'absent' : 'present', now]));
    }
  }
  let sheetCount = 0;
  for (let from = 0; from < entries.length; from += ENTRIES_PER_PANEL) {
    const assignments = [];
    const sheets = [];
    for (let i = from; i < Math.min(entries.length, from + ENTRIES_PER_PANEL); i++) {
      const entryId = entries[i];
      const p = Math.floor(i / ENTRIES_PER_PANEL);
      const quality = 600 + Math.floor(rnd() * 350);
      const slotAt = new Date(Date.UTC(2020, 8, 15 + Math.floor((i % ENTRIES_PER_PANEL) / 16), 0, 30) + ((i % ENTRIES_PER_PANEL) % 16) * 20 * 60_000);
      for (let x = 0; x < EXPERTS_PER_PANEL; x++) {
        const expertId = experts[p * EXPERTS_PER_PANEL + x];
        assignments.push([contestId, panels[p], expertId, entryId, now]);
        for (const [k, stage] of ['material', 'presentation'].entries()) {
          const total = Math.max(0, Math.min(1000, quality + Math.floor(rnd() * 80) - 40));
          const submitted = stamp(new Date(slotAt.getTime() + (10 + Math.floor(rnd() * 30)) * 60_000));
          sheets.push([contestId, entryId, expertId, stage, 'submitted', '{}', '{}', total, rubrics[(i % 3 ? 0 : 2) + k], 1, 1, submitted, now, now]);
        }
      }
    }
    await insertRows(conn, 'assignments', ['contest_id', 'panel_id', 'expert_id', 'entry_id', 'created_at'], assignments);
    await insertRows(conn, 'score_sheets', ['contest_id', 'entry_id', 'expert_id', 'stage', 'status', 'marks', 'comments', 'total', 'rubric_id', 'version', 'lock_version', 'submitted_at', 'created_at', 'updated_at'], sheets);
    sheetCount += sheets.length;
  }
  await insertRows(conn, 'objections', ['contest_id', 'entry_id', 'filed_by_name', 'contact', 'content', 'status', 'answer', 'created_at'],
    entries.slice(0, Math.ceil(n / 200)).map((id) => [contestId, id, '李先生', '13800000000', '异议内容', 'answered', '维持', now]));
  // The published award list, as ResultsService.awardList answers it: the awarded half, 5/10/15/20 % by level.
  const awarded = entries.filter((_, i) => i % 2 === 1 && i % 50 !== 49);
  const cut = [0.1, 0.3, 0.6, 1].map((f) => Math.round(f * awarded.length));
  const levels = Object.fromEntries(LEVELS.map((l) => [l, []]));
  awarded.forEach((id, k) => {
    const level = LEVELS[cut.findIndex((c) => k < c)];
    const i = entries.indexOf(id);
    levels[level].push({ seq: levels[level].length + 1, entryId: id, title: `降低焊接缺陷率课题 ${tag}-${i + 1}`, enterpriseName: `滨海精工制造有限公司 ${tag}-${Math.floor(i / 5) + 1}`, teamName: `精益QC小组${i + 1}`, unitName: `推荐单位 ${tag}-${(Math.floor(i / 5) % unitCount) + 1}`, trackName: '制造类', level, score: null });
  });
  const list = { contest: { id: contestId, name: `基准评比 ${tag}`, year: 2020, theme: null }, status: 'published', version: 1, hash: 'x'.repeat(64), listHash: 'y'.repeat(64), noticeEndsAt: null, publishedAt: '2020-09-29T02:00:00.000Z', levels,
    excellentUnits: units.slice(0, 5).map((u, k) => ({ place: k + 1, unitId: u, unitName: `推荐单位 ${tag}-${k + 1}`, points: 100 - k, awardedEntries: 20 })) };
  return { contestId, sheets: sheetCount, list };
}

const dataDir = mkdtempSync(join(tmpdir(), 'qc-bench-statistics-'));
const config = loadConfig({ DATABASE_URL: `${SERVER}/${DB}`, JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
const ds = new DataSource(await buildDataSourceOptions(config));
const admin = await createConnection(SERVER.replace(/^mariadb:/, 'mysql:'));
let ratio = null;
try {
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  const conn = await createConnection({ uri: `${SERVER.replace(/^mariadb:/, 'mysql:')}/${DB}`, charset: 'utf8mb4_unicode_ci' });
  const pool = createPool({ uri: `${SERVER.replace(/^mariadb:/, 'mysql:')}/${DB}`, charset: 'utf8mb4_unicode_ci', connectionLimit: POOL });
  const [[version]] = await conn.query('SELECT VERSION() AS v');
  console.log(`server ${version.v}; node ${process.version}; ${RUNS} runs after a warm-up, medians; raw: mysql2 pool of ${POOL}, queries in parallel`);
  const lists = new Map();
  const results = { awardList: async (id) => structuredClone(lists.get(id)) };
  const access = { requireAccess: async () => undefined };
  const service = new ReportsService(ds, results, access, {}, { now: () => new Date() });
  const organizer = { id: 1, username: 'organizer', displayName: '组委会', role: 'organizer', unitId: null, enterpriseId: null, expertId: null };
  const q = statisticsQueries('mysql');
  const rows = [];
  for (const n of SIZES) {
    const t0 = performance.now();
    const { contestId, sheets, list } = await seedContest(conn, n, String(n));
    lists.set(contestId, list);
    await conn.query('ANALYZE TABLE score_sheets, entries, review_decisions, session_slots');
    const seedMs = performance.now() - t0;
    const awardedIds = LEVELS.flatMap((l) => list.levels[l].map((e) => e.entryId));

    const timed = async (fn) => {
      const cpu = process.cpuUsage();
      const a = performance.now();
      const out = await fn();
      const wall = performance.now() - a;
      const used = process.cpuUsage(cpu);
      return { out, wall, cpu: (used.user + used.system) / 1000 };
    };
    const statisticsOnce = () => timed(() => service.statistics(organizer, contestId));
    const rawOnce = () => timed(async () => {
      const run = (sql, params = [contestId]) => pool.query(sql, params);
      await Promise.all([...Object.values(q).map((sql) => run(sql)), run(YEAR_QUERIES.participation, []), run(YEAR_QUERIES.review, [])]);
      for (let i = 0; i < awardedIds.length; i += 1000) {
        const chunk = awardedIds.slice(i, i + 1000);
        await run(`${AWARDED_FACTS}(${chunk.map(() => '?').join(', ')})`, [contestId, ...chunk]);
      }
    });
    const first = await statisticsOnce();
    await rawOnce();
    const st = first.out;
    if (st.participation.entries !== n) throw new Error(`statistics: ${st.participation.entries} entries`);
    const stats = [];
    const raws = [];
    for (let r = 0; r < RUNS; r++) {
      stats.push(await statisticsOnce());
      raws.push(await rawOnce());
    }
    const row = { n, sheets, seedMs, cold: first.wall, wall: median(stats.map((x) => x.wall)), cpu: median(stats.map((x) => x.cpu)), raw: median(raws.map((x) => x.wall)), rawCpu: median(raws.map((x) => x.cpu)) };
    rows.push(row);
    console.log(`N=${n}: ${sheets} sheets (seeded in ${ms(seedMs)}); statistics ${ms(row.wall)} (first run ${ms(row.cold)}; CPU in this process ${ms(row.cpu)}); ` +
      `raw GROUP BY queries ${ms(row.raw)} (CPU in this process ${ms(row.rawCpu)}); ratio ${(row.wall / row.raw).toFixed(2)}; ` +
      `awards ${st.awards.counts.first}/${st.awards.counts.second}/${st.awards.counts.third}/${st.awards.counts.excellence}, ${st.entriesByUnit.length} units, members ${st.participation.teamMembers}, ` +
      `review ${st.review.passedFirstTime}+${st.review.returnedThenPassed}/${st.review.rejected}, benefits ${st.benefits.totalWanYuan} 万元`);
  }
  await pool.end();
  await conn.end();
  const [small, big] = rows;
  console.log(`growth ×${(big.n / small.n).toFixed(0)} entries: statistics ×${(big.wall / small.wall).toFixed(1)}, raw ×${(big.raw / small.raw).toFixed(1)}; target ratio ≤ 2`);
  ratio = big.wall / big.raw;
} finally {
  await ds.destroy().catch(() => undefined);
  await admin.query(`DROP DATABASE IF EXISTS \`${DB}\``);
  await admin.end();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(`ratio=${ratio.toFixed(2)}`);
