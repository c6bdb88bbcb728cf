/** A small HTTP client for the demo: the demo uses the public API exactly as any client would. */
import type { components } from '../../web/api-types.js';

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
    /** Set by login(): the demo moves the service's clock by days, so a token expires and is renewed. */
    private readonly credentials: { username: string; password: string } | null = null,
  ) {}

  as(token: string): ApiClient {
    return new ApiClient(this.base, token);
  }

  /** Logs in again after a 401 (the clock moved past the token's expiry); false if it cannot. */
  private async renewed(status: number): Promise<boolean> {
    if (status !== 401 || !this.credentials) return false;
    const fresh = await new ApiClient(this.base).login(this.credentials.username, this.credentials.password);
    this.token = fresh.token;
    return true;
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...extra };
  }

  async request<T = any>(method: string, path: string, body?: unknown): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const send = () => fetch(this.base + path, {
      method,
      headers: this.headers(body === undefined ? {} : { 'content-type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let res = await send();
    if (await this.renewed(res.status)) res = await send();
    const text = await res.text();
    const parsed = text ? safeJson(text) : null;
    if (!res.ok) throw new ApiError(method, path, res.status, parsed);
    return parsed as T;
  }

  get<T = any>(path: string) { return this.request<T>('GET', path); } // eslint-disable-line @typescript-eslint/no-explicit-any
  post<T = any>(path: string, body: unknown = {}) { return this.request<T>('POST', path, body); } // eslint-disable-line @typescript-eslint/no-explicit-any
  patch<T = any>(path: string, body: unknown) { return this.request<T>('PATCH', path, body); } // eslint-disable-line @typescript-eslint/no-explicit-any
  put<T = any>(path: string, body: unknown) { return this.request<T>('PUT', path, body); } // eslint-disable-line @typescript-eslint/no-explicit-any

  async upload<T = any>(path: string, fields: Record<string, string>, file: { name: string; type: string; data: Buffer }): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('file', new Blob([new Uint8Array(file.data)], { type: file.type }), file.name);
    let res = await fetch(this.base + path, { method: 'POST', headers: this.headers(), body: form });
    if (await this.renewed(res.status)) res = await fetch(this.base + path, { method: 'POST', headers: this.headers(), body: form });
    const text = await res.text();
    const parsed = text ? safeJson(text) : null;
    if (!res.ok) throw new ApiError('POST', path, res.status, parsed);
    return parsed as T;
  }

  async login(username: string, password: string): Promise<ApiClient> {
    const res = await this.post<{ accessToken: string }>('/api/auth/login', { username, password });
    return new ApiClient(this.base, res.accessToken, { username, password });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
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
