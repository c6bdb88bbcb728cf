// Every user's messages (消息通知): the inbox behind the bell in the header — newest first, unread
// marked, each with its deep link into the interface (opening it marks it read), 全部标为已读 —
// and the notification settings: where e-mail and SMS go, and which kinds each channel is muted for.
import { api, get } from '../api.js';
import { actionButton, field, h, load, mount, notice, onSubmit, pager, summaryBox, when } from '../ui.js';

/** Tells the header's bell to fetch the unread count again (app.js listens). */
function bellChanged() { dispatchEvent(new Event('qc:bell')); }

export async function inboxScreen(page = 1, unreadOnly = false) {
  const p = await load('消息通知', () => get(`/notifications?page=${page}&pageSize=20${unreadOnly ? '&unread=true' : ''}`));
  if (!p) return;
  const out = h('div', { tabindex: '-1', 'aria-live': 'polite' });
  const open = async (n) => {
    if (!n.readAt) { try { await api('POST', `/notifications/${n.id}/read`); } catch { /* the link opens anyway */ } bellChanged(); }
    location.hash = n.link;
  };
  const items = p.items.map((n) => h(`li.inbox-item${n.readAt ? '' : '.unread'}`, { 'data-id': String(n.id), 'data-kind': n.kind },
    h('div.inbox-head', null,
      h('span.inbox-kind', null, n.kindName),
      n.readAt ? null : h('span.badge', null, '未读'),
      h('span.muted', null, ` ${when(n.createdAt)}`)),
    h('a.inbox-subject', { href: n.link, onclick: (ev) => { ev.preventDefault(); void open(n); } }, n.subject),
    h('div.pre', null, n.body),
    n.readAt ? null : actionButton('标为已读', { class: 'link', 'data-action': 'read' }, out, async () => {
      await api('POST', `/notifications/${n.id}/read`);
      bellChanged();
      await inboxScreen(page, unreadOnly);
    })));
  const filter = h('label.inline', null,
    h('input', { type: 'checkbox', id: 'inbox-unread', checked: unreadOnly, onchange: (ev) => void inboxScreen(1, ev.target.checked) }), ' 只看未读');
  mount(h('h1', null, '消息通知'),
    h('div.actions', null, filter,
      actionButton('全部标为已读', { id: 'inbox-read-all' }, out, async () => {
        await api('POST', '/notifications/read-all');
        bellChanged();
        await inboxScreen(page, unreadOnly);
      }),
      h('a', { href: '#/account/notifications', id: 'inbox-settings' }, '通知设置')),
    out,
    items.length ? h('ul.inbox', { id: 'inbox-list' }, items) : notice(unreadOnly ? '没有未读消息。' : '暂无消息。'),
    pager(p, (n) => void inboxScreen(n, unreadOnly), '消息分页', 'inbox'));
}

export async function notificationSettingsScreen() {
  const s = await load('通知设置', () => get('/notifications/settings'));
  if (!s) return;
  const email = h('input', { id: 'ns-email', 'data-field': 'email', type: 'email', maxlength: 200, value: s.email ?? '', autocomplete: 'email' });
  const phone = h('input', { id: 'ns-phone', 'data-field': 'phone', type: 'tel', maxlength: 32, value: s.phone ?? '', autocomplete: 'tel' });
  const muted = new Set(s.mutes.map((x) => `${x.kind}:${x.channel}`));
  const box = (kind, channel, name) => h('input', { type: 'checkbox', 'data-kind': kind, 'data-channel': channel, id: `ns-${kind}-${channel}`, checked: !muted.has(`${kind}:${channel}`), 'aria-label': `${name}：${channel === 'email' ? '电子邮件' : '短信'}` });
  const rows = s.kinds.map((k) => h('tr', null, h('th', { scope: 'row' }, k.name), h('td.center', null, '✓'), h('td.center', null, box(k.kind, 'email', k.name)), h('td.center', null, box(k.kind, 'sms', k.name))));
  const status = (on, what) => (on ? `${what}已开通` : `${what}未配置（系统管理员尚未设置，暂不发送）`);
  const summary = summaryBox();
  const saved = h('div', { 'aria-live': 'polite' });
  const form = h('form.card', { id: 'notification-settings' },
    h('h1', null, '通知设置'),
    h('p.muted', null, `站内消息总会保存（右上角铃铛）。${status(s.channels.email, '电子邮件')}；${status(s.channels.sms, '短信')}。`),
    summary,
    field('电子邮箱', email, '接收邮件通知的地址；留空则不发邮件。'),
    field('手机号码', phone, '接收短信通知的 11 位手机号；留空则不发短信。'),
    h('h2', null, '按类别接收'),
    h('p.muted', null, '取消勾选即不再通过该渠道接收此类通知（站内消息不可关闭）。'),
    h('table', { id: 'ns-kinds' }, h('thead', null, h('tr', null, ...['通知类别', '站内消息', '电子邮件', '短信'].map((t) => h('th', { scope: 'col' }, t)))), h('tbody', null, rows)),
    saved,
    h('div.actions', null, h('button.primary', { type: 'submit', id: 'ns-save' }, '保存设置')));
  onSubmit(form, summary, async () => {
    const mutes = [...form.querySelectorAll('input[data-kind]')].filter((b) => !b.checked).map((b) => ({ kind: b.dataset.kind, channel: b.dataset.channel }));
    await api('PUT', '/notifications/settings', { email: email.value.trim() || null, phone: phone.value.trim() || null, mutes });
    saved.replaceChildren(notice('通知设置已保存。', 'ok'));
  });
  mount(form);
}
