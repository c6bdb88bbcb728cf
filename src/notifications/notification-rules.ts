// The pure rules of notifications: the closed list of kinds and channels, who may mute what, the
// retry schedule, the Message-ID of a message and the mail's HTML made from its text. No Nest,
// TypeORM or I/O here (ESLint enforces it); property-tested in notification-rules.spec.ts.
import { createHash, createHmac } from 'node:crypto';

/** Every kind of notification, with its name on the settings screen. */
export const KINDS = {
  entry_submitted: '成果待推荐',
  entry_recommended: '成果已获推荐',
  entry_declined: '推荐单位未予推荐',
  entry_returned: '成果退回修改',
  entry_rejected: '材料初审未通过',
  entry_passed: '材料初审通过',
  registration_approved: '企业注册审核通过',
  registration_rejected: '企业注册未通过',
  expert_assigned: '评审任务分配',
  session_drawn: '发表顺序抽签结果',
  sheet_reopened: '评分表被退回重评',
  results_notice: '评审结果公示',
  results_published: '评审结果正式发布',
  objection_received: '收到异议',
  objection_answered: '异议已答复',
  reminder_submission: '申报截止提醒',
  reminder_recommendation: '推荐截止提醒',
  reminder_sheets: '评分未完成提醒',
  account_issued: '账号开通',
} as const;

export type NotificationKind = keyof typeof KINDS;
export const KIND_LIST = Object.keys(KINDS) as NotificationKind[];

/** The inbox is every message's record; e-mail and SMS/IM are sent by the delivery worker. */
export const CHANNELS = ['inbox', 'email', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];
/** The channels a user may mute per kind (the inbox stays: it is where the message can always be read). */
export const MUTABLE_CHANNELS = ['email', 'sms'] as const satisfies readonly Channel[];
export type MutableChannel = (typeof MUTABLE_CHANNELS)[number];

export const STATUSES = ['pending', 'sent', 'dead', 'skipped'] as const;
export type DeliveryStatus = (typeof STATUSES)[number];

/** What stays of a credentials message once it is sent or dead: the password leaves the outbox. */
export const REDACTED_CREDENTIALS = '（账号凭据已发出，内容已从发件箱清除）';

/** The longest wait between two tries: a day. */
export const MAX_BACKOFF_SECONDS = 86_400;

/**
 * Seconds to wait after the `attempts`-th failed try (1-based): base · 2^(attempts−1), capped at a
 * day. A base of 0 retries at the next poll (tests).
 */
export function backoffSeconds(attempts: number, baseSeconds: number): number {
  if (baseSeconds <= 0) return 0;
  const exp = Math.min(Math.max(attempts - 1, 0), 30);
  return Math.min(baseSeconds * 2 ** exp, MAX_BACKOFF_SECONDS);
}

/** What happens after a failed try: another one later, or dead (the last error kept). */
export function afterFailure(attempts: number, maxAttempts: number, baseSeconds: number): { status: 'pending'; retryInSeconds: number } | { status: 'dead' } {
  return attempts >= maxAttempts ? { status: 'dead' } : { status: 'pending', retryInSeconds: backoffSeconds(attempts, baseSeconds) };
}

/**
 * The Message-ID of a message, derived from its idempotency key: a repeat after a crash between
 * sending and recording carries the same id, so mail systems (and our tests) can drop it.
 */
export function messageIdOf(idempotencyKey: string, domain = 'qc-judging.local'): string {
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}@${domain}>`;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** The HTML part of a mail: the text's lines as paragraphs (escaped) and the link as a button. */
export function htmlOf(subject: string, text: string, url: string): string {
  const paras = text.split('\n').map((l) => (l.trim() ? `<p style="margin:0 0 8px">${escapeHtml(l)}</p>` : '')).join('');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`
    + `<body style="font-family:sans-serif;line-height:1.6;color:#222"><h2 style="font-size:18px">${escapeHtml(subject)}</h2>${paras}`
    + `<p><a href="${escapeHtml(url)}" style="display:inline-block;padding:8px 16px;background:#1d4ed8;color:#fff;text-decoration:none;border-radius:4px">打开评审系统查看</a></p>`
    + `<p style="color:#888;font-size:12px">此邮件由质量攻关成果评审系统自动发送，请勿直接回复。</p></body></html>`;
}

/** The absolute URL of a deep link (a hash route) under the web interface's public address. */
export function absoluteLink(publicUrl: string, link: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/${link.startsWith('#') ? link : `#${link}`}`;
}

/** The HMAC-SHA256 signature of a webhook body: `sha256=<hex>` over `<timestamp>.<body>` (the timestamp header, a dot, the raw body). */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}
