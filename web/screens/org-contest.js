// The organizer's desk, part 1: the contests (landing page, creating one) and one contest's overview:
// its phase, the conditions of the next phase met or still blocking, the move to it, key dates and
// the entries by status, with links to where the next action happens.
import { api, get } from '../api.js';
import { confirmDialog, ENTRY_STATUS, field, flash, h, isoOf, load, localOf, mount, notice, onSubmit, PHASES, summaryBox, table, takeFlash, when } from '../ui.js';
import { contestHeader, loadContest, orgHref } from './org-nav.js';
import { copyForm } from './org-rules.js';
/** @typedef {import('../api.js').Schemas} Schemas */

// ------------------------------------------------------------------ local helpers (candidates for ui.js)


/** A definition list of [term, value] pairs (values may be nodes); empty values show '—'. */
export function dl(pairs, attrs = null) {
  return h('dl.oi-kv', attrs, pairs.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v === null || v === undefined || v === '' ? '—' : v)]));
}

// The datetime-local conversions (China Standard Time) live in ui.js; re-exported for the set-up screens.
export { isoOf, localOf } from '../ui.js';

/** The entry list's filters of a contest, kept for the session (so they survive paging and a visit to an entry). */
export function entryFilters(contestId) {
  try { return JSON.parse(sessionStorage.getItem(`qc.org.entries.${contestId}`) || '{}'); } catch { return {}; }
}
export function saveEntryFilters(contestId, filters) { sessionStorage.setItem(`qc.org.entries.${contestId}`, JSON.stringify(filters)); }

/** An input with id and data-field (the API's field name). */
export function input(id, apiField, attrs = {}) { return h('input', { id, name: apiField, 'data-field': apiField, ...attrs }); }

// ------------------------------------------------------------------ contests (landing page)

export async function contestsScreen() {
  const data = await load('评比活动', async () => {
    /** @type {[Schemas['ContestPage'], Schemas['ContestDefaultsResponse']]} */
    const [list, defaults] = await Promise.all([get('/contests?pageSize=200'), get('/contests/defaults')]);
    // One small request per contest: the desk has a handful of contests a year.
    /** @type {(Schemas['EntryCountsResponse'] | null)[]} */
    const counts = await Promise.all(list.items.map((c) => get(`/contests/${c.id}/entry-counts`).catch(() => null)));
    return { list, defaults, counts };
  });
  if (!data) return;
  const { list, defaults, counts } = data;
  const rows = list.items.map((c, i) => {
    const n = counts[i];
    const awaiting = n ? n.byStatus.recommended + n.byStatus.resubmitted : null;
    return h('tr', { 'data-contest': String(c.id) },
      h('td', null, h('a', { href: orgHref(c.id) }, c.name), c.theme ? h('div.muted', null, c.theme) : null),
      h('td.num', null, String(c.year)),
      h('td.nowrap', null, h('span.badge.phase', { 'data-phase': c.phase }, PHASES[c.phase] || c.phase)),
      h('td', null, `${when(c.submissionOpensAt)} 至 ${when(c.submissionClosesAt)}`),
      h('td.num', { 'data-role': 'entries' }, n ? String(n.total) : '—'),
      h('td.num', null, awaiting === null ? '—' : String(awaiting)));
  });
  mount(h('h1', null, '评比活动'),
    takeFlash(),
    h('p', null, '选择一项评比活动进入管理；所有操作记录见', h('a', { href: '#/organizer/audit', id: 'audit-link' }, '审计日志'), '。'),
    h('section.card', { 'aria-labelledby': 'contests-title' },
      h('h2', { id: 'contests-title' }, `全部评比活动（${list.total}）`),
      table(['名称', '年度', '阶段', '申报期', '成果数', '待初审'], rows, '还没有评比活动，请在下方创建。', { id: 'contest-list' })),
    createForm(defaults),
    copyForm(list.items));
}

/** @param {Schemas['ContestDefaultsResponse']} defaults */
function createForm(defaults) {
  const summary = summaryBox();
  const r = defaults.rules;
  const name = input('c-name', 'name', { required: true, maxlength: 200, placeholder: `${new Date().getFullYear()}年滨海新区质量攻关活动` });
  const year = input('c-year', 'year', { type: 'number', min: 2000, max: 2100, value: String(new Date().getFullYear()), required: true });
  const theme = input('c-theme', 'theme', { maxlength: 200 });
  const opens = input('c-opens', 'submissionOpensAt', { type: 'datetime-local' });
  const closes = input('c-closes', 'submissionClosesAt', { type: 'datetime-local' });
  const from = input('c-pfrom', 'presentationFrom', { type: 'date' });
  const to = input('c-pto', 'presentationTo', { type: 'date' });
  const days = input('c-notice', 'noticeDays', { type: 'number', min: 1, max: 30, value: '7' });
  const form = h('form.card', { id: 'contest-form', 'aria-labelledby': 'new-contest' },
    h('h2', { id: 'new-contest' }, '新建评比活动'),
    h('p.desc', null, `新活动处于「草稿」阶段，采用默认规则：材料评审 ${r.stageWeights.material}% · 现场发表 ${r.stageWeights.presentation}%，`
      + `初审检查项 ${r.reviewChecklist.length} 项，每家企业最多申报 ${r.caps.entriesPerEnterprise} 项；可在「规则与评分表」中调整。`),
    summary,
    h('div.oi-grid2', null,
      field('活动名称', name), field('年度', year),
      field('活动主题', theme), field('公示天数', days, '1–30 天，进入公示阶段时起算'),
      field('申报开始时间', opens), field('申报截止时间', closes, '以服务器时间为准'),
      field('现场发表开始日期', from), field('现场发表结束日期', to)),
    h('div.actions', null, h('button.primary', { type: 'submit' }, '创建评比活动')));
  onSubmit(form, summary, async () => {
    const num = (el) => (el.value === '' ? undefined : Number(el.value));
    /** @satisfies {Schemas['CreateContestDto']} */
    const body = {
      name: name.value.trim(), year: num(year), theme: theme.value.trim() || undefined,
      submissionOpensAt: isoOf(opens.value), submissionClosesAt: isoOf(closes.value),
      presentationFrom: from.value || undefined, presentationTo: to.value || undefined, noticeDays: num(days),
    };
    /** @type {Schemas['ContestResponse']} */
    const c = await api('POST', '/contests', body);
    flash(`已创建评比活动「${c.name}」（草稿）。`);
    location.hash = orgHref(c.id);
  });
  return form;
}

// ------------------------------------------------------------------ one contest: overview

/** Where the work of each phase happens: [tab, label]. */
const NEXT_ACTION = {
  draft: [['rules', '设置规则与评分表'], ['setup', '设置分组']],
  open: [['entries', '查看申报成果']],
  review: [['review', '进入材料初审'], ['entries', '查看申报成果']],
  presentation: [['setup', '分组与评审组'], ['sessions', '场次与抽签'], ['progress', '评分进度']],
  finalizing: [['results', '计算与调整评审结果'], ['progress', '评分进度']],
  notice: [['results', '公示与异议处理']],
  published: [['results', '评审结果'], ['quality', '质量分析']],
  archived: [['results', '评审结果']],
};

export async function contestScreen(id) {
  /** @type {[Schemas['ContestResponse'], Schemas['PhaseStatusResponse'], Schemas['EntryCountsResponse']]} */
  const data = await load('评比活动', () => Promise.all([loadContest(id), get(`/contests/${id}/phase`), get(`/contests/${id}/entry-counts`)]));
  if (!data) return;
  const [contest, phase, counts] = data;
  const msg = h('div', { id: 'overview-msg', 'aria-live': 'polite' }, takeFlash());
  mount(...contestHeader(contest, ''),
    msg,
    phaseCard(contest, phase, msg),
    h('div.oi-grid2', null, datesCard(contest), countsCard(contest, counts)),
    contest.phase === 'notice' ? noticeForm(contest) : null);
}

/**
 * @param {Schemas['ContestResponse']} contest
 * @param {Schemas['PhaseStatusResponse']} phase
 */
function phaseCard(contest, phase, msg) {
  const actions = (NEXT_ACTION[contest.phase] || []).map(([tab, label]) => h('a.oi-quick', { href: orgHref(contest.id, tab) }, label));
  const parts = [
    h('h2', { id: 'phase-title' }, '阶段与下一步'),
    h('p', null, '当前阶段：', h('strong', { id: 'current-phase' }, PHASES[phase.phase] || phase.phase),
      actions.length ? h('span.oi-quicks', null, ' · 当前工作：', actions) : null),
  ];
  if (!phase.next) {
    parts.push(notice('评比活动已处于最终阶段。'));
    return h('section.card', { id: 'phase-card', 'aria-labelledby': 'phase-title' }, parts);
  }
  const nextName = PHASES[phase.next] || phase.next;
  const unmet = phase.conditions.filter((c) => !c.met).length;
  parts.push(
    h('h3', null, `进入「${nextName}」的条件`),
    phase.conditions.length
      ? h('ul.oi-conditions', { id: 'phase-conditions' }, phase.conditions.map((c) => h('li', { 'data-condition': c.key, 'data-met': String(c.met) },
        h('span.mark', { 'aria-hidden': 'true' }, c.met ? '✓' : '✗'),
        h('span.state', null, c.met ? '已满足：' : '未满足：'),
        h('span', null, c.label),
        c.message && c.message !== c.label ? h('div.why', null, c.message) : null)))
      : null,
    phase.ready ? notice(`条件均已满足，可以进入「${nextName}」阶段。`, 'ok') : notice(`还有 ${unmet} 项条件未满足。`, 'warn'));
  const button = h('button.primary', { type: 'button', id: 'phase-next' }, `进入「${nextName}」阶段`);
  button.addEventListener('click', async () => {
    const ok = await confirmDialog(`进入「${nextName}」阶段？`, [
      `评比活动「${contest.name}」将从「${PHASES[phase.phase]}」进入「${nextName}」。`,
      '阶段只能向前推进，不能退回。',
    ], '确认进入');
    if (!ok) return;
    button.disabled = true;
    try {
      await api('POST', `/contests/${contest.id}/phase`, /** @satisfies {Schemas['ChangePhaseDto']} */ ({ to: phase.next }));
      flash(`评比活动已进入「${nextName}」阶段。`);
      await contestScreen(contest.id);
    } catch (err) {
      if (err.status !== 401) msg.replaceChildren(notice(err.message, 'error'));
      button.disabled = false;
    }
  });
  parts.push(h('div.actions', null, button));
  return h('section.card', { id: 'phase-card', 'aria-labelledby': 'phase-title' }, parts);
}

/** @param {Schemas['ContestResponse']} c */
function datesCard(c) {
  const days = (a, b) => (a || b ? `${a || '—'} 至 ${b || '—'}` : null);
  return h('section.card', { 'aria-labelledby': 'dates-title' },
    h('h2', { id: 'dates-title' }, '关键日期'),
    dl([
      ['年度', String(c.year)],
      ['主题', c.theme],
      ['申报开始', when(c.submissionOpensAt)],
      ['申报截止', when(c.submissionClosesAt)],
      ['现场发表', days(c.presentationFrom, c.presentationTo)],
      ['公示天数', `${c.noticeDays} 天`],
      ['公示截止', c.noticeEndsAt ? when(c.noticeEndsAt) : null],
    ], { id: 'key-dates' }));
}

function countsCard(c, counts) {
  const statuses = Object.keys(counts.byStatus).filter((s) => counts.byStatus[s] > 0);
  const go = (status) => () => saveEntryFilters(c.id, status ? { status } : {});
  return h('section.card', { 'aria-labelledby': 'counts-title' },
    h('h2', { id: 'counts-title' }, `申报成果（共 ${counts.total} 项）`),
    statuses.length
      ? h('ul.counts', { id: 'entry-counts' }, statuses.map((s) => h('li', { 'data-status': s },
        h('a', { href: orgHref(c.id, 'entries'), onclick: go(s) }, h('span', null, ENTRY_STATUS[s] || s), h('strong', null, String(counts.byStatus[s]))))))
      : notice('还没有申报成果。'),
    h('p', null, h('a', { href: orgHref(c.id, 'entries'), onclick: go(null) }, '查看全部申报成果')));
}

/** @param {Schemas['ContestResponse']} c */
function noticeForm(c) {
  const summary = summaryBox();
  const end = input('notice-end', 'noticeEndsAt', { type: 'datetime-local', value: localOf(c.noticeEndsAt), required: true });
  const reason = h('textarea', { id: 'notice-reason', name: 'reason', 'data-field': 'reason', rows: 2, maxlength: 500 });
  const form = h('form.card', { id: 'notice-form', 'aria-labelledby': 'notice-title' },
    h('h2', { id: 'notice-title' }, '调整公示截止时间'),
    h('p.desc', null, `当前公示截止：${when(c.noticeEndsAt)}。缩短公示期须说明理由（记入审计日志）。`),
    summary,
    field('新的公示截止时间', end),
    field('理由', reason, '例如：与正式公示文件保持一致'),
    h('div.actions', null, h('button.primary', { type: 'submit' }, '保存公示截止时间')));
  onSubmit(form, summary, async () => {
    await api('PATCH', `/contests/${c.id}`, /** @satisfies {Schemas['UpdateContestDto']} */ ({ noticeEndsAt: end.value ? isoOf(end.value) : '', reason: reason.value.trim() || undefined }));
    flash('公示截止时间已更新。');
    await contestScreen(c.id);
  });
  return form;
}
