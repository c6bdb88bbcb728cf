// @ts-check
// 质量攻关成果评审系统 — the web interface.
//
// Why plain ES modules with no build step: the screens are few and simple, so a framework and a
// toolchain (bundler, transpiler, its dependency tree and its upgrades) would cost more than they
// give. The browser loads these files as they are, everything ships with the service (no CDN, no
// web fonts: the system font stack), the whole interface stays well under 200 KB, and the HTTP API
// remains the only data path, with the same authorisation as every other client.
// Routing is by hash (#/login, #/public, #/expert, #/organizer/…, #/enterprise, #/unit, #/admin;
// the table below), so the server serves one index.html and never needs history fallbacks.
import { get, session, setServerStateHandler, setUnauthorizedHandler } from './api.js';
import { confirmDialog, flash, h, mount, notice, onMount, ROLE_NAMES } from './ui.js';
import { loginScreen } from './screens/login.js';
import { publicScreen } from './screens/public.js';
import { expertScheduleScreen, expertScreen, expertSheetsScreen } from './screens/expert.js';
import { sheetScreen } from './screens/sheet.js';
import { progressScreen } from './screens/progress.js';

// The other roles' stylesheets (index.html, data-screens) were fetched without blocking the first
// paint; from now on they apply (before any screen draws: the expert's list waits for its data anyway).
for (const link of document.querySelectorAll('link[data-screens]')) /** @type {HTMLLinkElement} */ (link).media = 'all';

/**
 * The other roles' screens load on first use, so an expert's tablet fetches only the expert's
 * modules (the service worker still caches them all for offline use).
 */
function lazy(path, name) {
  return async (...args) => {
    let mod;
    try { mod = await import(path); } catch {
      mount(h('h1', null, '无法加载页面'), notice('网络不可用，请检查网络连接后刷新页面。', 'error'));
      return null;
    }
    return mod[name](...args);
  };
}
const contestsScreen = lazy('./screens/org-contest.js', 'contestsScreen');
const contestScreen = lazy('./screens/org-contest.js', 'contestScreen');
const entriesScreen = lazy('./screens/org-entries.js', 'entriesScreen');
const entryScreen = lazy('./screens/org-entries.js', 'entryScreen');
const reviewScreen = lazy('./screens/org-review.js', 'reviewScreen');
const rulesScreen = lazy('./screens/org-rules.js', 'rulesScreen');
const setupScreen = lazy('./screens/org-setup.js', 'setupScreen');
const sessionsScreen = lazy('./screens/org-sessions.js', 'sessionsScreen');
const runningOrderScreen = lazy('./screens/org-print.js', 'runningOrderScreen');
const resultsScreen = lazy('./screens/org-results.js', 'resultsScreen');
const qualityScreen = lazy('./screens/org-quality.js', 'qualityScreen');
const reportScreen = lazy('./screens/org-report.js', 'reportScreen');
const auditScreen = lazy('./screens/org-audit.js', 'auditScreen');
const enterpriseScreen = lazy('./screens/enterprise.js', 'enterpriseScreen');
const enterpriseEntryScreen = lazy('./screens/enterprise.js', 'enterpriseEntryScreen');
const unitScreen = lazy('./screens/unit.js', 'unitScreen');
const adminScreen = lazy('./screens/admin.js', 'adminScreen');
const orgsScreen = lazy('./screens/org-orgs.js', 'orgsScreen');
const registerScreen = lazy('./screens/register.js', 'registerScreen');
const passwordScreen = lazy('./screens/account.js', 'passwordScreen');
const profileScreen = lazy('./screens/account.js', 'profileScreen');
const displayScreen = lazy('./screens/display.js', 'displayScreen');
const inboxScreen = lazy('./screens/notifications.js', 'inboxScreen');
const notificationSettingsScreen = lazy('./screens/notifications.js', 'notificationSettingsScreen');
const outboxScreen = lazy('./screens/org-outbox.js', 'outboxScreen');
const expertiseScreen = lazy('./screens/expertise.js', 'expertiseScreen');

/**
 * Where each role lands after login.
 * @param {import('./api.js').Schemas['UserResponse'] | null} user
 */
export function landing(user) {
  if (user?.role === 'expert') return '#/expert';
  if (user?.role === 'organizer') return '#/organizer';
  if (user?.role === 'enterprise') return '#/enterprise';
  if (user?.role === 'recommender') return '#/unit';
  if (user?.role === 'admin') return '#/admin';
  return '#/public';
}

/** @type {[RegExp, (m: RegExpExecArray) => unknown, string?][]} */
const routes = [
  [/^#\/login$/, () => loginScreen()],
  [/^#\/public(?:\/(\d+))?$/, (m) => publicScreen(m[1] ? Number(m[1]) : null)],
  [/^#\/expert$/, () => expertScreen(), 'expert'],
  [/^#\/expert\/sheets(?:\/(\d+))?$/, (m) => expertSheetsScreen(m[1] ? Number(m[1]) : 1), 'expert'],
  [/^#\/expert\/schedule$/, () => expertScheduleScreen(), 'expert'],
  [/^#\/expert\/sheet\/(\d+)\/(material|presentation)$/, (m) => sheetScreen(Number(m[1]), m[2]), 'expert'],
  [/^#\/organizer\/progress(?:\/(\d+))?$/, (m) => progressScreen(m[1] ? Number(m[1]) : null), 'organizer'],
  [/^#\/organizer$/, () => contestsScreen(), 'organizer'],
  [/^#\/organizer\/contest\/(\d+)$/, (m) => contestScreen(Number(m[1])), 'organizer'],
  [/^#\/organizer\/contest\/(\d+)\/entries$/, (m) => entriesScreen(Number(m[1])), 'organizer'],
  [/^#\/organizer\/entry\/(\d+)$/, (m) => entryScreen(Number(m[1])), 'organizer'],
  [/^#\/organizer\/contest\/(\d+)\/review$/, (m) => reviewScreen(Number(m[1])), 'organizer'],
  [/^#\/organizer\/contest\/(\d+)\/rules$/, (m) => rulesScreen(Number(m[1])), 'organizer'],
  [/^#\/organizer\/contest\/(\d+)\/setup$/, (m) => setupScreen(Number(m[1])), 'organizer'],
  [/^#\/organizer\/contest\/(\d+)\/sessions$/, (m) => sessionsScreen(Number(m[1])), 'organizer'],
  [/^#\/organizer\/session\/(\d+)\/print$/, (m) => runningOrderScreen(Number(m[1])), 'organizer'],
  [/^#\/organizer\/contest\/(\d+)\/results$/, (m) => resultsScreen(Number(m[1])), 'organizer'],
  [/^#\/organizer\/contest\/(\d+)\/quality$/, (m) => qualityScreen(Number(m[1])), 'organizer'],
  [/^#\/organizer\/contest\/(\d+)\/report$/, (m) => reportScreen(Number(m[1])), 'organizer'],
  [/^#\/organizer\/audit$/, () => auditScreen(), 'organizer'],
  [/^#\/organizer\/outbox$/, () => outboxScreen(), 'organizer'],
  [/^#\/organizer\/expertise$/, () => expertiseScreen(), 'organizer'],
  [/^#\/organizer\/orgs(?:\/(units|enterprises|experts|import|credentials))?$/, (m) => orgsScreen(m[1] || 'units'), 'organizer'],
  [/^#\/enterprise$/, () => enterpriseScreen(), 'enterprise'],
  [/^#\/enterprise\/entry\/(new|\d+)(?:\/(\d+))?$/, (m) => enterpriseEntryScreen(m[1] === 'new' ? null : Number(m[1]), m[2] ? Number(m[2]) : null), 'enterprise'],
  [/^#\/unit$/, () => unitScreen(), 'recommender'],
  [/^#\/admin$/, () => adminScreen(), 'admin'],
  [/^#\/register$/, () => registerScreen()],
  // The wall of a session: an organizer's, or anyone's with a display link (its token is the whole secret).
  [/^#\/display\/session\/(\d+)$/, (m) => displayScreen({ sessionId: Number(m[1]) }), 'organizer'],
  [/^#\/display\/([A-Za-z0-9_-]{43})$/, (m) => displayScreen({ token: m[1] })],
  // '*': any logged-in user.
  [/^#\/account\/password$/, () => passwordScreen(), '*'],
  [/^#\/inbox$/, () => inboxScreen(), '*'],
  [/^#\/account\/notifications$/, () => notificationSettingsScreen(), '*'],
  [/^#\/account\/profile$/, () => profileScreen(), 'expert'],
];

/** The current screen's clean-up (close streams, timers, listeners) runs before the next one. */
let cleanup = null;

function renderChrome() {
  const user = session.user;
  const links = [h('a', { href: '#/public' }, '评审结果公示')];
  if (user?.role === 'expert') links.unshift(h('a', { href: '#/expert' }, '我的评审任务'));
  if (user?.role === 'organizer') links.unshift(h('a', { href: '#/organizer' }, '评比活动'), h('a', { href: '#/organizer/orgs' }, '组织管理'), h('a', { href: '#/organizer/expertise' }, '专业匹配'), h('a', { href: '#/organizer/audit' }, '审计日志'), h('a', { href: '#/organizer/outbox' }, '消息发送'));
  if (user?.role === 'enterprise') links.unshift(h('a', { href: '#/enterprise' }, '我的申报'));
  if (user?.role === 'recommender') links.unshift(h('a', { href: '#/unit' }, '推荐成果'));
  if (user?.role === 'admin') links.unshift(h('a', { href: '#/admin' }, '账号管理'));
  // The current section: the longest link that the address starts with.
  const hash = location.hash;
  const here = links.map((a) => a.getAttribute('href')).filter((href) => hash === href || hash.startsWith(href + '/')).sort((a, b) => b.length - a.length)[0];
  for (const a of links) if (a.getAttribute('href') === here) a.setAttribute('aria-current', 'page');
  document.getElementById('nav').replaceChildren(...links);
  document.getElementById('who').replaceChildren(
    ...(user ? [bell(), accountMenu(user)] : [h('a', { href: '#/register' }, '企业注册'), h('a', { href: '#/login' }, '登录')]));
}

/**
 * The bell (every role): the number of unread messages, linking to the inbox. Fetched after each
 * screen is drawn (never before the screen's own data), every 10 s while the page is visible, and
 * when the inbox changes it (event 'qc:bell'); a failure keeps the last count.
 */
let unread = 0;
let bellTimer = /** @type {ReturnType<typeof setTimeout> | null} */ (null);
function bell() {
  const count = h('span.bell-count', { id: 'bell-count', hidden: !unread }, unread > 99 ? '99+' : String(unread));
  return h('a.bell', { href: '#/inbox', id: 'bell', 'aria-label': unread ? `消息通知，${unread} 条未读` : '消息通知', 'data-unread': String(unread) },
    h('img', { src: 'bell.svg', alt: '', width: 24, height: 24 }), count);
}
function drawBell() {
  const el = document.getElementById('bell');
  if (el) el.replaceWith(bell());
}
async function refreshBell() {
  if (bellTimer) clearTimeout(bellTimer);
  bellTimer = null;
  if (!session.user) return;
  try {
    const res = await get('/notifications/unread-count');
    unread = res.unread;
    drawBell();
  } catch { /* offline or signed out: keep the last count */ }
  if (session.user) bellTimer = setTimeout(() => { if (document.visibilityState === 'visible') void refreshBell(); else bellTimer = null; }, 10_000);
}
addEventListener('qc:bell', () => void refreshBell());
document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible' && !bellTimer) void refreshBell(); });

/**
 * The account menu in the header: who is logged in (name, role in Chinese), change password, sign out.
 * @param {import('./api.js').Schemas['UserResponse']} user
 */
function accountMenu(user) {
  const menu = h('details.account-menu', { id: 'account-menu' },
    h('summary', { 'aria-label': `账号菜单：${user.displayName || user.username}，${ROLE_NAMES[user.role] || '用户'}` },
      h('span.account-name', null, user.displayName || user.username), h('span.account-role', null, ROLE_NAMES[user.role] || '用户')),
    h('ul', null,
      h('li.muted', null, `用户名：${user.username}`),
      user.role === 'expert' && user.expertId ? h('li', null, h('a', { href: '#/account/profile', id: 'menu-profile' }, '我的专家资料')) : null,
      h('li', null, h('a', { href: '#/account/notifications', id: 'menu-notifications' }, '通知设置')),
      h('li', null, h('a', { href: '#/account/password', id: 'menu-password' }, '修改密码')),
      h('li', null, h('button.link', { type: 'button', id: 'menu-logout', onclick: logout }, '退出登录'))));
  // Closes on a choice, on Escape and on a click elsewhere, like a menu.
  menu.addEventListener('click', (ev) => { if (ev.target.closest('a, button')) menu.open = false; });
  menu.addEventListener('keydown', (ev) => { if (ev.key === 'Escape' && menu.open) { menu.open = false; menu.querySelector('summary').focus(); } });
  return menu;
}
// One listener for the page (the header is redrawn on every navigation).
document.addEventListener('click', (ev) => {
  const menu = /** @type {HTMLDetailsElement | null} */ (document.getElementById('account-menu'));
  if (menu?.open && !menu.contains(/** @type {Node} */ (ev.target))) menu.open = false;
});

/**
 * Logging out removes this user's cached sheets from the browser (a shared computer at a venue);
 * unsynced drafts are kept only if the expert chooses to keep them for the next login.
 */
async function logout() {
  const user = session.user;
  const mine = (prefix) => Object.keys(localStorage).filter((k) => user && k.startsWith(`${prefix}.${user.id}.`));
  const drafts = mine('qc.draft');
  if (drafts.length) {
    const discard = await confirmDialog('本机有未同步的评分', [
      `有 ${drafts.length} 张评分表的修改尚未保存到服务器（网络恢复并重新登录后会自动保存）。`,
      '确定要丢弃这些修改并退出吗？取消则保留修改并停留在当前页面。',
    ], '丢弃并退出');
    if (!discard) return;
    for (const k of drafts) localStorage.removeItem(k);
  }
  for (const k of mine('qc.sheet')) localStorage.removeItem(k);
  session.clear();
  unread = 0;
  if (location.hash === '#/login') void route();
  else location.hash = '#/login';
}

/**
 * Navigations run one after another: a screen still loading when the hash changes finishes (and is
 * cleaned up) before the next one starts, so a late answer never draws over the newer screen.
 */
let queue = Promise.resolve();
let pending = false;
function route() {
  waiting(true);
  if (pending) return queue;
  pending = true;
  queue = queue.then(async () => {
    pending = false;
    try { await show(); } finally { if (!pending) waiting(false); }
  }).catch(() => {});
  return queue;
}

/**
 * While a navigation waits for its screen (its module, its data: seconds on a slow network), the
 * screen being left stays in view, already cleaned up: it is marked busy and made inert, so that a
 * tap on it does nothing (an expert tapping the task list again, or a button of a screen whose
 * streams and timers are gone), and dimmed after a moment (styles.css). The wait ends when the new
 * screen first draws (its "正在加载…" included) or its navigation ends without drawing; `data-hash`
 * then names the screen in #main.
 * @param {boolean} on
 */
function waiting(on) {
  const main = document.getElementById('main');
  if (on) {
    main.setAttribute('aria-busy', 'true');
    main.inert = true;
  } else if (main.inert) {
    main.removeAttribute('aria-busy');
    main.inert = false;
  }
  if (!on) main.dataset.hash = location.hash;
}
onMount(() => { if (!pending) waiting(false); });

/** The hash the latest navigation drew (read when it started). */
let drawnHash = '';

async function show() {
  if (cleanup) { try { cleanup(); } catch { /* ignore */ } cleanup = null; }
  document.documentElement.style.removeProperty('--print-head'); // each screen sets its own (ui.js setPrintHead)
  const hash = location.hash || (session.user ? landing(session.user) : '#/public');
  drawnHash = hash;
  if (!location.hash) { history.replaceState(null, '', hash); }
  renderChrome();
  for (const [re, screen, role] of routes) {
    const m = re.exec(hash);
    if (!m) continue;
    if (role && (role === '*' ? !session.user : session.user?.role !== role)) {
      sessionStorage.setItem('qc.after-login', hash);
      location.hash = '#/login';
      return;
    }
    const result = await screen(m);
    cleanup = typeof result === 'function' ? result : null;
    if (!pending) waiting(false);
    // Focus moves to the new screen (for screen readers and keyboards) unless it focused a field itself.
    const main = document.getElementById('main');
    if (!main.contains(document.activeElement)) main.focus({ preventScroll: true });
    void refreshBell();
    return;
  }
  location.hash = session.user ? landing(session.user) : '#/public';
}

setUnauthorizedHandler(() => {
  sessionStorage.setItem('qc.after-login', location.hash);
  location.hash = '#/login';
});

// Network state banner (every screen): the expert's sheet adds its own save state.
function netBanner() {
  const el = document.getElementById('net');
  const text = !navigator.onLine ? '网络已断开：已填写的内容保存在本机，网络恢复后自动同步。'
    : serverDown ? '服务器正在重新连接…已填写的内容保存在本机，连接恢复后自动同步。' : '';
  el.hidden = !text;
  el.textContent = text;
}
addEventListener('online', netBanner);
addEventListener('offline', netBanner);

// The server answered 503 or could not be reached: the session and drafts stay, the banner says so,
// and a health probe (backing off to 15 s) notices the return; then 'qc:server-up' lets screens resend.
let serverDown = false;
let probeTimer = null;
let probeDelay = 1000;
function setServerDown(down) {
  if (down === serverDown) return;
  serverDown = down;
  netBanner();
  clearTimeout(probeTimer);
  probeDelay = 1000;
  if (down) probe();
  else dispatchEvent(new Event('qc:server-up'));
}
function probe() {
  probeTimer = setTimeout(async () => {
    try {
      const res = await fetch('/api/health', { cache: 'no-store', signal: AbortSignal.timeout(5000) });
      if (res.ok) { setServerDown(false); return; }
    } catch { /* still unreachable */ }
    probeDelay = Math.min(probeDelay * 2, 15_000);
    if (serverDown) probe();
  }, probeDelay);
}
setServerStateHandler((up) => setServerDown(!up));
netBanner();

/**
 * A stored session is checked against the server once at start (GET /auth/me): a deactivated account
 * or a changed password (401) goes to the login with the server's reason; a changed name, role or
 * organisation replaces the cached user (and a changed role lands on its own start page). A 503 or
 * no network keeps the cached session (the offline banner says so) — the expert's drafts stay usable.
 */
async function refreshUser() {
  const token = session.token;
  const cached = session.user;
  if (!token || !cached) return;
  /** @type {import('./api.js').Schemas['UserResponse']} */
  let fresh;
  try { fresh = await get('/auth/me'); } catch (err) {
    if (err.status === 401) {
      session.clear(); // api.js already did on token_invalid; any other 401 ends the cached session too
      flash(`${err.message}（账号可能已被停用、密码已被修改或登录已过期）。`);
      sessionStorage.setItem('qc.after-login', location.hash);
      if (location.hash === '#/login') void route(); else location.hash = '#/login';
    }
    return; // offline / 503: keep the cached session
  }
  if (session.token !== token) return; // logged out or in again meanwhile
  session.set(token, { ...cached, ...fresh });
  if (fresh.role !== cached.role) { location.hash = landing(fresh); return; }
  if (fresh.displayName !== cached.displayName || fresh.username !== cached.username) renderChrome();
}

// Two hash changes in one turn (a script, a fast double tap) fire two events, and the first one's
// navigation already reads the second hash: the second event would draw that screen again (a sheet
// drawn twice loses what was typed into the first). A change to the hash the latest navigation drew
// is one already handled.
addEventListener('hashchange', () => { if (pending || location.hash !== drawnHash) void route(); });
void refreshUser();
route();

// The app shell is cached by a service worker, so a reload without network still opens the
// screen (the expert's draft comes from this browser's storage). Only on secure contexts
// (https, localhost); elsewhere the interface simply works online.
if ('serviceWorker' in navigator && isSecureContext) {
  navigator.serviceWorker.register('sw.js').catch(() => {});
}
