// The audit trail: who did what and when, filtered by actor, object, action and date, paged, each
// event's before/after as a diff; and the verification of the hash chains (OK or the first broken link).
import { api, get } from '../api.js';
import {
  ATTACHMENT_KINDS, ATTENDANCE, cstDayEnd, cstDayStart, DECISIONS, ENTRY_TYPES, field, FILE_TYPES, h, LEVELS, load, pager, mount, notice, onSubmit, PHASES as PHASE_NAMES, ROLE_NAMES,
  STAGES, summaryBox, table, when,
} from '../ui.js';
/** @typedef {import('../api.js').Schemas} Schemas */

/** Every action the server writes (grep "action: '" in src/; test/unit/web-audit-labels.spec.ts keeps this complete). */
const ACTIONS = {
  'contest.create': '创建评比活动', 'contest.update': '修改评比活动', 'contest.phase': '变更评比阶段', 'contest.rubric.put': '修改评分细则', 'contest.track.create': '创建分组',
  'entry.create': '创建申报成果', 'entry.update': '修改申报成果', 'entry.submit': '提交申报', 'entry.resubmit': '重新提交申报',
  'entry.recommend': '推荐成果', 'entry.decline': '不予推荐', 'entry.withdraw': '撤回成果', 'attachment.upload': '上传附件',
  'review.decision': '初审决定', 'review.pass': '初审通过', 'review.return': '初审退回修改', 'review.reject': '初审不予通过',
  'review.bulk_pass': '批量初审通过', 'review.close': '结束初审', 'review.close_reject': '结束初审（未处理的成果不予通过）',
  'presentation.session.create': '创建发表场次', 'presentation.session.draw': '抽签排序', 'presentation.session.swap': '调换发表顺序',
  'presentation.session.commit': '确定发表顺序', 'presentation.session.check_in': '场次签到',
  'presentation.entry.check_in': '成果签到', 'presentation.entry.check_in_undo': '撤销成果签到', 'presentation.session.check_in_undo': '撤销场次签到',
  'presentation.display.start': '开始/继续发表计时', 'presentation.display.pause': '暂停发表计时', 'presentation.display.reset': '重置发表计时',
  'presentation.display.advance': '投屏切换到下一项', 'presentation.display_link.create': '新建投屏链接', 'presentation.display_link.revoke': '作废投屏链接',
  'presentation.entry.schedule': '安排发表场次', 'presentation.entry.track': '调整成果分组',
  'presentation.tracks.place': '按分组安排场次', 'presentation.panel.create': '创建评审组', 'presentation.panel.update': '修改评审组',
  'presentation.assignment.add': '添加评审分配', 'presentation.assignment.remove': '移除评审分配', 'presentation.assignment.auto': '自动分配评审', 'presentation.assignment.expertise': '按专业匹配分配评审',
  'expertise.topic.create': '新增专业类别', 'expertise.topic.delete': '删除专业类别', 'expertise.profile.update': '修改专家专业信息', 'expertise.profile.propose': '专家申请修改专业信息',
  'expertise.profile.approve': '通过专家专业信息修改', 'expertise.profile.reject': '驳回专家专业信息修改', 'expertise.entry_topics.update': '设置成果专业类别',
  'presentation.assignment.default': '按评审组默认分配', 'presentation.conflict.declare': '申报回避',
  'sheet.draft': '保存评分草稿', 'sheet.submit': '提交评分表', 'sheet.reopen': '退回评分表',
  'session.sign_off': '组长确认场次', 'session.sign_off_cleared': '撤销场次确认',
  'results.compute': '计算评审结果', 'results.adjust': '调整等级', 'results.freeze': '锁定评审结果', 'results.publish': '发布评审结果', 'results.republish': '发布更正版本',
  'report.document': '设定获奖通知文号',
  'notification.settings': '修改通知设置', 'notification.resend': '重发消息', 'notification.remind_missing_experts': '提醒未评专家',
  'objection.file': '提出异议', 'objection.answer': '答复异议',
  'unit.create': '创建推荐单位', 'unit.update': '修改推荐单位', 'unit.deactivate': '停用推荐单位', 'unit.reactivate': '启用推荐单位',
  'enterprise.create': '创建企业', 'enterprise.update': '修改企业', 'enterprise.deactivate': '停用企业', 'enterprise.reactivate': '启用企业', 'enterprise.register': '企业自助注册', 'enterprise.approve': '审核通过企业注册',
  'enterprise.reject': '驳回企业注册', 'enterprise.registration_attempt': '以已登记的信用代码重复注册', 'user.registration_attempt': '以已存在的用户名重复注册',
  'expert.create': '创建专家', 'expert.update': '修改专家', 'expert.deactivate': '停用专家', 'expert.reactivate': '启用专家', 'organisations.import': '批量导入',
  'user.create': '创建账号', 'user.change_password': '修改密码', 'user.reset_password': '重置密码', 'user.deactivate': '停用账号', 'user.reactivate': '启用账号',
};
/** An action this screen does not know yet (a newer server): named by its object, the code stays in the technical fold. */
const actionName = (e) => ACTIONS[e.action] ?? `其他操作（${TARGETS[e.targetType] ?? '对象'}）`;
const TARGETS = {
  contest: '评比活动', entry: '申报成果', score_sheet: '评分表', objection: '异议', user: '账号', unit: '推荐单位', enterprise: '企业', expert: '专家', expertise_topic: '专业类别',
  review_decision: '初审决定', presentation_session: '发表场次', session: '场次', panel: '评审组', assignment: '评审分配', track: '分组', attachment: '附件', import: '批量导入', notification: '消息',
};
/** Field names in before/after (the last segment of the path); a path with none of these goes to the technical fold. */
const FIELDS = {
  documentNumber: '文号', issuer: '发文机关', addressee: '主送',
  name: '名称', title: '名称', status: '状态', phase: '阶段', reason: '原因', note: '备注', notes: '备注', decision: '决定', level: '等级', computedLevel: '计算所得等级', round: '轮次',
  year: '年度', theme: '主题', uscc: '统一社会信用代码', industry: '所属行业', address: '地址', contactPerson: '联系人', phone: '联系电话', contact: '联系方式',
  email: '电子邮箱', employer: '工作单位', jobTitle: '职务/职称', specialty: '专业', kind: '类别', username: '用户名', displayName: '显示名称', role: '角色',
  active: '是否启用', entryType: '成果类型', summary: '成果简介', leader: '组长', members: '小组成员', teamName: '小组名称', team: '小组',
  activityStart: '活动开始日期', activityEnd: '活动结束日期', economicBenefit: '经济效益（元）', benefitDescription: '效益计算说明',
  submittedAt: '提交时间', createdAt: '创建时间', updatedAt: '修改时间', startsAt: '开始时间', endsAt: '结束时间', venue: '地点',
  slotMinutes: '发表时长（分钟）', qaMinutes: '答辩时长（分钟）', position: '发表顺序', attendance: '签到状态', total: '总分', score: '得分', scores: '各项得分',
  comment: '评语', comments: '评语', content: '内容', answer: '答复', rows: '行数', created: '新增', updated: '更新', count: '数量', stage: '评审阶段',
  quotas: '获奖名额', weights: '阶段权重', rules: '评比规则', items: '评分项', max: '满分', maxScore: '满分', description: '说明', checklist: '检查项',
  ok: '是否符合', matched: '重复的项目', notifyOwner: '通知原登记人', fileName: '文件名', originalName: '文件名', size: '大小（字节）', mime: '文件类型',
  submissionOpensAt: '申报开始时间', submissionClosesAt: '申报截止时间', noticeDays: '公示天数', noticeEndsAt: '公示截止时间', publishedAt: '发布时间',
  statusReason: '审核意见', deactivatedAt: '停用时间', accountsSignedOut: '失效的登录会话（账号数）', recommendationClosesAt: '推荐截止时间', reviewClosesAt: '初审截止时间', tieBreakChain: '并列名次判定顺序',
};
/** Identifiers, versions and hashes: for the technical fold only. */
const TECHNICAL = /(^|\.)(id|ids|lockVersion|version|seq|requestId|chainKey)$|(Id|Ids|Hash|hash|Token|token|Sha256|sha256)$/;
const STATUS_VALUES = { draft: '草稿', submitted: '已提交', pending: '待审核', approved: '已通过', rejected: '未通过', open: '征集中', review: '初审中' };
const UNIT_KINDS = { dev_zone_regulator: '开发区管理机构', industry_association: '行业协会', street_town: '街道乡镇', other: '其他' };
/** Enumerated values by field name (the last segment of the path). */
const VALUES = { role: ROLE_NAMES, entryType: ENTRY_TYPES, kind: { ...UNIT_KINDS, ...ATTACHMENT_KINDS }, level: LEVELS, computedLevel: LEVELS, decision: DECISIONS, attendance: ATTENDANCE, stage: STAGES, mime: FILE_TYPES };
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const PAGE_SIZE = 50;

/** The filters and page, kept while the organizer moves between pages. */
let state = { page: 1 };

/**
 * GET /audit with these filters (dates are local days: from its start to its end).
 * @returns {Promise<Schemas['AuditEventPage']>}
 */
function query(st, page, pageSize) {
  const q = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
  for (const k of ['actor', 'targetType', 'targetId', 'action']) if (st[k]) q.set(k, st[k]);
  if (st.from) q.set('from', cstDayStart(st.from));
  if (st.to) q.set('to', cstDayEnd(st.to));
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

/** @param {Schemas['AuditVerificationResponse']} v */
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

/** @param {Schemas['AuditEventResponse']} e */
function who(e) {
  if (e.actorId === null) return h('span', null, '系统', h('br'), h('span.muted', null, '（无需登录的操作）'));
  return h('span', null, e.actorName ?? `用户 #${e.actorId}`, h('br'), h('span.muted', null, `${e.actorUsername ?? ''} · ${ROLE_NAMES[e.actorRole] || e.actorRole}`));
}

/** @param {Schemas['AuditEventResponse']} e */
function row(e) {
  const facts = [`记录 #${e.id}`, `操作代码 ${e.action}`, `对象 ${e.targetType} #${e.targetId}`, `哈希链 ${e.chainKey} 第 ${e.seq} 条`, `请求 ${e.requestId ?? '—'}`];
  const { plain, technical } = diff(e.before, e.after, e.targetType);
  const label = objectLabel(e);
  return h('tr', { 'data-audit': String(e.id), 'data-action': e.action },
    h('td.nowrap', null, when(e.createdAt)),
    h('td', null, who(e)),
    h('td.audit-action', null, actionName(e)),
    h('td', null, TARGETS[e.targetType] ?? '其他对象', label ? h('br') : null, label ? h('span.muted', null, label) : null),
    h('td', null, plain ?? (e.before === null && e.after === null ? '—' : h('span.muted', null, '（仅技术细节）')),
      h('details.tech', null, h('summary', null, '技术细节'),
        h('ul.plain', null, facts.map((f) => h('li', null, h('code', null, f)))), technical)));
}

/**
 * The object's own name, when the event carries it (title or name).
 * @param {Schemas['AuditEventResponse']} e
 */
function objectLabel(e) {
  for (const v of [e.after, e.before]) {
    if (v && typeof v === 'object') for (const k of ['title', 'name', 'displayName']) if (typeof v[k] === 'string' && v[k]) return v[k];
  }
  return null;
}

/** Nested values as dotted paths → JSON text of the leaves. */
function flatten(value, prefix = '', out = new Map()) {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix || value !== null) out.set(prefix || '（值）', JSON.stringify(value));
  return out;
}

/** The field's name in Chinese, or null for a technical or unknown field (shown only in the fold). */
function fieldName(path, targetType) {
  if (TECHNICAL.test(path)) return null;
  const parts = path.split('.').filter((p) => !/^\d+$/.test(p));
  // An expert's title is a job title (职称), everything else's a name.
  const names = parts.map((p) => (p === 'title' && targetType === 'expert' ? '职称' : FIELDS[p]));
  if (!names.length || names.some((n) => !n)) return null;
  const index = path.match(/\.(\d+)(\.|$)/);
  return names.join(' · ') + (index ? `（第 ${Number(index[1]) + 1} 项）` : '');
}

/** A value as a person reads it: statuses and yes/no in Chinese, text without JSON quotes. */
function show(json, path) {
  if (json === undefined) return '—';
  const v = JSON.parse(json);
  if (v === null) return '（空）';
  if (v === true) return '是';
  if (v === false) return '否';
  const own = VALUES[path.split('.').pop()];
  if (typeof v === 'string' && own?.[v]) return own[v];
  if (typeof v === 'string' && ISO_TIME.test(v)) return when(v);
  if (typeof v === 'string') return STATUS_VALUES[v] ?? PHASE_NAMES[v] ?? v;
  return typeof v === 'object' ? json : String(v);
}

/** Before/after as two tables: the named fields in Chinese, and the rest (ids, versions, hashes, raw keys) for the technical fold. */
function diff(before, after, targetType) {
  const a = flatten(before);
  const b = flatten(after);
  const keys = [...new Set([...a.keys(), ...b.keys()])];
  const label = (k) => fieldName(k, targetType);
  const named = keys.filter(label);
  const rest = keys.filter((k) => !label(k));
  const tableOf = (list, label, raw) => h('table.rs-diff', null,
    h('thead', null, h('tr', null, ['字段', '变更前', '变更后'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, list.map((k) => h('tr', null, h('th', { scope: 'row' }, label(k)),
      ...[a, b].map((m) => h(a.get(k) === b.get(k) ? 'td' : 'td.changed', null, m.has(k) ? (raw ? h('code', null, m.get(k)) : show(m.get(k), k)) : '—'))))));
  return {
    plain: named.length ? h('details', null, h('summary', null, '查看变更'), tableOf(named, label, false)) : null,
    technical: rest.length ? tableOf(rest, (k) => h('code', null, k), true) : null,
  };
}
