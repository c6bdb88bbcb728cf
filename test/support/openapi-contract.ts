// Checks real responses against the OpenAPI document the app serves: every answer's status must be
// documented for its operation, and its JSON body must validate against the documented schema, with
// objects closed (a field the document does not name is an error). ajv is the one @nestjs/cli
// already brings (node_modules/ajv, 8.x).
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Ajv, type ValidateFunction } from 'ajv';

type Schema = Record<string, unknown>;
export interface Recorded { method: string; url: string; status: number; type: string; body: string }
interface Operation { template: string; method: string; re: RegExp; literal: number; responses: Record<string, { content?: Record<string, { schema?: Schema }> }> }

/** Records every answer the server sends (method, url, status, content type, body). */
export function recordResponses(server: Server): Recorded[] {
  const seen: Recorded[] = [];
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    const write = res.write.bind(res) as (...a: unknown[]) => boolean;
    const end = res.end.bind(res) as (...a: unknown[]) => ServerResponse;
    const keep = (c: unknown) => { if (c && typeof c !== 'function') chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c))); };
    res.write = ((...a: unknown[]) => { keep(a[0]); return write(...a); }) as typeof res.write;
    res.end = ((...a: unknown[]) => {
      keep(a[0]);
      seen.push({ method: req.method ?? 'GET', url: req.url ?? '', status: res.statusCode, type: String(res.getHeader('content-type') ?? ''), body: Buffer.concat(chunks).toString('utf8') });
      return end(...a);
    }) as typeof res.end;
  });
  return seen;
}

/** OpenAPI 3.0 → JSON Schema for ajv: `nullable`, closed objects, component refs. */
function toJsonSchema(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(toJsonSchema);
  if (!s || typeof s !== 'object') return s;
  const o: Schema = {};
  for (const [k, v] of Object.entries(s as Schema)) {
    if (k === 'nullable' || k === 'example' || k === 'format') continue;
    o[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as Schema).map(([p, ps]) => [p, toJsonSchema(ps)])) : toJsonSchema(v);
  }
  if (typeof o.$ref === 'string') o.$ref = (o.$ref as string).replace('#/components/schemas/', 'c#/');
  if (o.properties && o.additionalProperties === undefined) o.additionalProperties = false;
  if ((s as Schema).nullable) {
    if (Array.isArray(o.enum)) o.enum = [...(o.enum as unknown[]), null];
    if (typeof o.type === 'string' && !o.allOf) return { ...o, type: [o.type, 'null'] };
    const { description: _d, ...rest } = o;
    return { anyOf: [{ type: 'null' }, rest] };
  }
  return o;
}

export class Contract {
  private readonly ops: Operation[] = [];
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(document: { paths: Record<string, Record<string, Operation['responses'] | unknown>>; components: { schemas: Record<string, Schema> } }) {
    // The components as one schema with id "c", each under its name (refs become c#/Name).
    const defs: Schema = {};
    for (const [name, schema] of Object.entries(document.components.schemas)) defs[name] = toJsonSchema(schema);
    this.ajv.addSchema({ $id: 'c', ...defs });
    for (const [template, item] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const re = new RegExp('^' + template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+') + '$');
        this.ops.push({ template, method: method.toUpperCase(), re, literal: template.replace(/\{[^}]+\}/g, '').length, responses: (op as { responses: Operation['responses'] }).responses });
      }
    }
    // The most literal template first: /api/experts/me/schedule before /api/experts/{id}.
    this.ops.sort((a, b) => b.literal - a.literal);
  }

  operation(method: string, url: string): Operation | undefined {
    const path = url.split('?')[0]!;
    return this.ops.find((o) => o.method === method && o.re.test(path));
  }

  /** Problems of one answer ('' when it matches the document). */
  check(r: Recorded): string[] {
    const op = this.operation(r.method, r.url);
    if (!op) return r.status === 404 ? [] : [`${r.method} ${r.url}: no such operation in the document`];
    const documented = op.responses[String(r.status)];
    const where = `${r.method} ${op.template} → ${r.status}`;
    if (!documented) return [`${where}: status not documented (documented: ${Object.keys(op.responses).join(', ')})`];
    if (r.status === 204 || !r.type.includes('application/json')) return [];
    const schema = documented.content?.['application/json']?.schema;
    if (!schema) return [`${where}: JSON answered, no JSON schema documented`];
    const key = JSON.stringify(schema);
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema) as Schema);
      this.compiled.set(key, validate);
    }
    if (validate(JSON.parse(r.body))) return [];
    return (validate.errors ?? []).slice(0, 5).map((e) => `${where}: ${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`);
  }
}
