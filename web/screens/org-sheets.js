// The organizer's view of an entry's score sheets: who marked what, reopening a submitted sheet
// with a reason (the expert changes and resubmits it), and its versions side by side.
import { api, get } from '../api.js';
import { actionButton, h, notice, reasonDialog, STAGES, table, when } from '../ui.js';
/** @typedef {import('../api.js').Schemas} Schemas */

const SHEET_STATUS = { draft: '草稿（未提交）', submitted: '已提交' };

/** A card listing the entry's sheets; loads on its own so the entry page is not held up by it. */
export function sheetsCard(entryId) {
  const body = h('div', { 'aria-live': 'polite' }, h('p.muted', null, '正在加载评分表…'));
  const out = h('div', { 'aria-live': 'assertive', tabindex: '-1' });
  const versions = h('div', { id: 'sheet-versions' });
  const card = h('section.card', { id: 'entry-sheets', 'aria-labelledby': 'entry-sheets-title' },
    h('h2', { id: 'entry-sheets-title' }, '评分表'), out, body, versions);

  async function refresh(flashText) {
    /** @type {Schemas['EntrySheetItem'][]} */
    let list;
    try { list = (/** @type {Schemas['EntrySheetList']} */ (await get(`/entries/${entryId}/sheets`))).items; } catch (err) {
      if (err.status !== 401) body.replaceChildren(notice(err.message, 'error'));
      return;
    }
    if (flashText) out.replaceChildren(notice(flashText, 'ok'));
    const expert = (x) => (x.expertEmployer ? `${x.expertName}（${x.expertEmployer}）` : x.expertName);
    body.replaceChildren(table(['评审环节', '评审专家', '状态', '合计', '已提交版本', '操作'], list.map((x) => h('tr', { 'data-sheet': String(x.id), 'data-status': x.status },
      h('td.nowrap', null, STAGES[x.stage] || x.stage),
      h('td', null, expert(x)),
      h('td', null, SHEET_STATUS[x.status] || x.status, x.status === 'draft' && x.reopenReason ? h('div.muted', null, `已退回重评：${x.reopenReason}`) : null),
      h('td.num', null, x.total ?? '—'),
      h('td.num', null, x.version ? `第 ${x.version} 版（${when(x.submittedAt)}）` : '—'),
      h('td.nowrap', null, h('div.pr-buttons', null,
        x.version ? actionButton('查看各版本', { 'data-action': 'versions', 'aria-label': `${STAGES[x.stage]} · ${x.expertName}：查看各版本` }, out, () => showVersions(x.id)) : null,
        x.status === 'submitted' ? actionButton('退回重评', { 'data-action': 'reopen', 'aria-label': `${STAGES[x.stage]} · ${x.expertName}：退回重评` }, out, async () => {
          const reason = await reasonDialog('退回评分表', [`退回 ${expert(x)} 的${STAGES[x.stage]}评分表（第 ${x.version} 版）后，该专家可修改并重新提交；本场次的组长确认随之取消。`], '退回原因', '确认退回');
          if (reason === null) return;
          await api('POST', `/sheets/${x.id}/reopen`, /** @satisfies {Schemas['ReopenSheetDto']} */ ({ reason }));
          await refresh(`已退回 ${expert(x)} 的${STAGES[x.stage]}评分表，等待其重新提交。`);
          out.focus();
        }) : null))))
    , '该成果还没有评分表。', { id: 'entry-sheets-table' }));
  }

  /** Every submitted version in a column, item by item; a cell that differs from the version before is marked. */
  async function showVersions(sheetId) {
    // The sheet (rubric, expert, state) and its versions, read fresh from their own route.
    /** @type {[Schemas['OrganizerSheetResponse'], Schemas['SheetVersionResponse'][]]} */
    const [s, list] = await Promise.all([get(`/sheets/${sheetId}`), get(`/sheets/${sheetId}/versions`)]);
    const changed = (i, pick) => i > 0 && pick(list[i]) !== pick(list[i - 1]);
    const cell = (i, pick, text) => h(changed(i, pick) ? 'td.num.changed' : 'td.num', changed(i, pick) ? { title: `较第 ${list[i - 1].version} 版有改动` } : null, text);
    const rows = s.rubric.items.map((it) => h('tr', { 'data-item': it.key },
      h('th', { scope: 'row' }, `${it.title}（满分 ${it.max}）`),
      ...list.map((v, i) => cell(i, (x) => String(x.marks[it.key] ?? ''), String(v.marks[it.key] ?? '—')))));
    const comments = s.rubric.items.filter((it) => list.some((v) => v.comments[it.key])).map((it) => h('tr', null,
      h('th', { scope: 'row' }, `${it.title}：评语`), ...list.map((v, i) => h(changed(i, (x) => x.comments[it.key] ?? '') ? 'td.changed' : 'td', null, v.comments[it.key] || '—'))));
    versions.replaceChildren(h('section', { 'aria-labelledby': 'versions-title', 'data-sheet': String(sheetId) },
      h('h3', { id: 'versions-title' }, `${s.expertName} · ${STAGES[s.stage] || s.stage}：各版本对照`),
      s.status === 'draft' && s.reopenReason ? notice(`当前已退回重评（原因：${s.reopenReason}），专家尚未重新提交。`, 'warn') : null,
      h('table', { id: 'versions-table' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, '评分项'),
          ...list.map((v) => h('th.num', { scope: 'col' }, `第 ${v.version} 版`, h('div.muted', null, `${s.expertName} · ${when(v.submittedAt)}`))))),
        h('tbody', null, rows, comments),
        h('tfoot', null, h('tr', null, h('th', { scope: 'row' }, '合计'), ...list.map((v, i) => cell(i, (x) => String(x.total), String(v.total))))))));
    versions.scrollIntoView({ block: 'nearest' });
  }

  void refresh();
  return card;
}
