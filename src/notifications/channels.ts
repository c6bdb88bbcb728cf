// The outward channels: e-mail over SMTP (nodemailer) and a generic signed HTTP webhook for an SMS
// or IM gateway. Each sends one outbox row or throws with a message the outbox desk shows.
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Transporter } from 'nodemailer';
import { Clock } from '../common/clock.js';
import { nodeMailer } from '../common/file-libraries.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { absoluteLink, htmlOf, messageIdOf, webhookSignature } from './notification-rules.js';
import type { Notification } from './notification.entities.js';

/** Timeouts well under the worker's lease, so that a message is never claimed again while it is being sent. */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };
const WEBHOOK_TIMEOUT_MS = 15_000;

@Injectable()
export class MailChannel implements OnModuleDestroy {
  private transport: Transporter | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private async transporter(): Promise<Transporter> {
    const mailer = await nodeMailer(); // then synchronously: one transport, whatever sends concurrently
    // One connection per message (no pool): a server that was down is simply tried again next time.
    this.transport ??= mailer.createTransport(this.config.notify.smtpUrl!, { ...SMTP_TIMEOUTS, from: this.config.notify.mailFrom } as never);
    return this.transport;
  }

  /** Sends a multipart (text + HTML) mail; the subject is encoded by nodemailer (RFC 2047, UTF-8). */
  async send(n: Notification): Promise<void> {
    const url = absoluteLink(this.config.notify.publicUrl, n.link);
    await (await this.transporter()).sendMail({
      from: this.config.notify.mailFrom,
      to: n.address!,
      subject: n.subject,
      text: `${n.body}\n\n打开评审系统查看：${url}\n\n（此邮件由质量攻关成果评审系统自动发送，请勿直接回复。）`,
      html: htmlOf(n.subject, n.body, url),
      messageId: messageIdOf(n.idempotencyKey),
      headers: { 'X-QC-Idempotency-Key': n.idempotencyKey, 'X-QC-Kind': n.kind },
    });
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}

/** The JSON body the webhook receives (documented in the README). */
export interface WebhookPayload {
  id: string;
  kind: string;
  to: string;
  subject: string;
  text: string;
  link: string;
  createdAt: string;
}

@Injectable()
export class WebhookChannel {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, private readonly clock: Clock) {}

  /** POSTs the message, signed (X-QC-Signature: sha256=HMAC(secret, timestamp + "." + body)); any 2xx is delivered. */
  async send(n: Notification): Promise<void> {
    const cfg = this.config.notify;
    const payload: WebhookPayload = {
      id: n.idempotencyKey,
      kind: n.kind,
      to: n.address!,
      subject: n.subject,
      text: n.body,
      link: absoluteLink(cfg.publicUrl, n.link),
      createdAt: new Date(n.createdAt).toISOString(),
    };
    const body = JSON.stringify(payload);
    const timestamp = String(this.clock.seconds());
    const res = await fetch(cfg.smsWebhookUrl!, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'x-qc-timestamp': timestamp,
        'x-qc-signature': webhookSignature(cfg.smsWebhookSecret!, timestamp, body),
        'x-idempotency-key': n.idempotencyKey,
      },
      body,
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    if (!res.ok) {
      const detail = (await res.text().catch(() => '')).slice(0, 200);
      throw new Error(`网关返回 HTTP ${res.status}${detail ? `：${detail}` : ''}`);
    }
    await res.body?.cancel().catch(() => undefined);
  }
}
