// @ts-check
// The expert's assignments in presentation order, by session, with the state of each sheet.
import { api, blob, get, serverNow, session } from '../api.js';
/** @typedef {import('../api.js').Schemas} Schemas */
import { actionButton, ATTENDANCE, confirmDialog, download, ENTRY_TYPES, h, load, mount, notice, pager, setPrintHead, STAGES, table as dataTable, takeFlash, when } from '../ui.js';

const SHEET_STATE = { draft: '草稿', submitted: '已提交' };

export async function expertScreen() {
  mount(h('h1', null, '我的评审任务'), h('p.muted', null, '正在加载…'));
  // One request: this year's sessions and entries with the state of my sheets; past years only counted.
  /** @type {Schemas['ExpertTasksResponse']} */
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
      })),
      // Only contests still being judged are in the task list, so a leader's drawn session can be signed off.
      s.panel?.leader && s.session.drawnAt ? signOffBlock(s.session) : null);
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
    h('p', null, `共 ${scheduled.size + rest.length} 项待评成果，按现场发表顺序排列；`, h('strong', { id: 'pending-total' }, `待提交评分表 ${tasks.pending} 张`), '。'),
    h('p', { id: 'expert-links' }, h('a', { href: '#/expert/schedule', id: 'link-schedule' }, '打印我的日程'), ' · ',
      h('a', { href: '#/expert/sheets', id: 'link-sheets' }, '我的评分记录')),
    calendarLinks([...new Set(sessions.map((x) => x.session.contestId))]),
    ...(blocks.length ? blocks : [notice('暂无分配给您的成果。')]),
    tasks.past.sessions || tasks.past.submittedSheets
      ? h('p.muted', { id: 'past-sessions' }, `往届已完成：${tasks.past.sessions} 场现场评审，提交评分表 ${tasks.past.submittedSheets} 份。`) : null);
}

/** My presentation slots as an iCalendar file per contest (phone and desktop calendars import it). */
function calendarLinks(contestIds) {
  if (!contestIds.length) return null;
  const out = h('span', { role: 'status' });
  return h('p', { id: 'calendar-links' }, ...contestIds.map((id) => actionButton('下载我的现场发表日程（.ics，可导入日历）', { 'data-calendar': id }, out,
    () => download(() => blob(`/contests/${id}/schedule.ics`), '现场发表日程.ics'))), ' ', out);
}

/**
 * The panel leader's sign-off of a session: first what is still missing (whose sheet, which entry),
 * then, once every sheet is in, the confirmation. Signed sessions say when.
 */
function signOffBlock(s) {
  const out = h('div', { id: `sign-off-${s.id}`, 'aria-live': 'polite', tabindex: '-1' });
  const box = h('div.signoff', { 'data-sign-off': String(s.id) }, h('h3', null, '组长确认本场评分'), out);
  const show = async () => {
    /** @type {Schemas['SignOffStatusResponse']} */
    let st;
    try { st = await get(`/sessions/${s.id}/sign-off`); } catch (err) {
      if (err.status !== 401) out.replaceChildren(notice('无法读取确认状态：' + err.message, 'error'));
      return;
    }
    if (st.signedOffAt) { out.replaceChildren(notice(`本场评分已由组长确认（${when(st.signedOffAt)}）。`, 'ok')); return; }
    const msg = h('div', { 'aria-live': 'assertive', tabindex: '-1' });
    const recheck = actionButton('重新检查', { id: `sign-off-recheck-${s.id}` }, msg, show);
    if (st.missing.length) {
      out.replaceChildren(
        notice(`还有 ${st.missing.length} 张评分表未提交，全部提交后才能确认。`, 'warn'),
        dataTable(['成果', '评审专家', '评审环节', '状态'], st.missing.map((x) => h('tr', null,
          h('td', null, x.entryTitle), h('td', null, x.expertName), h('td', null, STAGES[x.stage] || x.stage), h('td', null, x.status === 'draft' ? '草稿未提交' : '未开始'))),
        '—', { id: `sign-off-missing-${s.id}`, class: 'signoff-missing' }),
        msg, h('div.actions', null, recheck));
      return;
    }
    const sign = actionButton('确认本场评分', { class: 'primary', id: `sign-off-confirm-${s.id}` }, msg, async () => {
      if (!(await confirmDialog('组长确认', [`「${s.name}」的评分表已全部提交。`, '确认后本场次的评分表不能再修改；如需更正，须由组委会退回。'], '确认'))) return;
      try {
        await api('POST', `/sessions/${s.id}/sign-off`);
      } catch (err) {
        if (err.code === 'sheets_missing') { await show(); return; } // a sheet was reopened meanwhile
        throw err;
      }
      await show();
      out.focus();
    });
    out.replaceChildren(notice('本场次的评分表已全部提交，可以确认。', 'ok'), msg, h('div.actions', null, recheck, sign));
  };
  void show();
  return box;
}

function table(rows) {
  return h('table', null,
    h('thead', null, h('tr', null, ...['顺序', '成果', '签到', STAGES.material, STAGES.presentation].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, rows));
}

const SHEETS_PAGE = 20;
/** The contest filter of 「我的评分记录」, kept while paging. */
let sheetsContest = '';

/** The contests an expert may see (every one past its draft), by id, for names and the filter. */
async function contestNames() {
  /** @type {Schemas['ContestPage']} */
  const page = await get('/contests?pageSize=200');
  return new Map(page.items.map((c) => [c.id, c.name]));
}

/**
 * 「我的评分记录」: every sheet of mine, of every contest and year (GET /experts/me/sheets, paged, newest
 * first as the API gives them), grouped by contest; a filter narrows to one contest.
 */
export async function expertSheetsScreen(page = 1) {
  const q = new URLSearchParams({ page: String(page), pageSize: String(SHEETS_PAGE) });
  if (sheetsContest) q.set('contestId', sheetsContest);
  const data = await load('我的评分记录', () => Promise.all([get(`/experts/me/sheets?${q}`), contestNames()]));
  if (!data) return;
  /** @type {[Schemas['SheetPage'], Map<number, string>]} */
  const [list, names] = data;
  const contestName = (id) => names.get(id) || `评比活动（编号 ${id}）`;
  const byContest = new Map();
  for (const x of list.items) byContest.set(x.contestId, [...(byContest.get(x.contestId) || []), x]);
  const choice = h('select', { id: 'sheets-contest', name: 'contestId' }, h('option', { value: '' }, '全部评比活动'),
    ...[...names].map(([id, name]) => h('option', { value: String(id), selected: String(id) === sheetsContest }, name)));
  const filter = h('form.filters', { id: 'sheets-filter', role: 'search', 'aria-label': '按评比活动筛选' },
    h('label', { for: 'sheets-contest' }, '评比活动'), choice,
    h('button', { type: 'submit' }, '筛选'),
    sheetsContest ? h('button', { type: 'button', id: 'sheets-all', onclick: () => { sheetsContest = ''; void expertSheetsScreen(1); } }, '全部') : null);
  filter.addEventListener('submit', (ev) => {
    ev.preventDefault();
    sheetsContest = /** @type {HTMLSelectElement} */ (choice).value;
    void expertSheetsScreen(1);
  });
  const blocks = [...byContest].map(([contestId, sheets]) => h('section.card', { 'aria-labelledby': `sheets-c${contestId}`, 'data-contest': String(contestId) },
    h('h2', { id: `sheets-c${contestId}` }, contestName(contestId)),
    dataTable(['成果', '评审环节', '状态', '合计', '版本', '提交时间'], sheets.map((x) => h('tr', { 'data-sheet': String(x.id), 'data-status': x.status },
      h('td', null, h('a', { href: `#/expert/sheet/${x.entryId}/${x.stage}` }, x.entryTitle)),
      h('td.nowrap', null, STAGES[x.stage] || x.stage),
      h('td', null, SHEET_STATE[x.status] || x.status),
      h('td.num', null, x.total ?? '—'),
      h('td.num', null, x.version ? `第 ${x.version} 版` : '—'),
      h('td.nowrap', null, when(x.submittedAt)))), '—')));
  mount(h('h1', null, '我的评分记录'),
    h('p', null, h('a', { href: '#/expert' }, '返回我的评审任务')),
    filter,
    h('p', { id: 'sheets-total', role: 'status' }, `共 ${list.total} 张评分表${sheetsContest ? `（${contestName(Number(sheetsContest))}）` : '（历届全部）'}。`),
    ...(blocks.length ? blocks : [notice('还没有评分记录。')]),
    pager(list, (p) => { location.hash = `#/expert/sheets/${p}`; }, '评分记录分页', 'sheets-page'));
}

/**
 * A printable personal schedule: my sessions in time order with place, panel and the entries in
 * presentation order (GET /experts/me/schedule), each with its type and track from my assignments
 * (GET /experts/me/assignments), which also lists what is not scheduled yet.
 */
export async function expertScheduleScreen() {
  const data = await load('我的现场评审日程', () => Promise.all([get('/experts/me/schedule'), get('/experts/me/assignments')]));
  if (!data) return;
  /** @type {[Schemas['ExpertScheduleResponse'], Schemas['MyAssignmentsResponse']]} */
  const [schedule, assignments] = data;
  const byEntry = new Map(assignments.items.map((a) => [a.entryId, a]));
  const kind = (entryId) => {
    const a = byEntry.get(entryId);
    return a ? [ENTRY_TYPES[a.entryType] || a.entryType, a.track?.name].filter(Boolean).join(' · ') : '—';
  };
  const user = session.user;
  setPrintHead(`${user?.displayName || ''} · 现场评审日程`);
  const items = [...schedule.items].sort((a, b) => String(a.session.startsAt).localeCompare(String(b.session.startsAt)) || a.session.id - b.session.id);
  const scheduled = new Set(items.flatMap((s) => s.entries.map((e) => e.entryId)));
  const rest = assignments.items.filter((a) => !scheduled.has(a.entryId));
  mount(h('h1', null, '我的现场评审日程'),
    h('p.no-print', null, h('a', { href: '#/expert' }, '返回我的评审任务'), ' ',
      h('button', { type: 'button', id: 'print-schedule', onclick: () => print() }, '打印日程')),
    h('p', { id: 'schedule-who' }, `评审专家：${user?.displayName || ''}；共 ${items.length} 场，${assignments.total} 项分配的成果（时间为北京时间）。`),
    ...(items.length ? items.map((s) => h('section.card', { 'aria-labelledby': `sched-${s.session.id}`, 'data-session': String(s.session.id) },
      h('h2', { id: `sched-${s.session.id}` }, s.session.name),
      h('p', null, `${when(s.session.startsAt)} · ${s.session.venue || '地点待定'}${s.panel ? ` · ${s.panel.name}${s.panel.leader ? '（组长）' : ''}` : ''}`),
      dataTable(['顺序', '成果', '类型与赛道', '预计开始'], [...s.entries].sort((a, b) => (a.position ?? 1e9) - (b.position ?? 1e9)).map((e) => h('tr', { 'data-entry': String(e.entryId) },
        h('td.num', null, e.position ?? '—'),
        h('td', null, e.title, h('div.muted', null, [e.teamName, e.enterpriseName].filter(Boolean).join(' · '))),
        h('td', null, kind(e.entryId)),
        h('td.nowrap', null, when(e.startsAt)))), '本场次暂无成果。'))) : [notice('暂无安排给您的场次。')]),
    rest.length ? h('section.card', { 'aria-labelledby': 'sched-none', id: 'schedule-unscheduled' }, h('h2', { id: 'sched-none' }, '尚未排入场次'),
      dataTable(['成果', '类型与赛道'], rest.map((a) => h('tr', { 'data-entry': String(a.entryId) }, h('td', null, a.title), h('td', null, kind(a.entryId)))))) : null);
}
