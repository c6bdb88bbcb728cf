// The organizer's results desk: compute (with the organizer's order for ties the scores do not
// break), the ranking with each entry's explanation, level adjustments, freezing, the notice with
// its objections, publication, the hash check, and the downloads (award list, certificates).
import { api, blob, get, serverNow } from '../api.js';
import { actionButton, confirmDialog, download, field, h, isoOf, LEVELS, load, localOf, mount, notice, onSubmit, PHASES, searchable, STAGES, summaryBox, table, when } from '../ui.js';
import { contestHeader, loadContest } from './org-nav.js';
/** @typedef {import('../api.js').Schemas} Schemas */
/**
 * @typedef {{ contest: Schemas['ContestResponse'], r: Schemas['ResultsViewResponse'] | null, phase: Schemas['PhaseStatusResponse'],
 *   again: (message: string) => Promise<void> }} ResultsContext
 */

const SNAPSHOT_STATUS = { computed: '已计算（未锁定）', frozen: '已锁定（公示名单）', published: '已发布', superseded: '已被新版本取代' };
const METHODS = { trimmed_mean: '去掉一个最高分和一个最低分后取平均', mean: '算术平均', median: '中位数' };
const MARK_STATUS = { used: '采用', dropped_highest: '去掉（最高分）', dropped_lowest: '去掉（最低分）', not_middle: '未采用（非中位）' };
const DECIDED_BY = {
  final_score: '最终得分', presentation_score: '现场发表得分', untrimmed_sum: '全部评分之和（未去分）',
  organizer_decision: '组委会记录的并列排序', unresolved_tie: '并列，尚未决定',
};
const PARTICIPATION = { absent: '现场发表缺席，不参加排名', withdrawn: '已撤回，不参加排名' };
const TIE_OUTCOME = { all_awarded: '并列者全部获该等级', fell_to_next_level: '并列者全部落入下一等级' };
const PAGE_SIZE = 200;

/** Which page of the ranking is shown, per contest (kept across re-renders). */
const pages = new Map();

const levelName = (l) => (l ? LEVELS[l] || l : '未获奖');

/** GET that answers null on 404 (e.g. no result computed yet). */
async function maybe(path) {
  try { return await get(path); } catch (err) { if (err.status === 404) return null; throw err; }
}

export async function resultsScreen(contestId) {
  const page = pages.get(contestId) || 1;
  const data = await load('评审结果', async () => {
    const contest = await loadContest(contestId);
    /** @type {[Schemas['ResultsViewResponse'] | null, Schemas['PhaseStatusResponse'], Schemas['ObjectionPage'] | null]} */
    const [results, phase, objections] = await Promise.all([
      maybe(`/contests/${contestId}/results?page=${page}&pageSize=${PAGE_SIZE}`),
      get(`/contests/${contestId}/phase`),
      ['notice', 'published', 'archived'].includes(contest.phase) ? get(`/contests/${contestId}/objections?pageSize=200`) : null,
    ]);
    return { contest, results, phase, objections };
  });
  if (!data) return;
  const { contest, results: r, phase, objections } = data;
  const again = (message) => resultsScreen(contestId).then(() => flash(message));
  const ctx = { contest, r, phase, again };
  mount(...contestHeader(contest, 'results'), h('div', { id: 'results-flash', 'aria-live': 'polite' }),
    computeCard(ctx), r ? tiesCard(ctx) : null, r ? rankingCard(ctx) : null, r ? adjustCard(ctx) : null,
    objections ? objectionsCard(ctx, objections) : null, noticeCard(ctx), r ? downloadsCard(ctx) : null);
}

function flash(message) {
  document.getElementById('results-flash')?.replaceChildren(notice(message, 'ok'));
}

/** A card with a heading whose id labels it. */
function card(id, title, ...children) {
  return h('section.card', { id, 'aria-labelledby': id + '-title' }, h('h2', { id: id + '-title' }, title), ...children);
}

/**
 * Asks first, then POSTs and re-renders.
 * @param {ResultsContext} ctx
 */
function confirmedAction(ctx, { label, title, body, path, payload, ok, out, primary = true }) {
  return actionButton(label, { class: primary ? 'primary' : null }, out, async () => {
    if (!(await confirmDialog(title, body, label))) return;
    await api('POST', path, payload);
    await ctx.again(ok);
  });
}

function levelCounts(counts, id = 'level-counts') {
  return h('ul.counts', { id, 'aria-label': '各等级数量' },
    Object.keys(LEVELS).map((l) => h('li', { 'data-level': l }, h('span', null, LEVELS[l]), h('strong', null, String(counts[l] ?? 0)), ' 项')));
}

// ---------------------------------------------------------------------------------------------
// Computation, status, freeze, verification
// ---------------------------------------------------------------------------------------------

/** @param {ResultsContext} ctx */
function computeCard(ctx) {
  const { contest, r } = ctx;
  const s = r?.snapshot;
  const out = h('div', { 'aria-live': 'polite' });
  const canCompute = contest.phase === 'finalizing' && (!s || s.status === 'computed');
  const reason = h('textarea', { id: 'compute-reason', rows: 2, maxlength: 500, 'data-field': 'reason' });
  const summary = summaryBox();
  const form = canCompute ? onSubmit(h('form', { id: 'compute-form' }, summary,
    field('计算说明（可选）', reason, '例如本次重新计算的原因；与结果一并保存。'),
    h('div.actions', null, h('button.primary', { type: 'submit', id: 'compute' }, s ? '重新计算' : '计算评审结果'))), summary, async () => {
    /** @type {Schemas['ResultsSummaryResponse']} */
    const res = await api('POST', `/contests/${contest.id}/results/compute`, /** @satisfies {Schemas['ComputeResultsDto']} */ (reason.value.trim() ? { reason: reason.value.trim() } : {}));
    await ctx.again(`评审结果已计算：${Object.keys(LEVELS).map((l) => `${LEVELS[l]} ${res.levelCounts[l]} 项`).join('，')}。`);
  }) : null;
  const freeze = contest.phase === 'finalizing' && s?.status === 'computed'
    ? confirmedAction(ctx, {
      label: '锁定结果', title: '锁定评审结果？', out, path: `/contests/${contest.id}/results/freeze`, payload: {},
      body: ['锁定后，本结果即作为公示名单，不能再重新计算或调整等级。', `当前：${Object.keys(LEVELS).map((l) => `${LEVELS[l]} ${r.levelCounts[l]} 项`).join('，')}。`],
      ok: '评审结果已锁定，可以进入公示。',
    }) : null;
  const verify = s ? actionButton('校验结果', { id: 'verify' }, out, async () => {
    /** @type {Schemas['ResultsVerificationDto']} */
    const v = await api('POST', `/contests/${contest.id}/results/verify`);
    out.replaceChildren(h('div', { id: 'verify-result', 'data-ok': String(v.ok) }, v.ok
      ? notice(`校验通过：由原始评分表重新计算的结果与保存的结果一致（第 ${v.version} 版，摘要 ${v.recomputedHash.slice(0, 16)}…）。`, 'ok')
      : [notice(`校验不一致：保存的摘要 ${v.storedHash.slice(0, 16)}…，重新计算 ${v.recomputedHash.slice(0, 16)}…；`
        + `缺少评分表 ${v.missingSheetCount} 张，差异条目 ${v.differences?.entryCount ?? 0} 项${v.differences?.sections?.length ? `（${v.differences.sections.join('、')}）` : ''}`
        + `${v.anchor && !v.anchor.ok ? '；结果摘要与审计日志中锁定时记录的不符' : ''}`
        + `${v.sheets?.problemCount ? `；${v.sheets.sheetsWithProblems} 张评分表有 ${v.sheets.problemCount} 处问题` : ''}。`, 'error'),
      v.sheets?.problems?.length ? h('ul', { id: 'verify-sheet-problems' }, v.sheets.problems.map((p) => h('li', { 'data-sheet-id': String(p.sheetId) }, p.message))) : null]));
  }) : null;

  const status = s ? h('dl.rs-meta', { id: 'snapshot' },
    h('dt', null, '状态'), h('dd', null, h('span.badge', { id: 'snapshot-status', 'data-status': s.status }, SNAPSHOT_STATUS[s.status] || s.status)),
    h('dt', null, '版本'), h('dd', null, `第 ${s.version} 版，计算于 ${when(s.createdAt)}`
      + (s.frozenAt ? `，锁定于 ${when(s.frozenAt)}` : '') + (s.publishedAt ? `，发布于 ${when(s.publishedAt)}` : '')),
    h('dt', null, '结果摘要（SHA-256）'), h('dd', null, h('code.rs-hash', { id: 'snapshot-hash' }, s.hash)),
    s.reason ? [h('dt', null, '说明'), h('dd', null, s.reason)] : null) : null;
  const quotas = r ? h('p.muted', null, '名额：', r.allocation.totals.map((q) => `${LEVELS[q.level]} ${q.awarded}/${q.quota}${q.exceededBy ? `（超出 ${q.exceededBy}）` : ''}`).join('；'),
    r.unranked.length ? `；未参加排名 ${r.unranked.length} 项` : '') : null;

  return card('results-status', '评审结果',
    s ? null : notice(contest.phase === 'finalizing' ? '尚未计算评审结果。全部评分表提交后即可计算。' : `尚未计算评审结果（当前阶段：${PHASES[contest.phase] || contest.phase}，计算须在「汇总中」阶段进行）。`),
    status, r ? levelCounts(r.levelCounts) : null, quotas, form,
    h('div.actions', null, freeze, verify), out);
}

// ---------------------------------------------------------------------------------------------
// Ties: boundary ties (quota edges) and ranks the scores do not separate
// ---------------------------------------------------------------------------------------------

/** @param {ResultsContext} ctx */
function tiesCard(ctx) {
  const { contest, r } = ctx;
  const titles = new Map(r.ranking.items.map((e) => [e.entryId, e.title]));
  const name = (id) => `${titles.get(id) ?? '成果'}（#${id}）`;
  const boundary = r.boundaryTies.map((t) => h('li', { 'data-tie': `${t.scope}:${t.level}:${t.rank}` },
    `${LEVELS[t.level]}名额边界，第 ${t.rank} 名并列 ${t.entryIds.length} 项（剩余名额 ${t.seatsLeft}）：${t.entryIds.map(name).join('、')}。`,
    `处理：${TIE_OUTCOME[t.outcome] || t.outcome}`,
    t.needsOrganizerDecision ? (t.settledByAdjustment ? '；已通过等级调整决定。' : '；须组委会决定（记录并列排序或调整等级）。') : '。'));
  const unresolved = r.unresolvedRankTies;
  if (!boundary.length && !unresolved.length && !r.tieBreakOrder.length) return null;
  const editable = contest.phase === 'finalizing' && r.snapshot.status === 'computed';

  let form = null;
  if (editable && unresolved.length) {
    const summary = summaryBox();
    const inputs = unresolved.flatMap((tie) => tie.entryIds.map((id, i) => h('input', {
      id: `tie-${id}`, type: 'number', min: 1, max: tie.entryIds.length, step: 1, value: String(i + 1), 'data-rank': String(tie.rank), 'data-entry-id': String(id),
      class: 'rs-short', 'data-field': 'tieBreakOrder',
    })));
    const reason = h('textarea', { id: 'tie-reason', rows: 2, maxlength: 500, 'data-field': 'reason' });
    form = onSubmit(h('form', { id: 'tie-form' }, summary,
      unresolved.map((tie) => h('fieldset', null, h('legend', null, `第 ${tie.rank} 名并列（${tie.entryIds.length} 项）：请填写先后顺序，1 为排在前面`),
        inputs.filter((x) => x.dataset.rank === String(tie.rank)).map((x) => field(name(Number(x.dataset.entryId)), x)))),
      field('决定依据', reason, '例如组委会会议的决定；与结果一并保存。'),
      h('div.actions', null, h('button.primary', { type: 'submit' }, '记录并列排序并重新计算'))), summary, async () => {
      if (!reason.value.trim()) throw { message: '请填写决定依据', errors: [{ field: 'reason', message: '请填写并列排序的决定依据' }] };
      const decided = [...inputs].sort((a, b) => Number(a.dataset.rank) - Number(b.dataset.rank) || Number(a.value) - Number(b.value)).map((x) => Number(x.dataset.entryId));
      const tieBreakOrder = [...r.tieBreakOrder.filter((id) => !decided.includes(id)), ...decided];
      await api('POST', `/contests/${contest.id}/results/compute`, /** @satisfies {Schemas['ComputeResultsDto']} */ ({ tieBreakOrder, reason: reason.value.trim() }));
      await ctx.again('并列排序已记录，结果已重新计算。');
    });
  }
  return card('ties', '并列情况',
    boundary.length ? h('ul.list', { id: 'boundary-ties' }, boundary) : null,
    unresolved.length ? h('ul.list', { id: 'rank-ties' }, unresolved.map((t) => h('li', null, `第 ${t.rank} 名：${t.entryIds.map(name).join('、')} 得分完全相同，尚未决定先后。`))) : null,
    r.tieBreakOrder.length ? h('p.muted', null, `已记录的并列排序：${r.tieBreakOrder.map(name).join(' → ')}`) : null,
    form);
}

// ---------------------------------------------------------------------------------------------
// The ranking and each entry's explanation
// ---------------------------------------------------------------------------------------------

/** @param {ResultsContext} ctx */
function rankingCard(ctx) {
  const { r, contest } = ctx;
  const pairs = [];
  const rows = r.ranking.items.flatMap((e) => {
    const detail = h('tr.explain', { id: `explain-${e.entryId}`, hidden: true }, h('td', { colspan: 9 }, explanation(e, r)));
    const toggle = h('button.link', { type: 'button', 'aria-expanded': 'false', 'aria-controls': detail.id, 'data-explain': String(e.entryId), 'aria-label': `查看「${e.title}」的评分说明` }, '查看');
    toggle.addEventListener('click', () => {
      detail.hidden = !detail.hidden;
      toggle.setAttribute('aria-expanded', String(!detail.hidden));
      toggle.textContent = detail.hidden ? '查看' : '收起';
      toggle.setAttribute('aria-label', `${detail.hidden ? '查看' : '收起'}「${e.title}」的评分说明`);
    });
    const row = h(e.participation === 'judged' ? 'tr' : 'tr.absent', { 'data-entry': String(e.entryId), 'data-level': e.level ?? '' },
      h('td.num', null, e.rank ?? '—'), h('td', null, e.title), h('td', null, e.enterpriseName), h('td', null, e.unitName),
      h('td', null, e.trackName ?? ''), h('td.num', null, e.finalScore ?? '—'),
      h('td.nowrap', null, levelName(e.level), e.adjusted ? h('span.rs-tag', null, '已调整') : null),
      h('td.nowrap', null, e.participation === 'judged' ? '' : PARTICIPATION[e.participation] || e.participation),
      h('td', null, toggle));
    pairs.push({ e, row, detail, toggle });
    return [row, detail];
  });
  const last = Math.max(1, Math.ceil(r.ranking.total / r.ranking.pageSize));
  const go = (p) => { pages.set(contest.id, p); void resultsScreen(contest.id); };
  const pager = last > 1 ? h('div.actions', null,
    h('button', { type: 'button', disabled: r.ranking.page <= 1, onclick: () => go(r.ranking.page - 1) }, '上一页'),
    h('span', null, `第 ${r.ranking.page} / ${last} 页，共 ${r.ranking.total} 项`),
    h('button', { type: 'button', disabled: r.ranking.page >= last, onclick: () => go(r.ranking.page + 1) }, '下一页')) : null;
  return card('ranking', `排名（${r.ranking.total} 项）`,
    pairs.length ? rankingFilter(pairs, last > 1) : null,
    table(['名次', '成果名称', '企业', '推荐单位', '分组', '最终得分', '等级', '备注', '评分说明'], rows, '没有参评成果。', { id: 'ranking-table' }),
    pager);
}

/**
 * Filters the ranking in the browser (by award level, track, recommending unit and text in the title,
 * enterprise, team or unit), with the number shown. Client-side: the page already holds its entries
 * (up to PAGE_SIZE); with several pages it filters the page shown, and says so.
 */
function rankingFilter(pairs, paged) {
  const opt = (v, label) => h('option', { value: v }, label);
  const distinct = (key, name) => [...new Map(pairs.map(({ e }) => [String(e[key] ?? ''), e[name] || '（未分组）'])).entries()]
    .sort((a, b) => a[1].localeCompare(b[1], 'zh-CN'));
  const level = h('select', { id: 'rank-f-level' }, opt('', '全部'), Object.keys(LEVELS).map((l) => opt(l, LEVELS[l])), opt('none', '未获奖'));
  const track = h('select', { id: 'rank-f-track' }, opt('', '全部'), distinct('trackId', 'trackName').map(([v, l]) => opt(v || 'none', l)));
  const unit = h('select', { id: 'rank-f-unit' }, opt('', '全部'), distinct('unitId', 'unitName').map(([v, l]) => opt(v, l)));
  const text = h('input', { id: 'rank-f-q', type: 'search', maxlength: 100, placeholder: '成果、企业、小组或单位名称中的文字' });
  const count = h('p.muted', { id: 'ranking-count', role: 'status', 'aria-live': 'polite' });
  const apply = () => {
    const q = text.value.trim().toLowerCase();
    let shown = 0;
    for (const { e, row, detail, toggle } of pairs) {
      const ok = (!level.value || (level.value === 'none' ? !e.level : e.level === level.value))
        && (!track.value || (track.value === 'none' ? e.trackId === null : String(e.trackId) === track.value))
        && (!unit.value || String(e.unitId) === unit.value)
        && (!q || [e.title, e.enterpriseName, e.teamName, e.unitName].some((x) => (x || '').toLowerCase().includes(q)));
      row.hidden = !ok;
      detail.hidden = !ok || toggle.getAttribute('aria-expanded') !== 'true';
      if (ok) shown++;
    }
    count.textContent = `显示 ${shown} / ${pairs.length} 项${paged ? '（本页）' : ''}`;
  };
  for (const c of [level, track, unit]) c.addEventListener('change', apply);
  text.addEventListener('input', apply);
  const clear = h('button', { type: 'button', id: 'rank-f-clear', onclick: () => { level.value = ''; track.value = ''; unit.value = ''; text.value = ''; apply(); } }, '清除筛选');
  const form = h('form.rs-filter', { id: 'ranking-filter', role: 'search', 'aria-label': '筛选排名', onsubmit: (ev) => ev.preventDefault() },
    h('div.oi-grid4', null, field('等级', level), field('分组', track), field('推荐单位', searchable(unit, '推荐单位')), field('文字', text)),
    h('div.actions', null, clear), count);
  apply();
  return form;
}

/**
 * Why an entry has its score, place and level: every stage's marks and what was done with them.
 * @param {Schemas['EntryExplanation']} e
 * @param {Schemas['ResultsViewResponse']} r
 */
function explanation(e, r) {
  if (e.participation !== 'judged') return h('p', null, PARTICIPATION[e.participation] || e.participation);
  const weights = r.rules.weights;
  const stageParts = Object.keys(STAGES).map((st) => e.stages[st] && `${STAGES[st]} ${e.stages[st].score} × ${weights[st]}%`).filter(Boolean);
  return h('div.rs-explain', null,
    h('h3', null, `${e.title}：为什么是这个结果`),
    h('div.rs-stages', null, Object.keys(STAGES).map((st) => stageBlock(e, st, r.rules))),
    h('dl.rs-meta', null,
      h('dt', null, '最终得分'), h('dd', { 'data-role': 'final' }, `${stageParts.join(' + ')} = ${e.finalScore}（四舍五入到 0.0001）`),
      h('dt', null, '名次'), h('dd', null, e.rank === null ? '未参加排名' : `第 ${e.rank} 名，由${DECIDED_BY[e.decidedBy] || e.decidedBy}决定`
        + (e.tiedWith.length ? `；与成果 ${e.tiedWith.map((id) => '#' + id).join('、')} 并列` : '')),
      h('dt', null, '按规则评定的等级'), h('dd', null, levelName(e.computedLevel), e.needsOrganizerDecision ? '（名额边界并列，须组委会决定）' : ''),
      h('dt', null, '公示等级'), h('dd', null, levelName(e.level),
        e.adjustment ? `（组委会调整于 ${when(e.adjustment.createdAt)}：${e.adjustment.reason}）` : ''),
      // The engine's reasons as the API words them in Chinese (one sentence per step); the raw trail under 技术细节.
      h('dt', null, '评定过程'), h('dd', null, h('ol.rs-trail', { 'data-role': 'explanation-zh' },
        (e.explanationZh || []).map((st) => h('li', { 'data-code': st.code }, st.text))),
      h('details.tech', null, h('summary', null, '技术细节'), h('ul', null,
        [e.finalScoreExplanation, e.rankReason, ...(e.levelTrail.length ? e.levelTrail : [e.levelReason])].map((t) => h('li', null, h('code', null, t))))))));
}

/**
 * @param {Schemas['EntryExplanation']} e
 * @param {string} stage
 * @param {Schemas['AppliedRules']} rules
 */
function stageBlock(e, stage, rules) {
  const a = e.stages[stage];
  if (!a) return h('p', null, `${STAGES[stage]}：无评分`);
  const normalized = a.marks.some((m) => m.normalizedPoints !== undefined);
  return h('section.rs-stage', { 'data-stage': stage },
    h('h4', null, `${STAGES[stage]}：${a.score} 分`),
    h('p.muted', null, `${a.count} 位专家评分，${METHODS[a.method] || a.method}${a.method !== a.requestedMethod ? `（规则为${METHODS[a.requestedMethod] || a.requestedMethod}，评分不足 ${rules.trimMinSheets} 份时改用${METHODS[a.method] || a.method}）` : ''}${a.normalized ? '，按专家尺度标准化' : ''}。`),
    table(['专家', '评分', ...(normalized ? ['标准化后'] : []), '处理'], a.marks.map((m) => h('tr', { 'data-expert': String(m.expertId), 'data-status': m.status },
      h('td', null, m.expertName ?? `专家 #${m.expertId}`), h('td.num', { 'data-role': 'points' }, m.points),
      normalized ? h('td.num', null, m.normalizedPoints ?? '') : null,
      h('td', null, MARK_STATUS[m.status] || m.status)))));
}

// ---------------------------------------------------------------------------------------------
// Adjustments
// ---------------------------------------------------------------------------------------------

/** @param {ResultsContext} ctx */
function adjustCard(ctx) {
  const { contest, r } = ctx;
  const list = r.adjustments.length ? table(['时间', '成果', '调整为', '原因'], r.adjustments.map((a) => h('tr', { 'data-adjustment': String(a.id) },
    h('td.nowrap', null, when(a.createdAt)), h('td', null, a.title ?? `#${a.entryId}`), h('td.nowrap', null, levelName(a.level)), h('td', null, a.reason))), '') : null;
  const published = contest.phase === 'published';
  const open = (contest.phase === 'finalizing' && r.snapshot.status === 'computed') || published;
  if (!open) return list ? card('adjustments', '等级调整', list) : null;
  const summary = summaryBox();
  const entry = h('select', { id: 'adjust-entry', 'data-field': 'entryId', required: true },
    h('option', { value: '' }, '请选择成果'),
    r.ranking.items.filter((e) => e.participation === 'judged').map((e) => h('option', { value: String(e.entryId) }, `${e.rank ?? '—'}. ${e.title}（现为${levelName(e.level)}）`)));
  const level = h('select', { id: 'adjust-level', 'data-field': 'level' },
    Object.keys(LEVELS).map((l) => h('option', { value: l }, LEVELS[l])), h('option', { value: '' }, '不获奖'));
  const reason = h('textarea', { id: 'adjust-reason', rows: 3, maxlength: 500, 'data-field': 'reason' });
  const form = onSubmit(h('form', { id: 'adjust-form' }, summary,
    published ? notice('结果已发布：调整将作为新版本立即发布，原版本仍可查阅。', 'warn') : null,
    field('成果', searchable(entry, '成果')), field('调整为', level), field('调整原因', reason, '必填；记入结果和审计日志。'),
    h('div.actions', null, h('button.primary', { type: 'submit' }, published ? '发布更正版本' : '保存调整'))), summary, async () => {
    /** @satisfies {Schemas['AdjustmentDto']} */
    const body = { entryId: entry.value ? Number(entry.value) : undefined, level: level.value || null, reason: reason.value };
    if (published && !(await confirmDialog('发布更正版本？', ['调整后的结果将作为新版本立即发布。'], '发布更正版本'))) return;
    // After publication a correction is a new published version (the earlier one stays readable).
    if (published) await api('POST', `/contests/${contest.id}/results/republish`, /** @satisfies {Schemas['RepublishDto']} */ ({ reason: body.reason, adjustments: [body] }));
    else await api('POST', `/contests/${contest.id}/results/adjustments`, body);
    await ctx.again(published ? '更正版本已发布。' : '等级调整已保存，结果已重新计算。');
  });
  return card('adjustments', published ? '更正已发布的结果' : '等级调整', list, form);
}

// ---------------------------------------------------------------------------------------------
// Notice and publication
// ---------------------------------------------------------------------------------------------

/** @param {Schemas['PhaseStatusResponse']} phase */
function blockers(phase) {
  return phase.blockers.length ? h('ul.list', { id: 'phase-blockers', 'aria-label': '尚未满足的条件' }, phase.blockers.map((b) => h('li', { 'data-code': b.code }, b.message))) : null;
}

/** @param {ResultsContext} ctx */
function noticeCard(ctx) {
  const { contest, phase, r } = ctx;
  const out = h('div', { 'aria-live': 'polite' });
  if (contest.phase === 'finalizing' && r?.snapshot.status === 'frozen') {
    return card('notice', '进入公示', blockers(phase),
      h('p', null, `公示期 ${contest.noticeDays} 天，自进入公示时起算。`),
      h('div.actions', null, confirmedAction(ctx, {
        label: '进入公示', title: '进入公示阶段？', out, path: `/contests/${contest.id}/phase`, payload: { to: 'notice' },
        body: ['锁定的结果将向社会公示，公示期内任何人可以提出异议。'], ok: '已进入公示阶段。',
      })), out);
  }
  if (contest.phase !== 'notice') {
    return contest.phase === 'published' || contest.phase === 'archived'
      ? card('notice', '发布', h('p', { id: 'published-state' }, `结果已发布（${PHASES[contest.phase]}）。公示截止于 ${when(contest.noticeEndsAt)}。`)) : null;
  }
  const summary = summaryBox();
  const ends = h('input', { id: 'notice-ends', type: 'datetime-local', 'data-field': 'noticeEndsAt', value: localOf(contest.noticeEndsAt) });
  const reason = h('textarea', { id: 'notice-reason', rows: 2, maxlength: 500, 'data-field': 'reason' });
  const form = onSubmit(h('form', { id: 'notice-form' }, summary,
    field('公示截止时间', ends), field('修改原因', reason, '提前结束公示时必填，记入审计日志。'),
    h('div.actions', null, h('button', { type: 'submit' }, '修改截止时间'))), summary, async () => {
    /** @satisfies {Schemas['UpdateContestDto']} */
    const body = { noticeEndsAt: ends.value ? isoOf(ends.value) : undefined, ...(reason.value.trim() ? { reason: reason.value.trim() } : {}) };
    await api('PATCH', `/contests/${contest.id}`, body);
    await ctx.again('公示截止时间已修改。');
  });
  return card('notice', '公示与发布',
    h('p', { id: 'notice-ends-at' }, `公示截止：${when(contest.noticeEndsAt)}`
      + (contest.noticeEndsAt && Date.parse(contest.noticeEndsAt) <= serverNow() ? '（已届满）' : '（公示中）')),
    form,
    h('h3', null, '发布结果'),
    phase.blockers.length ? [h('p', null, '发布前还需：'), blockers(phase)] : h('p', null, '已满足发布条件。'),
    h('div.actions', null, confirmedAction(ctx, {
      label: '发布结果', title: '发布评审结果？', out, path: `/contests/${contest.id}/phase`, payload: { to: 'published' },
      body: ['发布后结果即为正式结果，之后的更正须以新版本发布。'], ok: '评审结果已发布。',
    })), out);
}

/**
 * @param {ResultsContext} ctx
 * @param {Schemas['ObjectionPage']} list
 */
function objectionsCard(ctx, list) {
  const open = list.items.filter((o) => o.status === 'open').length;
  const rows = list.items.map((o) => h('tr', { 'data-objection': String(o.id), 'data-status': o.status },
    h('td.num', null, String(o.id)), h('td.nowrap', null, when(o.createdAt)), h('td', null, o.entryTitle ?? `#${o.entryId}`),
    h('td', null, o.name, h('br'), h('span.muted', null, o.contact)), h('td.rs-pre', null, o.content),
    h('td', null, o.status === 'open' ? answerForm(ctx, o) : [h('p.rs-pre', null, o.answer), h('p.muted', null, `已答复 ${when(o.answeredAt)}`)])));
  return card('objections', `异议（${list.total} 件${open ? `，${open} 件待答复` : ''}）`,
    table(['编号', '提出时间', '成果', '提出人', '异议内容', '答复'], rows, '公示期内尚未收到异议。', { id: 'objections-table' }));
}

/**
 * @param {ResultsContext} ctx
 * @param {Schemas['ObjectionResponse']} o
 */
function answerForm(ctx, o) {
  const summary = summaryBox();
  const answer = h('textarea', { id: `answer-${o.id}`, rows: 3, maxlength: 5000, 'data-field': 'answer' });
  return onSubmit(h('form.rs-answer', { 'data-answer': String(o.id) }, summary, field('答复内容', answer),
    h('div.actions', null, h('button.primary', { type: 'submit' }, '提交答复'))), summary, async () => {
    await api('POST', `/objections/${o.id}/answer`, /** @satisfies {Schemas['AnswerObjectionDto']} */ ({ answer: answer.value }));
    await ctx.again(`异议 ${o.id} 已答复。`);
  });
}

// ---------------------------------------------------------------------------------------------
// Downloads
// ---------------------------------------------------------------------------------------------

/** @param {ResultsContext} ctx */
function downloadsCard(ctx) {
  const { contest, r } = ctx;
  const out = h('div', { 'aria-live': 'polite' });
  const published = ['published', 'archived'].includes(contest.phase);
  const file = (label, path, name, id) => actionButton(label, { id }, out, () => download(() => blob(path), name));
  const awarded = r.ranking.items.filter((e) => e.level);
  const pick = h('select', { id: 'certificate-entry' }, awarded.map((e) => h('option', { value: String(e.entryId) }, `${levelName(e.level)} · ${e.title}`)));
  const entryPdf = actionButton('下载该成果证书（PDF）', { id: 'download-certificate' }, out, () => {
    const e = awarded.find((x) => String(x.entryId) === pick.value);
    return download(() => blob(`/entries/${e.entryId}/certificate.pdf`), `${e.title}-荣誉证书.pdf`);
  });
  return card('downloads', '下载',
    h('div.actions.rs-start', null,
      file('获奖名单（Excel）', `/contests/${contest.id}/results/export.xlsx`, `${contest.name}-获奖名单.xlsx`, 'download-xlsx'),
      file('获奖名单（CSV）', `/contests/${contest.id}/results/export.csv`, `${contest.name}-获奖名单.csv`, 'download-csv'),
      published ? file('全部荣誉证书（ZIP）', `/contests/${contest.id}/results/certificates.zip`, `${contest.name}-荣誉证书.zip`, 'download-zip') : null),
    published && awarded.length ? h('div.field.inline', null, h('label', { for: 'certificate-entry' }, '单项证书'), pick, entryPdf)
      : h('p.muted', null, '荣誉证书在结果发布后提供。'),
    out);
}
