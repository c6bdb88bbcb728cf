// The organizer's outbox desk (消息发送): e-mail and SMS by kind — sent, waiting, failed (dead after
// the last try) and skipped (channel not configured or no address) — and the messages themselves,
// failed ones first with their last error and 重新发送 (audited).
import { api, get } from '../api.js';
import { actionButton, h, load, mount, pager, table, when } from '../ui.js';

const STATUS = { pending: '待发送', sent: '已发送', dead: '发送失败', skipped: '未发送（未配置）' };
const CHANNEL = { email: '电子邮件', sms: '短信' };

export async function outboxScreen(status = 'dead', page = 1) {
  const data = await load('消息发送', async () => ({
    summary: await get('/outbox'),
    list: await get(`/outbox/messages?page=${page}&pageSize=50${status ? `&status=${status}` : ''}`),
  }));
  if (!data) return;
  const { summary, list } = data;
  const out = h('div', { tabindex: '-1', 'aria-live': 'polite' });
  const c = summary.channels;
  const counts = table(['通知类别', '已发送', '待发送', '发送失败', '未发送'],
    [...summary.byKind, summary.totals].map((k) => h('tr', { 'data-kind': k.kind },
      h('th', { scope: 'row' }, k.kindName), h('td.num', null, k.sent), h('td.num', null, k.pending), h(k.dead ? 'td.num.missing' : 'td.num', null, k.dead), h('td.num', null, k.skipped))),
    '还没有邮件或短信。', { id: 'outbox-counts' });
  const select = h('select', { id: 'outbox-status', onchange: () => void outboxScreen(select.value, 1) },
    h('option', { value: '' }, '全部'), ...Object.entries(STATUS).map(([v, t]) => h('option', { value: v, selected: v === status }, t)));
  const rows = list.items.map((m) => h('tr', { 'data-id': String(m.id), 'data-status': m.status },
    h('td.nowrap', null, when(m.createdAt)),
    h('td', null, m.kindName),
    h('td', null, CHANNEL[m.channel] || m.channel),
    h('td', null, m.recipient || '—', m.address ? h('div.muted', null, m.address) : null),
    h('td', null, m.subject),
    h('td', null, STATUS[m.status] || m.status, m.attempts ? h('div.muted', null, `已尝试 ${m.attempts} 次`) : null),
    h('td', null, m.lastError ? h('span.error-text', { 'data-role': 'error' }, m.lastError) : '—'),
    h('td', null, m.status === 'dead' ? actionButton('重新发送', { 'data-action': 'resend' }, out, async () => {
      await api('POST', `/outbox/messages/${m.id}/resend`);
      await outboxScreen(status, page);
    }) : null)));
  mount(h('h1', null, '消息发送'),
    h('p.muted', { id: 'outbox-channels' }, `电子邮件：${c.email ? '已配置' : '未配置 SMTP_URL'}；短信/即时消息网关：${c.sms ? '已配置' : '未配置 SMS_WEBHOOK_URL'}。站内消息不经此处，总会送达。`),
    h('section.card', null, h('h2', null, '按类别统计'), counts),
    h('section.card', null, h('h2', null, '消息'),
      h('div.field.inline', null, h('label', { for: 'outbox-status' }, '状态'), select),
      out,
      table(['时间', '类别', '渠道', '收件人', '标题', '状态', '最后错误', ''], rows, status === 'dead' ? '没有发送失败的消息。' : '没有消息。', { id: 'outbox-messages' }),
      pager(list, (n) => void outboxScreen(status, n), '消息分页', 'outbox')));
}
