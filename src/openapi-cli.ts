// `node dist/src/openapi-cli.js [FILE]` (after `npm run build`): writes the OpenAPI document the
// service serves at /api/docs-json, without a server or a database: the app boots on an in-memory
// SQLite in a throwaway data directory and answers one in-process request. Used by `npm run lint:api`
// and `npm run api:types`. Without FILE it writes to stdout.
import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from './app.setup.js';
import { loadConfig } from './config/app-config.js';

export async function openApiDocument(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'qc-openapi-'));
  try {
    const config = loadConfig({
      DATA_DIR: dataDir,
      SQLITE_FILE: ':memory:',
      JWT_SECRET: 'openapi-document-only-openapi-document-only',
      LOG_LEVEL: 'silent',
      ADMIN_USERNAME: 'admin',
      ADMIN_PASSWORD: 'openapi-document-only',
    });
    const app = await createApp(config);
    try {
      await app.init();
      const res = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/api/docs-json' });
      if (res.statusCode !== 200) throw new Error(`/api/docs-json answered ${res.statusCode}`);
      return JSON.stringify(JSON.parse(res.body), null, 2) + '\n';
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const out = process.argv[2];
const doc = await openApiDocument();
if (out) writeFileSync(out, doc);
else process.stdout.write(doc);
