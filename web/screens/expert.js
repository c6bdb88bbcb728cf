// The expert's assignments in presentation order, by session, with the state of each sheet.
import { get, session } from '../api.js';
import { ATTENDANCE, h, mount, notice, STAGES, when } from '../ui.js';

const SHEET_STATE = { draft: '草稿', submitted: '已提交' };

export async function expertScreen() {
  mount(h('h1', null, '我的评审任务'), h('p.muted', null, '正在加载…'));
  let assignments, schedule, sheets;
  try {
    [assignments, schedule, sheets] = await Promise.all([
      get('/experts/me/assignments'), get('/experts/me/schedule'), get('/experts/me/sheets?pageSize=200'),
    ]);
  } catch (err) {
    if (err.status !== 401) mount(h('h1', null, '我的评审任务'), notice(err.message, 'error'));
    return;
  }
  const user = session.user;
  const status = new Map(sheets.items.map((s) => [`${s.entryId}:${s.stage}`, s]));
  const hasLocalDraft = (entryId, stage) => localStorage.getItem(`qc.draft.${user.id}.${entryId}.${stage}`) !== null;

  const stageCell = (entryId, stage, absent) => {
    const s = status.get(`${entryId}:${stage}`);
    const label = s ? SHEET_STATE[s.status] || s.status : '未开始';
    const local = hasLocalDraft(entryId, stage) ? '（本机有未同步修改）' : '';
    if (absent) return h('td', null, '—');
    return h('td', null, h('a', { href: `#/expert/sheet/${entryId}/${stage}`, 'aria-label': `${STAGES[stage]}评分：${label}` },
      s?.status === 'submitted' ? `已提交 ${s.total ?? ''}` : label + local));
  };

  const scheduled = new Set();
  const sessions = [...schedule.items].sort((a, b) => String(a.session.startsAt).localeCompare(String(b.session.startsAt)) || a.session.id - b.session.id);
  const blocks = sessions.map((s) => {
    const entries = [...s.entries].sort((a, b) => (a.position ?? 1e9) - (b.position ?? 1e9));
    for (const e of entries) scheduled.add(e.entryId);
    return h('section.card', { 'aria-labelledby': 'session-' + s.session.id },
      h('h2', { id: 'session-' + s.session.id }, s.session.name),
      h('p.muted', null, `${when(s.session.startsAt)} · ${s.session.venue || '地点待定'} · ${s.panel?.name || ''}${s.panel?.leader ? '（组长）' : ''}`),
      table(entries.map((e) => {
        const absent = e.attendance === 'absent';
        return h('tr', absent ? { class: 'absent' } : null,
          h('td.num', null, e.position ?? '—'),
          h('td', null, e.title, h('div.muted', null, [e.teamName, e.enterpriseName].filter(Boolean).join(' · '))),
          h('td.nowrap', null, ATTENDANCE[e.attendance] || e.attendance || '—'),
          stageCell(e.entryId, 'material', absent), stageCell(e.entryId, 'presentation', absent));
      })));
  });
  const rest = assignments.items.filter((a) => !scheduled.has(a.entryId));
  if (rest.length) {
    blocks.push(h('section.card', { 'aria-labelledby': 'session-none' }, h('h2', { id: 'session-none' }, '未安排场次'),
      table(rest.map((a) => h('tr', null, h('td.num', null, '—'), h('td', null, a.title), h('td', null, ATTENDANCE[a.attendance] || '—'),
        stageCell(a.entryId, 'material', a.attendance === 'absent'), stageCell(a.entryId, 'presentation', a.attendance === 'absent'))))));
  }
  const flash = sessionStorage.getItem('qc.flash');
  sessionStorage.removeItem('qc.flash');
  mount(h('h1', null, '我的评审任务'),
    flash ? notice(flash, 'ok') : null,
    h('p', null, `共 ${assignments.total} 项成果，按现场发表顺序排列。`),
    ...(blocks.length ? blocks : [notice('暂无分配给您的成果。')]));
}

function table(rows) {
  return h('table', null,
    h('thead', null, h('tr', null, ...['顺序', '成果', '签到', STAGES.material, STAGES.presentation].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, rows));
}
