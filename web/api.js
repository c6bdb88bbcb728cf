// @ts-check
// The one way data moves: the HTTP API under /api, with the bearer token of the session.
// Types: web/api-types.d.ts is generated from the API document (`npm run api:types`); screens name
// the bodies they read as `/** @type {Schemas['ContestPage']} */` (npm run lint type-checks them).

/** @typedef {import('./api-types').components['schemas']} Schemas */
/** @typedef {Schemas['ErrorBody']} ErrorBody */
import { takePrefetched } from './prefetch.js';

const TOKEN = 'qc.token';
const USER = 'qc.user';

export class ApiError extends Error {
  /**
   * status 0 = the network failed (offline, server unreachable).
   * @param {number} status
   * @param {Partial<ErrorBody> | null} body
   */
  constructor(status, body) {
    super(body?.message || (status ? `请求失败（${status}）` : '网络不可用，请检查网络连接'));
    this.status = status;
    this.code = body?.code || (status ? 'http_' + status : 'network');
    this.errors = Array.isArray(body?.errors) ? body.errors : [];
    this.requestId = body?.requestId;
    /** Extra facts of the refusal, e.g. the blockers of a phase move. */
    this.details = body?.details ?? null;
  }
  /**
   * The server could not be reached, or answered 503 (its database is down for a moment): nothing
   * was refused, so keep the session and what was typed, and try again later.
   */
  get offline() { return this.status === 0 || this.status === 503; }
}

export const session = {
  get token() { return localStorage.getItem(TOKEN); },
  /** @returns {Schemas['UserResponse'] | null} the signed-in user as the login answered it */
  get user() { try { return JSON.parse(localStorage.getItem(USER) || 'null'); } catch { return null; } },
  /**
   * @param {string} token
   * @param {Schemas['UserResponse']} user
   */
  set(token, user) { localStorage.setItem(TOKEN, token); localStorage.setItem(USER, JSON.stringify(user)); },
  clear() { localStorage.removeItem(TOKEN); localStorage.removeItem(USER); },
};

/** Called on 401 with a token: the session ended (expired, password changed, deactivated). */
let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }
/** The only 401 codes that end the session; never a 503 or a failed connection. */
const SESSION_ENDED = new Set(['token_invalid', 'unauthenticated']);

/** Called with false after a 503 or an unreachable server (while the browser is online), true on any other answer. */
/** @type {(up: boolean) => void} */
let onServerState = () => {};
export function setServerStateHandler(fn) { onServerState = fn; }

/** Reads are retried on a 503 or a failed connection after these pauses; writes are left to the user (or the sheet's autosave). */
const RETRY_DELAYS_MS = [500, 1500, 3000];
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** The server's clock minus this device's, from the last answer's x-server-time (the service may run on a set clock, as in the demo). */
let clockOffsetMs = 0;
/** Now by the server's clock, in ms: deadlines and "today" are the server's, not the device's. */
export function serverNow() { return Date.now() + clockOffsetMs; }

/** A request that hangs counts as a network failure (the sheet keeps its draft and retries). */
const TIMEOUT_MS = 20_000;
const FILE_TIMEOUT_MS = 120_000;

/** A JSON body, or a FormData (an upload: multipart, the browser sets its content type; a file's time limit). */
async function raw(method, path, body, timeoutMs = body instanceof FormData ? FILE_TIMEOUT_MS : TIMEOUT_MS, anonymous = false) {
  const form = body instanceof FormData;
  const headers = { accept: 'application/json' };
  const token = anonymous ? null : session.token;
  if (token) headers.authorization = 'Bearer ' + token;
  if (body !== undefined && !form) headers['content-type'] = 'application/json';
  const idempotent = method === 'GET' || method === 'HEAD';
  for (let attempt = 0; ; attempt++) {
    let res = null;
    let timedOut = false;
    try {
      // The landing screen's first read may already be under way (prefetch.js); null: fetch it now.
      const early = attempt === 0 && method === 'GET' && !anonymous ? takePrefetched(path, session.token) : null;
      res = (early && (await early)) || await fetch('/api' + path, { method, headers, body: body === undefined || form ? body : JSON.stringify(body), cache: 'no-store', signal: AbortSignal.timeout(timeoutMs) });
    } catch (e) {
      timedOut = e?.name === 'TimeoutError';
    }
    const unavailable = !res || res.status === 503;
    if (res || navigator.onLine) onServerState(!unavailable);
    // A hung request is not retried (it already took its time), nor anything while the browser is offline.
    if (unavailable && idempotent && !timedOut && navigator.onLine && attempt < RETRY_DELAYS_MS.length) {
      await sleep(RETRY_DELAYS_MS[attempt]);
      continue;
    }
    if (!res) throw new ApiError(0, null);
    const serverTime = Date.parse(res.headers.get('x-server-time') ?? '');
    if (Number.isFinite(serverTime)) clockOffsetMs = serverTime - Date.now();
    if (res.status === 401 && token && path !== '/auth/login') {
      let code = null;
      try { code = (await res.clone().json())?.code; } catch { /* not the API's error body */ }
      if (SESSION_ENDED.has(code)) {
        session.clear();
        onUnauthorized();
      }
    }
    return res;
  }
}

/**
 * A JSON request; resolves to the answer's body (null when empty), rejects with an ApiError.
 * @param {'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'} method
 * @param {string} path under /api, e.g. `/contests/${id}`
 * @param {unknown} [body]
 * @returns {Promise<any>} the body, as the document describes it for this route (see Schemas)
 */
export async function api(method, path, body) {
  return bodyOf(await raw(method, path, body));
}

/** The answer's JSON body (null when empty); an ApiError for a non-2xx answer. @param {Response} res */
async function bodyOf(res) {
  const text = await res.text();
  let data;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

/** @param {string} path */
export const get = (path) => api('GET', path);

/**
 * A public read sent without the session's token: what the public board shows must not depend on
 * (nor end) a visitor's session — an expired token would otherwise answer 401 and log them out.
 * @param {string} path
 * @returns {Promise<any>}
 */
export async function getPublic(path) {
  return bodyOf(await raw('GET', path, undefined, TIMEOUT_MS, true));
}

/** A file behind the bearer token, as a Blob (for object URLs). */
export async function blob(path) {
  const res = await raw('GET', path, undefined, FILE_TIMEOUT_MS);
  if (!res.ok) {
    let data;
    try { data = await res.json(); } catch { data = null; }
    throw new ApiError(res.status, data);
  }
  return res.blob();
}
