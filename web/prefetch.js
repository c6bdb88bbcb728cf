// The expert's task list is the page's one API call: it starts here, in a module with no imports that
// index.html loads first (async), so the request runs while the other modules are still being fetched
// and compiled instead of after them (on a slow device that was the last round trip of the cold load).
// api.js imports this same module (one instance per page) and takes the answer for its first GET of
// that path; anything else, or a failed prefetch, goes the usual way.
const TOKEN = 'qc.token';
const USER = 'qc.user';
/** Landing hash → its one API read (only the expert's page, the one opened cold on a tablet). */
const FIRST_READ = { '#/expert': '/experts/me/tasks' };
/** An answer older than this is not used (the page was opened and left; read afresh). */
const MAX_AGE_MS = 10_000;

const pending = new Map();

function start() {
  let token;
  let user;
  try {
    token = localStorage.getItem(TOKEN);
    user = JSON.parse(localStorage.getItem(USER) || 'null');
  } catch { return; }
  // app.js sends an expert without a hash to #/expert.
  const hash = location.hash || (user?.role === 'expert' ? '#/expert' : '');
  const path = FIRST_READ[hash];
  if (!token || !path || user?.role !== 'expert') return;
  const res = fetch('/api' + path, {
    headers: { accept: 'application/json', authorization: 'Bearer ' + token },
    cache: 'no-store',
    signal: AbortSignal.timeout(20_000),
  }).catch(() => null);
  pending.set(path, { token, at: Date.now(), res });
}

/**
 * The prefetched response for a GET of `path` made with `token` (once), or null: then the caller
 * fetches as usual. A prefetch that failed resolves to null as well.
 * @param {string} path
 * @param {string | null} token
 * @returns {Promise<Response | null> | null}
 */
export function takePrefetched(path, token) {
  const p = pending.get(path);
  if (!p) return null;
  pending.delete(path);
  return p.token === token && Date.now() - p.at <= MAX_AGE_MS ? p.res : null;
}

start();
