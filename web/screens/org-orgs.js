// Organisations (组织管理, organizer): recommending units, enterprises and experts — list, search,
// create, edit; approve or reject self-registered enterprises; spreadsheet imports (template,
// check first with dryRun, then one all-or-nothing import); logins for units, enterprises and
// experts, and a printable credentials sheet with each initial password, shown once.
import { ApiError, api, blob, get, session } from '../api.js';
import { confirmDialog, download, field, flash, h, load, mount, notice, onSubmit, pager, searchable, setPrintHead, summaryBox, table, takeFlash, when } from '../ui.js';
import { usccProblem, usccTypingProblem } from '../uscc.js';
import { registrationDecisions, select } from './enterprise.js';
/** @typedef {import('../api.js').Schemas} Schemas */
/** @typedef {Schemas['UnitResponse'] | Schemas['EnterpriseResponse'] | Schemas['ExpertResponse']} Organisation */

const UNIT_KINDS = { dev_zone_regulator: '开发区监管部门', industry_association: '行业协会', street_town: '街道乡镇', other: '其他' };
const EMPLOYER_KINDS = { enterprise: '企业', unit: '推荐单位', other: '其他单位' };
const ENTERPRISE_STATUS = { pending: '待审核', approved: '已通过', rejected: '已驳回' };
const IMPORT_KINDS = { experts: '评审专家', enterprises: '企业', units: '推荐单位' };
/** The import columns' headers (src/organisations/spreadsheet.ts), to name the column of a row error. */
const IMPORT_HEADERS = {
  units: { name: '单位名称', kind: '单位类型', contactPerson: '联系人', phone: '联系电话' },
  enterprises: { name: '企业名称', uscc: '统一社会信用代码', industry: '所属行业', address: '地址', contactPerson: '联系人', phone: '联系电话', unitName: '推荐单位' },
  experts: { name: '姓名', title: '职称', fields: '专业领域', phone: '联系电话', employerKind: '工作单位类型', employerName: '工作单位名称', employerUscc: '工作单位统一社会信用代码' },
};
const TABS = [['units', '推荐单位'], ['enterprises', '企业'], ['experts', '评审专家'], ['import', '批量导入'], ['credentials', '账号凭据单']];
const PAGE_SIZE = 20;
const ROLE_OF = { units: '推荐单位', enterprises: '企业', experts: '评审专家' };

/**
 * Accounts issued while this page is open, with their initial passwords: kept only in memory (never
 * in storage, never sent again by the API), shown on the credentials sheet and dropped when it closes.
 */
const issued = [];
/** Each list's search and page survive re-renders after an action. */
const query = { units: { q: '', active: '', page: 1 }, enterprises: { q: '', status: '', active: '', page: 1 }, experts: { q: '', active: '', page: 1 } };
const ACTIVE_FILTER = [['', '全部'], ['true', '仅启用中'], ['false', '仅已停用']];
/** What deactivation does, per kind (src/organisations/organisation-status.service.ts), said before the organizer confirms. */
const DEACTIVATION_EFFECTS = {
  units: ['该单位的账号将不能登录，已登录的会话立即失效；', '新的成果申报和企业注册不能再选择该单位，该单位也不能再推荐成果；', '已有的成果、评审结果和操作记录全部保留，可随时重新启用。'],
  enterprises: ['该企业的账号将不能登录，已登录的会话立即失效；', '已有的成果、评审结果和操作记录全部保留，可随时重新启用。'],
  experts: ['该专家的账号将不能登录，已登录的会话立即失效；', '不能再加入评审组或分配评审任务，自动分配会跳过该专家；', '已提交的评分表和操作记录全部保留，可随时重新启用。'],
};

/** The API operations this screen calls (OpenAPI paths), for the check that every operation has a screen. */
export const API_OPERATIONS = [
  'GET /api/units', 'POST /api/units', 'PATCH /api/units/{id}', 'POST /api/units/{id}/accounts',
  'GET /api/enterprises', 'POST /api/enterprises', 'PATCH /api/enterprises/{id}', 'POST /api/enterprises/{id}/approve',
  'POST /api/enterprises/{id}/reject', 'POST /api/enterprises/{id}/accounts',
  'GET /api/experts', 'POST /api/experts', 'PATCH /api/experts/{id}', 'POST /api/experts/{id}/accounts',
  'GET /api/imports/{kind}/template', 'POST /api/imports/{kind}',
  'POST /api/units/{id}/deactivate', 'POST /api/units/{id}/reactivate', 'POST /api/enterprises/{id}/deactivate', 'POST /api/enterprises/{id}/reactivate',
  'POST /api/experts/{id}/deactivate', 'POST /api/experts/{id}/reactivate',
];

export const orgHref = (tab = 'units') => `#/organizer/orgs/${tab}`;

function header(active) {
  return [
    h(active === 'credentials' ? 'h1.no-print' : 'h1', null, '组织管理'),
    h('nav.tabs.no-print', { 'aria-label': '组织管理' }, TABS.map(([key, label]) =>
      h('a', { href: orgHref(key), 'aria-current': key === active ? 'page' : null }, key === 'credentials' && issued.length ? `${label}（${issued.length}）` : label))),
  ];
}

export async function orgsScreen(tab = 'units') {
  if (tab === 'import') return importScreen();
  if (tab === 'credentials') return credentialsScreen();
  return listScreen(tab);
}

// ---------------------------------------------------------------- lists

function listPath(kind) {
  const q = query[kind];
  const p = new URLSearchParams({ page: String(q.page), pageSize: String(PAGE_SIZE) });
  if (q.q.trim()) p.set('q', q.q.trim());
  if (q.status) p.set('status', q.status);
  if (q.active) p.set('active', q.active);
  return `/${kind}?${p}`;
}

async function listScreen(kind) {
  const title = TABS.find(([k]) => k === kind)[1];
  const data = await load('组织管理', async () => {
    /** @type {[Schemas['UnitPage'] | Schemas['EnterprisePage'] | Schemas['ExpertPage'], Schemas['UnitPage'] | null, Schemas['EnterprisePage'] | null]} */
    const [list, units, enterprises] = await Promise.all([
      get(listPath(kind)),
      kind === 'units' ? null : get('/units?pageSize=200'),
      kind === 'experts' ? get('/enterprises?pageSize=200&status=approved') : null,
    ]);
    return { list, units: units?.items ?? [], enterprises: enterprises?.items ?? [] };
  });
  if (!data) return;
  const { list } = data;
  const unitName = new Map(data.units.map((u) => [u.id, u.name]));
  const enterpriseName = new Map(data.enterprises.map((e) => [e.id, e.name]));
  const panel = h('div', { id: 'org-panel' });
  const summary = h('div', { id: 'org-summary', 'aria-live': 'assertive', tabindex: '-1' });
  const rerender = (msg) => { flash(msg); return listScreen(kind); };
  const fail = (err) => { if (err.status !== 401) { summary.replaceChildren(notice(err.message, 'error')); summary.focus(); } };
  const show = (form) => { panel.replaceChildren(form); panel.scrollIntoView({ block: 'nearest' }); form.querySelector('input, select, textarea')?.focus(); };

  const employer = (/** @type {Schemas['ExpertResponse']} */ x) => x.employerKind === 'enterprise' ? enterpriseName.get(x.employerEnterpriseId) ?? '企业'
    : x.employerKind === 'unit' ? unitName.get(x.employerUnitId) ?? '推荐单位' : x.employerName ?? '';

  /** 停用 / 启用 after a dialog that says what follows; the API's refusal (e.g. 409 already) shown above the list. */
  const toggle = async (x) => {
    const noun = ROLE_OF[kind];
    const ok = x.active
      ? await confirmDialog(`停用${noun}`, [`确定停用${noun}「${x.name}」？停用后：`, ...DEACTIVATION_EFFECTS[kind]], '确认停用')
      : await confirmDialog(`启用${noun}`, [`确定重新启用${noun}「${x.name}」？`, '启用后其账号可重新登录（需重新登录），并可再被选择。'], '确认启用');
    if (!ok) return;
    try {
      const saved = await setActive(kind, x.id, !x.active);
      await rerender(saved.active ? `已启用「${saved.name}」。` : `已停用「${saved.name}」。`);
    } catch (err) { fail(err); }
  };
  const activeBadge = (x) => h('span.badge.active-state', { 'data-active': String(x.active) }, x.active ? '启用中' : '已停用');

  const { approve, reject } = registrationDecisions(panel, rerender, fail, '该企业即可登录并申报成果。');

  const actions = (x) => {
    const out = [h('button', { type: 'button', 'data-action': 'edit', onclick: () => show(editForm(kind, x, data, rerender)) }, '编辑')];
    if (kind === 'enterprises' && x.status !== 'approved') out.unshift(h('button.primary', { type: 'button', 'data-action': 'approve', onclick: () => approve(x) }, '审核通过'));
    if (kind === 'enterprises' && x.status === 'pending') out.splice(1, 0, h('button', { type: 'button', 'data-action': 'reject', onclick: () => reject(x) }, '驳回'));
    if ((kind !== 'enterprises' || x.status === 'approved') && x.active) out.push(h('button', { type: 'button', 'data-action': 'account', onclick: () => show(accountForm(kind, x, summary)) }, '开通账号'));
    out.push(h('button', { type: 'button', 'data-action': x.active ? 'deactivate' : 'reactivate', onclick: () => toggle(x) }, x.active ? '停用' : '启用'));
    return h('td', null, h('div.row-actions', null, out));
  };
  const rows = {
    units: (/** @type {Schemas['UnitResponse']} */ u) => h('tr', { 'data-id': u.id, 'data-active': String(u.active) }, h('td', null, u.name), h('td', null, UNIT_KINDS[u.kind] ?? u.kind), h('td', null, activeBadge(u)),
      h('td', null, [u.contactPerson, u.phone].filter(Boolean).join(' · ') || '—'), actions(u)),
    enterprises: (/** @type {Schemas['EnterpriseResponse']} */ e) => h('tr', { 'data-id': e.id, 'data-status': e.status, 'data-active': String(e.active) },
      h('td', null, e.name, h('div.muted', null, e.uscc)), h('td', null, unitName.get(e.defaultUnitId) ?? '—'),
      h('td', null, h('span.badge.status', { 'data-status': e.status }, ENTERPRISE_STATUS[e.status] ?? e.status), ' ', activeBadge(e),
        e.statusReason ? h('div.muted', null, e.statusReason) : null, h('div.muted', null, `登记 ${when(e.createdAt)}`)),
      h('td', null, [e.contactPerson, e.phone].filter(Boolean).join(' · ') || '—'), actions(e)),
    experts: (/** @type {Schemas['ExpertResponse']} */ x) => h('tr', { 'data-id': x.id, 'data-active': String(x.active) }, h('td', null, x.name, h('div.muted', null, employer(x))),
      h('td', null, x.title || '—', x.fields.length ? h('div.muted', null, x.fields.join('、')) : null), h('td', null, x.phone || '—'), h('td', null, activeBadge(x)), actions(x)),
  };
  const headers = { units: ['单位名称', '类型', '状态', '联系人', '操作'], enterprises: ['企业', '推荐单位', '状态', '联系人', '操作'], experts: ['姓名 · 工作单位', '职称 · 专业领域', '联系电话', '状态', '操作'] };

  mount(header(kind), takeFlash(), summary,
    issued.length ? notice(`本次已开通 ${issued.length} 个账号，初始密码只在「账号凭据单」中显示一次，请及时打印。`) : null,
    searchForm(kind),
    h('section.card', { 'aria-labelledby': 'org-list-title' },
      h('h2', { id: 'org-list-title' }, `${title}（${list.total}）`), panel,
      table(headers[kind], list.items.map(rows[kind]), query[kind].q || query[kind].status || query[kind].active ? '没有符合条件的记录。' : `还没有${title}。`, { id: 'org-list' }),
      pager(list, (page) => { query[kind].page = page; listScreen(kind); }, `${title}分页`)),
    editForm(kind, null, data, rerender));
}

function searchForm(kind) {
  const q = h('input', { id: 'org-q', name: 'q', type: 'search', value: query[kind].q, maxlength: 50 });
  const status = kind === 'enterprises' ? select({ id: 'org-status', name: 'status' }, [['', '全部状态'], ...Object.entries(ENTERPRISE_STATUS)], query[kind].status) : null;
  const active = select({ id: 'org-active', name: 'active' }, ACTIVE_FILTER, query[kind].active);
  const form = h('form.card.filters', { id: 'org-search', role: 'search', 'aria-label': '查找' },
    h('div.grid2', null, field(kind === 'experts' ? '姓名' : kind === 'enterprises' ? '名称或统一社会信用代码' : '名称', q), status ? field('审核状态', status) : null,
      field('启用状态', active)),
    h('div.actions', null, h('button', { type: 'submit' }, '查询')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    Object.assign(query[kind], { q: q.value, active: active.value, page: 1, ...(status ? { status: status.value } : {}) });
    listScreen(kind);
  });
  return form;
}

// ---------------------------------------------------------------- create / edit

const input = (key, value, attrs = {}) => h('input', { id: `f-${key}`, name: key, 'data-field': key, value: value ?? '', ...attrs });
const orNull = (el) => el.value.trim() || null;

/** The create form (record null, below the list) or the edit form of one record (in the panel). */
function editForm(kind, record, data, rerender) {
  const edit = !!record;
  const r = record ?? {};
  const summary = summaryBox();
  const c = {};
  const fieldsOf = [];
  c.name = input('name', r.name, { maxlength: kind === 'experts' ? 50 : 200, required: true });
  if (kind === 'units') {
    c.kind = select({ id: 'f-kind', name: 'kind', 'data-field': 'kind' }, [['', '请选择'], ...Object.entries(UNIT_KINDS)], r.kind ?? '');
    fieldsOf.push(field('单位名称（必填）', c.name), field('单位类型（必填）', c.kind));
  }
  if (kind === 'enterprises') {
    c.uscc = input('uscc', r.uscc, { maxlength: 18, autocomplete: 'off', spellcheck: false });
    c.industry = input('industry', r.industry, { maxlength: 50 });
    c.address = input('address', r.address, { maxlength: 200 });
    c.defaultUnitId = select({ id: 'f-defaultUnitId', name: 'defaultUnitId', 'data-field': 'defaultUnitId' }, [['', '未指定'], ...data.units.map((u) => [String(u.id), u.name])], r.defaultUnitId ? String(r.defaultUnitId) : '');
    const usccField = field('统一社会信用代码（必填）', c.uscc, '18 位，字母大写；输入时即校验');
    const live = h('p.field-error', { id: 'f-uscc-live', role: 'status', hidden: true });
    usccField.append(live);
    // Checked as typed: a wrong character at once, the length and check characters once 18 are in.
    c.uscc.addEventListener('input', () => {
      const show = usccTypingProblem(c.uscc.value);
      live.hidden = !show;
      live.textContent = show ?? '';
      if (show) c.uscc.setAttribute('aria-invalid', 'true'); else c.uscc.removeAttribute('aria-invalid');
    });
    fieldsOf.push(field('企业名称（必填）', c.name), usccField, field('所属行业', c.industry), field('地址', c.address), field('推荐单位', searchable(c.defaultUnitId, '推荐单位')));
  }
  if (kind === 'experts') {
    c.title = input('title', r.title, { maxlength: 50 });
    c.fields = input('fields', (r.fields ?? []).join('、'));
    c.employerKind = select({ id: 'f-employerKind', name: 'employerKind', 'data-field': 'employerKind' }, [['', '请选择'], ...Object.entries(EMPLOYER_KINDS)], r.employerKind ?? '');
    c.employerEnterpriseId = select({ id: 'f-employerEnterpriseId', name: 'employerEnterpriseId', 'data-field': 'employerEnterpriseId' }, [['', '请选择企业'], ...data.enterprises.map((e) => [String(e.id), e.name])], r.employerEnterpriseId ? String(r.employerEnterpriseId) : '');
    c.employerUnitId = select({ id: 'f-employerUnitId', name: 'employerUnitId', 'data-field': 'employerUnitId' }, [['', '请选择推荐单位'], ...data.units.map((u) => [String(u.id), u.name])], r.employerUnitId ? String(r.employerUnitId) : '');
    c.employerName = input('employerName', r.employerName, { maxlength: 200 });
    const byKind = { enterprise: field('工作单位（企业）', searchable(c.employerEnterpriseId, '企业')), unit: field('工作单位（推荐单位）', searchable(c.employerUnitId, '推荐单位')), other: field('工作单位名称', c.employerName) };
    const sync = () => { for (const [k, el] of Object.entries(byKind)) el.hidden = c.employerKind.value !== k; };
    c.employerKind.addEventListener('change', sync);
    sync();
    fieldsOf.push(field('姓名（必填）', c.name), field('职称', c.title), field('工作单位类型（必填）', c.employerKind), ...Object.values(byKind),
      field('专业领域', c.fields, '多个领域用顿号、逗号或分号分隔'));
  }
  c.contactPerson = kind === 'experts' ? null : input('contactPerson', r.contactPerson, { maxlength: 50 });
  c.phone = input('phone', r.phone, { type: 'tel', maxlength: 32 });
  if (c.contactPerson) fieldsOf.push(field('联系人', c.contactPerson));
  fieldsOf.push(field('联系电话', c.phone, '数字、空格及 + - ( ) # 转'));

  const noun = ROLE_OF[kind];
  const id = edit ? 'edit-form' : 'create-form';
  const cancel = edit ? h('button', { type: 'button', onclick: () => form.remove() }, '取消') : null;
  const form = h('form.card', { id, 'aria-labelledby': id + '-title' },
    h('h2', { id: id + '-title' }, edit ? `编辑${noun}：${r.name}` : `新建${noun}`), summary,
    h('div.grid2', null, fieldsOf),
    h('div.actions', null, cancel, h('button.primary', { type: 'submit' }, edit ? '保存修改' : `创建${noun}`)));
  onSubmit(form, summary, async () => {
    const body = { name: c.name.value.trim(), phone: orNull(c.phone) };
    if (c.contactPerson) body.contactPerson = orNull(c.contactPerson);
    if (kind === 'units') body.kind = c.kind.value || undefined;
    if (kind === 'enterprises') {
      const problem = c.uscc.value ? usccProblem(c.uscc.value) : null;
      if (problem) throw new ApiError(400, { message: '请修改标出的字段', errors: [{ field: 'uscc', code: 'uscc_invalid', message: problem }] });
      Object.assign(body, { uscc: c.uscc.value, industry: orNull(c.industry), address: orNull(c.address), defaultUnitId: c.defaultUnitId.value ? Number(c.defaultUnitId.value) : null });
    }
    if (kind === 'experts') {
      const k = c.employerKind.value;
      Object.assign(body, {
        title: orNull(c.title), fields: c.fields.value.split(/[、,，;；]/).map((s) => s.trim()).filter(Boolean), employerKind: k || undefined,
        ...(k === 'enterprise' ? { employerEnterpriseId: c.employerEnterpriseId.value ? Number(c.employerEnterpriseId.value) : null } : {}),
        ...(k === 'unit' ? { employerUnitId: c.employerUnitId.value ? Number(c.employerUnitId.value) : null } : {}),
        ...(k === 'other' ? { employerName: orNull(c.employerName) } : {}),
      });
    }
    const saved = await saveOrganisation(kind, edit ? r.id : null, body);
    await rerender(edit ? `已保存「${saved.name}」。` : `已创建${noun}「${saved.name}」。`);
  });
  return form;
}

// ---------------------------------------------------------------- accounts

/** A random initial password from 4 groups of 4 characters (≈ 80 bits: strong by any measure). */
function randomPassword() {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
  return chars.match(/.{4}/g).join('-');
}

function accountForm(kind, record, pageSummary) {
  const summary = summaryBox();
  const suggested = { units: 'unit', enterprises: 'ent', experts: 'expert' }[kind] + '-' + record.id;
  const username = input('username', suggested, { maxlength: 64, autocomplete: 'off', spellcheck: false });
  const displayName = input('displayName', record.name, { maxlength: 100 });
  const password = input('password', randomPassword(), { autocomplete: 'off', spellcheck: false });
  const again = h('button', { type: 'button', onclick: () => { password.value = randomPassword(); } }, '重新生成');
  const cancel = h('button', { type: 'button', onclick: () => form.remove() }, '取消');
  // The credentials may also go out by the one channel the organizer picks (never the inbox).
  const deliver = h('select', { id: 'account-deliver', 'data-field': 'deliverTo.channel' },
    h('option', { value: '' }, '不发送（只用账号凭据单）'), h('option', { value: 'email' }, '电子邮件'), h('option', { value: 'sms' }, '短信'));
  const address = input('deliverTo.address', record.phone || '', { maxlength: 200, autocomplete: 'off', id: 'account-deliver-address' });
  const form = h('form.card.action-panel', { id: 'account-form', 'aria-labelledby': 'account-form-title' },
    h('h2', { id: 'account-form-title' }, `开通账号：${record.name}（${ROLE_OF[kind]}）`), summary,
    h('div.grid2', null, field('用户名', username, '3–64 位字母、数字或 . _ -'), field('显示名称', displayName),
      field('初始密码', password, '已随机生成；开通后只在账号凭据单中显示一次'),
      field('同时发送账号凭据', deliver, '所选渠道须已配置；发出后内容即从发件箱清除'), field('邮箱或手机号码', address)),
    h('div.actions', null, again, cancel, h('button.primary', { type: 'submit' }, '开通账号')));
  onSubmit(form, summary, async () => {
    const deliverTo = deliver.value ? { channel: deliver.value, address: address.value.trim() } : undefined;
    const account = await issueAccount(kind, record.id, /** @satisfies {Schemas['CreateOrganisationAccountDto']} */ ({ username: username.value.trim(), displayName: displayName.value.trim() || undefined, password: password.value, deliverTo }));
    issued.push({ kind: ROLE_OF[kind], org: record.name, username: account.username, displayName: account.displayName, password: password.value, at: new Date().toISOString() });
    form.remove();
    pageSummary.replaceChildren(h('p.notice.ok', { role: 'status' }, `已开通账号「${account.username}」。`, ' ',
      h('a', { href: orgHref('credentials'), id: 'open-credentials' }, `打开账号凭据单（${issued.length} 个账号）`)));
  });
  return form;
}

function credentialsScreen() {
  const rows = issued.map((a, i) => h('tr', { 'data-username': a.username },
    h('td', null, String(i + 1)), h('td', null, a.kind), h('td', null, a.org), h('td.mono', null, a.username), h('td.mono', null, a.password), h('td.sign', null, '')));
  const sheet = h('section.credentials-sheet', { 'aria-labelledby': 'cred-title' },
    h('h2', { id: 'cred-title' }, '质量攻关成果评审系统 · 账号凭据单'),
    h('p', null, `开通时间 ${when(issued[0]?.at)} · 开通人 ${session.user?.displayName || session.user?.username || ''} · 登录地址 ${location.origin}/`),
    table(['序号', '类别', '单位 / 姓名', '用户名', '初始密码', '签收'], rows, '本次没有开通账号。初始密码只显示一次：关闭凭据单后无法再次查看，如有遗失请由系统管理员重置密码。', { id: 'credentials' }),
    rows.length ? h('p.muted', null, '请妥善保管，首次登录后请立即修改密码。') : null);
  setPrintHead(`质量攻关成果评审系统 · 账号凭据单 · ${when(issued[0]?.at)}`);
  mount(header('credentials'),
    h('div.no-print', null,
      notice('初始密码只在本页显示一次：离开本页后即从本机清除，无法再次查看。请现在打印（可选择“另存为 PDF”）。'),
      rows.length ? h('div.actions', null, h('button.primary', { type: 'button', id: 'print-credentials', onclick: () => window.print() }, '打印凭据单')) : null),
    sheet);
  // Shown once: leaving the sheet forgets the passwords.
  return () => { issued.length = 0; };
}

// ---------------------------------------------------------------- import

/**
 * POST multipart `file` to an import; the API's refusal as an ApiError.
 * @returns {Promise<Schemas['ImportResult']>}
 */
async function uploadImport(kind, file, dryRun) {
  const form = new FormData();
  form.append('file', file);
  return api('POST', `/imports/${kind}${dryRun ? '?dryRun=true' : ''}`, form);
}

/** The API's row errors (field `rows[7].uscc`) as a table: row, column, problem. */
function errorTable(kind, err) {
  const rows = err.errors.map((e) => {
    const m = /^rows\[(\d+)\]\.?(\w*)/.exec(e.field ?? '');
    const column = m ? IMPORT_HEADERS[kind][m[2]] ?? m[2] : /^columns\.(\w+)/.exec(e.field ?? '')?.[1] ? IMPORT_HEADERS[kind][/^columns\.(\w+)/.exec(e.field)[1]] : '—';
    return h('tr', { 'data-row': m ? m[1] : '' }, h('td', null, m ? `第 ${m[1]} 行` : '—'), h('td', null, column || '—'),
      h('td', null, String(e.message ?? '').replace(/^第 \d+ 行「[^」]*」：/, '')));
  });
  const more = err.details?.truncated ? notice(`共 ${err.details.errorCount} 处错误，只列出前 ${rows.length} 处。`) : null;
  return [notice(err.message, 'error'), more, rows.length ? table(['行号', '列', '问题'], rows, '', { id: 'import-errors' }) : null];
}

function importScreen() {
  const kind = select({ id: 'import-kind', name: 'kind' }, Object.entries(IMPORT_KINDS), 'experts');
  const file = h('input', { id: 'import-file', name: 'file', type: 'file', accept: '.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv' });
  const out = h('div', { id: 'import-result', 'aria-live': 'polite', tabindex: '-1' });
  const templateMsg = h('span.muted', { role: 'status' });
  const template = h('button', { type: 'button', id: 'import-template', onclick: async () => {
    templateMsg.textContent = '';
    try { await download(() => blob(`/imports/${kind.value}/template`), `${IMPORT_KINDS[kind.value]}导入模板.xlsx`); } catch (err) { if (err.status !== 401) templateMsg.textContent = err.message; }
  } }, '下载导入模板');
  const check = h('button', { type: 'button', id: 'import-check' }, '检查文件');
  const confirm = h('button.primary', { type: 'button', id: 'import-confirm', disabled: true }, '确认导入');
  /** The file and kind the last clean check was for: only that may be imported. */
  let checked = null;
  const reset = () => { checked = null; confirm.disabled = true; out.replaceChildren(); };
  kind.addEventListener('change', reset);
  file.addEventListener('change', reset);

  async function run(dryRun) {
    const f = file.files?.[0];
    if (!f) { out.replaceChildren(notice('请先选择 .xlsx 或 CSV 文件。', 'error')); return; }
    const k = kind.value;
    check.disabled = confirm.disabled = true;
    out.replaceChildren(h('p.muted', null, dryRun ? '正在检查…' : '正在导入…'));
    try {
      const r = await uploadImport(k, f, dryRun);
      if (dryRun) {
        checked = { f, k };
        out.replaceChildren(h('p.notice.ok', { role: 'status', id: 'import-preview' }, `检查通过：共 ${r.rowCount} 行${IMPORT_KINDS[k]}，全部可以导入。确认后一次性导入。`),
          r.ignoredColumns.length ? notice(`以下列不是模板中的列，不会导入：${r.ignoredColumns.join('、')}`) : null);
      } else {
        checked = null;
        flash(`已导入 ${r.created} 条${IMPORT_KINDS[k]}。`);
        location.hash = orgHref(k);
        return;
      }
    } catch (err) {
      checked = null;
      if (err.status !== 401) out.replaceChildren(...errorTable(k, err).filter(Boolean));
      out.focus();
    } finally {
      check.disabled = false;
      confirm.disabled = !checked;
    }
  }
  check.addEventListener('click', () => run(true));
  confirm.addEventListener('click', async () => {
    if (!checked) return;
    if (!(await confirmDialog('确认导入', [`导入文件「${checked.f.name}」中的全部${IMPORT_KINDS[checked.k]}？`, '整个文件一次性导入：任何一行有误则全部不导入。'], '确认导入'))) return;
    await run(false);
  });

  mount(header('import'), takeFlash(),
    h('section.card', { 'aria-labelledby': 'import-title' },
      h('h2', { id: 'import-title' }, '从 Excel 或 CSV 批量导入'),
      h('ol.list', null,
        h('li', null, '选择导入内容，下载导入模板，按模板第二页的说明填写（统一社会信用代码的单元格请设为文本）。'),
        h('li', null, '选择填好的文件，先「检查文件」：每一行都会校验，有错误的行和列列在下方表格中，此时不导入任何数据。'),
        h('li', null, '修改文件后重新选择并检查；全部通过后「确认导入」，整个文件一次性导入。')),
      h('div.grid2', null, field('导入内容', kind), field('文件（.xlsx 或 CSV，最大 5 MB）', file)),
      h('div.actions', null, template, templateMsg, check, confirm),
      out));
}

// Each kind's calls written out with their paths, so that test/unit/web-api-coverage.spec.ts sees every operation used.
/** @returns {Promise<Organisation>} */
function saveOrganisation(kind, id, body) {
  if (kind === 'units') return id ? api('PATCH', `/units/${id}`, body) : api('POST', '/units', body);
  if (kind === 'enterprises') return id ? api('PATCH', `/enterprises/${id}`, body) : api('POST', '/enterprises', body);
  return id ? api('PATCH', `/experts/${id}`, body) : api('POST', '/experts', body);
}

/**
 * @param {Schemas['CreateOrganisationAccountDto']} body
 * @returns {Promise<Schemas['UserResponse']>}
 */
function issueAccount(kind, id, body) {
  if (kind === 'units') return api('POST', `/units/${id}/accounts`, body);
  if (kind === 'enterprises') return api('POST', `/enterprises/${id}/accounts`, body);
  return api('POST', `/experts/${id}/accounts`, body);
}

/** @returns {Promise<Organisation>} */
function setActive(kind, id, active) {
  if (kind === 'units') return active ? api('POST', `/units/${id}/reactivate`) : api('POST', `/units/${id}/deactivate`);
  if (kind === 'enterprises') return active ? api('POST', `/enterprises/${id}/reactivate`) : api('POST', `/enterprises/${id}/deactivate`);
  return active ? api('POST', `/experts/${id}/reactivate`) : api('POST', `/experts/${id}/deactivate`);
}
