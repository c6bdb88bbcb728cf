// The audit trail: who did what and when, filtered by actor, object, action and date, paged, each
// event's before/after as a diff; and the verification of the hash chains (OK or the first broken link).
import { api, get } from '../api.js';
import { field, h, load, pager, mount, notice, onSubmit, ROLE_NAMES, summaryBox, table, when } from '../ui.js';

const ACTIONS = {
  'contest.create': '创建评比活动', 'contest.update': '修改评比活动', 'contest.phase': '变更评比阶段', 'contest.rubric.put': '修改评分细则', 'contest.track.create': '创建分组',
  'entry.create': '创建申报成果', 'entry.update': '修改申报成果', 'entry.recommend': '推荐成果', 'entry.decline': '不予推荐', 'entry.withdraw': '撤回成果',
  'review.decision': '初审决定', 'review.bulk_pass': '批量初审通过', 'review.close': '结束初审',
  'sheet.draft': '保存评分草稿', 'sheet.submit': '提交评分表', 'sheet.reopen': '退回评分表',
  'session.sign_off': '组长确认场次', 'session.sign_off_cleared': '撤销场次确认',
  'results.compute': '计算评审结果', 'results.adjust': '调整等级', 'results.freeze': '锁定评审结果', 'results.publish': '发布评审结果', 'results.republish': '发布更正版本',
  'objection.file': '提出异议', 'objection.answer': '答复异议',
  'user.create': '创建账号', 'user.change_password': '修改密码', 'user.reset_password': '重置密码',
};
const TARGETS = {
  contest: '评比活动', entry: '申报成果', score_sheet: '评分表', objection: '异议', user: '账号', unit: '推荐单位', enterprise: '企业', expert: '专家',
  review_decision: '初审决定', presentation_session: '发表场次', session: '场次', panel: '评审组', assignment: '评审分配', track: '分组', attachment: '附件', import: '批量导入',
};
const PAGE_SIZE = 50;

/** The filters and page, kept while the organizer moves between pages. */
let state = { page: 1 };

/** GET /audit with these filters (dates are local days: from its start to its end). */
function query(st, page, pageSize) {
  const q = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
  for (const k of ['actor', 'targetType', 'targetId', 'action']) if (st[k]) q.set(k, st[k]);
  if (st.from) q.set('from', new Date(`${st.from}T00:00:00`).toISOString());
  if (st.to) q.set('to', new Date(`${st.to}T23:59:59`).toISOString());
  return get(`/audit?${q}`);
}

export async function auditScreen() {
  const data = await load('审计日志', () => query(state, state.page, PAGE_SIZE));
  if (!data) return;
  const out = h('div', { id: 'audit-verify', 'aria-live': 'polite' });
  const verify = h('button', { type: 'button', id: 'verify-audit' }, '校验审计链');
  verify.addEventListener('click', async () => {
    verify.disabled = true;
    try { out.replaceChildren(verification(await api('POST', '/audit/verify'))); } catch (err) {
      if (err.status !== 401) out.replaceChildren(notice(err.message, 'error'));
    } finally { verify.disabled = false; }
  });
  mount(h('h1', null, '审计日志'),
    h('section.card', { 'aria-labelledby': 'audit-verify-title' },
      h('h2', { id: 'audit-verify-title' }, '完整性校验'),
      h('p.muted', null, '审计日志按操作人组成哈希链，任何记录被修改、删除或调换顺序都会被发现。'),
      h('div.actions.rs-start', null, verify), out),
    filters(),
    h('section.card', { 'aria-labelledby': 'audit-list-title' },
      h('h2', { id: 'audit-list-title' }, `操作记录（共 ${data.total} 条）`),
      table(['时间', '操作人', '操作', '对象', '变更内容'], data.items.map(row), '没有符合条件的记录。', { id: 'audit-table' }),
      pager(data, (p) => { state = { ...state, page: p }; void auditScreen(); }, '审计记录分页', 'audit')));
}

function verification(v) {
  if (v.ok) return notice(`校验通过：${v.chains} 条哈希链、${v.events} 条记录完整，未被篡改。`, 'ok');
  const b = v.firstBroken;
  return notice(`校验未通过：第一处断裂在记录 #${b.id}（链 ${b.chainKey} 第 ${b.seq} 条）：${b.problem}。共检查 ${v.chains} 条链、${v.events} 条记录。`, 'error');
}

function filters() {
  const summary = summaryBox();
  const input = (id, key, attrs = {}) => h('input', { id, 'data-field': key, value: state[key] ?? '', ...attrs });
  const actor = input('audit-actor', 'actor', { autocomplete: 'off' });
  const target = h('select', { id: 'audit-target', 'data-field': 'targetType' }, h('option', { value: '' }, '全部'),
    Object.entries(TARGETS).map(([k, v]) => h('option', { value: k, selected: state.targetType === k }, v)));
  const targetId = input('audit-target-id', 'targetId');
  const action = h('select', { id: 'audit-action', 'data-field': 'action' }, h('option', { value: '' }, '全部'),
    Object.entries(ACTIONS).map(([k, v]) => h('option', { value: k, selected: state.action === k }, v)));
  const from = input('audit-from', 'from', { type: 'date' });
  const to = input('audit-to', 'to', { type: 'date' });
  const form = h('form.card', { id: 'audit-filters', 'aria-labelledby': 'audit-filters-title' },
    h('h2', { id: 'audit-filters-title' }, '筛选'), summary,
    h('div.rs-filters', null,
      field('操作人（用户名）', actor, '填 system 查看无需登录的操作（如公众提出异议）'),
      field('对象类型', target), field('对象编号', targetId),
      field('操作', action), field('起始日期', from), field('截止日期', to)),
    h('div.actions', null, h('button', { type: 'button', onclick: () => { state = { page: 1 }; void auditScreen(); } }, '清除筛选'), h('button.primary', { type: 'submit' }, '查询')));
  return onSubmit(form, summary, async () => {
    const next = { page: 1, actor: actor.value.trim(), targetType: target.value, targetId: targetId.value.trim(), action: action.value, from: from.value, to: to.value };
    // Checked here against the API first: a bad value stays in the form with the API's message.
    await query(next, 1, 1);
    state = next;
    await auditScreen();
  });
}

function who(e) {
  if (e.actorId === null) return h('span', null, '系统', h('br'), h('span.muted', null, '（无需登录的操作）'));
  return h('span', null, e.actorName ?? `用户 #${e.actorId}`, h('br'), h('span.muted', null, `${e.actorUsername ?? ''} · ${ROLE_NAMES[e.actorRole] || e.actorRole}`));
}

function row(e) {
  return h('tr', { 'data-audit': String(e.id), 'data-action': e.action },
    h('td.nowrap', null, when(e.createdAt)),
    h('td', null, who(e)),
    h('td', null, ACTIONS[e.action] ?? e.action, h('br'), h('code.muted', null, e.action)),
    h('td.nowrap', null, `${TARGETS[e.targetType] ?? e.targetType} #${e.targetId}`),
    h('td', null, e.before === null && e.after === null ? '—' : h('details', null, h('summary', null, '查看变更'), diff(e.before, e.after),
      h('p.muted', null, `记录 #${e.id} · 链 ${e.chainKey} 第 ${e.seq} 条 · 请求 ${e.requestId ?? '—'}`))));
}

/** Nested values as dotted paths → JSON text of the leaves. */
function flatten(value, prefix = '', out = new Map()) {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix || value !== null) out.set(prefix || '（值）', JSON.stringify(value));
  return out;
}

function diff(before, after) {
  const a = flatten(before);
  const b = flatten(after);
  const keys = [...new Set([...a.keys(), ...b.keys()])];
  return h('table.rs-diff', null,
    h('thead', null, h('tr', null, ['字段', '变更前', '变更后'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, keys.map((k) => h('tr', null, h('th', { scope: 'row' }, h('code', null, k)),
      ...[a, b].map((m) => h(a.get(k) === b.get(k) ? 'td' : 'td.changed', null, m.has(k) ? h('code', null, m.get(k)) : '—'))))));
}


