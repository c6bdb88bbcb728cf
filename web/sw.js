// Service worker: network first for the interface's own files, the cached copy when offline.
// The API (/api/…) is never cached or intercepted: data always comes from the server.
const CACHE = 'qc-web-v8';
const SHELL = ['./', 'index.html', 'prefetch.js', 'app.js', 'api.js', 'ui.js', 'styles.css', 'favicon.svg', 'bell.svg',
  'css/org-intake.css', 'css/org-presentation.css', 'css/org-results.css', 'css/portals.css', 'css/org-rules.css', 'css/orgs.css', 'uscc.js',
  'css/account.css', 'css/display.css', 'css/print.css',
  ...['login', 'public', 'expert', 'sheet', 'progress', 'org-nav', 'org-contest', 'org-entries', 'org-review', 'org-setup', 'org-rules',
    'org-sessions', 'org-results', 'org-quality', 'org-audit', 'enterprise', 'unit', 'admin', 'org-orgs', 'org-sheets', 'register', 'account', 'display', 'org-print', 'org-report', 'report-charts', 'notifications', 'org-outbox', 'expertise'].map((s) => `screens/${s}.js`)];

/** This worker's global scope, typed as a service worker's (tsconfig.sw.json: the install, activate and fetch events). */
const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));
sw.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => sw.skipWaiting()));
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => sw.clients.claim()));
});

sw.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== sw.location.origin || url.pathname.startsWith('/api/')) return;
  event.respondWith(
    fetch(req)
      .then((res) => {
        if (res.ok) { const copy = res.clone(); caches.open(CACHE).then((c) => c.put(req, copy)); }
        return res;
      })
      .catch(() => caches.match(req, { ignoreSearch: true }).then((hit) => hit || Response.error())),
  );
});
