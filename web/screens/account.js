// Everyone's own account: change my password (POST /auth/password). The API refuses a wrong current
// password (on oldPassword) and a weak new one (weak_password on newPassword, with the reason in
// Chinese), shown next to the field. A change ends every session, this one too: log in again.
import { api, get, session } from '../api.js';
import { field, flash, h, load, mount, onSubmit, ROLE_NAMES, summaryBox, takeFlash, when } from '../ui.js';
import { ownProfileCard } from './expertise.js';
/** @typedef {import('../api.js').Schemas} Schemas */

const EMPLOYER_KINDS = { enterprise: '企业', unit: '推荐单位', other: '其他单位' };

/**
 * The expert's own record (GET /experts/{id}, the API allows an expert only its own): employer, title,
 * fields, phone — read-only here; the organizer keeps it (组织管理 › 专家), so a change goes through them.
 */
export async function profileScreen() {
  const user = session.user;
  if (!user?.expertId) { mount(h('h1', null, '我的专家资料'), h('p', null, '当前账号未关联专家资料。')); return; }
  /** @type {Schemas['ExpertResponse']} */
  const e = await load('我的专家资料', () => get(`/experts/${user.expertId}`));
  if (!e) return;
  const row = (label, value, id) => [h('dt', null, label), h('dd', { id }, value || '—')];
  const rerender = (msg) => { flash(msg); return profileScreen(); };
  const expertise = await ownProfileCard(user.expertId, rerender);
  mount(takeFlash(), h('section.card.narrow', { 'aria-labelledby': 'profile-title' },
    h('h1', { id: 'profile-title' }, '我的专家资料'),
    h('dl.facts', { id: 'expert-profile' },
      ...row('姓名', e.name, 'profile-name'),
      ...row('工作单位', e.employerName ? `${e.employerName}（${EMPLOYER_KINDS[e.employerKind] || e.employerKind}）` : '', 'profile-employer'),
      ...row('职称', e.title, 'profile-title-text'),
      ...row('专业领域', e.fields.join('、'), 'profile-fields'),
      ...row('联系电话', e.phone, 'profile-phone'),
      ...row('状态', e.active ? '在册' : `已停用（${when(e.deactivatedAt)}）`, 'profile-active'),
      ...row('最近更新', when(e.updatedAt), 'profile-updated')),
    h('p.muted', null, '资料由组委会维护；如有变动（单位、职称、电话等），请联系组委会更正。')), expertise);
}

export function passwordScreen() {
  const user = session.user;
  const input = (name, autocomplete) => h('input', { id: 'pw-' + name, name, 'data-field': name, type: 'password', maxlength: 200, required: true, autocomplete });
  const oldPassword = input('oldPassword', 'current-password');
  const newPassword = input('newPassword', 'new-password');
  const again = input('newPassword2', 'new-password');
  const summary = summaryBox();
  const form = h('form.card.narrow', { id: 'password-form', 'aria-labelledby': 'password-title' },
    h('h1', { id: 'password-title' }, '修改密码'),
    h('p.muted', null, `账号：${user.username}（${ROLE_NAMES[user.role] || '用户'}）`),
    summary,
    field('当前密码', oldPassword),
    field('新密码', newPassword, '至少 8 位，且不易被猜到：不要使用常见密码、单词、姓名、生日、键盘顺序或重复字符，也不要包含用户名或姓名。可用几个不相关的词、数字和符号组合。'),
    field('再次输入新密码', again),
    h('p.muted', null, '修改成功后，所有设备上的登录都会退出，请用新密码重新登录。'),
    h('div.actions', null, h('button.primary', { type: 'submit', id: 'password-submit' }, '修改密码')));
  onSubmit(form, summary, async () => {
    if (newPassword.value !== again.value) throw { message: '请更正标出的内容', errors: [{ field: 'newPassword2', message: '两次输入的新密码不一致' }] };
    await api('POST', '/auth/password', /** @satisfies {Schemas['ChangePasswordDto']} */ ({ oldPassword: oldPassword.value, newPassword: newPassword.value }));
    // The old token is void now (the API ended every session): log in again with the new password.
    session.clear();
    flash('密码已修改，请用新密码重新登录。');
    sessionStorage.removeItem('qc.after-login');
    location.hash = '#/login';
  });
  mount(form);
  oldPassword.focus();
}
