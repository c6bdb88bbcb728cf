// The expert's assignments in presentation order, by session, with the state of each sheet.
import { get, serverNow, session } from '../api.js';
import { ATTENDANCE, h, mount, notice, STAGES, takeFlash, when } from '../ui.js';

const SHEET_STATE = { draft: '草稿', submitted: '已提交' };

export async function expertScreen() {
  mount(h('h1', null, '我的评审任务'), h('p.muted', null, '正在加载…'));
  // One request: this year's sessions and entries with the state of my sheets; past years only counted.
  let tasks;
  try {
    tasks = await get('/experts/me/tasks');
  } catch (err) {
    if (err.status !== 401) mount(h('h1', null, '我的评审任务'), notice(err.message, 'error'));
    return;
  }
  const user = session.user;
  const schedule = { items: tasks.sessions };
  const status = new Map([...tasks.sessions.flatMap((s) => s.entries), ...tasks.unscheduled]
    .flatMap((e) => e.sheets.map((s) => [`${e.entryId}:${s.stage}`, s])));
  const hasLocalDraft = (entryId, stage) => localStorage.getItem(`qc.draft.${user.id}.${entryId}.${stage}`) !== null;

  const stageCell = (entryId, stage, absent) => {
    const s = status.get(`${entryId}:${stage}`);
    const label = s ? SHEET_STATE[s.status] || s.status : '未开始';
    const local = hasLocalDraft(entryId, stage) ? '（本机有未同步修改）' : '';
    if (absent) return h('td', null, '—');
    return h('td', null, h('a', { href: `#/expert/sheet/${entryId}/${stage}`, 'aria-label': `${STAGES[stage]}评分：${label}` },
      s?.status === 'submitted' ? `已提交 ${s.total ?? ''}` : label + local));
  };

  // Today by the server's clock, in China Standard Time (sessions are Beijing times).
  const cstDay = (t) => new Date(t + 8 * 3600_000).toISOString().slice(0, 10);
  const today = cstDay(serverNow());
  const scheduled = new Set();
  const sessions = [...schedule.items].sort((a, b) => String(a.session.startsAt).localeCompare(String(b.session.startsAt)) || a.session.id - b.session.id);
  const sessionBlock = (s) => {
    const entries = [...s.entries].sort((a, b) => (a.position ?? 1e9) - (b.position ?? 1e9));
    for (const e of entries) scheduled.add(e.entryId);
    const isToday = cstDay(Date.parse(s.session.startsAt)) === today;
    return h('section.card', { 'aria-labelledby': 'session-' + s.session.id, 'data-session': String(s.session.id) },
      h('h2', { id: 'session-' + s.session.id }, s.session.name, isToday ? h('span.badge.warn', null, '今天') : null),
      h('p.muted', null, `${when(s.session.startsAt)} · ${s.session.venue || '地点待定'} · ${s.panel?.name || ''}${s.panel?.leader ? '（组长）' : ''}`),
      table(entries.map((e) => {
        const absent = e.attendance === 'absent';
        return h('tr', absent ? { class: 'absent' } : null,
          h('td.num', null, e.position ?? '—'),
          h('td', null, e.title, h('div.muted', null, [e.teamName, e.enterpriseName].filter(Boolean).join(' · '))),
          h('td.nowrap', null, ATTENDANCE[e.attendance] || e.attendance || '—'),
          stageCell(e.entryId, 'material', absent), stageCell(e.entryId, 'presentation', absent));
      })));
  };
  const blocks = sessions.map(sessionBlock);
  const rest = tasks.unscheduled.filter((a) => !scheduled.has(a.entryId));
  if (rest.length) {
    blocks.push(h('section.card', { 'aria-labelledby': 'session-none' }, h('h2', { id: 'session-none' }, '未安排场次'),
      table(rest.map((a) => h('tr', null, h('td.num', null, '—'), h('td', null, a.title), h('td', null, ATTENDANCE[a.attendance] || '—'),
        stageCell(a.entryId, 'material', a.attendance === 'absent'), stageCell(a.entryId, 'presentation', a.attendance === 'absent'))))));
  }
  mount(h('h1', null, '我的评审任务'),
    takeFlash(),
    h('p', null, `共 ${scheduled.size + rest.length} 项待评成果，按现场发表顺序排列；还有 ${tasks.pending} 份评分表待提交。`),
    ...(blocks.length ? blocks : [notice('暂无分配给您的成果。')]),
    tasks.past.sessions || tasks.past.submittedSheets
      ? h('p.muted', { id: 'past-sessions' }, `往届已完成：${tasks.past.sessions} 场现场评审，提交评分表 ${tasks.past.submittedSheets} 份。`) : null);
}

function table(rows) {
  return h('table', null,
    h('thead', null, h('tr', null, ...['顺序', '成果', '签到', STAGES.material, STAGES.presentation].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, rows));
}
