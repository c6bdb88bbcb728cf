/** A small HTTP client for the demo: the demo uses the public API exactly as any client would. */
import { randomBytes } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import type { components } from '../../web/api-types.js';

/**
 * node:http with kept-alive connections rather than fetch: the demo sends a few thousand requests,
 * and fetch (undici, its streams and promises) cost about 1 ms of CPU each on the client side alone —
 * CPU the service in the same process then does not get.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function exchange(base: string, method: string, path: string, headers: Record<string, string>, body?: string | Buffer): Promise<{ status: number; text: string }> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { agent, method, hostname: url.hostname, port: url.port, path: url.pathname + url.search, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A multipart/form-data body: the fields, then one file (as a browser's FormData sends it). */
function multipart(fields: Record<string, string>, file: { name: string; type: string; data: Buffer }): { contentType: string; body: Buffer } {
  const boundary = `----qc-demo-${randomBytes(12).toString('hex')}`;
  const quoted = (v: string) => v.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quoted(k)}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quoted(file.name)}"\r\nContent-Type: ${file.type}\r\n\r\n`));
  parts.push(file.data, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(parts) };
}

/** The bodies of the API, generated from its OpenAPI document (web/api-types.d.ts, `npm run api:types`). */
export type Schemas = components['schemas'];

export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${method} ${path} → ${status} ${JSON.stringify(body).slice(0, 500)}`);
  }
}

export class ApiClient {
  constructor(
    readonly base: string,
    public token: string | null = null,
    /** Set by login() and signedIn(): the demo moves the service's clock by days, so a token expires and is renewed. */
    private readonly renew: (() => Promise<string>) | null = null,
  ) {}

  as(token: string): ApiClient {
    return new ApiClient(this.base, token);
  }

  private renewing: Promise<void> | null = null;

  /**
   * Gets a new token after a 401 (the clock moved past the token's expiry); false if it cannot.
   * Requests of one client refused together share one renewal (a login is an argon2 verification).
   */
  private async renewed(status: number, sentWith: string | null): Promise<boolean> {
    if (status !== 401 || !this.renew) return false;
    if (this.token !== sentWith) return true; // renewed meanwhile
    const renew = this.renew;
    this.renewing ??= renew().then((token) => { this.token = token; }).finally(() => { this.renewing = null; });
    await this.renewing;
    return true;
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...extra };
  }

  async request<T = any>(method: string, path: string, body?: unknown): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const json = body === undefined ? undefined : JSON.stringify(body);
    const send = () => exchange(this.base, method, path, this.headers(json === undefined ? {} : { 'content-type': 'application/json' }), json);
    const token = this.token;
    let res = await send();
    if (await this.renewed(res.status, token)) res = await send();
    const parsed = res.text ? safeJson(res.text) : null;
    if (res.status >= 300) throw new ApiError(method, path, res.status, parsed);
    return parsed as T;
  }

  get<T = any>(path: string) { return this.request<T>('GET', path); } // eslint-disable-line @typescript-eslint/no-explicit-any
  post<T = any>(path: string, body: unknown = {}) { return this.request<T>('POST', path, body); } // eslint-disable-line @typescript-eslint/no-explicit-any
  patch<T = any>(path: string, body: unknown) { return this.request<T>('PATCH', path, body); } // eslint-disable-line @typescript-eslint/no-explicit-any
  put<T = any>(path: string, body: unknown) { return this.request<T>('PUT', path, body); } // eslint-disable-line @typescript-eslint/no-explicit-any

  async upload<T = any>(path: string, fields: Record<string, string>, file: { name: string; type: string; data: Buffer }): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const { contentType, body } = multipart(fields, file);
    const send = () => exchange(this.base, 'POST', path, this.headers({ 'content-type': contentType }), body);
    const token = this.token;
    let res = await send();
    if (await this.renewed(res.status, token)) res = await send();
    const parsed = res.text ? safeJson(res.text) : null;
    if (res.status >= 300) throw new ApiError('POST', path, res.status, parsed);
    return parsed as T;
  }

  /** Logs in with the password; the token is renewed the same way, or by `renew` when given. */
  async login(username: string, password: string, renew?: () => Promise<string>): Promise<ApiClient> {
    const loginFor = async () => (await new ApiClient(this.base).post<{ accessToken: string }>('/api/auth/login', { username, password })).accessToken;
    return new ApiClient(this.base, await loginFor(), renew ?? loginFor);
  }

  /** A client with a token from `issue` (see DemoOptions.signIn), renewed the same way. */
  async signedIn(issue: () => Promise<string>): Promise<ApiClient> {
    return new ApiClient(this.base, await issue(), issue);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Closes the kept-alive connections (at the end of a run). */
export function closeConnections(): void {
  agent.destroy();
}

/** Runs `fn` over `items` with at most `limit` at a time, in order of completion. */
export async function inParallel<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  });
  await Promise.all(workers);
  return out;
}

/** A CSV file (UTF-8, RFC 4180) with its header row: a register as an organizer exports it from a spreadsheet. */
export function csvFile(header: string[], rows: string[][]): Buffer {
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return Buffer.from([header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n', 'utf8');
}
