/** A small HTTP client for the demo: the demo uses the public API exactly as any client would. */
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
    readonly token: string | null = null,
  ) {}

  as(token: string): ApiClient {
    return new ApiClient(this.base, token);
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...extra };
  }

  async request<T = any>(method: string, path: string, body?: unknown): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const res = await fetch(this.base + path, {
      method,
      headers: this.headers(body === undefined ? {} : { 'content-type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
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
    const res = await fetch(this.base + path, { method: 'POST', headers: this.headers(), body: form });
    const text = await res.text();
    const parsed = text ? safeJson(text) : null;
    if (!res.ok) throw new ApiError('POST', path, res.status, parsed);
    return parsed as T;
  }

  async login(username: string, password: string): Promise<ApiClient> {
    const res = await this.post<{ accessToken: string }>('/api/auth/login', { username, password });
    return this.as(res.accessToken);
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
