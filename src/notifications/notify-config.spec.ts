import { describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../config/app-config.js';

const load = (env: Record<string, string>) => loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'qc-notify-config-')), ...env });

function errorOf(env: Record<string, string>): ConfigError {
  try {
    load(env);
  } catch (e) {
    return e as ConfigError;
  }
  throw new Error('expected a configuration error');
}

describe('notification configuration', () => {
  it('has no outward channel by default, and a worker with sane timing', () => {
    expect(load({}).notify).toEqual({
      smtpUrl: null, mailFrom: '质量攻关成果评审系统 <noreply@localhost>', smsWebhookUrl: null, smsWebhookSecret: null, publicUrl: 'http://localhost:3000',
      worker: true, pollMs: 2000, batchSize: 20, maxAttempts: 8, retryBaseSeconds: 30, leaseSeconds: 120, reminderIntervalSeconds: 600,
    });
  });

  it('reads the channels and the worker tuning', () => {
    const c = load({
      SMTP_URL: 'smtps://u:p@mail.example.cn:465', MAIL_FROM: '评审 <a@b.cn>', SMS_WEBHOOK_URL: 'https://gw.example.cn/sms', SMS_WEBHOOK_SECRET: '0123456789abcdef',
      PUBLIC_URL: 'https://qc.example.cn/', NOTIFY_WORKER: 'false', NOTIFY_POLL_MS: '50', NOTIFY_MAX_ATTEMPTS: '3', NOTIFY_RETRY_BASE_SECONDS: '0',
    }).notify;
    expect(c).toMatchObject({ smtpUrl: 'smtps://u:p@mail.example.cn:465', smsWebhookUrl: 'https://gw.example.cn/sms', publicUrl: 'https://qc.example.cn', worker: false, pollMs: 50, maxAttempts: 3, retryBaseSeconds: 0 });
  });

  it('refuses what would fail later, naming the variable', () => {
    expect(errorOf({ SMTP_URL: 'http://mail.example.cn' }).variable).toBe('SMTP_URL');
    expect(errorOf({ SMTP_URL: 'not a url' }).variable).toBe('SMTP_URL');
    expect(errorOf({ SMS_WEBHOOK_URL: 'https://gw.example.cn' }).variable).toBe('SMS_WEBHOOK_SECRET');
    expect(errorOf({ SMS_WEBHOOK_URL: 'https://gw.example.cn', SMS_WEBHOOK_SECRET: 'short' }).variable).toBe('SMS_WEBHOOK_SECRET');
    expect(errorOf({ MAIL_FROM: 'nobody' }).variable).toBe('MAIL_FROM');
    expect(errorOf({ NOTIFY_POLL_MS: '5' }).variable).toBe('NOTIFY_POLL_MS');
    expect(errorOf({ NOTIFY_MAX_ATTEMPTS: '0' }).variable).toBe('NOTIFY_MAX_ATTEMPTS');
  });
});
