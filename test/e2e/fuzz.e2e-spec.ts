import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createEntry, createIntakeWorld, entryBody, type IntakeWorld } from '../factories/entries.js';
import { createTrack } from '../factories/contests.js';
import { newUscc } from '../factories/organisations.js';
import { buildScoringScenario, type ScoringScenario } from '../factories/scenario.js';
import { mySheet, saveDraft } from '../factories/scoring.js';
import { ADMIN, createTestApp, createUser, expectErrorBody, login, type TestApp } from '../support/test-app.js';

/**
 * Input fuzzing driven by the service's own OpenAPI document: every operation with a JSON body gets
 * hostile bodies (deep nesting, null / wrong type / huge value for every documented field, unknown
 * fields, non-object bodies), every operation with path ids gets odd ids, as each role and without
 * a token. Nothing a client sends may be a 5xx, and every error has the one documented body.
 */

interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  minItems?: number;
  description?: string;
}
interface Operation {
  method: string;
  /** e.g. /api/contests/{id}/tracks */
  template: string;
  /** Path parameters in order of appearance. */
  params: string[];
  body: Schema | null;
  /** Upload or streaming routes: only odd ids are sent, never a JSON body or a valid id. */
  special: boolean;
}
interface Case {
  op: Operation;
  role: string;
  label: string;
  path: string;
  /** Raw JSON text; undefined: no body. */
  body?: string;
  check?: (status: number, body: Record<string, unknown>) => string | null;
}

const HUGE = 'x'.repeat(100 * 1024);
const DEEP_OBJECTS = '{"a":'.repeat(3000) + '1' + '}'.repeat(3000);
const DEEP_ARRAYS = '['.repeat(1500) + ']'.repeat(1500);
/** Each must be refused as an id: hex, exponent, spaces, sign, zero, beyond 2^53, letters, decimals, leading zero, full-width digit. */
const ODD_IDS = ['0x10', '1e3', '%201', '1%20', '-1', '0', '99999999999999999999', 'abc', '1.5', '01', '%EF%BC%91'];
/** Values of each JSON type, to send where the schema wants another. */
const BY_TYPE: Record<string, unknown> = { string: 'x', number: 12345, array: ['x'], object: { a: 1 } };
const NON_ID_PARAMS: Record<string, string> = { stage: 'material', entryType: 'problem_solving', kind: 'units' };
const CONCURRENCY = 4;
const VALID = 'a plausible body';
interface Report {
  sent: number;
  statuses: Map<number, number>;
  problems: string[];
  /** Plausible bodies the service refused (400): the fields they name are fuzzed less deeply. */
  refusedSamples: string[];
}
const isIdParam = (name: string) => name === 'id' || name.endsWith('Id');
let unique = 0;
/** Fields whose valid form the schema alone does not tell (patterns, checksums). */
const FIELD_SAMPLES: Record<string, () => unknown> = {
  username: () => `fuzz.user-${++unique}`,
  password: () => 'Qc-评审-2026-北辰!',
  newPassword: () => 'Qc-评审-2026-北辰!',
  uscc: () => newUscc(),
  commitment: () => 'ab'.repeat(32),
  key: () => `item_${++unique}`,
};

describe('fuzzing every operation of the OpenAPI document', () => {
  let t: TestApp;
  let base: string;
  let world: IntakeWorld;
  /** A contest in presentation, with a panel, a session, assignments and a draft sheet. */
  let scoring: ScoringScenario;
  let tokens: Record<string, string | null>;
  /** Real ids, so that hostile bodies reach the services and the database, not just a 404. */
  let validIds: Record<string, number>;
  let operations: Operation[];
  let schemas: Record<string, Schema>;

  beforeAll(async () => {
    t = await createTestApp();
    world = await createIntakeWorld(t);
    const entry = await createEntry(t, world.a.owner.token, world.contest.id, entryBody());
    const track = await createTrack(t, world.organizer, world.contest.id, { name: '制造类' });
    const spare = await createUser(t, world.admin, { username: 'fuzz-spare', role: 'organizer', password: 'Qc-评审-2026-北辰!' });
    scoring = await buildScoringScenario(t, { entries: 2, experts: 2, absent: 0, conflicts: 0 });
    const scored = scoring.entries[0].id;
    const rubric = (await mySheet(t, scoring.experts[0].token, scored, 'material')).rubric;
    const sheet = await saveDraft(t, scoring.experts[0].token, scored, 'material', { marks: { [rubric.items[0].key]: 1 } });
    const assignments = await t.http().get(`/api/contests/${scoring.contest.id}/assignments`).set('authorization', `Bearer ${scoring.organizer}`);
    validIds = {
      contests: world.contest.id,
      entries: entry.id,
      units: world.a.unit.id,
      enterprises: world.a.enterprise.id,
      experts: scoring.experts[0].id,
      users: spare.id,
      tracks: track.id,
      panels: scoring.panel.id,
      sessions: scoring.session.id,
      sheets: sheet.id ?? 1,
      assignments: (assignments.body as { items: { id: number }[] }).items[0].id,
      // The expert's sheet routes: an entry assigned to the expert below.
      scoredEntries: scored,
    };
    tokens = {
      organizer: world.organizer,
      enterprise: world.a.owner.token,
      recommender: world.a.recommender.token,
      expert: scoring.experts[0].token,
      admin: await login(t, ADMIN.username, ADMIN.password),
      anonymous: null,
    };
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
    const doc = (await t.http().get('/api/docs-json')).body as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Schema }> }; responses?: Record<string, { content?: Record<string, unknown> }> }>>;
      components: { schemas: Record<string, Schema> };
    };
    schemas = doc.components.schemas;
    operations = [];
    for (const [template, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const content = op.requestBody?.content ?? {};
        const produces = Object.values(op.responses ?? {}).flatMap((r) => Object.keys(r.content ?? {}));
        const special = 'multipart/form-data' in content || produces.includes('text/event-stream') || template.endsWith('/stream');
        const params = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        operations.push({ method: method.toUpperCase(), template, params, body: content['application/json']?.schema ?? null, special });
      }
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  function resolve(s: Schema): Schema {
    if (s.$ref) return resolve(schemas[s.$ref.split('/').pop() as string]);
    if (s.allOf?.length === 1) return resolve(s.allOf[0]);
    return s;
  }

  /** A plausible valid value for a schema (best effort: patterns are guessed from the description). */
  function sample(raw: Schema, depth = 0, name = ''): unknown {
    if (FIELD_SAMPLES[name]) return FIELD_SAMPLES[name]();
    const s = resolve(raw);
    if (s.enum?.length) return s.enum[0];
    switch (s.type) {
      case 'string':
        if (/YYYY-MM-DD/.test(s.description ?? '')) return '2026-06-01';
        if (/ISO 8601/.test(s.description ?? '')) return new Date(Date.now() + 86400_000).toISOString();
        return '质'.repeat(Math.max(1, s.minLength ?? 1));
      case 'number':
      case 'integer':
        return Math.min(Math.max(1, s.minimum ?? 1), s.maximum ?? Number.MAX_SAFE_INTEGER);
      case 'boolean':
        return true;
      case 'array':
        // Untyped items are ids (the plugin does not type `@IsInt({ each: true })` arrays).
        return depth > 4 ? [] : Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => (s.items?.type || s.items?.$ref ? sample(s.items, depth + 1) : 1));
      default: {
        const out: Record<string, unknown> = {};
        for (const key of s.required ?? []) out[key] = sample(s.properties?.[key] ?? {}, depth + 1, key);
        return out;
      }
    }
  }

  function fieldType(raw: Schema): string {
    const s = resolve(raw);
    if (s.type === 'integer') return 'number';
    return s.type ?? (s.properties ? 'object' : 'unknown');
  }

  function pathFor(op: Operation, override: Record<string, string> = {}): string {
    const resource = op.template.replace(/^\/api\/(public\/)?/, '').split('/')[0];
    return op.template.replace(/\{(\w+)\}/g, (_, name: string) => {
      if (name in override) return override[name];
      if (!isIdParam(name)) return NON_ID_PARAMS[name] ?? 'x';
      if (name === 'entryId' && op.template.includes('/sheets/')) return String(validIds.scoredEntries);
      const kind = name === 'id' ? resource : `${name.slice(0, -2)}s`.replace(/ys$/, 'ies');
      return String(validIds[kind] ?? 1);
    });
  }

  /** The hostile bodies of one operation, as raw JSON texts with a label. */
  function bodies(op: Operation): { label: string; body: string; check?: Case['check'] }[] {
    const schema = resolve(op.body as Schema);
    const valid = sample(schema) as Record<string, unknown>;
    const tooDeep: Case['check'] = (status, body) => (status === 400 && body.code === 'json_too_deep' ? null : 'expected 400 json_too_deep');
    const out: { label: string; body: string; check?: Case['check'] }[] = [
      { label: 'objects nested 3,000 deep', body: DEEP_OBJECTS, check: tooDeep },
      { label: 'arrays nested 1,500 deep', body: DEEP_ARRAYS, check: tooDeep },
      { label: 'empty body', body: '' },
      { label: 'body null', body: 'null' },
      { label: 'body []', body: '[]' },
      { label: 'body "x"', body: '"x"' },
      { label: 'body 1', body: '1' },
      { label: 'body {}', body: '{}' },
      { label: 'truncated JSON', body: '{"a":' },
      { label: 'an unknown field', body: JSON.stringify({ ...valid, zzUnknown: 1 }) },
      { label: '__proto__', body: JSON.stringify(valid).replace(/^\{/, '{"__proto__":{"isAdmin":true},').replace(/,\}$/, '}') },
    ];
    for (const [field, fieldSchema] of Object.entries(schema.properties ?? {})) {
      const type = fieldType(fieldSchema);
      const variants: [string, unknown][] = [['null', null], ['a 100 KB string', HUGE]];
      for (const [name, value] of Object.entries(BY_TYPE)) if (name !== type) variants.push([`a${name === 'array' || name === 'object' ? 'n' : ''} ${name}`, value]);
      if (type === 'array') {
        variants.push(['[null]', [null]], ['20,000 items', Array.from({ length: 20_000 }, () => sample(resolve(fieldSchema).items ?? {}))]);
      }
      if (type === 'object') {
        const nested = resolve(fieldSchema);
        for (const key of Object.keys(nested.properties ?? {})) {
          const inner = sample(fieldSchema) as Record<string, unknown>;
          variants.push([`${key}: null inside`, { ...inner, [key]: null }], [`${key}: an object inside`, { ...inner, [key]: { a: 1 } }]);
        }
      }
      for (const [label, value] of variants) out.push({ label: `${field} = ${label}`, body: JSON.stringify({ ...valid, [field]: value }) });
    }
    return out;
  }

  function casesFor(op: Operation, role: string): Case[] {
    const cases: Case[] = [];
    if (op.body && !op.special) {
      for (const b of bodies(op)) cases.push({ op, role, label: b.label, path: pathFor(op), body: b.body, check: b.check });
    }
    for (const param of op.params.filter(isIdParam)) {
      for (const odd of ODD_IDS) {
        cases.push({
          op,
          role,
          label: `${param} = ${odd}`,
          path: pathFor(op, { [param]: odd }),
          body: op.body && !op.special ? JSON.stringify(sample(op.body)) : undefined,
          // Guards run before pipes: without the role it is 401/403, else 400 invalid_id naming the parameter.
          check: (status, body) => {
            if (status === 401 || status === 403) return null;
            const errors = body.errors as { field: string; code: string }[] | undefined;
            if (status === 400 && body.code === 'invalid_id' && errors?.[0]?.field === param && errors[0].code === 'invalid_id') return null;
            return `expected 400 invalid_id naming ${param}`;
          },
        });
      }
    }
    // A lone % is not a valid escape: the router refuses it before any route is chosen.
    if (op.params.some(isIdParam)) {
      const param = op.params.find(isIdParam) as string;
      cases.push({
        op,
        role,
        label: `${param} = %`,
        path: pathFor(op, { [param]: '%' }),
        check: (status, body) => (status === 400 && body.code === 'bad_url' ? null : 'expected 400 bad_url'),
      });
    }
    return cases;
  }

  async function send(c: Case): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
    const headers: Record<string, string> = {};
    const token = tokens[c.role];
    if (token) headers.authorization = `Bearer ${token}`;
    if (c.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(base + c.path, { method: c.op.method, headers, body: c.body });
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // not JSON: reported below when it is an error
    }
    return { status: res.status, body, text };
  }

  /** Sends the cases with limited concurrency; returns each case's status, in order. */
  async function run(cases: Case[], report: Report): Promise<number[]> {
    const out: number[] = new Array(cases.length);
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const i = next++;
        const c = cases[i];
        const what = `${c.op.method} ${c.path.slice(0, 80)} as ${c.role} with ${c.label}`;
        let res;
        try {
          res = await send(c);
        } catch (e) {
          report.problems.push(`${what}: request failed (${(e as Error).message})`);
          continue;
        }
        out[i] = res.status;
        report.sent++;
        report.statuses.set(res.status, (report.statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) report.problems.push(`${what}: ${res.status} ${res.text.slice(0, 200)}`);
        if (res.status >= 400) {
          try {
            expectErrorBody(res.body, res.status, String(res.body.code));
          } catch (e) {
            report.problems.push(`${what}: ${(e as Error).message.slice(0, 300)}`);
          }
        }
        const wrong = c.check?.(res.status, res.body);
        if (wrong) report.problems.push(`${what}: ${wrong}, got ${res.status} ${res.text.slice(0, 200)}`);
        if (c.label === VALID && res.status === 400) report.refusedSamples.push(`${what}: ${res.text.slice(0, 300)}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return out;
  }

  it('finds no 5xx and no error without the documented body, as every role and anonymously', async () => {
    const started = Date.now();
    expect(operations.length).toBeGreaterThan(100);
    expect(operations.filter((o) => o.body && Object.keys(resolve(o.body).properties ?? {}).length).length).toBeGreaterThan(40);
    const report: Report = { sent: 0, statuses: new Map(), problems: [], refusedSamples: [] };
    // Admin-only routes are fuzzed as the admin (its valid bodies elsewhere could reset passwords and
    // end the sessions the other cases use); everything else as the other roles.
    const pairs: { op: Operation; role: string }[] = [];
    for (const op of operations) {
      const roles = op.template.startsWith('/api/users') ? ['admin', 'anonymous'] : ['organizer', 'enterprise', 'recommender', 'expert', 'anonymous'];
      for (const role of roles) pairs.push({ op, role });
    }
    // Round 1: one plausible request per operation and role. A role the route refuses (401/403,
    // decided before the body is validated) then gets only the cases answered before the guard
    // (deep bodies, bad URLs) and one odd id; an allowed role gets everything.
    const probes: Case[] = pairs.map(({ op, role }) => ({ op, role, label: VALID, path: pathFor(op), body: op.body && !op.special ? JSON.stringify(sample(op.body)) : undefined }));
    const probeStatuses = await run(probes.filter((c) => !c.op.special || c.body !== undefined), report);
    const refused = new Set(probes.filter((c, i) => probeStatuses[i] === 401 || probeStatuses[i] === 403).map((c) => `${c.op.method} ${c.op.template} ${c.role}`));
    const cases: Case[] = [];
    for (const { op, role } of pairs) {
      const all = casesFor(op, role);
      if (!refused.has(`${op.method} ${op.template} ${role}`)) cases.push(...all);
      else cases.push(...all.filter((c) => c.label.startsWith('objects nested') || c.label.startsWith('arrays nested') || c.label.endsWith('= %') || c.label.endsWith('= 0x10')));
    }
    await run(cases, report);
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `fuzz (${process.env.TEST_DB ?? 'sqlite'}): ${report.sent} requests over ${operations.length} operations in ${seconds.toFixed(1)} s; ` +
        `statuses ${JSON.stringify(Object.fromEntries([...report.statuses].sort()))}; ${report.refusedSamples.length} plausible bodies refused:\n${report.refusedSamples.join('\n')}`,
    );
    expect(report.problems.slice(0, 40)).toEqual([]);
    expect([...report.statuses.keys()].filter((s) => s >= 500)).toEqual([]);
  }, 900_000); // ~1 min on a quiet machine; minutes when the machine is shared
});
