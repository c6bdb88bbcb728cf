// npm run demo — the seed's year in one command: runs the whole 2020 competition through the API,
// then sets up this year's (2021 being scored today, 2022 open for entries), prints the outcome,
// then keeps serving (DEMO_SERVE=0 exits after the summary).
import 'reflect-metadata';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../config/app-config.js';
import { DEMO_CLOCK } from './demo-calendar.js';
import { runDemoInThread, startDemoThread } from './demo-client-thread.js';
import { Clock, settable } from '../common/clock.js';
import { warmUpPasswordJudge } from '../auth/password-strength-thread.js';
import { demoPdfThread } from './demo-pdf.js';

const env = { ...process.env };
env.LOG_LEVEL ??= 'warn';
env.ADMIN_USERNAME ??= 'admin';
env.ADMIN_PASSWORD ??= 'Binhai-Harbor-2020';
const password = env.DEMO_PASSWORD ?? 'Binhai-Lighthouse-2020';
const size = env.DEMO_SIZE === 'small' ? 'small' : 'full';
// The demo plays 2020 in 2020 and 2021 in 2021: the service runs on a set clock that the demo moves
// (in this process; there is no HTTP endpoint for it). The service logs a warning banner about it.
env.CLOCK = DEMO_CLOCK;

let config;
try {
  if (!env.DATABASE_URL) {
    // A clean demo database every run: the embedded file is recreated.
    const dataDir = env.DATA_DIR ?? './data';
    env.SQLITE_FILE ??= 'demo.sqlite';
    mkdirSync(dataDir, { recursive: true });
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(dataDir, env.SQLITE_FILE + suffix), { force: true });
  }
  config = loadConfig(env);
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(78);
  }
  throw e;
}

if (config.databaseUrl) {
  const { createConnection } = await import('mysql2/promise');
  const url = new URL(config.databaseUrl);
  const conn = await createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) });
  const db = url.pathname.slice(1);
  const [rows] = await conn.query('SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = ?', [db]);
  if (Number((rows as { n: number }[])[0].n) > 0) {
    if (env.DEMO_RESET !== '1') {
      console.error(`The database "${db}" is not empty. The demo needs a clean database: set DEMO_RESET=1 to drop and recreate it, or point DATABASE_URL at a new one.`);
      process.exit(1);
    }
    await conn.query(`DROP DATABASE \`${db}\``);
  }
  await conn.end();
}

// The threads start first, so that the other core works while this one loads the service's modules
// (imported only now): the PDF thread loads pdfkit and parses the font, the client's thread loads its
// modules, draws the cast and asks the PDF thread for the reports (on a port to it: see demo-pdf.ts), and
// the strength check's thread builds its dictionaries. One PDF thread for the demo's reports and the
// service's documents (see demo-pdf.ts).
const pdfThread = demoPdfThread();
void pdfThread.begin('warmUpEmbeddedFont'); // a failure shows in the first report
const seed = Number(env.DEMO_SEED ?? 2020);
const client = startDemoThread({ size, seed, reports: pdfThread.connect() });
void warmUpPasswordJudge();
const [{ createApp }, { DataSource }, { Notification }, { writeDemoOutputs }, { serviceSignIn }, { hashOnceForAll }, { useDocumentThread }] = await Promise.all([
  import('../app.setup.js'),
  import('typeorm'),
  import('../notifications/notification.entities.js'),
  import('./demo-outputs.js'),
  import('./demo-sessions.js'),
  import('../auth/password.js'),
  import('../common/document-thread.js'),
]);
// Every demo account has the one password printed below: hashed once (real parameters) for all of them (see password.ts).
hashOnceForAll(password);
useDocumentThread(pdfThread);
const app = await createApp(config);
await app.listen(config.port, config.host);
const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
const address = app.getHttpServer().address();
const port = typeof address === 'object' && address ? address.port : config.port;
const base = `http://${host}:${port}`;

const started = Date.now();
console.log(`质量攻关成果评审系统 — 演示：2020年滨海新区质量攻关活动 (${config.databaseUrl ? 'MySQL/MariaDB' : `SQLite ${config.sqliteFile}`})`);
const outDir = join(config.dataDir, 'demo-output');
// The 2020 files are written as soon as 2020 is published, while the client plays 2021 and 2022.
let outputs: Promise<string[]> | null = null;
const writeOutputs = (contestId: number) => {
  outputs ??= writeDemoOutputs(app, contestId, outDir);
  outputs.catch(() => undefined); // awaited below
};
try {
  const summary = await runDemoInThread(base, { size, seed, adminUsername: env.ADMIN_USERNAME, adminPassword: env.ADMIN_PASSWORD, password, log: (l) => console.log(l), progressBar: Boolean(process.stdout.isTTY), clock: settable(app.get(Clock)), signIn: serviceSignIn(app), published: writeOutputs }, client);
  writeOutputs(summary.contestId);
  const files = await outputs!;
  const c = summary.levelCounts;
  console.log('');
  // Wall time of the run (and since the process started, with the service's start), and the CPU time
  // of the process (every thread: the service, the demo's client, argon2's thread pool).
  const cpu = process.cpuUsage();
  console.log(`完成（${((Date.now() - started) / 1000).toFixed(1)} 秒；含启动共 ${(performance.now() / 1000).toFixed(1)} 秒，CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} 秒）：${summary.entries} 项成果参评`);
  console.log(`  一等奖 ${c.first} 项，二等奖 ${c.second} 项，三等奖 ${c.third} 项，优秀奖 ${c.excellence} 项`);
  console.log(`  优秀推荐单位 ${summary.excellentUnits.length} 家：${summary.excellentUnits.join('、')}`);
  console.log('');
  console.log(`  本年度    2021年度现场评分进行中（评分进度 ${base}/#/organizer/progress/${summary.liveContestId}），2022年度成果征集中`);
  for (const d of summary.displays) console.log(`  现场投屏  2021年度${d.label}：${base}/${d.path}`);
  console.log(`  演示时钟  服务以演示时钟运行，现在是 ${new Date(app.get(Clock).now().getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')}（北京时间）`);
  console.log(`  网页界面  ${base}/  （公示结果；组委会、企业、推荐单位、评审专家、管理员各自登录）`);
  console.log(`  公开结果  ${base}/api/public/contests/${summary.contestId}/results`);
  console.log(`  接口文档  ${base}/api/docs`);
  const inbox = await app.get(DataSource).getRepository(Notification).countBy({ channel: 'inbox' });
  console.log(`  消息通知  站内消息 ${inbox} 条（登录后右上角铃铛；组委会「消息发送」查看邮件/短信发送情况）`);
  console.log(config.notify.smtpUrl
    ? `            邮件经 ${config.notify.smtpUrl.replace(/\/\/[^@/]*@/, '//***@')} 发送（发件人 ${config.notify.mailFrom}）；用户在「通知设置」填写邮箱后收到`
    : '            邮件未配置：设置 SMTP_URL（如本机 Mailpit：SMTP_URL=smtp://127.0.0.1:1025）和 MAIL_FROM 后重新运行；短信网关见 SMS_WEBHOOK_URL（README「Notifications」）');
  console.log(`  导出文件  ${files.join('\n            ')}`);
  console.log('');
  console.log(`  演示账号（密码均为 ${password}，管理员为 ${env.ADMIN_PASSWORD}）：`);
  for (const a of summary.accounts) console.log(`    ${a.role.padEnd(12)} ${a.username}`);
  console.log('');
  console.log('  Run it again for a clean demo database' + (config.databaseUrl ? ' (with DEMO_RESET=1 on MySQL/MariaDB).' : '.'));
} catch (e) {
  console.error('The demo failed:', e instanceof Error ? e.message : e);
  await app.close();
  process.exit(1);
}

if (env.DEMO_SERVE === '0') {
  await app.close();
} else {
  console.log(`Serving at ${base}/api — Ctrl+C to stop.`);
}

