import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { computeResults, freezeResults, publish, resultsContest, type ResultsScenario } from '../factories/results.js';
import { setPhase } from '../factories/contests.js';
import { Contract, recordResponses, type Recorded } from '../support/openapi-contract.js';
import { createTestApp, TEST_DB, type TestApp } from '../support/test-app.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

type Doc = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>; components: { schemas: Record<string, Record<string, unknown>> } };

/**
 * The document the built service serves (dist/, `npm run build` first, as CI does). Not the test
 * app's own: ts-jest transpiles file by file (isolatedModules), so the swagger plugin has no types
 * there and the test app's document lacks the enums and array types the plugin adds at build.
 */
function servedDocument(): Doc {
  const cli = 'dist/src/openapi-cli.js';
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
  return JSON.parse(execFileSync(process.execPath, [cli], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as Doc;
}

/**
 * The OpenAPI document is the contract: every answer given while a contest runs from intake to a
 * published result (and the reads of every role around it) has a documented status, and its body
 * validates against the documented schema with no undocumented field.
 */
describe(`API contract: real responses match /api/docs-json (${TEST_DB})`, () => {
  let t: TestApp;
  let seen: Recorded[];
  let contract: Contract;
  let s: ResultsScenario;
  let doc: Doc;

  beforeAll(async () => {
    t = await createTestApp();
    seen = recordResponses(t.app.getHttpServer() as Server);
    doc = servedDocument();
    contract = new Contract(doc);
    s = await resultsContest(t, 'finalizing', { entries: 4, experts: 3 });
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = (token: string | null, path: string) => (token ? t.http().get(path).set(auth(token)) : t.http().get(path));

  it('documents every operation\'s success answer and its errors with the one error body', async () => {
    const bare: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const ok = Object.entries(op.responses).filter(([c]) => c.startsWith('2'));
        if (!ok.some(([c, r]) => c === '204' || Object.values(r.content ?? {}).some((m) => m.schema))) bare.push(`${method} ${path}`);
        for (const [code, r] of Object.entries(op.responses)) {
          if (/^[45]/.test(code) && path !== '/api/health') expect([code, r.content?.['application/json']?.schema]).toEqual([code, { $ref: '#/components/schemas/ErrorBody' }]);
        }
        expect(Object.keys(op.responses)).toContain('503');
      }
    }
    expect(bare).toEqual([]);
    // Paging is documented with its limit on every paged list.
    const contests = doc.paths['/api/contests']!.get as unknown as { parameters: { name: string; schema: { maximum?: number } }[] };
    expect(contests.parameters.find((p) => p.name === 'pageSize')?.schema.maximum).toBe(200);
  });

  it('answers of computing, freezing, the notice and publication match their schemas', async () => {
    const base = `/api/contests/${s.contest.id}`;
    await computeResults(t, s);
    await get(s.organizer, `${base}/results?pageSize=2`).expect(200);
    await get(s.organizer, `${base}/results/quality`).expect(200);
    await t.http().post(`${base}/results/adjustments`).set(auth(s.organizer)).send({ entryId: s.entries[3]!.id, level: 'excellence', reason: '组委会决定 🏅' }).expect(201);
    await freezeResults(t, s);
    await t.http().post(`${base}/results/verify`).set(auth(s.organizer)).expect(200);
    await setPhase(t, s.organizer, s.contest.id, 'notice');
    await get(null, '/api/public/contests').expect(200);
    await get(null, `/api/public/contests/${s.contest.id}/results`).expect(200);
    const objection = await t.http().post(`/api/public/contests/${s.contest.id}/objections`).send({ entryId: s.entries[0]!.id, name: '王先生', contact: '13800000000', content: '对名次有异议' }).expect(201);
    await get(s.organizer, `${base}/objections`).expect(200);
    await t.http().post(`/api/objections/${objection.body.id}/answer`).set(auth(s.organizer)).send({ answer: '经复核，名次无误。' }).expect(200);
    await publish(t, s);
    await t.http().post(`${base}/results/republish`).set(auth(s.organizer)).send({ reason: '更正等级', adjustments: [{ entryId: s.entries[2]!.id, level: 'third', reason: '复核' }] }).expect(201);
    expect(problems()).toEqual([]);
  });

  it('reads of every role match their schemas', async () => {
    const base = `/api/contests/${s.contest.id}`;
    const org = s.organizer;
    const expert = s.experts[0]!.token;
    const enterprise = s.enterprises[0]!.token;
    const recommender = s.units[0]!.token;
    const entry = s.entries[0]!.id;
    for (const path of [
      '/api/contests', '/api/contests/defaults', base, `${base}/phase`, `${base}/tracks`, `${base}/entry-counts`, '/api/entries?pageSize=3',
      `/api/entries/${entry}`, `/api/entries/${entry}/events`, `/api/entries/${entry}/attachments`, `/api/entries/${entry}/review`,
      `${base}/review/queue`, `${base}/review/stats`, `${base}/panels`, `${base}/assignments`, `${base}/assignments/report?min=3`, `${base}/conflicts`,
      `${base}/sessions`, `/api/sessions/${s.session.id}`, `/api/sessions/${s.session.id}/sign-off`, `/api/entries/${entry}/sheets`, `${base}/progress`,
      '/api/units', '/api/enterprises', '/api/experts', `/api/units/${s.units[0]!.id}`, '/api/audit?pageSize=5', '/api/auth/me',
    ]) await get(org, path).expect(200);
    await t.http().post('/api/audit/verify').set(auth(org)).expect(200);
    await get(s.admin, '/api/users').expect(200);
    for (const path of ['/api/experts/me/schedule', '/api/experts/me/assignments', '/api/experts/me/sheets', '/api/experts/me/tasks', `/api/entries/${entry}/sheets/material/mine`]) {
      await get(expert, path).expect(200);
    }
    for (const path of ['/api/entries', `/api/entries/${entry}`, `/api/entries/${entry}/schedule`, `/api/entries/${entry}/attachments`]) await get(enterprise, path).expect(200);
    await get(recommender, '/api/entries').expect(200);
    // Assignment by expertise: the topic list, a profile (the expert's own change pending), an entry's topics, the heat map.
    await t.http().post('/api/expertise/topics').set(auth(org)).send({ name: '统计技术' }).expect(201);
    const xp = s.experts[0]!;
    await t.http().put(`/api/experts/${xp.id}/profile`).set(auth(xp.token)).send({ industries: ['制造'], entryTypes: ['problem_solving'], topics: ['统计技术'], yearsOfExperience: 11 }).expect(200);
    await t.http().put(`/api/entries/${entry}/topics`).set(auth(enterprise)).send({ topics: ['统计技术'] }).expect(200);
    for (const path of ['/api/expertise/vocabulary', '/api/expertise/pending-profiles', `/api/experts/${xp.id}/profile`, `/api/entries/${entry}/topics`, `/api/panels/${s.panel.id}/affinity`]) {
      await get(org, path).expect(200);
    }
    await t.http().post(`/api/experts/${xp.id}/profile/approve`).set(auth(org)).expect(200);
    await get(xp.token, `/api/experts/${xp.id}/profile`).expect(200);
    await get(enterprise, '/api/expertise/vocabulary').expect(200);
    await get(null, '/api/public/units').expect(200);
    await get(null, `/api/public/sessions/${s.session.id}/draw`).expect(200);
    expect(problems()).toEqual([]);
  });

  it('errors are documented for their routes and carry the one error body', async () => {
    const base = `/api/contests/${s.contest.id}`;
    await get(null, '/api/contests').expect(401);
    await get(s.experts[0]!.token, '/api/users').expect(403);
    await get(s.organizer, '/api/contests/999999').expect(404);
    await get(s.organizer, '/api/contests?pageSize=201').expect(400);
    await t.http().post(`${base}/results/compute`).set(auth(s.organizer)).send({}).expect(409);
    await t.http().patch(base).set(auth(s.organizer)).send({ rules: { caps: { maxTeamMembers: 'many' } } }).expect((r) => expect([400, 409]).toContain(r.status));
    expect(problems()).toEqual([]);
  });

  it('the committed client types (web/api-types.d.ts) are what openapi-typescript makes of the served document', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qc-api-types-'));
    try {
      writeFileSync(join(dir, 'openapi.json'), JSON.stringify(doc));
      const generated = execFileSync(process.execPath, ['node_modules/openapi-typescript/bin/cli.js', join(dir, 'openapi.json'), '-o', join(dir, 'api-types.d.ts')], { encoding: 'utf8' });
      expect(generated).toContain('openapi-typescript');
      // Regenerate with `npm run api:types` when this fails.
      expect(readFileSync('web/api-types.d.ts', 'utf8')).toBe(readFileSync(join(dir, 'api-types.d.ts'), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  function problems(): string[] {
    const out: string[] = [];
    for (const r of seen.splice(0)) {
      if (r.url.startsWith('/api/docs')) continue;
      out.push(...contract.check(r));
    }
    return out;
  }
});
