// Everyone's own account: change my password (POST /auth/password). The API refuses a wrong current
// password (on oldPassword) and a weak new one (weak_password on newPassword, with the reason in
// Chinese), shown next to the field. A change ends every session, this one too: log in again.
import { api, session } from '../api.js';
import { field, flash, h, mount, onSubmit, ROLE_NAMES, summaryBox } from '../ui.js';

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
    await api('POST', '/auth/password', { oldPassword: oldPassword.value, newPassword: newPassword.value });
    // The old token is void now (the API ended every session): log in again with the new password.
    session.clear();
    flash('密码已修改，请用新密码重新登录。');
    sessionStorage.removeItem('qc.after-login');
    location.hash = '#/login';
  });
  mount(form);
  oldPassword.focus();
}
