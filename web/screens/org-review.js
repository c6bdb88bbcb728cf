// The organizer's desk: preliminary review (材料初审). The queue of entries awaiting a decision
// with the review statistics; for one entry the contest's checklist item by item and a decision
// (pass / return / reject); bulk pass of selected entries; closing review.
import { api, get } from '../api.js';
import { confirmDialog, DECISIONS, ENTRY_TYPES, field, flash, h, load, mount, notice, onSubmit, pager, PHASES, summaryBox, table, takeFlash, when } from '../ui.js';
import { contestHeader, loadContest } from './org-nav.js';
import { decisionList, fetchFile } from './org-entries.js';
/** @typedef {import('../api.js').Schemas} Schemas */
/**
 * @typedef {{ contest: Schemas['ContestResponse'], queue: Schemas['ReviewQueueResponse'], stats: Schemas['ReviewStatsResponse'],
 *   msg: HTMLElement, panel: HTMLElement, deciding: boolean, page: number }} ReviewContext
 */

const PAGE_SIZE = 50;

export async function reviewScreen(contestId, page = 1) {
  /** @type {[Schemas['ContestResponse'], Schemas['ReviewQueueResponse'], Schemas['ReviewStatsResponse']]} */
  const data = await load('材料初审', () => Promise.all([
    loadContest(contestId), get(`/contests/${contestId}/review/queue?page=${page}&pageSize=${PAGE_SIZE}`), get(`/contests/${contestId}/review/stats`),
  ]));
  if (!data) return;
  const [contest, queue, stats] = data;
  const deciding = contest.phase === 'review' && !stats.reviewClosedAt;
  const msg = h('div', { id: 'review-msg', 'aria-live': 'polite' }, takeFlash());
  const panel = h('div', { id: 'decision-panel' });
  const ctx = { contest, queue, stats, msg, panel, deciding, page };
  mount(...contestHeader(contest, 'review'),
    msg,
    contest.phase !== 'review' ? notice(`评比活动当前处于「${PHASES[contest.phase] || contest.phase}」阶段，只有在「初审中」阶段才能作出初审结论。`, 'warn') : null,
    stats.reviewClosedAt ? notice(`材料初审已于 ${when(stats.reviewClosedAt)} 结束：${stats.reviewClosureNote || ''}`, 'info') : null,
    statsCard(stats),
    queueCard(ctx),
    panel,
    contest.phase === 'review' ? closeForm(ctx) : null);
}

const COUNT_LABELS = [['awaiting', '待初审'], ['passed', '通过'], ['returned', '退回修改'], ['rejected', '不予通过'], ['total', '合计']];

/** @param {Schemas['ReviewStatsResponse']} stats */
function statsCard(stats) {
  const breakdown = (title, rows, name) => h('details', null, h('summary', null, title),
    table(['', ...COUNT_LABELS.map(([, l]) => l)], rows.map((r) => h('tr', null, h('td', null, name(r)), COUNT_LABELS.map(([k]) => h('td.num', null, String(r[k]))))), '暂无数据。'));
  return h('section.card', { 'aria-labelledby': 'stats-title' },
    h('h2', { id: 'stats-title' }, '初审统计'),
    h('ul.counts', { id: 'review-stats' }, COUNT_LABELS.map(([k, label]) => h('li', { 'data-state': k }, h('span', null, label), h('strong', null, String(stats.totals[k]))))),
    breakdown('按推荐单位', stats.byUnit, (r) => r.unitName || `单位 #${r.unitId}`),
    breakdown('按分组', stats.byTrack, (r) => r.trackName || '未分组'));
}

/** @param {ReviewContext} ctx */
function queueCard(ctx) {
  const { contest, queue, deciding } = ctx;
  const boxes = [];
  const bulk = h('button.primary', { type: 'button', id: 'bulk-pass', disabled: true }, '批量通过所选');
  const refresh = () => {
    const n = boxes.filter((b) => b.checked).length;
    bulk.disabled = !deciding || n === 0;
    bulk.textContent = n ? `批量通过所选（${n} 项）` : '批量通过所选';
  };
  const rows = queue.items.map((item) => {
    const box = h('input', { type: 'checkbox', id: `pick-${item.entryId}`, value: String(item.entryId), disabled: !deciding, onchange: refresh });
    boxes.push(box);
    return h('tr', { 'data-entry': String(item.entryId) },
      h('td', null, box, h('label.oi-vh', { for: box.id }, `选择 ${item.title}`)),
      h('td', null, h('a', { href: `#/organizer/entry/${item.entryId}` }, item.title),
        h('div.muted', null, `${item.enterpriseName || ''} · ${item.unitName || ''}`)),
      h('td.nowrap', null, ENTRY_TYPES[item.entryType] || item.entryType, item.trackName ? h('div.muted', null, item.trackName) : null),
      h('td.num', null, item.round > 1 ? `第 ${item.round} 轮（重新提交）` : '第 1 轮'),
      h('td.nowrap', null, when(item.submittedAt)),
      h('td', null, h('div.oi-actions', null,
        h('button.review', { type: 'button', disabled: !deciding, onclick: () => showDecision(ctx, item) }, '审查'),
        h('button.link.report', { type: 'button', onclick: (ev) => openReport(ev.currentTarget, item) }, '成果报告'))));
  });
  bulk.addEventListener('click', () => bulkPass(ctx, boxes.filter((b) => b.checked).map((b) => Number(b.value))));
  const all = h('input', { type: 'checkbox', id: 'pick-all', disabled: !deciding || !rows.length,
    onchange: (ev) => { for (const b of boxes) b.checked = ev.currentTarget.checked; refresh(); } });
  return h('section.card', { 'aria-labelledby': 'queue-title' },
    h('h2', { id: 'queue-title' }, `待初审成果（${queue.total} 项）`),
    h('p.desc', null, '按提交时间先后排列。逐项审查：打开成果报告，按检查项作出结论；检查项全部合格的成果可批量通过。'),
    rows.length ? h('div.oi-bulk', null, h('span.oi-check', null, all, h('label', { for: 'pick-all' }, '全选本页')), bulk) : null,
    table(['选择', '成果', '类型 / 分组', '轮次', '提交时间', '操作'], rows, '没有等待初审的成果。', { id: 'review-queue' }),
    pager(queue, (p) => reviewScreen(contest.id, p), '待初审成果分页'));
}

/**
 * Downloads the entry's current report (成果报告).
 * @param {HTMLElement} button
 * @param {Schemas['QueueItemResponse']} item
 */
async function openReport(button, item) {
  button.parentElement.querySelector('.field-error')?.remove();
  try {
    /** @type {Schemas['AttachmentList']} */
    const list = await get(`/entries/${item.entryId}/attachments`);
    const report = list.items.find((a) => a.kind === 'report' && a.current);
    if (!report) { button.after(h('p.field-error', { role: 'alert' }, '该成果没有成果报告。')); return; }
    await fetchFile(button, report);
  } catch (err) {
    if (err.status !== 401) button.after(h('p.field-error', { role: 'alert' }, err.message));
  }
}

/**
 * @param {ReviewContext} ctx
 * @param {number[]} entryIds
 */
async function bulkPass(ctx, entryIds) {
  const ok = await confirmDialog('批量通过初审？', [
    `所选 ${entryIds.length} 项成果将全部判为「通过」（检查项全部合格）。`, '有任何一项不能通过时，全部不处理。',
  ], '全部通过');
  if (!ok) return;
  try {
    /** @type {Schemas['BulkPassResponse']} */
    const res = await api('POST', `/contests/${ctx.contest.id}/review/bulk-pass`, /** @satisfies {Schemas['BulkPassDto']} */ ({ entryIds }));
    flash(`已批量通过 ${res.passed} 项成果。`);
    await reviewScreen(ctx.contest.id, ctx.page);
  } catch (err) {
    if (err.status !== 401) ctx.msg.replaceChildren(notice(err.message, 'error'));
  }
}

/**
 * The decision form of one entry: each checklist item ok or not (with a note), the decision and a reason.
 * @param {ReviewContext} ctx
 * @param {Schemas['QueueItemResponse']} item
 */
function showDecision(ctx, item) {
  const checklist = ctx.queue.checklist;
  const summary = summaryBox();
  const items = checklist.map((c, i) => {
    const ok = h('input', { type: 'checkbox', id: `chk-${i}-ok`, 'data-field': `checklist.${i}.ok`, checked: true });
    const note = h('input', { id: `chk-${i}-note`, 'data-field': `checklist.${i}.note`, maxlength: 500, placeholder: '不合格时说明原因' });
    const row = h('div.field.oi-item', { 'data-key': c.key },
      h('span.oi-check', null, ok, h('label', { for: ok.id }, `合格：${c.title}`)),
      h('label.oi-vh', { for: note.id }, `${c.title} 不合格说明`), note);
    ok.addEventListener('change', () => row.classList.toggle('failed', !ok.checked));
    return { key: c.key, ok, note, row };
  });
  const radios = Object.entries(DECISIONS).map(([value, label]) => {
    const r = h('input', { type: 'radio', name: 'decision', id: `decision-${value}`, value, checked: value === 'pass' });
    return h('span.oi-check', null, r, h('label', { for: r.id }, label));
  });
  const reason = h('textarea', { id: 'decision-reason', name: 'reason', 'data-field': 'reason', rows: 3, maxlength: 1000 });
  const form = h('form.card', { id: 'decision-form', 'data-entry': String(item.entryId), 'aria-labelledby': 'decision-title', tabindex: '-1' },
    h('h2', { id: 'decision-title' }, `初审：${item.title}`),
    h('p.muted', null, `${item.enterpriseName || ''} · ${item.unitName || ''} · 第 ${item.round} 轮`),
    item.history.length ? h('details', { open: true }, h('summary', null, '此前的初审结论'), decisionList(item.history)) : null,
    summary,
    h('fieldset.field.oi-fieldset', { id: 'decision-checklist', 'data-field': 'checklist' },
      h('legend', null, '检查项（取消勾选表示不合格，并说明原因）'), items.map((x) => x.row)),
    h('fieldset.field.oi-fieldset', { id: 'decision-kind', 'data-field': 'decision' }, h('legend', null, '初审结论'), radios),
    field('理由', reason, '不予通过时必填；退回修改时会连同不合格项一并告知企业'),
    h('div.actions', null,
      h('button', { type: 'button', onclick: () => ctx.panel.replaceChildren() }, '取消'),
      h('button.primary', { type: 'submit', id: 'decision-submit' }, '提交初审结论')));
  onSubmit(form, summary, async () => {
    const decision = form.elements.decision.value;
    if (decision === 'reject' && !(await confirmDialog('不予通过？', [`「${item.title}」将被判为「不予通过」，不再进入现场发表。`, '此结论不能撤销。'], '不予通过'))) return;
    /** @satisfies {Schemas['DecideDto']} */
    const body = {
      decision,
      checklist: items.map((x) => ({ key: x.key, ok: x.ok.checked, note: x.note.value.trim() || null })),
      reason: reason.value.trim() || null,
    };
    await api('POST', `/contests/${ctx.contest.id}/review/${item.entryId}`, body);
    flash(`已记录「${item.title}」的初审结论：${DECISIONS[decision]}。`);
    await reviewScreen(ctx.contest.id, ctx.page);
  });
  ctx.panel.replaceChildren(form);
  form.scrollIntoView({ block: 'start' });
  form.focus({ preventScroll: true });
}

/** @param {ReviewContext} ctx */
function closeForm(ctx) {
  const { contest, stats } = ctx;
  const open = stats.totals.awaiting + stats.totals.returned;
  const summary = summaryBox();
  const note = h('textarea', { id: 'close-note', name: 'note', 'data-field': 'note', rows: 2, maxlength: 1000 });
  const form = h('form.card', { id: 'close-form', 'aria-labelledby': 'close-title' },
    h('h2', { id: 'close-title' }, '结束材料初审'),
    h('p.desc', null, `结束初审时，仍待初审或退回修改未重新提交的成果（现有 ${open} 项）将被判为「不予通过」，并记录下面的说明。`),
    summary,
    field('说明', note, '例如：退回修改期限已过，未重新提交的成果视为不予通过'),
    h('div.actions', null, h('button.primary', { type: 'submit', id: 'close-submit' }, '结束材料初审')));
  onSubmit(form, summary, async () => {
    if (!(await confirmDialog('结束材料初审？', [`${open} 项成果将被判为「不予通过」。`, '此操作不能撤销。'], '结束初审'))) return;
    /** @type {Schemas['ReviewClosureResponse']} */
    const res = await api('POST', `/contests/${contest.id}/review/close`, /** @satisfies {Schemas['CloseReviewDto']} */ ({ outcome: 'reject_undecided', note: note.value }));
    flash(`材料初审已结束，${res.rejectedEntryIds.length} 项成果判为不予通过。`);
    await reviewScreen(contest.id);
  });
  return form;
}
