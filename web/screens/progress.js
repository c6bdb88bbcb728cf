// The organizer's live scoring progress: per session submitted / expected and who is missing,
// updated without reload through the server-sent events stream (EventSource).
import { api, get, session } from '../api.js';
import { actionButton, ATTENDANCE, h, mount, notice, PHASES, STAGES, when } from '../ui.js';
/** @typedef {import('../api.js').Schemas} Schemas */

export async function progressScreen(contestId) {
  mount(h('h1', null, '评分进度'), h('p.muted', null, '正在加载…'));
  let contests;
  try { contests = await get('/contests?pageSize=200'); } catch (err) {
    if (err.status !== 401) mount(h('h1', null, '评分进度'), notice(err.message, 'error'));
    return;
  }
  const items = contests.items ?? contests;
  if (!contestId) {
    const pick = items.find((c) => c.phase === 'presentation') || items.find((c) => c.phase === 'finalizing') || items[0];
    if (!pick) { mount(h('h1', null, '评分进度'), notice('还没有评比活动。')); return; }
    contestId = pick.id;
    history.replaceState(null, '', '#/organizer/progress/' + contestId);
  }
  const select = h('select', { id: 'progress-contest' },
    items.map((c) => h('option', { value: String(c.id), selected: c.id === contestId }, `${c.name}（${PHASES[c.phase] || c.phase}）`)));
  select.addEventListener('change', () => { location.hash = '#/organizer/progress/' + select.value; });
  const live = h('p.live', { id: 'live-state', role: 'status' }, '正在连接…');
  const board = h('div', { id: 'progress-board', 'aria-live': 'polite', 'aria-busy': 'true' });
  // 提醒未评专家: one reminder (inbox, and e-mail / SMS where configured) to each expert with sheets missing.
  const reminded = h('div', { id: 'remind-result', tabindex: '-1', 'aria-live': 'polite' });
  const remind = actionButton('提醒未评专家', { id: 'remind-missing' }, reminded, async () => {
    const r = await api('POST', `/contests/${contestId}/notifications/remind-missing-experts`, {});
    reminded.replaceChildren(notice(`已提醒 ${r.experts.length} 位专家：${r.experts.map((x) => `${x.name}（${x.missing} 张未交）`).join('、')}。`, 'ok'));
  });
  mount(h('h1', null, '评分进度'),
    h('div.field.inline', null, h('label', { for: 'progress-contest' }, '评比活动'), select),
    h('div.actions', null, remind), reminded,
    live, board);

  try { render(board, await get(`/contests/${contestId}/progress`)); } catch (err) {
    if (err.status !== 401) board.replaceChildren(notice(err.message, 'error'));
    return;
  }

  // EventSource cannot send headers: this one route takes the token as ?access_token=.
  const es = new EventSource(`/api/contests/${contestId}/progress/stream?access_token=${encodeURIComponent(session.token)}`);
  es.onopen = () => { live.dataset.state = 'live'; live.textContent = '实时更新中'; };
  es.onmessage = (ev) => {
    try { render(board, JSON.parse(ev.data)); } catch { /* a malformed event is skipped */ }
  };
  es.onerror = () => {
    live.dataset.state = 'down';
    live.textContent = es.readyState === EventSource.CLOSED ? '实时连接已断开，请刷新页面' : '连接中断，正在重连…';
  };
  return () => es.close();
}

/** @param {Schemas['ProgressCounts']} c */
function pct(c) { return c.expected ? Math.round((c.submitted / c.expected) * 100) : 100; }

/**
 * @param {Schemas['ProgressCounts']} c
 * @param {string} label
 */
function counts(c, label) {
  return h('div.counts-line', null,
    h('progress', { max: String(c.expected || 1), value: String(c.submitted), 'aria-label': label }),
    h('span', { 'data-role': 'submitted' }, `已提交 ${c.submitted} / ${c.expected}`),
    h('span.muted', null, ` · 草稿 ${c.drafted} · 未交 ${c.missing}（${pct(c)}%）`));
}

/**
 * @param {HTMLElement} board
 * @param {Schemas['ContestProgress']} p
 */
function render(board, p) {
  board.setAttribute('aria-busy', 'false');
  const sessions = p.sessions.map((s) => h('section.card', { 'aria-labelledby': 'ps-' + s.sessionId, 'data-session': String(s.sessionId) },
    h('h2', { id: 'ps-' + s.sessionId }, s.name),
    h('p.muted', null, `${s.panelName || '未指定评审组'} · ${s.signedOffAt ? '组长已确认 ' + when(s.signedOffAt) : '组长未确认'}`),
    counts(s, `${s.name} 已提交`),
    h('table', null,
      h('thead', null, h('tr', null, ...['顺序', '成果', '签到', '已提交', '未提交的专家'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, s.entries.map((e) => h('tr', { 'data-entry': String(e.entryId) },
        h('td.num', null, e.position ?? '—'),
        h('td', null, h('a', { href: `#/organizer/entry/${e.entryId}` }, e.title)),
        h('td.nowrap', null, ATTENDANCE[e.attendance] || e.attendance),
        h('td.num', null, e.attendance === 'absent' ? '—' : `${e.submitted}/${e.expected}`),
        h(e.missingExperts.length && e.attendance !== 'absent' ? 'td.missing' : 'td', null, e.attendance === 'absent' ? '缺席，无需评分'
          : e.missingExperts.length ? e.missingExperts.map((x) => `${x.name}（${x.stages.map((st) => STAGES[st] || st).join('、')}）`).join('；') : '全部提交')))))));
  board.replaceChildren(
    h('p', { id: 'progress-totals' }, `${PHASES[p.phase] || p.phase} · 更新于 ${when(p.generatedAt)}`),
    counts(p.totals, '全部已提交'),
    ...(sessions.length ? sessions : [notice('该活动还没有现场发表场次。')]));
}
