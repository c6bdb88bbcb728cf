// The organizer's desk, on-site presentation: sessions (场次) in venues, the verifiable draw of the
// order (抽签: commit → draw → public record) and check-in (签到) with swaps.
import { blob, get, session } from '../api.js';
import { clockText } from './display.js';
import { actionButton, ATTENDANCE, confirmDialog, download, field, h, isoOf, load, mount, notice, reasonDialog, table, when } from '../ui.js';
import { contestHeader, loadContest, orgHref } from './org-nav.js';
import { checkedIds, checks, choice, flash, formOf, frozen, getAll, input, num, randomHex, refresher, section, send, str, val } from './org-setup.js';
/** @typedef {import('../api.js').Schemas} Schemas */
/**
 * The screen's data and what the cards share.
 * @typedef {{ contest: Schemas['ContestResponse'], tracks: Schemas['TrackResponse'][], panels: Schemas['PanelResponse'][],
 *   sessions: Schemas['SessionResponse'][], entries: Schemas['EntryListItem'][], current: Schemas['SessionResponse'] | null, contestId: number,
 *   state: any, redo: (next: object) => Promise<void>, trackName: (id: number | null) => string, panelName: (id: number | null) => string }} SessionsContext
 */

const seedKey = (sessionId) => `qc.draw-seed.${sessionId}`;
const pickKey = (contestId) => `qc.org-session.${contestId}`;

export async function sessionsScreen(contestId, state = {}) {
  const data = await load('场次与抽签', async () => {
    /** @type {[Schemas['ContestResponse'], Schemas['TrackResponse'][], Schemas['PanelResponse'][], Schemas['SessionResponse'][], Schemas['EntryListItem'][]]} */
    const [contest, tracks, panels, sessions, entries] = await Promise.all([
      loadContest(contestId), get(`/contests/${contestId}/tracks`), getAll(`/contests/${contestId}/panels`),
      getAll(`/contests/${contestId}/sessions`), getAll(`/entries?contestId=${contestId}&status=passed`),
    ]);
    const wanted = state.selected ?? Number(sessionStorage.getItem(pickKey(contestId)));
    const pick = sessions.find((s) => s.id === wanted) ?? sessions.find((s) => !s.drawnAt) ?? sessions[0];
    /** @type {Schemas['SessionResponse'] | null} */
    const current = pick ? await get(`/sessions/${pick.id}`) : null;
    return { contest, tracks, panels, sessions, entries, current };
  });
  closeDesk();
  if (!data) return;
  const c = /** @type {SessionsContext} */ ({ ...data, contestId, state, redo: refresher(sessionsScreen, contestId) });
  if (c.current) sessionStorage.setItem(pickKey(contestId), String(c.current.id));
  c.trackName = (id) => c.tracks.find((t) => t.id === id)?.name ?? '—';
  c.panelName = (id) => c.panels.find((p) => p.id === id)?.name ?? '未指定';
  mount(...contestHeader(c.contest, 'sessions'), frozen(c.contest),
    h('p', null, h('a', { href: orgHref(contestId, 'progress'), id: 'progress-link' }, '打开评分进度看板（实时）')),
    listCard(c),
    // Once drawn, the desk works the check-in first; before, the draw comes first.
    ...(c.current ? (c.current.drawnAt ? [checkInCard(c, c.current), displayCard(c, c.current), drawCard(c, c.current)] : [drawCard(c, c.current), checkInCard(c, c.current)]) : []),
    createCard(c));
  return closeDesk;
}

const drawState = (s) => (s.drawnAt ? '已抽签' : s.commitment ? '已公布承诺值' : '未抽签');

// ------------------------------------------------------------------------------------ list

/** @param {SessionsContext} c */
function listCard(c) {
  const rows = c.sessions.map((s) => h('tr', { 'data-session': s.id, 'aria-current': s.id === c.current?.id ? 'true' : null },
    h('td', null, s.name), h('td', null, s.venue), h('td.nowrap', null, `${when(s.startsAt)} – ${when(s.endsAt).slice(-5)}`),
    h('td', null, `${c.panelName(s.panelId)}（${c.trackName(s.trackId)}）`), h('td.num', null, s.entryCount),
    h('td.nowrap', { 'data-role': 'draw-state' }, drawState(s)),
    h('td', null, s.id === c.current?.id ? h('span.muted', null, '当前')
      : h('button', { type: 'button', class: 'link', onclick: () => c.redo({ selected: s.id }), 'aria-label': `管理「${s.name}」` }, '管理'))));
  const out = h('span', { role: 'status' });
  const exports = c.sessions.length ? h('p.pr-papers', { id: 'schedule-exports' },
    actionButton('下载全部场次日程（xlsx，每场一页）', { id: 'schedule-xlsx' }, out, () => download(() => blob(`/contests/${c.contestId}/schedule.xlsx`), `${c.contest.name}-现场发表日程.xlsx`)), ' ',
    actionButton('下载日历文件（.ics）', { id: 'schedule-ics' }, out, () => download(() => blob(`/contests/${c.contestId}/schedule.ics`), `${c.contest.name}-现场发表日程.ics`)), ' ', out) : null;
  return section('sessions', '发表场次',
    flash(c.state, 'sessions'),
    exports,
    table(['场次', '场地', '时间', '评审组', '成果数', '抽签', '操作'], rows, '还没有发表场次。', { id: 'sessions-table' }));
}

// ------------------------------------------------------------------------------------ create

/** @param {SessionsContext} c */
function createCard(c) {
  const trackSel = choice('session-track', 'trackId', c.tracks.map((t) => [t.id, t.name]));
  const panelSel = choice('session-panel', 'panelId', c.panels.map((p) => [p.id, `${p.name}（${c.trackName(p.trackId)}）`]));
  const box = h('div', { id: 'session-entries-box' });
  const fill = () => {
    const trackId = num(trackSel.value);
    const panel = c.panels.find((p) => p.trackId === trackId);
    if (panel) panelSel.value = String(panel.id);
    const options = c.entries.filter((e) => e.trackId === trackId).map((e) => [e.id, e.title]);
    box.replaceChildren(checks('session-entries', 'entryIds', '参加本场次的成果（该分组尚未安排的通过初审的成果）', trackId ? options : [], new Set(options.map(([id]) => id))));
  };
  trackSel.addEventListener('change', fill);
  fill();
  const form = formOf('session-form', [
    h('div.pr-row', null, field('分组', trackSel), field('评审组', panelSel)),
    h('div.pr-row', null,
      field('场次名称', input('session-name', 'name', { maxLength: 100, placeholder: '如：第一场现场发表' })),
      field('场地', input('session-venue', 'venue', { maxLength: 200, placeholder: '如：滨海新区会议中心 3 号厅' }))),
    h('div.pr-row', null,
      field('开始时间', input('session-starts', 'startsAt', { type: 'datetime-local' })),
      field('每项发表（分钟）', input('session-slot', 'slotMinutes', { type: 'number', min: 1, max: 120, value: 15 })),
      field('每项答辩（分钟）', input('session-qa', 'qaMinutes', { type: 'number', min: 0, max: 60, value: 5 }))),
    box,
  ], '新建场次', async (f) => {
    const starts = val(f, 'startsAt');
    /** @type {Schemas['CreateSessionDto']} */
    const body = {
      trackId: num(val(f, 'trackId')), panelId: num(val(f, 'panelId')), name: str(f, 'name'), venue: str(f, 'venue'),
      startsAt: starts ? isoOf(starts) : null, slotMinutes: num(val(f, 'slotMinutes')), qaMinutes: num(val(f, 'qaMinutes')),
    };
    if (body.trackId) body.entryIds = checkedIds(f.querySelector('#session-entries'));
    /** @type {Schemas['SessionResponse']} */
    const s = await send('POST', `/contests/${c.contestId}/sessions`, body);
    await c.redo({ at: 'sessions', flash: `已新建场次「${s.name}」（${s.entryCount} 项成果）。`, selected: s.id });
  });
  return section('new-session', '新建场次', h('p.muted', null, '同一场地的场次时间不能重叠；结束时间按成果数 ×（发表 + 答辩）计算。'), form);
}

// ------------------------------------------------------------------------------------ the draw

/**
 * @param {SessionsContext} c
 * @param {Schemas['SessionResponse']} s
 */
function drawCard(c, s) {
  const seed = sessionStorage.getItem(seedKey(s.id));
  const summary = h('div', { 'aria-live': 'assertive', tabindex: '-1' });
  const commit = actionButton(s.commitment ? '重新生成种子并公布承诺值' : '生成随机种子并公布承诺值', { id: 'draw-commit', class: s.commitment ? 'link' : 'primary' }, summary, async () => {
    if (s.commitment && !(await confirmDialog('重新生成种子', '已公布的承诺值将被替换（留有审计记录），原种子作废。确定吗？', '重新生成'))) return;
    const fresh = randomHex(32);
    await send('POST', `/sessions/${s.id}/commit`, /** @satisfies {Schemas['CommitDto']} */ ({ commitment: await sha256Hex(fresh) }));
    sessionStorage.setItem(seedKey(s.id), fresh);
    await c.redo({ at: 'draw', flash: '已公布承诺值。请抄录并妥善保管随机种子，抽签时公开。', selected: s.id });
  });
  const step1 = s.commitment
    ? [h('p', null, '承诺值 SHA-256：', h('code.pr-hash', { id: 'draw-commitment' }, s.commitment), h('span.muted', null, ` （公布于 ${when(s.committedAt)}）`)),
      !s.drawnAt && seed ? h('p.pr-seed', null, '随机种子（请抄录保存，抽签时公开）：', h('code.pr-hash', { id: 'draw-seed' }, seed)) : null,
      !s.drawnAt ? h('div', null, commit) : null]
    : [h('p.muted', null, '浏览器生成 32 字节随机种子，先只公布它的 SHA-256 承诺值；种子由组委会保管，抽签时公开，任何人都可核对。'), h('div', null, commit)];
  const step2 = s.drawnAt
    ? h('p', null, `已于 ${when(s.drawnAt)} 抽签。`)
    : s.commitment
      ? formOf('draw-form', [field('随机种子', input('draw-seed-input', 'seed', { maxLength: 128, value: seed ?? '', autocomplete: 'off' }), '本机保存的种子已自动填入；换了电脑请粘贴抄录的种子')],
        '公开种子并抽签', async (f) => {
          const value = str(f, 'seed');
          if (value && !(await confirmDialog('抽签', [`将公开随机种子并抽出「${s.name}」${s.entryCount} 项成果的发表顺序。`, '抽签结果不能更改，确定吗？'], '抽签'))) return;
          await send('POST', `/sessions/${s.id}/draw`, /** @satisfies {Schemas['DrawDto']} */ ({ seed: value }));
          sessionStorage.removeItem(seedKey(s.id));
          await c.redo({ at: 'draw', flash: '抽签完成，发表顺序已确定。', selected: s.id });
        })
      : h('p.muted', null, '先完成第 1 步。');
  const verify = h('p', { id: 'draw-verify', role: 'status' });
  if (s.drawnAt && s.seed) {
    sha256Hex(s.seed).then((hash) => {
      const ok = hash === s.commitment;
      verify.className = ok ? 'pr-verified' : 'pr-warn';
      verify.textContent = ok ? '✓ 本机核对：SHA-256(种子) 与事先公布的承诺值一致。' : '✗ 本机核对：SHA-256(种子) 与承诺值不一致！';
    });
  }
  const publicUrl = `/api/public/sessions/${s.id}/draw`;
  const step3 = s.drawnAt
    ? [h('p', null, '公开的种子：', h('code.pr-hash', { id: 'draw-revealed' }, s.seed)), verify,
      h('p', null, h('a', { href: publicUrl, id: 'draw-public', target: '_blank', rel: 'noopener' }, '公开验证记录'), h('span.muted', null, `（${location.origin}${publicUrl}，含承诺值、种子、成果编号和算法，无需登录）`))]
    : [h('p.muted', null, '抽签后公开种子和验证记录。')];
  return section('draw', `抽签：${s.name}`,
    flash(c.state, 'draw'),
    h('p.muted', null, `${s.venue} · ${when(s.startsAt)} 起 · ${c.panelName(s.panelId)} · 每项 ${s.slotMinutes} + ${s.qaMinutes} 分钟`),
    summary,
    h('ol.pr-steps', null,
      step('1', '公布承诺值', !!s.commitment, step1),
      step('2', '抽签', !!s.drawnAt, [step2]),
      step('3', '公示与验证', !!s.drawnAt, step3)));
}

const step = (n, title, done, body) => h('li', { 'data-step': n, 'data-done': done ? 'true' : 'false' }, h('h3', null, title, done ? h('span.badge.ok', null, '已完成') : null), ...body);

// ------------------------------------------------------------------------------------ check-in

/**
 * @param {SessionsContext} c
 * @param {Schemas['SessionResponse']} s
 */
function checkInCard(c, s) {
  const summary = h('div', { 'aria-live': 'assertive', tabindex: '-1' });
  const open = c.contest.phase === 'presentation' && !!s.drawnAt;
  const mark = (slot, attendance) => actionButton(attendance === 'present' ? '到场' : '缺席',
    { class: attendance === 'present' ? 'primary' : null, 'data-attendance': attendance, 'aria-label': `${slot.title}：${attendance === 'present' ? '到场' : '缺席'}` }, summary, async () => {
      const what = attendance === 'present' ? '到场发表' : '缺席（不参加评分）';
      if (!(await confirmDialog('签到', `确定记录「${slot.title}」${what}吗？如记录有误，可在评分开始前撤销并说明原因。`, '确定'))) return;
      await send('POST', `/sessions/${s.id}/check-in`, /** @satisfies {Schemas['CheckInDto']} */ ({ entryId: slot.entryId, attendance }));
      await c.redo({ at: 'checkin', flash: `已记录「${slot.title}」${what}。`, selected: s.id });
    });
  // A late team recorded absent, a wrong tick: back to 待签到 with a reason, then recorded again (refused once scoring began).
  const undo = (slot) => actionButton('撤销签到', { 'data-action': 'undo-check-in', 'aria-label': `${slot.title}：撤销签到` }, summary, async () => {
    const reason = await reasonDialog('撤销签到', [`撤销「${slot.title}」的签到（当前：${ATTENDANCE[slot.attendance]}）后，该成果回到“待签到”，可重新记录到场或缺席。已开始评分的成果不能撤销。`], '撤销原因', '确认撤销');
    if (reason === null) return;
    await send('POST', `/sessions/${s.id}/check-in/${slot.entryId}/undo`, /** @satisfies {Schemas['UndoCheckInDto']} */ ({ reason }));
    await c.redo({ at: 'checkin', flash: `已撤销「${slot.title}」的签到，请重新记录。`, selected: s.id });
  });
  const rows = s.slots.map((x) => h('tr', { 'data-entry': x.entryId, 'data-attendance': x.attendance, class: x.attendance === 'absent' ? 'absent' : null },
    h('td.num', null, x.position ?? '—'), h('td.nowrap', null, x.startsAt ? when(x.startsAt).slice(-5) : '—'),
    h('td', null, x.title), h('td', null, [x.teamName, x.enterpriseName].filter(Boolean).join(' · ')),
    h('td.nowrap', { 'data-role': 'attendance' }, ATTENDANCE[x.attendance] || x.attendance),
    h('td.nowrap', null, open && x.attendance === 'pending' ? h('div.pr-buttons', null, mark(x, 'present'), mark(x, 'absent'))
      : open && !s.signedOffAt ? undo(x) : '')));
  const why = !s.drawnAt ? '抽签后才能签到。' : c.contest.phase !== 'presentation' ? '评比活动进入“现场发表”阶段后才能签到。' : null;
  return section('checkin', s.drawnAt ? '发表顺序与签到' : '本场次成果（尚未抽签）',
    flash(c.state, 'checkin'),
    why ? notice(why) : null,
    summary,
    table(['顺序', '时间', '成果', '小组 · 企业', '签到', '操作'], rows, '本场次没有成果。', { id: 'order-table' }),
    papers(s, summary),
    s.drawnAt && s.slots.length > 1 ? swapForm(c, s) : null);
}

/**
 * The session's paper: the 评分汇总表 the panel signs, once the leader has signed off (issue 13).
 * @param {Schemas['SessionResponse']} s
 */
function papers(s, out) {
  const order = h('a', { href: `#/organizer/session/${s.id}/print`, id: 'print-order-link' }, s.drawnAt ? '打印发表顺序表' : '打印本场次成果表（尚未抽签）');
  const summary = s.signedOffAt
    ? actionButton('下载评分汇总表（PDF，供评审组签字）', { id: 'score-summary' }, out,
      () => download(() => blob(`/sessions/${s.id}/score-summary.pdf`), `评分汇总表-${s.name}.pdf`))
    : h('span.muted', { id: 'score-summary-pending' }, '评分汇总表：评审组组长确认本场次评分后可下载。');
  return h('p.pr-papers', null, order, ' · ', summary);
}

/**
 * @param {SessionsContext} c
 * @param {Schemas['SessionResponse']} s
 */
function swapForm(c, s) {
  const pending = s.slots.filter((x) => x.attendance === 'pending').map((x) => [x.entryId, `${x.position}. ${x.title}`]);
  return h('details', null, h('summary', null, '调换发表顺序（须说明原因）'),
    formOf('swap-form', [
      h('div.pr-row', null, field('成果甲', choice('swap-a', 'entryA', pending)), field('成果乙', choice('swap-b', 'entryB', pending))),
      field('调换原因', h('textarea', { id: 'swap-reason', 'data-field': 'reason', maxLength: 500, rows: 2 })),
    ], '调换顺序', async (f) => {
      await send('POST', `/sessions/${s.id}/swap`, /** @satisfies {Schemas['SwapDto']} */ ({ entryA: num(val(f, 'entryA')), entryB: num(val(f, 'entryB')), reason: str(f, 'reason') }));
      await c.redo({ at: 'checkin', flash: '已调换两项成果的发表顺序（已记录原因）。', selected: s.id });
    }));
}

// ------------------------------------------------------------------------------------ 投屏与计时

/** The desk's live view of the wall (one at a time: a redraw of the screen replaces it). */
let desk = null;
function closeDesk() {
  if (!desk) return;
  desk.es.close();
  clearInterval(desk.ticker);
  desk = null;
}

/**
 * The timer and the wall of the session, from the desk: start / pause / reset / next team, the
 * display links for the projector's computer (shown once, revocable) and the wall on this computer.
 * The desk follows the server's state live, so two organizers (or the desk and a 计时员's phone) agree.
 * @param {SessionsContext} c
 * @param {Schemas['SessionResponse']} s
 */
function displayCard(c, s) {
  const out = h('div', { 'aria-live': 'assertive', tabindex: '-1' });
  const now = h('p.pr-now', { id: 'desk-now' }, '正在读取…');
  const clock = h('p.pr-clock', { id: 'desk-timer', role: 'timer', 'aria-label': '发表剩余时间' }, '--:--');
  /** @type {{ s: Schemas['DisplayState'], at: number } | null} */
  let base = null;
  const tick = () => {
    if (!base) return;
    const t = base.s.timer;
    const ms = t.running ? t.remainingMs - (performance.now() - base.at) : t.remainingMs;
    clock.textContent = `${clockText(ms)}${t.running ? '' : '（暂停）'}`;
    clock.dataset.state = ms <= 0 ? 'over' : ms <= t.warnBelowMs ? 'warn' : t.running ? 'running' : 'paused';
  };
  const startBtn = h('span');
  const render = (/** @type {Schemas['DisplayState']} */ st) => {
    base = { s: st, at: performance.now() };
    const cur = st.current;
    now.textContent = cur ? `正在发表：${cur.position}. ${cur.title}（${[cur.teamName, cur.enterpriseName].filter(Boolean).join(' · ')}）· 第 ${st.done}/${st.total} 项`
      : `尚未开始 · 本场 ${st.total} 项到场发表`;
    now.dataset.entry = cur ? String(cur.entryId) : '';
    startBtn.querySelector('button').textContent = st.timer.running ? '计时中' : cur && st.timer.remainingMs < st.timer.durationMs ? '继续计时' : '开始计时';
    tick();
  };
  const act = (label, action, attrs = {}) => actionButton(label, { 'data-action': `display-${action}`, ...attrs }, out, async () => {
    let st;
    if (action === 'start') st = await send('POST', `/sessions/${s.id}/display/start`, {});
    else if (action === 'pause') st = await send('POST', `/sessions/${s.id}/display/pause`, {});
    else if (action === 'reset') st = await send('POST', `/sessions/${s.id}/display/reset`, {});
    else st = await send('POST', `/sessions/${s.id}/display/advance`, {});
    render(st);
  });
  startBtn.append(act('开始计时', 'start', { class: 'primary' }));
  const open = c.contest.phase === 'presentation' && !s.signedOffAt;

  closeDesk();
  // EventSource cannot send headers: the organizer's token goes as ?access_token= (redacted in the logs).
  const es = new EventSource(`/api/sessions/${s.id}/display/stream?access_token=${encodeURIComponent(session.token ?? '')}`);
  es.onmessage = (ev) => { try { render(JSON.parse(ev.data)); } catch { /* skipped */ } };
  desk = { es, ticker: setInterval(tick, 250) };
  get(`/sessions/${s.id}/display`).then(render, (err) => out.replaceChildren(notice(err.message, 'error')));

  return section('display', '投屏与计时',
    flash(c.state, 'display'),
    h('p.muted', null, `投影屏显示正在发表和下两项的小组、企业、课题名称及倒计时（每项 ${s.slotMinutes} 分钟，剩余 2 分钟变黄、超时变红），不显示分数和专家姓名。`),
    out, now, clock,
    open ? h('div.pr-buttons', { id: 'desk-controls' }, startBtn, act('暂停', 'pause'), act('重置本项时间', 'reset'), act('下一项', 'advance'))
      : notice(s.signedOffAt ? '本场次已由组长确认，计时已结束。' : '评比活动进入“现场发表”阶段后才能计时。'),
    h('p', null, h('a', { href: `#/display/session/${s.id}`, id: 'desk-display-open', target: '_blank', rel: 'noopener' }, '在本机新窗口打开投屏（需登录）')),
    displayLinks(c, s));
}

/**
 * Display links: the projector's computer opens one without logging in; only organizers create and revoke them.
 * @param {SessionsContext} c
 * @param {Schemas['SessionResponse']} s
 */
function displayLinks(c, s) {
  const box = h('div', { id: 'display-links' }, h('p.muted', null, '正在读取投屏链接…'));
  const shown = h('div', { id: 'display-link-new', 'aria-live': 'polite' });
  const out = h('div', { 'aria-live': 'assertive', tabindex: '-1' });
  const list = async () => {
    /** @type {Schemas['DisplayLinkResponse'][]} */
    const links = await get(`/sessions/${s.id}/display-links`);
    box.replaceChildren(table(['名称', '创建时间', '状态', '操作'], links.map((l) => h('tr', { 'data-link': l.id },
      h('td', null, l.label), h('td.nowrap', null, when(l.createdAt)), h('td.nowrap', null, l.revokedAt ? `已作废（${when(l.revokedAt)}）` : '有效'),
      h('td', null, l.revokedAt ? '' : actionButton('作废', { 'aria-label': `作废投屏链接「${l.label}」` }, out, async () => {
        if (!(await confirmDialog('作废投屏链接', `作废后，用「${l.label}」打开的投屏立即停止显示。确定吗？`, '作废'))) return;
        await send('POST', `/sessions/${s.id}/display-links/${l.id}/revoke`, {});
        shown.replaceChildren();
        await list();
      })))), '还没有投屏链接。', { id: 'display-links-table' }));
  };
  list().catch((err) => box.replaceChildren(notice(err.message, 'error')));
  const form = formOf('display-link-form', [field('投屏名称', input('display-link-label', 'label', { maxLength: 50, value: '主会场投影' }))], '新建投屏链接', async (f) => {
    /** @type {Schemas['DisplayLinkCreated']} */
    const link = await send('POST', `/sessions/${s.id}/display-links`, /** @satisfies {Schemas['CreateDisplayLinkDto']} */ ({ label: str(f, 'label') }));
    const url = `${location.origin}${location.pathname}${link.path}`;
    shown.replaceChildren(notice('投屏链接已生成（只显示这一次；丢失请作废后重新生成）。在投影电脑的浏览器中打开，按 F11 全屏：', 'ok'),
      h('p', null, h('a', { href: url, id: 'display-link-url', target: '_blank', rel: 'noopener' }, url)));
    await list();
  });
  return h('div.pr-block', null, h('h3', null, '投屏链接（投影电脑免登录）'), out, shown, box, form);
}

// ------------------------------------------------------------------------------------ SHA-256

/** Lower-case hex SHA-256 of the UTF-8 text: Web Crypto, or the fallback on plain-http pages (no crypto.subtle there). */
export async function sha256Hex(text) {
  const bytes = new TextEncoder().encode(text);
  if (globalThis.crypto?.subtle) return [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
  return sha256Fallback(bytes);
}

const PRIMES = [];
for (let n = 2; PRIMES.length < 64; n++) if (PRIMES.every((p) => n % p)) PRIMES.push(n);
const frac32 = (x) => ((x - Math.floor(x)) * 2 ** 32) >>> 0;
const K = PRIMES.map((p) => frac32(Math.cbrt(p)));
const H0 = PRIMES.slice(0, 8).map((p) => frac32(Math.sqrt(p)));
const rotr = (x, n) => (x >>> n) | (x << (32 - n));

/** FIPS 180-4 SHA-256 (messages below 512 MB). */
function sha256Fallback(bytes) {
  const padded = new Uint8Array(((bytes.length + 72) >> 6) << 6);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 4, bytes.length * 8);
  let hash = [...H0];
  const w = new Array(64);
  for (let o = 0; o < padded.length; o += 64) {
    for (let i = 0; i < 64; i++) {
      w[i] = i < 16 ? view.getUint32(o + i * 4)
        : ((rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10)) + w[i - 7] + (rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3)) + w[i - 16]) | 0;
    }
    let [a, b, c, d, e, f, g, hh] = hash;
    for (let i = 0; i < 64; i++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      [hh, g, f, e, d, c, b, a] = [g, f, e, (d + t1) | 0, c, b, a, (t1 + t2) | 0];
    }
    hash = hash.map((x, i) => (x + [a, b, c, d, e, f, g, hh][i]) | 0);
  }
  return hash.map((x) => (x >>> 0).toString(16).padStart(8, '0')).join('');
}
