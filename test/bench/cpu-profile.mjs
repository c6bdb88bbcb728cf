// Where the service's time goes: a V8 .cpuprofile (node --cpu-prof) cut to a time window and
// summed by category (each sample counts once, in the first category its stack matches).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The newest profile of a process's MAIN thread in `dir` (files not in `before`): Node names them
 * CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile, one per thread, the main thread being 0 — the
 * service runs worker threads (the password strength check), whose profiles are mostly idle.
 */
export function mainThreadProfile(dir, before = new Set()) {
  return readdirSync(dir)
    .filter((f) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(f) && !before.has(f))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

const CATEGORIES = [
  ['idle', (s) => s[0].callFrame.functionName === '(idle)'],
  ['garbage collection', (s) => s[0].callFrame.functionName === '(garbage collector)'],
  ['JWT verification (passport-jwt → jsonwebtoken)', (s) => s.some((n) => /node_modules\/(jsonwebtoken|passport-jwt|jws)\//.test(n.callFrame.url))],
  ['socket writes to the database (mysql2 → write syscall)', (s) => /^(writeBuffer|writev|writeUtf8String)$/.test(s[0].callFrame.functionName) && s.some((n) => n.callFrame.url.includes('node_modules/mysql2/'))],
  ['socket writes of HTTP responses', (s) => /^(writeBuffer|writev|writeUtf8String)$/.test(s[0].callFrame.functionName)],
  ['AuditService.record (incl. its TypeORM query builders)', (s) => s.some((n) => n.callFrame.url.includes('/audit/audit.service'))],
  ['scoring service (own code and its raw SQL)', (s) => s.some((n) => n.callFrame.url.includes('/scoring/'))],
  ['mysql2 protocol (packets, parsing, promise wrapper)', (s) => s.some((n) => n.callFrame.url.includes('node_modules/mysql2/'))],
  ['TypeORM (transactions, query runner, hydration)', (s) => s.some((n) => n.callFrame.url.includes('node_modules/typeorm/'))],
  ['validation pipes (class-validator, class-transformer)', (s) => s.some((n) => /node_modules\/class-(validator|transformer)\//.test(n.callFrame.url))],
  ['Nest, fastify, HTTP parsing, helmet, CORS, logging', (s) => s.some((n) => /node_modules\/(@nestjs|fastify|@fastify|find-my-way|helmet|pino|nestjs-pino|avvio|light-my-request)|node:_http|node:http/.test(n.callFrame.url))],
];

/**
 * @param file a .cpuprofile
 * @param fromUs, toUs window on the monotonic clock (process.hrtime.bigint() / 1000n in any process)
 * @param requests requests served in the window, for per-request figures
 */
export function summarizeProfile(file, fromUs, toUs, requests) {
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
    if (t < fromUs || t > toUs) return;
    self.set(id, (self.get(id) ?? 0) + d);
    total += d;
  });
  const sums = new Map(CATEGORIES.map(([name]) => [name, 0]));
  sums.set('other (Node internals, promises, timers, …)', 0);
  for (const [id, d] of self) {
    const stack = [];
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) stack.push(nodes.get(cur));
    const hit = CATEGORIES.find(([, test]) => test(stack));
    const key = hit ? hit[0] : 'other (Node internals, promises, timers, …)';
    sums.set(key, sums.get(key) + d);
  }
  return { totalMs: total / 1000, rows: [...sums].map(([name, us]) => ({ name, ms: us / 1000, share: total ? us / total : 0, perRequestUs: requests ? us / requests : 0 })) };
}
