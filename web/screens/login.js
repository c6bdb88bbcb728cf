import { api, session } from '../api.js';
import { h, mount, showErrors, takeFlash } from '../ui.js';
import { landing } from '../app.js';
/** @typedef {import('../api.js').Schemas} Schemas */

export function loginScreen() {
  const summary = h('div', { 'aria-live': 'assertive' });
  const username = h('input', { id: 'login-username', name: 'username', autocomplete: 'username', required: true, 'data-field': 'username' });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true, 'data-field': 'password' });
  const button = h('button.primary', { type: 'submit' }, '登录');
  const form = h('form.card.narrow', { novalidate: true },
    h('h1', null, '登录'),
    takeFlash(),
    summary,
    h('div.field', null, h('label', { for: 'login-username' }, '用户名'), username),
    h('div.field', null, h('label', { for: 'login-password' }, '密码'), password),
    h('div.actions', null, button),
    h('p.muted', null, '无需登录即可查看', h('a', { href: '#/public' }, '评审结果公示'), '。'),
    h('p.muted', null, '企业还没有账号？', h('a', { href: '#/register', id: 'login-register' }, '企业注册'), '（审核通过后即可在线申报；审核期间也可登录查看审核状态）。'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    button.disabled = true;
    try {
      /** @type {Schemas['LoginResponse']} */
      const res = await api('POST', '/auth/login', /** @satisfies {Schemas['LoginDto']} */ ({ username: username.value.trim(), password: password.value }));
      session.set(res.accessToken, res.user);
      const next = sessionStorage.getItem('qc.after-login');
      sessionStorage.removeItem('qc.after-login');
      location.hash = next && next !== '#/login' ? next : landing(res.user);
    } catch (err) {
      showErrors(form, err, summary);
      (form.querySelector('[aria-invalid]') || username).focus();
    } finally {
      button.disabled = false;
    }
  });
  mount(form);
  username.focus();
}
