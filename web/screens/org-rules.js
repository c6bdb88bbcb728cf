// The organizer's desk, contest set-up: name and key dates, the judging rules (entry types, caps,
// stage weights, trimming, award quotas, minimum scores, ties, excellent units), the preliminary-review
// checklist and the rubrics (per entry type × stage, totals shown live); and copying a contest's
// set-up from an earlier year (in the browser: GET the old contest with its rubrics, POST, PUT).
// The API decides what the phase allows: a refusal is shown with its reason, the forms stay usable.
import { api, get } from '../api.js';
import { ENTRY_TYPES, field, flash, h, LEVELS, load, mount, notice, onSubmit, PHASES, STAGES, summaryBox, takeFlash } from '../ui.js';
import { contestHeader, loadContest, orgHref } from './org-nav.js';
import { isoOf, localOf } from './org-contest.js';
/** @typedef {import('../api.js').Schemas} Schemas */

const LEVEL_KEYS = Object.keys(LEVELS);
const METHODS = { trimmed_mean: '去掉最高分和最低分后取平均', mean: '算术平均', median: '中位数' };
const TIES = { include_all: '并列者全部获得该等级（名额可超出）', exclude_all: '并列者均降入下一等级', report_only: '仅标出，由组委会裁定' };
const SCOPES = { overall: '全部成果统一计算', per_track: '各分组分别计算' };

/** A labelled input; `apiField` (data-field) only where the API reports errors on that input itself. */
function inp(id, attrs = {}, apiField = null) { return h('input', { id, name: apiField || id, 'data-field': apiField, ...attrs }); }
const numIn = (id, value, attrs = {}, apiField = null) => inp(id, { type: 'number', inputmode: 'numeric', value: value ?? '', ...attrs }, apiField);
/** A number, or null when empty or not a number (the API then names the field). */
const n = (el) => (el.value.trim() === '' || Number.isNaN(Number(el.value)) ? null : Number(el.value));
/** A group of controls with one error place: the API reports rules.<key> for the group. */
const group = (id, apiField, legend, ...children) => h('fieldset.field.su-group', { id, 'data-field': apiField, tabindex: '-1' }, h('legend', null, legend), ...children);
function select(id, options, value, apiField = null) {
  return h('select', { id, 'data-field': apiField }, Object.entries(options).map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
}
function checkbox(id, label, checked) {
  return h('div.su-check', null, h('input', { type: 'checkbox', id, checked: !!checked }), h('label', { for: id }, label));
}
const card = (id, title, ...children) => h('section.card', { id, 'aria-labelledby': id + '-h' }, h('h2', { id: id + '-h' }, title), ...children);
/** A stable ascii key for a new item: the organizer never has to invent codes. */
const newKey = (prefix) => `${prefix}_${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;

// ------------------------------------------------------------------------------------ screen

export async function rulesScreen(contestId) {
  /** @type {Schemas['ContestResponse']} */
  const contest = await load('规则与评分表', () => loadContest(contestId));
  if (!contest) return;
  const msg = h('div', { id: 'setup-msg', 'aria-live': 'polite', tabindex: '-1' }, takeFlash());
  const done = async (text) => {
    flash(text);
    const y = scrollY;
    await rulesScreen(contestId);
    scrollTo(0, y);
    document.getElementById('setup-msg')?.focus({ preventScroll: true });
  };
  const order = Object.keys(PHASES);
  const frozen = order.indexOf(contest.phase) >= order.indexOf('presentation');
  mount(...contestHeader(contest, 'rules'),
    msg,
    frozen ? notice(`评比活动处于「${PHASES[contest.phase]}」阶段：评比规则、初审检查项和评分表已冻结，修改会被拒绝。`, 'warn') : null,
    basicsForm(contest, done), rulesForm(contest, done), tieBreakForm(contest, done), checklistForm(contest, done),
    card('rubrics', '评分表', h('p.desc', null, '每个成果类型在材料评审和现场发表阶段各有一张评分表，各项满分之和应为 100 分。保存后生成新版本。'),
      ...contest.rules.allowedEntryTypes.flatMap((t) => ['material', 'presentation'].map((s) => rubricForm(contest, t, s, done)))));
}

// ------------------------------------------------------------------------------------ name and dates

/**
 * @param {Schemas['ContestResponse']} c
 * @param {(text: string) => Promise<void>} done
 */
function basicsForm(c, done) {
  const summary = summaryBox();
  const ctl = {
    name: inp('su-name', { required: true, maxLength: 200, value: c.name }, 'name'),
    year: numIn('su-year', c.year, { min: 2000, max: 2100, required: true }, 'year'),
    theme: inp('su-theme', { maxLength: 200, value: c.theme ?? '' }, 'theme'),
    submissionOpensAt: inp('su-opens', { type: 'datetime-local', value: localOf(c.submissionOpensAt) }, 'submissionOpensAt'),
    submissionClosesAt: inp('su-closes', { type: 'datetime-local', value: localOf(c.submissionClosesAt) }, 'submissionClosesAt'),
    recommendationClosesAt: inp('su-rec-closes', { type: 'datetime-local', value: localOf(c.recommendationClosesAt) }, 'recommendationClosesAt'),
    reviewClosesAt: inp('su-review-closes', { type: 'datetime-local', value: localOf(c.reviewClosesAt) }, 'reviewClosesAt'),
    presentationFrom: inp('su-pfrom', { type: 'date', value: c.presentationFrom ?? '' }, 'presentationFrom'),
    presentationTo: inp('su-pto', { type: 'date', value: c.presentationTo ?? '' }, 'presentationTo'),
    noticeDays: numIn('su-notice', c.noticeDays, { min: 1, max: 30 }, 'noticeDays'),
  };
  const form = h('form.card', { id: 'basics-form', 'aria-labelledby': 'basics-h' },
    h('h2', { id: 'basics-h' }, '名称与关键日期'),
    summary,
    h('div.oi-grid2', null,
      field('活动名称', ctl.name), field('年度', ctl.year),
      field('活动主题', ctl.theme), field('公示天数', ctl.noticeDays, '1–30 天，进入公示阶段时起算'),
      field('申报开始时间', ctl.submissionOpensAt), field('申报截止时间', ctl.submissionClosesAt, '以服务器时间为准；材料初审开始后不能再改'),
      field('推荐截止时间', ctl.recommendationClosesAt, '推荐单位在此之前作出推荐决定，过时不再受理；不早于申报截止时间'),
      field('初审截止时间', ctl.reviewClosesAt, '计划完成材料初审的时间，向各方显示；不早于推荐截止时间，不晚于现场发表开始日期'),
      field('现场发表开始日期', ctl.presentationFrom), field('现场发表结束日期', ctl.presentationTo)),
    h('div.actions', null, h('button.primary', { type: 'submit' }, '保存名称与日期')));
  onSubmit(form, summary, async () => {
    // Only what changed: a phase may allow a new name but not a new deadline.
    /** @satisfies {Schemas['UpdateContestDto']} */
    const next = {
      name: ctl.name.value.trim(), year: n(ctl.year), theme: ctl.theme.value.trim() || null,
      submissionOpensAt: ctl.submissionOpensAt.value ? isoOf(ctl.submissionOpensAt.value) : null,
      submissionClosesAt: ctl.submissionClosesAt.value ? isoOf(ctl.submissionClosesAt.value) : null,
      recommendationClosesAt: ctl.recommendationClosesAt.value ? isoOf(ctl.recommendationClosesAt.value) : null,
      reviewClosesAt: ctl.reviewClosesAt.value ? isoOf(ctl.reviewClosesAt.value) : null,
      presentationFrom: ctl.presentationFrom.value || null, presentationTo: ctl.presentationTo.value || null, noticeDays: n(ctl.noticeDays),
    };
    const norm = (iso) => (iso ? isoOf(localOf(iso)) : null);
    const before = { ...c, submissionOpensAt: norm(c.submissionOpensAt), submissionClosesAt: norm(c.submissionClosesAt), recommendationClosesAt: norm(c.recommendationClosesAt), reviewClosesAt: norm(c.reviewClosesAt) };
    const body = Object.fromEntries(Object.entries(next).filter(([k, v]) => v !== (before[k] ?? null)));
    if (!Object.keys(body).length) throw Object.assign(new Error('没有修改。'), { errors: [] });
    await api('PATCH', `/contests/${c.id}`, body);
    await done('名称与关键日期已保存。');
  });
  return form;
}

// ------------------------------------------------------------------------------------ rules

/**
 * @param {Schemas['ContestResponse']} c
 * @param {(text: string) => Promise<void>} done
 */
function rulesForm(c, done) {
  const r = c.rules;
  const summary = summaryBox();
  const types = Object.keys(ENTRY_TYPES).map((t) => [t, h('input', { type: 'checkbox', id: `su-type-${t}`, value: t, checked: /** @type {string[]} */ (r.allowedEntryTypes).includes(t) })]);
  const caps = {
    entriesPerEnterprise: numIn('su-cap-enterprise', r.caps.entriesPerEnterprise, { min: 1, max: 1000 }),
    recommendedPerUnit: numIn('su-cap-unit', r.caps.recommendedPerUnit, { min: 1, max: 100000 }),
    maxTeamMembers: numIn('su-cap-team', r.caps.maxTeamMembers, { min: 1, max: 100 }),
  };
  const wMat = numIn('su-w-material', r.stageWeights.material, { min: 0, max: 100 });
  const wPre = numIn('su-w-presentation', r.stageWeights.presentation, { min: 0, max: 100 });
  const wSum = h('output', { id: 'su-w-total', for: 'su-w-material su-w-presentation', 'aria-live': 'polite' });
  const showW = () => {
    const s = (n(wMat) ?? 0) + (n(wPre) ?? 0);
    wSum.textContent = `合计 ${s}%${s === 100 ? '' : '（应为 100%）'}`;
    wSum.className = s === 100 ? 'su-ok' : 'su-bad';
  };
  wMat.addEventListener('input', showW); wPre.addEventListener('input', showW); showW();
  const method = select('su-agg-method', METHODS, r.aggregation.method);
  const trim = numIn('su-agg-trim', r.aggregation.trimMinSheets, { min: 3, max: 100 });
  const normalize = checkbox('su-agg-normalize', '按评委打分尺度校正（标准化）', r.aggregation.normalizeByJudge);
  const q = r.quotas;
  const qMode = select('su-q-mode', { count: '按名额数量', ratio: '按比例（千分比 ‰）' }, q.mode);
  const qScope = select('su-q-scope', SCOPES, q.scope);
  const qValues = q.mode === 'count' ? q.counts : q.ratios;
  const quota = Object.fromEntries(LEVEL_KEYS.map((l) => [l, numIn(`su-q-${l}`, qValues[l], { min: 0, max: 100000 })]));
  const qNote = h('p.desc', { id: 'su-q-note', 'aria-live': 'polite' });
  const showQ = () => {
    const sum = LEVEL_KEYS.reduce((s, l) => s + (n(quota[l]) ?? 0), 0);
    qNote.textContent = qMode.value === 'count' ? `各等级名额合计 ${sum} 项。` : `合计 ${sum}‰（即 ${(sum / 10).toFixed(1)}%），不能超过 1000‰。`;
  };
  qMode.addEventListener('change', showQ);
  for (const el of Object.values(quota)) el.addEventListener('input', showQ);
  showQ();
  const minS = Object.fromEntries(LEVEL_KEYS.map((l) => [l, numIn(`su-min-${l}`, r.minScores[l], { min: 0, max: 100 })]));
  const tie = select('su-tie', TIES, r.boundaryTiePolicy);
  const eu = r.excellentUnits;
  const points = Object.fromEntries(LEVEL_KEYS.map((l) => [l, numIn(`su-eu-${l}`, eu.pointsPerLevel[l], { min: 0, max: 1000 })]));
  const euMin = numIn('su-eu-min', eu.minEntries, { min: 0, max: 10000 });
  const euTop = numIn('su-eu-top', eu.topN, { min: 0, max: 1000 });
  const notBefore = inp('su-not-before', { type: 'date', value: r.activityNotBefore ?? '' });
  const publicScores = checkbox('su-public-scores', '公示和发布时公开成果得分', r.showScoresPublicly);
  const certMembers = checkbox('su-cert-members', '荣誉证书上列出小组成员姓名（组长在前）', !!r.certificateTeamMembers);

  const form = h('form.card', { id: 'rules-form', 'aria-labelledby': 'rules-h' },
    h('h2', { id: 'rules-h' }, '评比规则'),
    h('p.desc', null, `规则版本 ${c.rulesVersion}。现场发表开始后规则冻结。`),
    summary,
    group('su-types', 'rules.allowedEntryTypes', '可申报的成果类型',
      h('div.su-inline', null, types.map(([t, box]) => h('div.su-check', null, box, h('label', { for: box.id }, ENTRY_TYPES[t]))))),
    group('su-caps', 'rules.caps', '数量上限',
      h('div.oi-grid4', null, field('每家企业最多申报（项）', caps.entriesPerEnterprise), field('每个推荐单位最多推荐（项）', caps.recommendedPerUnit),
        field('每个小组最多成员（人）', caps.maxTeamMembers))),
    group('su-weights', 'rules.stageWeights', '阶段权重（整数百分比，合计 100）',
      h('div.oi-grid4', null, field('材料评审 %', wMat), field('现场发表 %', wPre)), wSum),
    group('su-agg', 'rules.aggregation', '得分汇总',
      h('div.oi-grid2', null, field('汇总方法', method), field('去掉最高分和最低分的最少评分表数', trim, '评分表少于此数时不去掉最高、最低分（3–100）')),
      normalize),
    group('su-quotas', 'rules.quotas', '获奖名额',
      h('div.oi-grid2', null, field('名额方式', qMode), field('计算范围', qScope)),
      h('div.oi-grid4', null, LEVEL_KEYS.map((l) => field(LEVELS[l], quota[l]))), qNote),
    group('su-min', 'rules.minScores', '各等级最低分（留空表示不设）',
      h('div.oi-grid4', null, LEVEL_KEYS.map((l) => field(LEVELS[l], minS[l])))),
    group('su-tie-group', 'rules.boundaryTiePolicy', '名额边界出现并列时',
      field('处理方式', tie),
      h('p.desc', { id: 'su-tie-chain' }, '名次并列时依次比较：最终得分 → 现场发表得分 → 全部原始分之和 → 组委会在「评审结果」中记录的裁定顺序；仍相同则并列同一名次。')),
    group('su-eu', 'rules.excellentUnits', '优秀推荐单位',
      h('div.oi-grid4', null, LEVEL_KEYS.map((l) => field(`${LEVELS[l]}积分`, points[l]))),
      h('div.oi-grid4', null, field('最少获奖成果数', euMin), field('评选数量', euTop))),
    group('su-other', 'rules.activityNotBefore', '其他',
      field('活动开始时间不早于', notBefore, '留空表示不限'), publicScores, certMembers),
    h('div.actions', null, h('button.primary', { type: 'submit' }, '保存评比规则')));

  onSubmit(form, summary, async () => {
    const levels = (m) => Object.fromEntries(LEVEL_KEYS.map((l) => [l, n(m[l])]));
    const rules = {
      allowedEntryTypes: types.filter(([, box]) => box.checked).map(([t]) => t),
      caps: { entriesPerEnterprise: n(caps.entriesPerEnterprise), recommendedPerUnit: n(caps.recommendedPerUnit), maxTeamMembers: n(caps.maxTeamMembers) },
      stageWeights: { material: n(wMat), presentation: n(wPre) },
      aggregation: { method: method.value, trimMinSheets: n(trim), normalizeByJudge: form.querySelector('#su-agg-normalize').checked },
      quotas: qMode.value === 'count' ? { mode: 'count', scope: qScope.value, counts: levels(quota) } : { mode: 'ratio', scope: qScope.value, ratios: levels(quota) },
      minScores: levels(minS),
      boundaryTiePolicy: tie.value,
      excellentUnits: { pointsPerLevel: levels(points), minEntries: n(euMin), topN: n(euTop) },
      activityNotBefore: notBefore.value || null,
      showScoresPublicly: form.querySelector('#su-public-scores').checked,
      certificateTeamMembers: form.querySelector('#su-cert-members').checked,
    };
    await api('PATCH', `/contests/${c.id}`, /** @satisfies {Schemas['UpdateContestDto']} */ ({ rules }));
    await done('评比规则已保存。');
  });
  return form;
}

// ------------------------------------------------------------------------------------ review checklist

/**
 * @param {Schemas['ContestResponse']} c
 * @param {(text: string) => Promise<void>} done
 */
function checklistForm(c, done) {
  const summary = summaryBox();
  const list = h('ol.su-list', { id: 'checklist-items' });
  const renumber = () => [...list.children].forEach((li, i) => {
    const t = li.querySelector('input');
    t.id = `su-check-${i}`;
    li.querySelector('label').htmlFor = t.id;
    li.querySelector('label').textContent = `第 ${i + 1} 项`;
    li.querySelector('button').setAttribute('aria-label', `删除第 ${i + 1} 项检查项`);
  });
  const row = (item) => {
    const li = h('li', { 'data-key': item.key },
      h('label', null, ''), h('input', { type: 'text', maxLength: 200, value: item.title }),
      h('button.link', { type: 'button', onclick: () => { li.remove(); renumber(); } }, '删除'));
    return li;
  };
  list.append(...c.rules.reviewChecklist.map(row));
  renumber();
  const add = h('button', { type: 'button', id: 'checklist-add' }, '新增检查项');
  add.addEventListener('click', () => { list.append(row({ key: newKey('check'), title: '' })); renumber(); list.lastElementChild.querySelector('input').focus(); });
  const form = h('form.card', { id: 'checklist-form', 'aria-labelledby': 'checklist-h' },
    h('h2', { id: 'checklist-h' }, '材料初审检查项'),
    h('p.desc', null, '初审时逐项核对；最多 30 项。'),
    summary,
    h('div.field', { 'data-field': 'rules.reviewChecklist', id: 'checklist-group', tabindex: '-1' }, list),
    h('div.actions', null, add, h('button.primary', { type: 'submit' }, '保存初审检查项')));
  onSubmit(form, summary, async () => {
    const reviewChecklist = [...list.children].map((li) => ({ key: li.dataset.key, title: li.querySelector('input').value.trim() }));
    await api('PATCH', `/contests/${c.id}`, /** @satisfies {Schemas['UpdateContestDto']} */ ({ rules: { reviewChecklist } }));
    await done('初审检查项已保存。');
  });
  return form;
}

// ------------------------------------------------------------------------------------ tie-break chain

/** The criteria of the tie-break chain (src/judging/ranking.ts TIE_BREAK_CRITERIA), in Chinese. */
const CRITERIA = {
  presentation_score: '现场发表得分高者优先',
  untrimmed_sum: '全部评分之和（含去掉的最高、最低分）高者优先',
  organizer_decision: '按组委会裁定的顺序',
};

/**
 * 并列名次判定顺序: the criteria applied, in order, to entries with equal final scores; an ordered
 * list moved with 上移 / 下移 buttons (focus follows the moved item, the new place is announced), a
 * criterion removed or added back. Entries still equal share the rank.
 */
function tieBreakForm(c, done) {
  const summary = summaryBox();
  const chain = [...(c.rules.tieBreakChain ?? Object.keys(CRITERIA))];
  const list = h('ol.su-list', { id: 'tiebreak-items', 'aria-labelledby': 'tiebreak-h' });
  const unused = h('div.actions', { id: 'tiebreak-unused' });
  const status = h('p.desc', { id: 'tiebreak-status', role: 'status', 'aria-live': 'polite' });
  const render = (focus = null) => {
    list.replaceChildren(...chain.map((key, i) => h('li', { 'data-key': key },
      h('span', null, `第 ${i + 1} 步：${CRITERIA[key]}`), ' ',
      h('button', { type: 'button', 'data-move': 'up', 'aria-label': `上移「${CRITERIA[key]}」`, disabled: i === 0, onclick: () => move(i, -1) }, '上移'),
      h('button', { type: 'button', 'data-move': 'down', 'aria-label': `下移「${CRITERIA[key]}」`, disabled: i === chain.length - 1, onclick: () => move(i, 1) }, '下移'),
      h('button.link', { type: 'button', 'data-move': 'remove', 'aria-label': `不使用「${CRITERIA[key]}」`, onclick: () => { chain.splice(i, 1); status.textContent = `已移除「${CRITERIA[key]}」。`; render(); } }, '不使用'))));
    const rest = Object.keys(CRITERIA).filter((k) => !chain.includes(k));
    unused.replaceChildren(...rest.map((key) => h('button', { type: 'button', 'data-add': key, onclick: () => { chain.push(key); status.textContent = `已加入「${CRITERIA[key]}」，位于第 ${chain.length} 步。`; render(); } }, `加入：${CRITERIA[key]}`)));
    if (!chain.length) list.replaceChildren(h('li.muted', null, '不使用任何判定依据：最终得分相同即并列。'));
    if (focus) list.querySelector(`li[data-key="${focus.key}"] button[data-move="${focus.dir}"]:not([disabled])`)?.focus();
    if (focus && document.activeElement?.tagName !== 'BUTTON') list.querySelector(`li[data-key="${focus.key}"] button:not([disabled])`)?.focus();
  };
  const move = (i, d) => {
    const [key] = chain.splice(i, 1);
    chain.splice(i + d, 0, key);
    status.textContent = `「${CRITERIA[key]}」已移到第 ${i + d + 1} 步。`;
    render({ key, dir: d < 0 ? 'up' : 'down' });
  };
  render();
  const form = h('form.card', { id: 'tiebreak-form', 'aria-labelledby': 'tiebreak-h' },
    h('h2', { id: 'tiebreak-h' }, '并列名次判定顺序'),
    h('p.desc', null, '最终得分相同时，依次比较以下依据，前一项相同才比较下一项；全部相同则并列同一名次。'),
    summary,
    h('div.field', { 'data-field': 'rules.tieBreakChain', id: 'tiebreak-group', tabindex: '-1' }, list, status),
    unused,
    h('div.actions', null, h('button.primary', { type: 'submit' }, '保存判定顺序')));
  onSubmit(form, summary, async () => {
    await api('PATCH', `/contests/${c.id}`, /** @satisfies {Schemas['UpdateContestDto']} */ ({ rules: { tieBreakChain: [...chain] } }));
    await done('并列名次判定顺序已保存。');
  });
  return form;
}

// ------------------------------------------------------------------------------------ rubrics

/**
 * @param {Schemas['ContestResponse']} c
 * @param {string} type
 * @param {string} stage
 * @param {(text: string) => Promise<void>} done
 */
function rubricForm(c, type, stage, done) {
  const rubric = (c.rubrics || []).find((r) => r.entryType === type && r.stage === stage);
  const id = `rubric-${type}-${stage}`;
  const title = `${ENTRY_TYPES[type]} · ${STAGES[stage]}`;
  const summary = summaryBox();
  const body = h('tbody');
  const total = h('output', { id: `${id}-total`, 'aria-live': 'polite' });
  const showTotal = () => {
    const sum = [...body.children].reduce((s, tr) => s + (Number(tr.querySelector('[data-role="max"]').value) || 0), 0);
    const t = Math.round(sum * 10) / 10;
    total.textContent = `合计 ${t} 分${t === 100 ? '' : '（应为 100 分）'}`;
    total.className = t === 100 ? 'su-ok' : 'su-bad';
  };
  // Field names follow the API's errors (items.<i>.title etc.), so they change when rows move.
  const renumber = () => {
    [...body.children].forEach((tr, i) => {
      for (const el of tr.querySelectorAll('[data-role]')) {
        const role = el.dataset.role;
        el.id = `${id}-${i}-${role}`;
        if (role !== 'remove') el.dataset.field = `items.${i}.${role === 'max' ? 'max' : role}`;
        el.setAttribute('aria-label', `第 ${i + 1} 项${{ title: '名称', description: '评分要点', max: '满分', remove: ' 删除' }[role]}`);
      }
    });
    showTotal();
  };
  const row = (item) => {
    const tr = h('tr', { 'data-key': item.key },
      h('td', null, h('div.field', null, h('input', { type: 'text', 'data-role': 'title', maxLength: 100, value: item.title }))),
      h('td', null, h('div.field', null, h('textarea', { 'data-role': 'description', maxLength: 500, rows: 2, value: item.description ?? '' }))),
      h('td.num', null, h('div.field', null, h('input.su-max', { type: 'number', 'data-role': 'max', min: 0.1, max: 100, step: 0.1, inputmode: 'decimal', value: String(item.max) }))),
      h('td', null, h('button.link', { type: 'button', 'data-role': 'remove', onclick: () => { tr.remove(); renumber(); } }, '删除')));
    tr.querySelector('[data-role="max"]').addEventListener('input', showTotal);
    return tr;
  };
  body.append(...(rubric?.items ?? []).map(row));
  renumber();
  const add = h('button', { type: 'button', id: `${id}-add` }, '新增评分项');
  add.addEventListener('click', () => { body.append(row({ key: newKey('item'), title: '', description: '', max: 0 })); renumber(); body.lastElementChild.querySelector('input').focus(); });
  const form = h('form.su-rubric', { id, 'aria-labelledby': `${id}-h`, 'data-entry-type': type, 'data-stage': stage },
    h('h3', { id: `${id}-h` }, title, rubric ? h('span.muted', null, `（第 ${rubric.version} 版）`) : null),
    summary,
    h('div.field', { 'data-field': 'items', id: `${id}-items`, tabindex: '-1' },
      h('table.su-items', null,
        h('caption.oi-vh', null, `${title}评分表`),
        h('thead', null, h('tr', null, ['评分项', '评分要点', '满分', ''].map((t) => h('th', { scope: 'col' }, t)))),
        body),
      h('p', null, total)),
    h('div.actions', null, add, h('button.primary', { type: 'submit' }, `保存「${title}」评分表`)));
  onSubmit(form, summary, async () => {
    const items = [...body.children].map((tr) => ({
      key: tr.dataset.key,
      title: tr.querySelector('[data-role="title"]').value.trim(),
      description: tr.querySelector('[data-role="description"]').value.trim(),
      max: n(tr.querySelector('[data-role="max"]')),
    }));
    /** @type {Schemas['RubricResponseDto']} */
    const out = await api('PUT', `/contests/${c.id}/rubrics/${type}/${stage}`, /** @satisfies {Schemas['PutRubricDto']} */ ({ items }));
    await done(`「${title}」评分表已保存（第 ${out.version} 版，合计 ${out.total} 分）。`);
  });
  return form;
}

// ------------------------------------------------------------------------------------ copy from an earlier year

/** Moves an ISO date-time (or a YYYY-MM-DD day) by whole years. */
function shiftYears(value, years) {
  if (!value) return null;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const d = new Date(day ? `${value}T00:00:00Z` : value);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return day ? d.toISOString().slice(0, 10) : d.toISOString();
}

/**
 * The landing page's "copy from an earlier contest" form: a new draft with the old contest's rules,
 * rubrics, notice length and its dates moved to the new year; then the new contest's set-up screen.
 * @param {Schemas['ContestResponse'][]} contests
 */
export function copyForm(contests) {
  const summary = summaryBox();
  const latest = contests.length ? contests[0] : null;
  const from = h('select', { id: 'copy-from', 'data-field': 'from' }, contests.map((c) => h('option', { value: String(c.id) }, `${c.name}（${c.year} 年）`)));
  const year = numIn('copy-year', latest ? latest.year + 1 : new Date().getFullYear(), { min: 2000, max: 2100, required: true }, 'year');
  const name = inp('copy-name', { required: true, maxLength: 200 }, 'name');
  const suggest = () => {
    const old = contests.find((c) => String(c.id) === from.value);
    if (!old) return;
    if (!name.dataset.touched) name.value = old.name.replace(String(old.year), String(n(year) ?? old.year + 1));
  };
  name.addEventListener('input', () => { name.dataset.touched = '1'; });
  from.addEventListener('change', () => { const old = contests.find((c) => String(c.id) === from.value); if (old) year.value = String(old.year + 1); suggest(); });
  year.addEventListener('input', suggest);
  suggest();
  const form = h('form.card', { id: 'copy-form', 'aria-labelledby': 'copy-h' },
    h('h2', { id: 'copy-h' }, '从往届活动复制设置'),
    h('p.desc', null, '新活动沿用所选活动的评比规则、初审检查项、评分表和公示天数，申报与发表日期顺延到新的年度；分组、评审组与成果不复制。'),
    summary,
    contests.length ? null : notice('还没有可复制的评比活动。'),
    h('div.oi-grid2', null, field('复制自', from), field('新活动的年份', year)),
    field('新活动的名称', name),
    h('div.actions', null, h('button.primary', { type: 'submit', disabled: !contests.length }, '复制并创建')));
  onSubmit(form, summary, async () => {
    /** @type {Schemas['ContestResponse']} */
    const old = await get(`/contests/${from.value}`);
    const years = (n(year) ?? old.year) - old.year;
    const rules = { ...old.rules, activityNotBefore: shiftYears(old.rules.activityNotBefore, years) };
    /** @satisfies {Schemas['CreateContestDto']} */
    const body = {
      name: name.value.trim(), year: n(year), theme: old.theme || undefined, noticeDays: old.noticeDays, rules,
      submissionOpensAt: shiftYears(old.submissionOpensAt, years) ?? undefined, submissionClosesAt: shiftYears(old.submissionClosesAt, years) ?? undefined,
      recommendationClosesAt: shiftYears(old.recommendationClosesAt, years) ?? undefined, reviewClosesAt: shiftYears(old.reviewClosesAt, years) ?? undefined,
      presentationFrom: shiftYears(old.presentationFrom, years) ?? undefined, presentationTo: shiftYears(old.presentationTo, years) ?? undefined,
    };
    /** @type {Schemas['ContestResponse']} */
    const created = await api('POST', '/contests', body);
    try {
      for (const r of old.rubrics ?? []) {
        const items = r.items.map((i) => ({ key: i.key, title: i.title, description: i.description, max: i.max }));
        await api('PUT', `/contests/${created.id}/rubrics/${r.entryType}/${r.stage}`, /** @satisfies {Schemas['PutRubricDto']} */ ({ items }));
      }
    } catch (err) {
      // The contest exists: say so, and let the organizer finish on its set-up screen.
      flash(`已创建「${created.name}」，但评分表未能全部复制（${err.message}），请在下方检查评分表。`);
      location.hash = orgHref(created.id, 'rules');
      return;
    }
    flash(`已从「${old.name}」复制设置，创建评比活动「${created.name}」（草稿）。`);
    location.hash = orgHref(created.id, 'rules');
  });
  return form;
}
