// The raw baseline of the scoring benchmark (see scoring.bench.mjs): plain node:http and a mysql2
// pool doing ONE INSERT per request into a table shaped like score_sheets, with the same pool size
// as the service (20). No framework, no validation beyond JSON parsing, no transaction, no audit.
//
//   POST /raw/sheets/:expertId/:entryId/:stage   {"marks": {...}}   → 200 {"id", "status", "total"}
//
// Env: DATABASE_URL (mysql://…/db, the table bench_raw_sheets must exist), PORT. Prints "listening <port>".
import { createServer } from 'node:http';
import { createPool } from 'mysql2/promise';

const url = new URL(process.env.DATABASE_URL.replace(/^mariadb:/, 'mysql:'));
const pool = createPool({
  host: url.hostname,
  port: Number(url.port || 3306),
  user: decodeURIComponent(url.username),
  password: decodeURIComponent(url.password),
  database: url.pathname.slice(1),
  charset: 'utf8mb4_unicode_ci',
  timezone: 'Z',
  connectionLimit: 20,
});

const ROUTE = /^\/raw\/sheets\/(\d+)\/(\d+)\/(material|presentation)$/;
const SQL = `INSERT INTO bench_raw_sheets
  (contest_id, entry_id, expert_id, stage, status, marks, comments, total, rubric_id, version, lock_version, submitted_at, created_at, updated_at)
  VALUES (1, ?, ?, ?, 'submitted', ?, '{}', ?, 1, 1, 1, ?, ?, ?)`;

function send(res, status, body, requestId) {
  const text = JSON.stringify(body);
  const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) };
  if (requestId) headers['x-request-id'] = requestId;
  res.writeHead(status, headers);
  res.end(text);
}

const server = createServer((req, res) => {
  const requestId = typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'] : undefined;
  const m = req.method === 'POST' ? ROUTE.exec(req.url ?? '') : null;
  if (!m) return send(res, 404, { code: 'route_not_found' }, requestId);
  if (!req.headers.authorization) return send(res, 401, { code: 'unauthenticated' }, requestId);
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(res, 400, { code: 'malformed_json' }, requestId);
    }
    const marks = body?.marks;
    if (typeof marks !== 'object' || marks === null) return send(res, 400, { code: 'validation_failed' }, requestId);
    let total = 0;
    const tenths = {};
    for (const [k, v] of Object.entries(marks)) {
      tenths[k] = Math.round(Number(v) * 10);
      total += tenths[k];
    }
    const now = new Date().toISOString().slice(0, 19).replace('T', ' ');
    try {
      const [r] = await pool.query(SQL, [Number(m[2]), Number(m[1]), m[3], JSON.stringify(tenths), total, now, now, now]);
      send(res, 200, { id: r.insertId, status: 'submitted', total: total / 10 }, requestId);
    } catch (e) {
      send(res, e?.code === 'ER_DUP_ENTRY' ? 409 : 500, { code: e?.code ?? 'internal_error' }, requestId);
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
const stop = () => server.close(() => pool.end().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
