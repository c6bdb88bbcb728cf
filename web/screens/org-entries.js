// The organizer's desk: a contest's entries (filtered, paged) and one entry in full — details,
// attachments, status timeline, review history and its track.
import { api, blob, get } from '../api.js';
import { sheetsCard } from './org-sheets.js';
import { ATTACHMENT_KINDS, DECISIONS, download, ENTRY_STATUS, ENTRY_TYPES, field, flash, h, load, mount, notice, onSubmit, pager, searchable, summaryBox, table, takeFlash, timelineCard, when } from '../ui.js';
import { contestHeader, loadContest, orgHref } from './org-nav.js';
import { dl, entryFilters, input, saveEntryFilters } from './org-contest.js';
/** @typedef {import('../api.js').Schemas} Schemas */

const PAGE_SIZES = [10, 20, 50, 100];
const FILTERS = ['status', 'entryType', 'trackId', 'unitId', 'enterpriseId', 'q'];

/** A select with an "all" option; `options` are [value, label] pairs. */
function select(id, apiField, options, value, all = '全部') {
  return h('select', { id, name: apiField, 'data-field': apiField },
    h('option', { value: '' }, all),
    options.map(([v, label]) => h('option', { value: String(v), selected: String(v) === String(value ?? '') }, label)));
}

/** id → name of the organisations the desk shows in lists (one request each, at most 200). */
async function names(path) {
  /** @type {{ items: (Schemas['UnitResponse'] | Schemas['EnterpriseResponse'])[] }} */
  const res = await get(`${path}?pageSize=200`);
  return new Map(res.items.map((x) => [x.id, x.name]));
}

// ------------------------------------------------------------------ the list

export async function entriesScreen(contestId) {
  /** @type {[Schemas['ContestResponse'], Map<number, string>, Map<number, string>]} */
  const data = await load('申报成果', () => Promise.all([loadContest(contestId), names('/units'), names('/enterprises')]));
  if (!data) return;
  const [contest, units, enterprises] = data;
  const tracks = new Map((contest.tracks || []).map((t) => [t.id, t.name]));
  const state = entryFilters(contestId);
  const summary = summaryBox();
  const controls = {
    status: select('f-status', 'status', Object.entries(ENTRY_STATUS), state.status),
    entryType: select('f-type', 'entryType', Object.entries(ENTRY_TYPES), state.entryType),
    trackId: select('f-track', 'trackId', [...tracks], state.trackId),
    unitId: select('f-unit', 'unitId', [...units], state.unitId),
    enterpriseId: select('f-enterprise', 'enterpriseId', [...enterprises], state.enterpriseId),
    q: input('f-q', 'q', { type: 'search', maxlength: 100, value: state.q || '', placeholder: '成果名称中的文字' }),
  };
  const size = h('select', { id: 'f-size', name: 'pageSize', 'data-field': 'pageSize' },
    PAGE_SIZES.map((n) => h('option', { value: String(n), selected: n === (state.pageSize || 20) }, `${n} 项`)));
  const list = h('div', { id: 'entries-list', 'aria-live': 'polite' });
  const form = h('form.card.oi-filters', { id: 'entry-filters', role: 'search', 'aria-label': '筛选申报成果' },
    summary,
    h('div.oi-grid4', null,
      field('状态', controls.status), field('成果类型', controls.entryType), field('分组', controls.trackId),
      field('推荐单位', searchable(controls.unitId, '推荐单位')), field('企业', searchable(controls.enterpriseId, '企业')), field('成果名称', controls.q),
      field('每页显示', size)),
    h('div.actions', null,
      h('button', { type: 'button', id: 'filters-clear', onclick: () => { saveEntryFilters(contestId, {}); void entriesScreen(contestId); } }, '清除筛选'),
      h('button.primary', { type: 'submit' }, '筛选')));

  const show = async (page) => {
    const q = new URLSearchParams({ contestId: String(contestId), page: String(page), pageSize: String(state.pageSize || 20), sort: '-createdAt' });
    for (const k of FILTERS) if (state[k]) q.set(k, state[k]);
    /** @type {Schemas['EntryPage']} */
    const res = await get(`/entries?${q}`);
    state.page = page;
    saveEntryFilters(contestId, state);
    const rows = res.items.map((e) => h('tr', { 'data-entry': String(e.id), 'data-status': e.status },
      h('td', null, h('a', { href: `#/organizer/entry/${e.id}` }, e.title), h('div.muted', null, e.team?.name || '')),
      h('td', null, e.enterpriseName || enterprises.get(e.enterpriseId) || `企业 #${e.enterpriseId}`),
      h('td', null, e.unitName || units.get(e.unitId) || `单位 #${e.unitId}`),
      h('td.nowrap', null, e.entryType ? ENTRY_TYPES[e.entryType] || e.entryType : '—'),
      h('td', null, e.trackId ? e.trackName || tracks.get(e.trackId) || `#${e.trackId}` : '—'),
      h('td.nowrap', null, h('span.status', { 'data-status': e.status }, ENTRY_STATUS[e.status] || e.status)),
      h('td.nowrap', null, when(e.submittedAt))));
    list.replaceChildren(...[
      h('p', { id: 'entries-total' }, `共 ${res.total} 项`),
      table(['成果', '企业', '推荐单位', '类型', '分组', '状态', '提交时间'], rows, '没有符合条件的成果。', { id: 'entries-table' }),
      pager(res, (p) => show(p).catch((err) => list.replaceChildren(notice(err.message, 'error'))), '成果列表分页'),
    ].filter(Boolean));
  };
  onSubmit(form, summary, async () => {
    for (const k of FILTERS) state[k] = controls[k].value.trim();
    state.pageSize = Number(size.value);
    await show(1);
  });

  mount(...contestHeader(contest, 'entries'), form, list);
  try { await show(state.page || 1); } catch (err) {
    if (err.status !== 401) list.replaceChildren(notice(err.message, 'error'));
  }
}

// ------------------------------------------------------------------ one entry

export async function entryScreen(entryId) {
  const data = await load('申报成果', async () => {
    /** @type {Schemas['EntryDetailResponse']} */
    const entry = await get(`/entries/${entryId}`);
    /** @type {[Schemas['ContestResponse'], Schemas['AttachmentList'], Schemas['EntryEventList'], Schemas['EntryReviewResponse'], Schemas['EnterpriseResponse'], Schemas['UnitResponse']]} */
    const [contest, attachments, events, review, enterprise, unit] = await Promise.all([
      loadContest(entry.contestId), get(`/entries/${entryId}/attachments`), get(`/entries/${entryId}/events`),
      get(`/entries/${entryId}/review`), get(`/enterprises/${entry.enterpriseId}`), get(`/units/${entry.unitId}`),
    ]);
    return { entry, contest, attachments, events, review, enterprise, unit };
  });
  if (!data) return;
  const { entry: e, contest } = data;
  const track = (contest.tracks || []).find((t) => t.id === e.trackId);
  const members = e.team?.members || [];
  mount(...contestHeader(contest, 'entries'),
    h('p', null, h('a', { href: orgHref(contest.id, 'entries') }, '← 返回成果列表')),
    takeFlash(),
    h('section.card', { 'aria-labelledby': 'entry-title', id: 'entry-details' },
      h('h2', { id: 'entry-title' }, e.title, ' ', h('span.badge', { id: 'entry-status', 'data-status': e.status }, ENTRY_STATUS[e.status] || e.status)),
      dl([
        ['企业', data.enterprise.name],
        ['推荐单位', data.unit.name],
        ['成果类型', e.entryType ? ENTRY_TYPES[e.entryType] || e.entryType : '（草稿未填）'],
        ['分组', track?.name],
        ['小组', `${e.team?.name || ''}（组长 ${e.team?.leader || '—'}）`],
        ['小组成员', members.map((m) => `${m.name}（${[m.role, m.jobTitle].filter(Boolean).join('，')}）`).join('、')],
        ['活动时间', `${e.activityStart || '—'} 至 ${e.activityEnd || '—'}`],
        ['经济效益', e.economicBenefit === null ? '（草稿未填）' : `${Number(e.economicBenefit).toLocaleString('zh-CN')} 元`],
        ['效益计算', e.benefitDescription],
        ['提交时间', when(e.submittedAt)],
        ['创建 / 更新', `${when(e.createdAt)} / ${when(e.updatedAt)}`],
      ]),
      h('h3', null, '成果简介'),
      h('p.oi-pre', null, e.summary || '（草稿未填）')),
    attachmentsCard(data.attachments.items),
    h('div.oi-grid2', null, timelineCard(data.events.items), reviewCard(data.review)),
    ['presentation', 'finalizing', 'notice', 'published', 'archived'].includes(contest.phase) ? sheetsCard(entryId) : null,
    trackForm(e, contest, track));
}

/** @param {Schemas['AttachmentResponse'][]} items */
function attachmentsCard(items) {
  const rows = items.map((a) => h('tr', { 'data-attachment': String(a.id) },
    h('td.nowrap', null, ATTACHMENT_KINDS[a.kind] || a.kind),
    h('td', null, a.originalName, a.current ? null : h('span.muted', null, '（旧版本）')),
    h('td.num', null, `v${a.version}`),
    h('td.num', null, `${(a.size / 1024).toFixed(1)} KB`),
    h('td.nowrap', null, when(a.createdAt)),
    h('td', null, h('button.link', { type: 'button', 'aria-label': `下载 ${a.originalName}`, onclick: (ev) => fetchFile(ev.currentTarget, a) }, '下载'))));
  return h('section.card', { 'aria-labelledby': 'att-title', id: 'attachments' },
    h('h2', { id: 'att-title' }, '附件'),
    table(['类型', '文件名', '版本', '大小', '上传时间', ''], rows, '没有附件。'));
}

/**
 * Downloads an attachment behind the bearer token; a failure is shown next to the button.
 * @param {HTMLElement} button
 * @param {Schemas['AttachmentResponse']} a
 */
export async function fetchFile(button, a) {
  button.parentElement.querySelector('.field-error')?.remove();
  try { await download(() => blob(`/attachments/${a.id}/download`), a.originalName); } catch (err) {
    if (err.status !== 401) button.after(h('p.field-error', { role: 'alert' }, err.message));
  }
}


/**
 * The decisions of preliminary review, item by item (also used by the review queue).
 * @param {Schemas['ReviewDecisionResponse'][]} decisions
 */
export function decisionList(decisions, attrs = null) {
  return h('ol.decisions', attrs, decisions.map((d) => h('li', { 'data-round': String(d.round), 'data-decision': d.decision },
    h('div', null, h('strong', null, `第 ${d.round} 轮：${DECISIONS[d.decision] || d.decision}`), h('span.muted', null, ` · ${when(d.createdAt)}`)),
    d.reason ? h('div.oi-pre', null, `理由：${d.reason}`) : null,
    d.checklist.length ? h('ul.oi-results', null, d.checklist.map((c) => h('li', { 'data-ok': String(c.ok) },
      `${c.ok ? '✓ 合格' : '✗ 不合格'}：${c.title || c.key}${c.note ? `（${c.note}）` : ''}`))) : null)));
}

/** @param {Schemas['EntryReviewResponse']} review */
function reviewCard(review) {
  return h('section.card', { 'aria-labelledby': 'rv-title' },
    h('h2', { id: 'rv-title' }, '材料初审记录'),
    review.awaitingDecision ? notice(`等待第 ${review.currentRound} 轮初审结论。`, 'warn') : null,
    review.decisions.length ? decisionList(review.decisions, { id: 'entry-review' }) : notice('尚无初审结论。'));
}

/**
 * @param {Schemas['EntryDetailResponse']} e
 * @param {Schemas['ContestResponse']} contest
 * @param {Schemas['TrackResponse'] | undefined} track
 */
function trackForm(e, contest, track) {
  const tracks = contest.tracks || [];
  if (!tracks.length) return null;
  const summary = summaryBox();
  const sel = select('entry-track', 'trackId', tracks.map((t) => [t.id, t.name]), e.trackId, '请选择分组');
  const form = h('form.card', { id: 'track-form', 'aria-labelledby': 'track-title' },
    h('h2', { id: 'track-title' }, '分组'),
    h('p.desc', null, `当前分组：${track?.name || '未分组'}。安排发表场次后不能再调整。`),
    summary, field('调整到', sel),
    h('div.actions', null, h('button.primary', { type: 'submit' }, '调整分组')));
  onSubmit(form, summary, async () => {
    /** @type {Schemas['SetTrackResponse']} */
    const res = await api('PATCH', `/entries/${e.id}/track`, /** @satisfies {Schemas['SetTrackDto']} */ ({ trackId: sel.value ? Number(sel.value) : undefined }));
    flash(`已调整到分组「${res.trackName}」。`);
    await entryScreen(e.id);
  });
  return form;
}
