import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { absoluteLink, afterFailure, backoffSeconds, escapeHtml, htmlOf, KIND_LIST, MAX_BACKOFF_SECONDS, messageIdOf, webhookSignature } from './notification-rules.js';
import { render } from './notification-templates.js';
import { reminderWindow } from './reminders.service.js';

describe('notification rules', () => {
  it('backs off exponentially, never beyond a day, and not at all with base 0', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 3600 }), (attempts, base) => {
      const d = backoffSeconds(attempts, base);
      expect(d).toBeGreaterThanOrEqual(base > MAX_BACKOFF_SECONDS ? MAX_BACKOFF_SECONDS : Math.min(base, MAX_BACKOFF_SECONDS));
      expect(d).toBeLessThanOrEqual(MAX_BACKOFF_SECONDS);
      expect(backoffSeconds(attempts + 1, base)).toBeGreaterThanOrEqual(d);
      if (d < MAX_BACKOFF_SECONDS / 2) expect(backoffSeconds(attempts + 1, base)).toBe(2 * d);
      expect(backoffSeconds(attempts, 0)).toBe(0);
    }));
    expect([1, 2, 3, 4].map((n) => backoffSeconds(n, 30))).toEqual([30, 60, 120, 240]);
  });

  it('is dead exactly at the last try', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 50 }), (attempts, max) => {
      expect(afterFailure(attempts, max, 10).status).toBe(attempts >= max ? 'dead' : 'pending');
    }));
  });

  it('derives a stable Message-ID per idempotency key', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => {
      expect(messageIdOf(a)).toBe(messageIdOf(a));
      expect(messageIdOf(a)).toMatch(/^<[0-9a-f]{32}@qc-judging\.local>$/);
      if (a !== b) expect(messageIdOf(a)).not.toBe(messageIdOf(b));
    }));
  });

  it('escapes every text it puts into HTML', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (subject, text) => {
      expect(escapeHtml(subject)).not.toMatch(/[<>"']/);
      const html = htmlOf(subject, text, 'https://qc.example.cn/#/x');
      expect(html).toContain(`<h2 style="font-size:18px">${escapeHtml(subject)}</h2>`);
    }));
    expect(htmlOf('<b>', 'a & b\n<i>', 'https://x/#/y')).toContain('<p style="margin:0 0 8px">a &amp; b</p><p style="margin:0 0 8px">&lt;i&gt;</p>');
  });

  it('signs webhook bodies with HMAC-SHA256 over timestamp.body', () => {
    fc.assert(fc.property(fc.string({ minLength: 1 }), fc.integer({ min: 0 }), fc.string(), (secret, ts, body) => {
      const want = `sha256=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`;
      expect(webhookSignature(secret, String(ts), body)).toBe(want);
    }));
    expect(webhookSignature('k', '1', 'x')).not.toBe(webhookSignature('k', '2', 'x'));
  });

  it('builds absolute links from hash routes', () => {
    expect(absoluteLink('https://qc.example.cn/', '#/enterprise/entry/3')).toBe('https://qc.example.cn/#/enterprise/entry/3');
    expect(absoluteLink('http://localhost:3000', '/inbox')).toBe('http://localhost:3000/#/inbox');
  });

  it('names the contest and the next step in every template', () => {
    for (const kind of KIND_LIST) {
      const r = render(kind, { contest: '2020年滨海新区质量攻关活动', entryTitle: '降低不良率', sessionName: '第一场', position: 2, time: '2020-09-15 09:30', venue: '会议中心', count: 3, days: 3, deadline: '2020-08-31 17:00', enterprise: '滨海钢铁', objector: '张三', answer: '已复核' });
      expect(r.subject.length).toBeGreaterThan(4);
      expect(r.subject.length).toBeLessThanOrEqual(200);
      expect(`${r.subject}${r.text}`).toContain('2020年滨海新区质量攻关活动');
      if (kind !== 'objection_answered') expect(r.text).toContain('下一步');
    }
  });

  it('reminds at three days and at one day before a deadline', () => {
    const day = 86_400_000;
    expect([-1, 0, 1, day, day + 1, 3 * day, 3 * day + 1].map(reminderWindow)).toEqual([null, null, 1, 1, 3, 3, null]);
  });
});
