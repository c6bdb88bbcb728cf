// Every operation of the OpenAPI document (/api/docs-json) is used by a screen of web/, or is listed in
// web/api-only.json with the reason no person needs a screen for it. "Used" is strict: the same
// method and the same path (a {param} stands for one segment), found at a call site in web/**/*.js:
//   api('POST', `/contests/${id}/phase`, …) · send('PATCH', …) · get(`/entries/${id}`) · blob(…) · getAll(…)
//   new EventSource(`/api/…`) · fetch(`/api/…`, { method: 'POST' }) · the wrappers in WRAPPERS below.
// A path the scan cannot read (a variable passed down) counts for nothing, so a miss fails loudly
// instead of passing quietly: name the call in WRAPPERS or pass the literal path.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Operations added to the API before their screen exists (a deliberate, short-lived debt: empty now).
 * The test fails when an entry here is used by web/, so the list only ever shrinks.
 */
const NOT_YET_ON_A_SCREEN: string[] = [];

const WEB = join(process.cwd(), 'web');
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
/** Calls whose first argument is the path of a GET. */
const GET_CALLS = new Set(['get', 'getAll', 'maybe', 'blob', 'names', 'EventSource', 'fetch']);
/** Screen helpers that take the path further on: call name → [argument index or property name, method]. */
const WRAPPERS: Record<string, [number | string, string]> = {
  pdfButton: [1, 'GET'],
  file: [1, 'GET'],
  confirmedAction: ['path', 'POST'],
};

function webFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((f) => (f.isDirectory() ? webFiles(join(dir, f.name)) : f.name.endsWith('.js') ? [join(dir, f.name)] : []));
}

/** The text of the expression starting at `i`, up to the first top-level `,` or closing bracket. */
function expressionAt(src: string, i: number): string {
  let depth = 0;
  let j = i;
  while (j < src.length) {
    const c = src[j]!;
    if (c === "'" || c === '"' || c === '`') {
      j = skipString(src, j);
      continue;
    }
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) {
      if (depth === 0) break;
      depth--;
    } else if (c === ',' && depth === 0) break;
    j++;
  }
  return src.slice(i, j).trim();
}

/** Index just past the string literal opening at `i` (template expressions may nest strings). */
function skipString(src: string, i: number): number {
  const q = src[i]!;
  let j = i + 1;
  while (j < src.length && src[j] !== q) {
    if (src[j] === '\\') j++;
    else if (q === '`' && src[j] === '$' && src[j + 1] === '{') {
      let depth = 1;
      j += 2;
      while (j < src.length && depth) {
        if (src[j] === "'" || src[j] === '"' || src[j] === '`') { j = skipString(src, j); continue; }
        if (src[j] === '{') depth++;
        else if (src[j] === '}') depth--;
        j++;
      }
      continue;
    }
    j++;
  }
  return j + 1;
}

/**
 * A path expression as a pattern: literal text kept, every template expression or non-literal
 * operand becomes `\0` (stands for one or more characters of a segment). Same-file constants
 * (`const base = \`…\``) and one-line path helpers (`const url = (id, rest = '') => \`/contests/${id}${rest}\``)
 * are inlined first. Returns null when the expression holds no literal path at all.
 */
function pattern(expr: string, consts: Map<string, string>, helpers: Map<string, [string[], string]>, depth = 0): string | null {
  if (depth > 3) return null;
  let out = '';
  let i = 0;
  let literal = false;
  while (i < expr.length) {
    const c = expr[i]!;
    if (c === "'" || c === '"') {
      const end = skipString(expr, i);
      out += expr.slice(i + 1, end - 1);
      literal = true;
      i = end;
    } else if (c === '`') {
      const end = skipString(expr, i);
      const body = expr.slice(i + 1, end - 1);
      // Template expressions: inline a same-file constant, else a placeholder.
      out += body.replace(/\$\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}/g, (_m, inner: string) => {
        const name = inner.trim();
        if (consts.has(name)) return pattern(consts.get(name)!, consts, helpers, depth + 1) ?? '\0';
        return '\0';
      });
      literal = true;
      i = end;
    } else if (/[\s+]/.test(c)) {
      i++;
    } else {
      // An operand: identifier, member access or call.
      const m = /^[\w$.?]+/.exec(expr.slice(i));
      const name = m?.[0] ?? c;
      let end = i + name.length;
      if (expr[end] === '(') end = end + 1 + expressionAtCall(expr, end + 1).length + 1;
      const callArgs = expr[i + name.length] === '(' ? splitArgs(expr.slice(i + name.length + 1, end - 1)) : null;
      if (callArgs && helpers.has(name)) {
        const [params, body] = helpers.get(name)!;
        let inlined = '`' + body + '`';
        params.forEach((p, k) => {
          const arg = callArgs[k];
          const lit = arg && /^['"`]/.test(arg) ? pattern(arg, consts, helpers, depth + 1) ?? '\0' : arg ? '\0' : '';
          inlined = inlined.split('${' + p + '}').join(lit.replace(/\$/g, '$$$$'));
        });
        const p = pattern(inlined, consts, helpers, depth + 1);
        if (p !== null) { out += p; literal = true; } else out += '\0';
      } else if (callArgs && !callArgs.length && consts.has(name + '()')) {
        const p = pattern(consts.get(name + '()')!, consts, helpers, depth + 1);
        if (p !== null) { out += p; literal = true; } else out += '\0';
      } else if (!callArgs && consts.has(name)) {
        const p = pattern(consts.get(name)!, consts, helpers, depth + 1);
        if (p !== null) { out += p; literal = true; } else out += '\0';
      } else out += '\0';
      i = Math.max(end, i + 1);
    }
  }
  return literal ? out : null;
}

/** `cond ? A : B` at the top level of an expression → [A, B]. */
function ternary(expr: string): [string, string] | null {
  let depth = 0;
  let q = -1;
  for (let j = 0; j < expr.length; j++) {
    const c = expr[j]!;
    if (c === "'" || c === '"' || c === '`') { j = skipString(expr, j) - 1; continue; }
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (depth === 0 && c === '?' && expr[j + 1] === ' ' && q < 0) q = j;
    else if (depth === 0 && c === ':' && q >= 0) return [expr.slice(q + 1, j).trim(), expr.slice(j + 1).trim()];
  }
  return null;
}

function expressionAtCall(src: string, i: number): string {
  let depth = 0;
  let j = i;
  while (j < src.length) {
    const c = src[j]!;
    if (c === "'" || c === '"' || c === '`') { j = skipString(src, j); continue; }
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) { if (depth === 0) break; depth--; }
    j++;
  }
  return src.slice(i, j);
}

function splitArgs(args: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < args.length) {
    const e = expressionAt(args, i);
    out.push(e);
    i += args.slice(i).indexOf(e) + e.length + 1;
    while (args[i] === ' ') i++;
  }
  return out.filter(Boolean);
}

interface Call { method: string; path: string; where: string }

/** Every API call site of web/ whose method and path the scan can read. */
function webApiCalls(): Call[] {
  const calls: Call[] = [];
  for (const file of webFiles(WEB)) {
    if (file.endsWith('sw.js')) continue;
    const src = readFileSync(file, 'utf8');
    const rel = relative(WEB, file);
    const consts = new Map<string, string>();
    for (const m of src.matchAll(/\bconst (\w+) = (`[^`\n]*`|'[^'\n]*');/g)) consts.set(m[1]!, m[2]!);
    const helpers = new Map<string, [string[], string]>();
    for (const m of src.matchAll(/\bconst (\w+) = \(([\w\s,=']*)\) => `([^`\n]*)`;/g)) {
      helpers.set(m[1]!, [m[2]!.split(',').map((p) => p.split('=')[0]!.trim()), m[3]!]);
    }
    // `function listPath() { …; return '/users?' + p; }`: a path builder without parameters.
    for (const m of src.matchAll(/\nfunction (\w+)\(\) \{\n((?: {2}.*\n)*?)\}/g)) {
      const ret = /^ {2}return (.+);$/m.exec(m[2]!);
      if (ret) consts.set(m[1]! + '()', ret[1]!);
    }
    const add = (method: string, expr: string, at: number) => {
      // `p ? \`/panels/${id}\` : \`/contests/${c}/panels\``, with the method chosen the same way.
      const alt = ternary(expr);
      if (alt) {
        const ms = /^(.+?) \? '(\w+)' : '(\w+)'$/.exec(method);
        add(ms ? ms[2]! : method, alt[0], at);
        add(ms ? ms[3]! : method, alt[1], at);
        return;
      }
      if (!(METHODS as readonly string[]).includes(method)) return;
      let p = pattern(expr, consts, helpers);
      if (p === null) return;
      p = p.replace(/^\/api(?=\/)/, '').replace(/[?#].*$/s, '');
      if (!p.startsWith('/')) return;
      calls.push({ method, path: p, where: `${rel}:${src.slice(0, at).split('\n').length}` });
    };
    // A link the browser opens itself: `h('a', { href: publicUrl }, …)` to a document of the API.
    for (const m of src.matchAll(/\bhref: /g)) {
      const expr = expressionAt(src, m.index + m[0].length);
      if (/\/api\//.test(pattern(expr, consts, helpers) ?? '')) add('GET', expr, m.index);
    }
    for (const m of src.matchAll(/(?<![\w$.])(?:new\s+)?([\w$]+)\(\s*/g)) {
      const name = m[1]!;
      const start = m.index + m[0].length;
      const explicit = /^'(GET|POST|PUT|PATCH|DELETE)'\s*,\s*/.exec(src.slice(start));
      const chosen = /^[\w.$]+ \? '(GET|POST|PUT|PATCH|DELETE)' : '(GET|POST|PUT|PATCH|DELETE)'\s*,\s*/.exec(src.slice(start));
      if (explicit) {
        add(explicit[1]!, expressionAt(src, start + explicit[0].length), m.index);
      } else if (chosen) {
        add(chosen[0].replace(/\s*,\s*$/, ''), expressionAt(src, start + chosen[0].length), m.index);
      } else if (GET_CALLS.has(name)) {
        const expr = expressionAt(src, start);
        let method = 'GET';
        if (name === 'fetch') {
          const opts = expressionAt(src, start + src.slice(start).indexOf(expr) + expr.length + 1);
          method = /method:\s*'(\w+)'/.exec(opts)?.[1] ?? 'GET';
        }
        add(method, expr, m.index);
      } else if (Object.hasOwn(WRAPPERS, name)) {
        const [where, method] = WRAPPERS[name]!;
        const args = splitArgs(expressionAtCall(src, start));
        if (typeof where === 'number') {
          if (args[where]) add(method, args[where], m.index);
        } else {
          for (const a of args) {
            const prop = new RegExp(`\\b${where}:\\s*`).exec(a);
            if (prop && a.startsWith('{')) add(method, expressionAt(a, prop.index + prop[0].length), m.index);
          }
        }
      }
    }
  }
  return calls;
}

/** Does a call's path pattern name this document path? `{param}` ↔ one placeholder segment, or a literal one. */
function matches(docPath: string, callPath: string): boolean {
  const doc = docPath.replace(/^\/api(?=\/)/, '').split('/');
  const call = callPath.replace(/\/+$/, '').split('/');
  if (doc.length !== call.length) return false;
  return doc.every((seg, k) => {
    const c = call[k]!;
    if (seg.startsWith('{')) return c.length > 0 && !c.includes('/');
    if (!c.includes('\0')) return c === seg;
    // A whole-segment placeholder stands for a literal segment only as the last one, the action verb
    // chosen at run time (`/entries/${id}/${action}`): the resource path before it must be literal.
    if (c === '\0') return k === doc.length - 1 && k > 1;
    // A placeholder inside a literal segment (`certificate.${ext}`): the literal parts must fit.
    const re = new RegExp('^' + c.split('\0').map((s) => s.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&')).join('.+') + '$');
    return re.test(seg);
  });
}

const apiOnly = JSON.parse(readFileSync(join(WEB, 'api-only.json'), 'utf8')) as Record<string, string>;

describe('web/ uses every operation of the API', () => {
  let t: TestApp;
  let operations: string[];
  beforeAll(async () => {
    t = await createTestApp();
    const res = await t.http().get('/api/docs-json');
    expect(res.status).toBe(200);
    const paths = res.body.paths as Record<string, Record<string, unknown>>;
    operations = Object.entries(paths).flatMap(([p, ops]) => Object.keys(ops).filter((m) => (METHODS as readonly string[]).includes(m.toUpperCase())).map((m) => `${m.toUpperCase()} ${p}`));
  });
  afterAll(async () => { await t?.close(); });

  const used = (op: string, calls: Call[]) => {
    const [method, path] = op.split(' ') as [string, string];
    return calls.filter((c) => c.method === method && matches(path, c.path));
  };

  it('reads the call sites of the screens', () => {
    const calls = webApiCalls();
    // The scan itself: a few known call sites of different shapes.
    const has = (m: string, p: string) => calls.some((c) => c.method === m && matches(p, c.path));
    expect(has('POST', '/api/auth/login')).toBe(true);
    expect(has('PUT', '/api/entries/{id}/sheets/{stage}/draft')).toBe(true); // const base + '/draft'
    expect(has('POST', '/api/contests/{id}/results/compute')).toBe(true); // url(id, '/results/compute')
    expect(has('GET', '/api/contests/{id}/progress/stream')).toBe(true); // new EventSource(…)
    expect(has('DELETE', '/api/auth/login')).toBe(false);
    expect(calls.length).toBeGreaterThan(60);
  });

  it('finds each operation on a screen, or in web/api-only.json with its reason', () => {
    const calls = webApiCalls();
    const uncovered = operations.filter((op) => !used(op, calls).length && !Object.hasOwn(apiOnly, op));
    const missing = uncovered.filter((op) => !NOT_YET_ON_A_SCREEN.includes(op));
    if (uncovered.length) console.log(`operations not on any screen (${uncovered.length} of ${operations.length}):\n  ${uncovered.join('\n  ')}`);
    expect(missing).toEqual([]);
  });

  it('lists in NOT_YET_ON_A_SCREEN only operations that no screen uses yet', () => {
    const calls = webApiCalls();
    const nowUsed = NOT_YET_ON_A_SCREEN.filter((op) => used(op, calls).length || Object.hasOwn(apiOnly, op));
    const unknown = NOT_YET_ON_A_SCREEN.filter((op) => !operations.includes(op));
    expect({ nowUsed, unknown }).toEqual({ nowUsed: [], unknown: [] });
  });

  it('keeps web/api-only.json honest: real operations, each with a reason, none used by a screen', () => {
    const calls = webApiCalls();
    for (const [op, reason] of Object.entries(apiOnly)) {
      expect({ op, known: operations.includes(op) }).toEqual({ op, known: true });
      expect(reason.trim().length).toBeGreaterThan(5);
      expect({ op, usedAt: used(op, calls).map((c) => c.where) }).toEqual({ op, usedAt: [] });
    }
  });
});
