// The raw baseline of the public results benchmark (see public.bench.mjs): plain node:http answering
// every GET with the same bytes (read once from BODY_FILE) as application/json. No framework, no
// database, no routing beyond the method.
//
// Env: BODY_FILE, PORT. Prints "listening <port>".
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const body = readFileSync(process.env.BODY_FILE);
const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length };

const server = createServer((req, res) => {
  if (req.method !== 'GET') {
    res.writeHead(404);
    res.end();
    return;
  }
  res.writeHead(200, headers);
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log(`listening ${server.address().port}`));
