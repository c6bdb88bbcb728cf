// The organizer's desk, presentation set-up: tracks (分组) and placement, panels (评审组),
// conflicts of interest (回避) and the assignment of experts to entries.
// The small form helpers at the top are shared with org-sessions.js.
import { api, get } from '../api.js';
import { actionButton, confirmDialog, ENTRY_TYPES, field, h, load, mount, notice, onSubmit, PHASES, searchable, summaryBox, table } from '../ui.js';
import { contestHeader, loadContest } from './org-nav.js';
import { affinityBlock, pairAffinityText } from './expertise.js';
/** @typedef {import('../api.js').Schemas} Schemas */
/**
 * The screen's data and what the cards share.
 * @typedef {{ contest: Schemas['ContestResponse'], tracks: Schemas['TrackResponse'][], panels: Schemas['PanelResponse'][],
 *   experts: Schemas['ExpertResponse'][], entries: Schemas['EntryListItem'][], conflicts: Schemas['ConflictResponse'][],
 *   assignments: Schemas['AssignmentResponse'][], min: number, report: Schemas['AssignmentReportResponse'], contestId: number, state: any,
 *   redo: (next: object) => Promise<void>, judged: Schemas['EntryListItem'][], trackName: (id: number | null) => string }} SetupContext
 */

// ------------------------------------------------------------------------------------ helpers

/** Every item of a paged list (200 a page). */
export async function getAll(path) {
  const items = [];
  for (let page = 1; ; page++) {
    const r = await get(`${path}${path.includes('?') ? '&' : '?'}pageSize=200&page=${page}`);
    items.push(...r.items);
    if (!r.items.length || items.length >= r.total) return items;
  }
}

/** 409s without field errors that still concern one field of the form that caused them. */
const CODE_FIELDS = {
  venue_overlap: 'venue', seed_mismatch: 'seed', track_has_panel: 'trackId', panel_name_taken: 'name',
  conflict_already_declared: 'expertId', conflict_of_interest: 'expertId', expert_not_in_panel: 'expertId', already_assigned: 'expertId',
  entry_in_session: 'entryId', entry_already_scheduled: 'entryIds', entry_not_passed: 'entryIds', no_entries_to_schedule: 'entryIds',
};

/** api() whose coded conflicts are placed next to their field (see CODE_FIELDS). */
export async function send(method, path, body) {
  try { return await api(method, path, body); } catch (err) {
    const f = CODE_FIELDS[err.code];
    if (f && !err.errors.length) err.errors = [{ field: f, message: err.message }];
    throw err;
  }
}

export const num = (v) => (v === '' || v === null || v === undefined ? null : Number(v));
/** The value of the control with data-field=`name` in `form`. */
export const val = (form, name) => form.querySelector(`[data-field="${name}"]`).value;
/** Trimmed text, or null when empty (the API then says 不能为空 rather than 太短). */
export const str = (form, name) => val(form, name).trim() || null;

export function input(id, name, attrs = {}) { return h('input', { id, 'data-field': name, ...attrs }); }

/**
 * A select of [value, label] pairs, with an empty first choice unless `blank` is null.
 * @param {string | number | null} [value]
 */
export function choice(id, name, options, value = '', blank = '请选择') {
  return h('select', { id, 'data-field': name },
    blank === null ? null : h('option', { value: '' }, blank),
    options.map(([v, label]) => h('option', { value: String(v), selected: String(v) === String(value ?? '') }, label)));
}

/** A group of labelled checkboxes; errors for `name` land in the group. */
export function checks(id, name, legend, options, checked = new Set()) {
  return h('fieldset.field.pr-checks', { id, 'data-field': name, tabindex: '-1' }, h('legend', null, legend),
    options.length
      ? h('div.pr-check-list', null, options.map(([v, label]) => h('div.pr-check', null,
        h('input', { type: 'checkbox', id: `${id}-${v}`, value: String(v), checked: checked.has(v) }), h('label', { for: `${id}-${v}` }, label))))
      : h('p.muted', null, '暂无可选项。'));
}
export const checkedIds = (group) => [...group.querySelectorAll('input:checked')].map((i) => Number(i.value));

/** A form with an error summary and one submit button; `fn(form)` runs on submit. */
export function formOf(id, children, submitLabel, fn) {
  const summary = summaryBox();
  const form = h('form', { id }, summary, ...children, h('div.actions', null, h('button.primary', { type: 'submit' }, submitLabel)));
  return onSubmit(form, summary, () => fn(form));
}

/** The success message of the last action, shown in the section (`at`) where it happened. */
export function flash(state, at) {
  if (state.at !== at || !state.flash) return null;
  const el = notice(state.flash, 'ok');
  el.id = 'flash';
  el.tabIndex = -1;
  return el;
}

/** Draws the screen again from the API with `state`, keeping the scroll position; focus goes to the message. */
export function refresher(screen, contestId) {
  const here = location.hash;
  return async (state) => {
    if (location.hash !== here) return; // the organizer has moved on to another screen meanwhile
    const y = scrollY;
    await screen(contestId, state);
    scrollTo(0, y);
    document.getElementById('flash')?.focus({ preventScroll: true });
  };
}

/** After the presentation phase everything here is frozen (the API answers 409 presentation_closed). */
export function frozen(contest) {
  const order = Object.keys(PHASES);
  return order.indexOf(contest.phase) > order.indexOf('presentation')
    ? notice(`评比活动已进入“${PHASES[contest.phase]}”阶段：分组、评审组、分配和场次只能查看，不能再修改。`, 'warn') : null;
}

export const section = (id, title, ...children) => h('section.card.pr-card', { id, 'aria-labelledby': id + '-h' }, h('h2', { id: id + '-h' }, title), ...children);

// ------------------------------------------------------------------------------------ screen

const JUDGED = ['passed', 'scheduled', 'presented', 'absent', 'scored', 'awarded', 'not_awarded'];
const SOURCES = { employer_enterprise: '自动：任职于申报企业', employer_unit: '自动：任职于推荐单位', declared_by_expert: '专家申报', declared_by_organizer: '组委会登记' };
const expertLabel = (x) => (x.employerName ? `${x.name}（${x.employerName}）` : x.name);

export async function setupScreen(contestId, state = {}) {
  const data = await load('分组与评审组', async () => {
    /** @type {[Schemas['ContestResponse'], Schemas['TrackResponse'][], Schemas['PanelResponse'][], Schemas['ExpertResponse'][], Schemas['EntryListItem'][], Schemas['ConflictResponse'][], Schemas['AssignmentResponse'][]]} */
    const [contest, tracks, panels, experts, entries, conflicts, assignments] = await Promise.all([
      loadContest(contestId), get(`/contests/${contestId}/tracks`), getAll(`/contests/${contestId}/panels`), getAll('/experts'),
      getAll(`/entries?contestId=${contestId}`), getAll(`/contests/${contestId}/conflicts`), getAll(`/contests/${contestId}/assignments`),
    ]);
    const min = state.min ?? contest.rules?.aggregation?.trimMinSheets ?? 5;
    /** @type {Schemas['AssignmentReportResponse']} */
    const report = await get(`/contests/${contestId}/assignments/report?min=${min}`);
    return { contest, tracks, panels, experts, entries, conflicts, assignments, min, report };
  });
  if (!data) return;
  const refresh = refresher(setupScreen, contestId);
  // The chosen minimum stays while the organizer works on the screen.
  const c = /** @type {SetupContext} */ ({ ...data, contestId, state, redo: (next) => refresh({ min: data.min, ...next }) });
  c.judged = c.entries.filter((e) => JUDGED.includes(e.status)).sort((a, b) => a.id - b.id);
  c.trackName = (id) => c.tracks.find((t) => t.id === id)?.name ?? '未分组';
  mount(...contestHeader(c.contest, 'setup'), frozen(c.contest), tracksCard(c), panelsCard(c), conflictsCard(c), assignmentsCard(c));
}

// ------------------------------------------------------------------------------------ tracks

/** @param {SetupContext} c */
function tracksCard(c) {
  const rows = c.tracks.map((t) => h('tr', { 'data-track': t.id },
    h('td', null, t.name), h('td', null, t.industry || '不限'), h('td', null, ENTRY_TYPES[t.entryType] || '不限'),
    h('td.num', null, c.entries.filter((e) => e.trackId === t.id).length),
    h('td', null, c.panels.find((p) => p.trackId === t.id)?.name || '—')));
  const unplaced = c.entries.filter((e) => e.status === 'passed' && e.trackId === null);
  const summary = summaryBox();
  const create = formOf('track-form', [
    h('div.pr-row', null,
      field('分组名称', input('track-name', 'name', { maxLength: 100, placeholder: '如：制造类·问题解决型' })),
      field('行业', input('track-industry', 'industry', { maxLength: 50 }), '留空表示不限行业'),
      field('成果类型', choice('track-type', 'entryType', Object.entries(ENTRY_TYPES), '', '不限'))),
  ], '新增分组', async (form) => {
    /** @type {Schemas['CreateTrackDto']} */
    const body = { name: str(form, 'name') };
    if (val(form, 'industry').trim()) body.industry = val(form, 'industry').trim();
    if (val(form, 'entryType')) body.entryType = val(form, 'entryType');
    /** @type {Schemas['TrackResponse']} */
    const t = await send('POST', `/contests/${c.contestId}/tracks`, body);
    await c.redo({ at: 'tracks', flash: `已新增分组「${t.name}」。` });
  });
  const place = actionButton('自动分组', { id: 'place-tracks', class: 'primary' }, summary, async () => {
    /** @type {Schemas['PlacementResponse']} */
    const r = await send('POST', `/contests/${c.contestId}/tracks/place`);
    await c.redo({ at: 'tracks', flash: `自动分组完成：分入 ${r.placed.length} 项，未能分入 ${r.unplaced.length} 项。`, placed: r });
  });
  const move = formOf('move-form', [
    h('div.pr-row', null,
      field('成果', choice('move-entry', 'entryId', c.judged.filter((e) => e.status === 'passed').map((e) => [e.id, `${e.title}（${c.trackName(e.trackId)}）`]))),
      field('调整到分组', choice('move-track', 'trackId', c.tracks.map((t) => [t.id, t.name])))),
  ], '调整分组', async (form) => {
    const entryId = num(val(form, 'entryId'));
    if (!entryId) throw Object.assign(new Error('请选择成果'), { errors: [{ field: 'entryId', message: '请选择成果' }] });
    /** @type {Schemas['SetTrackResponse']} */
    const r = await send('PATCH', `/entries/${entryId}/track`, /** @satisfies {Schemas['SetTrackDto']} */ ({ trackId: num(val(form, 'trackId')) }));
    await c.redo({ at: 'tracks', flash: `已将成果调整到「${r.trackName}」${r.removedAssignments ? `，原分组的 ${r.removedAssignments} 条分配已移除` : ''}。` });
  });
  return section('tracks', '分组',
    flash(c.state, 'tracks'),
    table(['分组', '行业', '成果类型', '成果数', '评审组'], rows, '还没有分组。', { id: 'tracks-table' }),
    h('h3', null, '自动分组'),
    h('p.muted', null, `按企业行业和成果类型，把通过初审且尚未分组的成果分入最匹配的分组。尚未分组：${unplaced.length} 项。`),
    summary, h('div.actions.pr-start', null, place),
    c.state.placed ? placeOutcome(c.state.placed) : null,
    h('h3', null, '新增分组'), create,
    h('h3', null, '调整单项成果的分组'), move);
}

/** @param {Schemas['PlacementResponse']} r */
function placeOutcome(r) {
  const items = [
    ...r.placed.map((p) => h('li', { 'data-entry': p.entryId }, `${p.title} → ${p.trackName}`)),
    ...r.unplaced.map((u) => h('li.pr-warn', { 'data-entry': u.entryId }, `${u.title}：没有匹配的分组（行业 ${u.industry || '未填'}，${ENTRY_TYPES[u.entryType] || u.entryType}），请新增分组或手工调整`)),
  ];
  return h('div', { id: 'place-outcome' }, items.length ? h('ul.list', null, items) : notice('没有待分组的成果。'));
}

// ------------------------------------------------------------------------------------ panels

/** @param {SetupContext} c */
function panelsCard(c) {
  const free = c.tracks.filter((t) => !c.panels.some((p) => p.trackId === t.id));
  const blocks = c.panels.map((p) => h('div.pr-block', { 'data-panel': p.id },
    h('h3', null, p.name),
    h('p', null, `分组：${c.trackName(p.trackId)} · 组长：${p.leader?.name || '未指定'}`),
    h('p', null, '成员：', p.members.map((m) => m.name).join('、') || '无'),
    h('details', null, h('summary', null, '修改评审组'), panelForm(c, p))));
  return section('panels', '评审组',
    flash(c.state, 'panels'),
    ...(blocks.length ? blocks : [notice('还没有评审组。')]),
    h('h3', null, '新增评审组'),
    free.length ? panelForm(c, null, free) : notice('每个分组都已有评审组（一个分组一个评审组）。'));
}

/**
 * @param {SetupContext} c
 * @param {Schemas['PanelResponse'] | null} p
 * @param {Schemas['TrackResponse'][]} [free]
 */
function panelForm(c, p, free) {
  const key = p ? p.id : 'new';
  // A deactivated expert is offered only where it already sits (the API refuses adding it anew).
  const experts = c.experts.filter((x) => x.active !== false || p?.members.some((m) => m.id === x.id)).map((x) => [x.id, x.active === false ? `${expertLabel(x)}（已停用）` : expertLabel(x)]);
  return formOf(`panel-form-${key}`, [
    p ? null : field('分组', choice(`panel-${key}-track`, 'trackId', free.map((t) => [t.id, t.name]))),
    field('评审组名称', input(`panel-${key}-name`, 'name', { maxLength: 100, value: p?.name ?? '' })),
    field('组长', searchable(choice(`panel-${key}-leader`, 'leaderExpertId', experts, p?.leaderExpertId ?? ''), '专家')),
    checks(`panel-${key}-members`, 'memberExpertIds', '成员（组长自动成为成员）', experts, new Set(p ? p.members.map((m) => m.id) : [])),
  ], p ? '保存修改' : '新增评审组', async (form) => {
    /** @type {Partial<Schemas['CreatePanelDto']>} */
    const body = { name: str(form, 'name'), leaderExpertId: num(val(form, 'leaderExpertId')), memberExpertIds: checkedIds(form.querySelector('fieldset')) };
    if (!p) body.trackId = num(val(form, 'trackId'));
    /** @type {Schemas['PanelResponse']} */
    const out = await send(p ? 'PATCH' : 'POST', p ? `/panels/${p.id}` : `/contests/${c.contestId}/panels`, body);
    await c.redo({ at: 'panels', flash: `已${p ? '保存' : '新增'}评审组「${out.name}」（${out.members.length} 人）。` });
  });
}

// ------------------------------------------------------------------------------------ conflicts

/** @param {SetupContext} c */
function conflictsCard(c) {
  const rows = c.conflicts.map((x) => h('tr', { 'data-source': x.source, 'data-expert': x.expertId, 'data-entry': x.entryId },
    h('td', null, x.expertName), h('td', null, x.entryTitle), h('td.nowrap', null, SOURCES[x.source] || x.source), h('td', null, x.reason)));
  const form = formOf('conflict-form', [
    h('div.pr-row', null,
      field('专家', searchable(choice('conflict-expert', 'expertId', c.experts.map((x) => [x.id, expertLabel(x)])), '专家')),
      field('成果', choice('conflict-entry', 'entryId', c.judged.map((e) => [e.id, e.title])))),
    field('回避原因', h('textarea', { id: 'conflict-reason', 'data-field': 'reason', maxLength: 500, rows: 2 })),
  ], '登记回避', async (f) => {
    await send('POST', `/contests/${c.contestId}/conflicts`, /** @satisfies {Schemas['OrganizerConflictDto']} */ ({ expertId: num(val(f, 'expertId')), entryId: num(val(f, 'entryId')), reason: str(f, 'reason') }));
    await c.redo({ at: 'conflicts', flash: '已登记回避；该专家对该成果的分配（如有）已移除。' });
  });
  return section('conflicts', '回避',
    flash(c.state, 'conflicts'),
    h('p.muted', null, '专家任职于申报企业或其推荐单位时自动回避；专家本人或组委会也可登记回避。回避的专家不会被分配评审该成果。'),
    table(['专家', '成果', '来源', '原因'], rows, '没有回避关系。', { id: 'conflicts-table' }),
    h('h3', null, '登记回避'), form);
}

// ------------------------------------------------------------------------------------ assignments

/** @param {SetupContext} c */
function assignmentsCard(c) {
  const minForm = formOf('min-form', [field('最少评审人数', input('assign-min', 'min', { type: 'number', min: 1, max: 50, value: c.min }), '评审人数少于此数的成果会被标出')],
    '查看', async (form) => {
      const min = num(val(form, 'min'));
      await get(`/contests/${c.contestId}/assignments/report?min=${encodeURIComponent(min ?? '')}`);
      await c.redo({ ...c.state, at: null, min });
    });
  const short = c.report.items;
  return section('assignments', '评审分配',
    flash(c.state, 'assignments'),
    minForm,
    h('div', { id: 'below-min' }, short.length
      ? h('div.notice.warn', { role: 'status' }, `${short.length} 项成果的评审人数少于 ${c.min} 人：`,
        h('ul.list', null, short.map((i) => h('li', { 'data-entry': i.entryId }, `${i.title}（${c.trackName(i.trackId)}，${i.judges} 人）`))))
      : notice(`每项成果的评审人数都不少于 ${c.min} 人。`, 'ok')),
    ...(c.panels.length ? c.panels.map((p) => panelAssignments(c, p)) : [notice('请先建立评审组。')]));
}

/**
 * @param {SetupContext} c
 * @param {Schemas['PanelResponse']} p
 */
function panelAssignments(c, p) {
  const summary = summaryBox();
  const entries = c.judged.filter((e) => e.trackId === p.trackId);
  const below = new Set(c.report.items.map((i) => i.entryId));
  const outcome = c.state.outcome?.panelId === p.id ? c.state.outcome : null;
  const remove = (a, e) => actionButton('移除', { class: 'link', 'data-assignment': a.id, 'aria-label': `移除${a.expertName}对「${e.title}」的评审` }, summary, async () => {
    if (!(await confirmDialog('移除评审分配', `确定不再让 ${a.expertName} 评审「${e.title}」吗？`, '移除'))) return;
    const lost = await pairAffinityText(p.id, a.expertId, e.id);
    await send('DELETE', `/assignments/${a.id}`);
    await c.redo({ at: 'assignments', flash: `已移除 ${a.expertName} 对「${e.title}」的评审分配。${lost ? `失去${lost}。` : ''}` });
  });
  const rows = entries.map((e) => {
    const mine = c.assignments.filter((a) => a.entryId === e.id);
    return h('tr', { 'data-entry': e.id, class: below.has(e.id) ? 'pr-below' : null },
      h('td', null, e.title),
      h('td', null, mine.length ? h('ul.pr-assignees', null, mine.map((a) => h('li', null, a.expertName, ' ', remove(a, e)))) : '—'),
      h('td.num', { 'data-role': 'count' }, mine.length),
      h('td.nowrap', null, below.has(e.id) ? h('span.badge.warn', null, `少于 ${c.min} 人`) : '足够'));
  });
  const members = p.members.map((m) => [m.id, m.name]);
  const replace = async (mode, body) => {
    if (!(await confirmDialog('重新分配', `将按${mode === 'default' ? '默认方式（全员评审）' : '自动均衡方式'}替换「${p.name}」的全部现有分配，确定吗？`, '重新分配'))) return;
    const r = await send('POST', `/panels/${p.id}/assignments/${mode}`, body);
    await c.redo({ at: 'assignments', flash: `「${p.name}」已分配 ${r.pairs.length} 对评审。`, outcome: r });
  };
  const auto = formOf(`auto-form-${p.id}`, [h('div.pr-row', null,
    field('每项成果评审人数', input(`auto-${p.id}-min`, 'minJudgesPerEntry', { type: 'number', min: 1, max: 50, value: Math.min(c.min, members.length || 1) })),
    field('每位专家最多评审', input(`auto-${p.id}-load`, 'maxLoadPerExpert', { type: 'number', min: 1, max: 10000, value: Math.max(entries.length, 1) })),
    field('随机种子', input(`auto-${p.id}-seed`, 'seed', { maxLength: 128, value: randomHex(8) }), '同一种子得到同一分配结果'))],
  '自动分配', (f) => replace('auto', /** @satisfies {Schemas['AutoAssignDto']} */ ({ minJudgesPerEntry: num(val(f, 'minJudgesPerEntry')), maxLoadPerExpert: num(val(f, 'maxLoadPerExpert')), seed: str(f, 'seed') })));
  const add = formOf(`add-form-${p.id}`, [h('div.pr-row', null,
    field('成果', choice(`add-${p.id}-entry`, 'entryId', entries.map((e) => [e.id, e.title]))),
    field('专家', choice(`add-${p.id}-expert`, 'expertId', members)))],
  '添加分配', async (f) => {
    /** @type {Schemas['AssignmentResponse']} */
    const a = await send('POST', `/contests/${c.contestId}/assignments`, /** @satisfies {Schemas['ManualAssignmentDto']} */ ({ expertId: num(val(f, 'expertId')), entryId: num(val(f, 'entryId')) }));
    const gained = await pairAffinityText(p.id, a.expertId, a.entryId);
    await c.redo({ at: 'assignments', flash: `已分配 ${a.expertName} 评审「${a.entryTitle}」。${gained ? `获得${gained}。` : ''}` });
  });
  return h('div.pr-block', { 'data-panel': p.id, id: `assign-${p.id}` },
    h('h3', null, `${p.name}（${c.trackName(p.trackId)}，${p.members.length} 位专家）`),
    summary,
    h('div.actions.pr-start', null, actionButton('默认分配（全员评审）', { id: `assign-default-${p.id}`, class: 'primary' }, summary, () => replace('default'))),
    outcome ? assignOutcome(c, outcome) : null,
    h('details', null, h('summary', null, '自动均衡分配'), auto),
    affinityBlock(p, { min: c.min, entries: entries.length, redo: c.redo, randomHex }),
    table(['成果', '评审专家', '人数', '状态'], rows, '该分组还没有成果。', { id: `assign-table-${p.id}`, class: 'assign-table' }),
    h('details', null, h('summary', null, '手工添加分配'), add));
}

/** @param {SetupContext} c */
function assignOutcome(c, r) {
  const title = (id) => c.entries.find((e) => e.id === id)?.title ?? `#${id}`;
  const name = (id) => c.experts.find((x) => x.id === id)?.name ?? `#${id}`;
  const lines = [
    ...(r.skipped ?? []).map((s) => `因回避未分配：${name(s.expertId)} — ${title(s.entryId)}（${s.reason}）`),
    ...(r.unjudged ?? []).map((id) => `无人可评审：${title(id)}`),
    ...(r.belowMinimum ?? []).map((b) => `低于每项评审人数：${title(b.entryId)}（${b.assigned}/${b.required} 人，${b.reason === 'too_few_eligible_experts' ? `无回避的专家仅 ${b.eligible} 位` : '专家评审量上限已用完'}）`),
  ];
  if (r.mode === 'auto') lines.push(r.balanced ? '各专家评审量均衡。' : '各专家评审量未能完全均衡。');
  return h('div', { class: 'pr-outcome', 'data-outcome': r.mode }, lines.length ? h('ul.list', null, lines.map((l) => h('li', null, l))) : null);
}

export function randomHex(bytes) {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
}
