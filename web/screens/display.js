// 现场发表投屏: the full-screen wall of a session (projector, 1920×1080 or 1280×720, read from the
// back of the hall). Opened with a display link (#/display/<token>, no login: the token the
// organizer created at the desk) or by a logged-in organizer (#/display/session/<id>). It shows the
// session, who presents now, the next two and the countdown; never marks, scores or experts' names.
// The server keeps the timer: each state carries the server's remaining time as at its own now, and
// this page counts down from the moment it received it (performance.now(), not the device clock).
import { get, session } from '../api.js';
import { h, mount } from '../ui.js';
/** @typedef {import('../api.js').Schemas} Schemas */

const TICK_MS = 100;

/** mm:ss of a remaining time (ceil to the second, so 0:00 is shown only when the time is really up); over time: +m:ss. */
export function clockText(ms) {
  const over = ms <= 0;
  const s = over ? Math.floor(-ms / 1000) : Math.ceil(ms / 1000);
  const text = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  return over && s > 0 ? `+${text}` : text;
}

/**
 * The display of a link token (public) or of a session (organizer): where its state and stream come from.
 * @returns {{ state: () => Promise<Schemas['DisplayState']>, stream: () => EventSource }}
 */
function source(target) {
  if (target.token) {
    return {
      async state() {
        const res = await fetch('/api/display/state', { headers: { accept: 'application/json', 'x-display-token': target.token }, cache: 'no-store' });
        const body = await res.json().catch(() => null);
        if (!res.ok) throw Object.assign(new Error(body?.message || `请求失败（${res.status}）`), { status: res.status });
        return body;
      },
      stream: () => new EventSource(`/api/display/stream?access_token=${encodeURIComponent(target.token)}`),
    };
  }
  return {
    state: () => get(`/sessions/${target.sessionId}/display`),
    // EventSource cannot send headers: the organizer's token goes as ?access_token= (redacted in the logs).
    stream: () => new EventSource(`/api/sessions/${target.sessionId}/display/stream?access_token=${encodeURIComponent(session.token ?? '')}`),
  };
}

const entryLine = (/** @type {Schemas['DisplayEntry']} */ e) => [e.teamName, e.enterpriseName].filter(Boolean).join(' · ');

export async function displayScreen(target) {
  document.body.classList.add('display-mode');
  const src = source(target);
  const heading = h('h1.dp-session', { id: 'display-session' }, '现场发表');
  const sub = h('p.dp-sub', { id: 'display-sub' });
  const team = h('p.dp-team', { id: 'display-team' }, '—');
  const enterprise = h('p.dp-enterprise', { id: 'display-enterprise' });
  const title = h('p.dp-title', { id: 'display-title' });
  const timer = h('div.dp-timer', { id: 'display-timer', role: 'timer', 'aria-label': '发表剩余时间', 'data-state': 'idle' }, '--:--');
  const timerNote = h('p.dp-timer-note', { id: 'display-timer-note' });
  const progress = h('p.dp-progress', { id: 'display-progress' });
  const next = h('ol.dp-next', { id: 'display-next', 'aria-label': '下一项' });
  const live = h('p.dp-live', { id: 'display-live', role: 'status' }, '正在连接…');
  mount(h('div.dp', { id: 'display' },
    h('header.dp-head', null, heading, sub),
    h('section.dp-now', { 'aria-labelledby': 'display-now-label' }, h('h2.dp-label', { id: 'display-now-label' }, '正在发表'), team, enterprise, title),
    h('section.dp-clock', null, timer, timerNote, progress),
    h('section.dp-queue', { 'aria-labelledby': 'display-next-label' }, h('h2.dp-label', { id: 'display-next-label' }, '下一项'), next),
    live));

  /** The last state and when (this page's monotonic clock) it arrived. */
  /** @type {{ s: Schemas['DisplayState'], at: number } | null} */
  let base = null;
  let version = -1;
  const remaining = () => (!base ? null : base.s.timer.running ? base.s.timer.remainingMs - (performance.now() - base.at) : base.s.timer.remainingMs);

  function tick() {
    const ms = remaining();
    if (ms === null) return;
    const st = base.s.timer;
    timer.textContent = clockText(ms);
    timer.dataset.remainingMs = String(Math.round(ms));
    timer.dataset.state = ms <= 0 ? 'over' : ms <= st.warnBelowMs ? 'warn' : st.running ? 'running' : 'paused';
    timerNote.textContent = ms <= 0 ? '时间到' : !st.running ? (base.s.current ? '计时暂停' : '等待开始') : ms <= st.warnBelowMs ? '剩余不足 2 分钟' : `发表时间 ${base.s.slotMinutes} 分钟`;
  }

  /** @param {Schemas['DisplayState']} s */
  function render(s) {
    // Events of one stream come in order; a late answer to the first read never replaces a newer event.
    if (s.timer.version < version) return;
    version = s.timer.version;
    base = { s, at: performance.now() };
    heading.textContent = s.sessionName;
    sub.textContent = `${s.contestName} · ${s.venue}`;
    const c = s.current;
    team.textContent = c ? c.teamName || c.enterpriseName || '' : s.drawn ? '即将开始' : '尚未抽签';
    enterprise.textContent = c && c.teamName ? (c.enterpriseName ?? '') : '';
    title.textContent = c ? `${c.position}. ${c.title}` : '';
    document.getElementById('display').dataset.entry = c ? String(c.entryId) : '';
    progress.textContent = s.progress && c ? `评分：${s.progress.submitted}/${s.progress.expected} 位专家已提交` : s.total ? `本场 ${s.total} 项 · 已发表至第 ${s.done} 项` : '';
    next.replaceChildren(...(s.next.length ? s.next.map((e) => h('li', { 'data-entry': String(e.entryId) },
      h('span.dp-pos', null, `${e.position}.`), h('span.dp-next-team', null, entryLine(e)), h('span.dp-next-title', null, e.title)))
      : [h('li.dp-none', null, s.signedOff ? '本场发表已结束' : c ? '本项为本场最后一项' : '—')]));
    tick();
  }

  function failed(err) {
    const gone = err.status === 410;
    live.dataset.state = 'down';
    live.textContent = gone ? '该投屏链接已被组委会作废，请向组委会索取新链接。' : err.status === 404 ? '投屏链接无效。' : err.message;
    if (gone || err.status === 404) { base = null; timer.textContent = '--:--'; timer.dataset.state = 'idle'; }
  }

  try { render(await src.state()); } catch (err) {
    failed(err);
    return () => document.body.classList.remove('display-mode');
  }
  const ticker = setInterval(tick, TICK_MS);
  const es = src.stream();
  es.onopen = () => { live.dataset.state = 'live'; live.textContent = '实时同步中'; };
  es.onmessage = (ev) => { try { render(JSON.parse(ev.data)); } catch { /* a malformed event is skipped */ } };
  es.onerror = async () => {
    live.dataset.state = 'down';
    live.textContent = '连接中断，正在重连…';
    // The stream ends for good when the link is revoked: ask why, and stop retrying if it is gone.
    try { await src.state(); } catch (err) {
      if (err.status === 410 || err.status === 404) { es.close(); failed(err); }
    }
  };
  return () => {
    es.close();
    clearInterval(ticker);
    document.body.classList.remove('display-mode');
  };
}
