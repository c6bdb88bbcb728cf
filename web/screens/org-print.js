// Paper for the presentation day (issue 13): the printable 发表顺序表 of a session (web/css/print.css
// prints --print-head, set by setPrintHead, at the top of each page).
import { get } from '../api.js';
import { ATTENDANCE, h, load, mount, setPrintHead, table, when } from '../ui.js';
import { loadContest, orgHref } from './org-nav.js';
import { getAll } from './org-setup.js';
/** @typedef {import('../api.js').Schemas} Schemas */

/** A button that prints the page (hidden in print, like every button). */
export const printButton = (label = '打印', id = 'print-page') => h('button.primary', { type: 'button', id, onclick: () => window.print() }, label);

/** 发表顺序表: slot, time, team, enterprise, title, attendance, and the draw record with the seed's commitment. */
export async function runningOrderScreen(sessionId) {
  const data = await load('发表顺序表', async () => {
    /** @type {Schemas['SessionResponse']} */
    const session = await get(`/sessions/${sessionId}`);
    /** @type {[Schemas['ContestResponse'], Schemas['PublicDrawResponse'], Schemas['PanelResponse'][]]} */
    const [contest, draw, panels] = await Promise.all([
      loadContest(session.contestId), get(`/public/sessions/${sessionId}/draw`), getAll(`/contests/${session.contestId}/panels`),
    ]);
    return { session, contest, draw, panel: panels.find((p) => p.id === session.panelId) ?? null };
  });
  if (!data) return;
  const { session: s, contest, draw, panel } = data;
  const head = `${contest.name} · ${s.name}`;
  setPrintHead(head);
  const rows = s.slots.map((x) => h('tr', { 'data-entry': x.entryId, class: x.attendance === 'absent' ? 'absent' : null },
    h('td.num', null, x.position ?? '—'), h('td.nowrap', null, x.startsAt ? when(x.startsAt).slice(-5) : '—'),
    h('td', null, x.teamName), h('td', null, x.enterpriseName ?? '—'), h('td', null, x.title),
    h('td.nowrap', null, ATTENDANCE[x.attendance] || x.attendance)));
  const swapped = draw.order && draw.currentOrder && draw.order.join(',') !== draw.currentOrder.join(',');
  const record = s.drawnAt
    ? h('dl.paper-record', { id: 'draw-record' },
      h('div', null, h('dt', null, '种子承诺值 SHA-256（抽签前公布）'), h('dd', null, h('code', { id: 'print-commitment' }, draw.commitment ?? '—'), `（公布于 ${when(draw.committedAt)}）`)),
      h('div', null, h('dt', null, '公开的随机种子'), h('dd', null, h('code', null, draw.seed ?? '—'), `（抽签于 ${when(draw.drawnAt)}）`)),
      h('div', null, h('dt', null, '抽签算法'), h('dd', null, '由公开的种子按 HMAC-SHA256 洗牌确定，任何人可复算（算法全文见公开验证记录）')),
      h('div', null, h('dt', null, '公开验证记录'), h('dd', null, `${location.origin}/api/public/sessions/${s.id}/draw`)),
      swapped ? h('div', null, h('dt', null, '顺序调整'), h('dd', null, '抽签后经组委会调换过发表顺序（已记录原因，见审计日志）；上表为现行顺序。')) : null)
    : h('p', { id: 'draw-record' }, '本场次尚未抽签，上表按成果编号排列，不是发表顺序。');
  mount(
    h('p.crumbs.no-print', null, h('a', { href: orgHref(contest.id, 'sessions') }, '返回场次与抽签')),
    h('p.print-head', null, head),
    h('h1', null, `发表顺序表 · ${s.name}`),
    h('div.paper-meta', null,
      h('span', null, `活动：${contest.name}`), h('span', null, `场地：${s.venue}`),
      h('span', null, `时间：${when(s.startsAt)} – ${when(s.endsAt).slice(-5)}`),
      h('span', null, `评审组：${panel?.name ?? '未指定'}`), h('span', null, `每项发表 ${s.slotMinutes} 分钟 + 答辩 ${s.qaMinutes} 分钟`)),
    h('div.actions.no-print', null, printButton('打印发表顺序表', 'print-order')),
    table(['顺序', '时间', '小组', '企业', '成果名称', '签到'], rows, '本场次没有成果。', { id: 'print-order-table' }),
    h('h2', null, '抽签记录'),
    record,
    h('div.paper-sign', null, h('p', null, '组委会经办人：', h('span', null, '')), h('p', null, '日期：', h('span', null, ''))));
}
