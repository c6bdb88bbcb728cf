// Account administration (系统管理员): accounts filtered by role, state and name, paged; create an
// account; deactivate / reactivate and reset a password, each after a confirmation.
import { api, get, session } from '../api.js';
import { confirmDialog, field, flash, h, load, mount, notice, onSubmit, ROLE_NAMES, summaryBox, table, takeFlash, when } from '../ui.js';
import { actionPanel, select } from './enterprise.js';
/** @typedef {import('../api.js').Schemas} Schemas */

const PAGE_SIZE = 20;
const ROLES = Object.entries(ROLE_NAMES);
/** The list's filters and page survive re-renders after an action. */
const query = { role: '', active: '', q: '', page: 1 };

function listPath() {
  const p = new URLSearchParams({ page: String(query.page), pageSize: String(PAGE_SIZE) });
  for (const k of ['role', 'active', 'q']) if (query[k].trim()) p.set(k, query[k].trim());
  return '/users?' + p;
}

export async function adminScreen() {
  /** @type {Schemas['UserPage']} */
  const list = await load('账号管理', () => get(listPath()));
  if (!list) return;
  const pages = Math.max(1, Math.ceil(list.total / PAGE_SIZE));
  if (query.page > pages && list.total > 0) { query.page = pages; return adminScreen(); }
  const panel = h('div', { id: 'admin-panel' });
  const summary = h('div', { id: 'admin-summary', 'aria-live': 'assertive', tabindex: '-1' });
  const rerender = (msg) => { flash(msg); return adminScreen(); };
  const me = session.user?.id;

  /**
   * The account as it is now (GET /users/{id}), read before acting on a row: another admin may have
   * changed it since the list was drawn. Null (the list is redrawn with a note) when its state moved.
   */
  /** @param {Schemas['UserResponse']} u */
  async function fresh(u) {
    /** @type {Schemas['UserResponse']} */
    let now;
    try { now = await get(`/users/${u.id}`); } catch (err) {
      if (err.status === 404) await rerender(`账号「${u.username}」已不存在，列表已刷新。`);
      else if (err.status !== 401) { summary.replaceChildren(notice(err.message, 'error')); summary.focus(); }
      return null;
    }
    if (now.active !== u.active || now.role !== u.role || now.displayName !== u.displayName) {
      await rerender(`账号「${now.username}」已被他人修改（当前：${ROLE_NAMES[now.role] || now.role}，${now.active ? '启用' : '已停用'}），列表已刷新，请核对后再操作。`);
      return null;
    }
    return now;
  }

  async function setActive(listed, active) {
    const u = await fresh(listed);
    if (!u) return;
    const verb = active ? '启用' : '停用';
    const body = active ? `启用后「${u.username}」可以重新登录。` : `停用后「${u.username}」（${u.displayName}）立即退出登录且不能再登录，可随时重新启用。`;
    if (!(await confirmDialog(`确认${verb}账号`, [body], `确认${verb}`))) return;
    try { await api('POST', `/users/${u.id}/${active ? 'reactivate' : 'deactivate'}`, undefined); await rerender(`已${verb}账号「${u.username}」。`); } catch (err) {
      if (err.status !== 401) { summary.replaceChildren(notice(err.message, 'error')); summary.focus(); }
    }
  }

  async function resetPassword(listed) {
    const u = await fresh(listed);
    if (!u) return;
    actionPanel(panel, {
      id: 'reset-form', title: `重置密码：${u.username}（${u.displayName}，${ROLE_NAMES[u.role] || u.role}${u.active ? '' : '，已停用'}）`, label: '新密码',
      control: h('input', { id: 'reset-password', name: 'password', type: 'password', autocomplete: 'new-password', 'data-field': 'password', minlength: 8 }),
      submitText: '保存新密码',
      confirm: ['确认重置密码', [`「${u.username}」的登录会话将全部失效，需要用新密码重新登录。请通过安全渠道告知新密码。`], '确认重置'],
      run: async (password) => { await api('POST', `/users/${u.id}/reset-password`, /** @satisfies {Schemas['ResetPasswordDto']} */ ({ password })); await rerender(`已重置「${u.username}」的密码。`); },
    });
  }

  const rows = list.items.map((u) => h('tr', { 'data-user': u.id, 'data-active': String(u.active) },
    h('td', null, u.username), h('td', null, u.displayName), h('td', null, ROLE_NAMES[u.role] || u.role),
    h('td', null, h(u.active ? 'span.badge.ok' : 'span.badge.off', null, u.active ? '启用' : '已停用')),
    h('td.nowrap', null, when(u.createdAt)),
    h('td', null, h('div.row-actions', null,
      u.id === me ? h('span.muted', null, '当前账号') : h('button', { type: 'button', 'data-action': u.active ? 'deactivate' : 'reactivate', onclick: () => setActive(u, !u.active) }, u.active ? '停用' : '启用'),
      h('button', { type: 'button', 'data-action': 'reset', onclick: () => resetPassword(u) }, '重置密码')))));

  const pager = h('div.pager', null,
    h('button', { type: 'button', id: 'page-prev', disabled: query.page <= 1, onclick: () => { query.page -= 1; adminScreen(); } }, '上一页'),
    h('span', { id: 'page-info' }, `第 ${query.page} / ${pages} 页，共 ${list.total} 个账号`),
    h('button', { type: 'button', id: 'page-next', disabled: query.page >= pages, onclick: () => { query.page += 1; adminScreen(); } }, '下一页'));

  mount(h('h1', null, '账号管理'), takeFlash(), summary,
    filters(),
    h('section.card', { 'aria-labelledby': 'accounts-title' },
      h('h2', { id: 'accounts-title' }, '账号列表'), panel,
      table(['用户名', '姓名', '角色', '状态', '创建时间', '操作'], rows, '没有符合条件的账号。', { id: 'user-list' }), pager),
    createForm(rerender));
}

function filters() {
  const role = select({ id: 'filter-role', name: 'role' }, [['', '全部角色'], ...ROLES], query.role);
  const active = select({ id: 'filter-active', name: 'active' }, [['', '全部'], ['true', '启用'], ['false', '已停用']], query.active);
  const q = h('input', { id: 'filter-q', name: 'q', type: 'search', value: query.q, maxlength: 100 });
  const form = h('form.card.filters', { id: 'user-filters', role: 'search', 'aria-label': '筛选账号' },
    field('角色', role), field('状态', active), field('用户名或姓名', q),
    h('div.actions', null, h('button', { type: 'submit' }, '查询')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    Object.assign(query, { role: role.value, active: active.value, q: q.value, page: 1 });
    adminScreen();
  });
  return form;
}

function createForm(rerender) {
  const c = {
    username: h('input', { id: 'new-username', name: 'username', 'data-field': 'username', autocomplete: 'off', maxlength: 64 }),
    displayName: h('input', { id: 'new-displayName', name: 'displayName', 'data-field': 'displayName', maxlength: 100 }),
    role: select({ id: 'new-role', name: 'role', 'data-field': 'role' }, [['', '请选择角色'], ...ROLES], ''),
    password: h('input', { id: 'new-password', name: 'password', type: 'password', 'data-field': 'password', autocomplete: 'new-password' }),
  };
  const summary = summaryBox();
  const form = h('form.card', { id: 'create-user', 'aria-labelledby': 'create-user-title' },
    h('h2', { id: 'create-user-title' }, '新建账号'), summary,
    h('div.grid2', null,
      field('用户名', c.username, '3–64 位字母、数字或 . _ -'), field('姓名', c.displayName),
      field('角色', c.role, ['推荐单位、企业和专家的账号请由组委会在', h('a', { href: '#/organizer/orgs', id: 'orgs-link' }, '组织管理'), '中开通（需组委会账号登录），以便关联到所属单位']),
      field('初始密码', c.password, '至少 8 位；不能是常见密码，也不能包含用户名或姓名')),
    h('div.actions', null, h('button.primary', { type: 'submit' }, '创建账号')));
  onSubmit(form, summary, async () => {
    /** @type {Schemas['UserResponse']} */
    const u = await api('POST', '/users', /** @satisfies {Schemas['CreateUserDto']} */ ({ username: c.username.value.trim(), displayName: c.displayName.value.trim(), role: c.role.value || undefined, password: c.password.value }));
    await rerender(`已创建账号「${u.username}」（${ROLE_NAMES[u.role] || u.role}）。`);
  });
  return form;
}
