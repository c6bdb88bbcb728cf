// The screens show and take times in China Standard Time whatever the browser's own zone
// (web/ui.js): a deadline set on one screen reads the same on every other and in the exports.
import { beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Time = { when(iso: string | null): string; localOf(iso: string | null): string; isoOf(local: string): string | undefined; cstDayStart(day: string): string; cstDayEnd(day: string): string };
let t: Time;

beforeAll(async () => {
  t = (await import(pathToFileURL(join(process.cwd(), 'web', 'ui.js')).href)) as Time;
});

describe('times in China Standard Time', () => {
  it('shows an instant as Beijing wall-clock time', () => {
    expect(t.when('2020-09-29T02:00:00.000Z')).toBe('2020/09/29 10:00');
    expect(t.when('2020-06-30T16:30:00.000Z')).toBe('2020/07/01 00:30');
    expect(t.when(null)).toBe('—');
  });

  it('prints exactly what the zh-CN Asia/Shanghai Intl formatter prints (when() does it by arithmetic, to spare the start-up ICU load)', () => {
    const intl = new Intl.DateTimeFormat('zh-CN', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' });
    fc.assert(fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) }), (ms) => {
      const iso = new Date(ms).toISOString();
      expect(t.when(iso)).toBe(intl.format(new Date(iso)));
    }), { numRuns: 2000 });
    expect(t.when('2026-12-05T16:00:00.000Z')).toBe(intl.format(new Date('2026-12-05T16:00:00.000Z')));
  });

  it('fills and reads datetime-local inputs in Beijing time, and a minute round-trips', () => {
    expect(t.localOf('2020-08-31T09:00:00.000Z')).toBe('2020-08-31T17:00');
    expect(t.isoOf('2020-08-31T17:00')).toBe('2020-08-31T09:00:00.000Z');
    expect(t.isoOf('')).toBeUndefined();
    fc.assert(fc.property(fc.integer({ min: Date.UTC(2000, 0, 1) / 60_000, max: Date.UTC(2099, 11, 31) / 60_000 }), (minute) => {
      const iso = new Date(minute * 60_000).toISOString();
      expect(t.isoOf(t.localOf(iso))).toBe(iso);
    }));
  });

  it('takes a filter day from Beijing midnight to its last second', () => {
    expect(t.cstDayStart('2020-09-29')).toBe('2020-09-28T16:00:00.000Z');
    expect(t.cstDayEnd('2020-09-29')).toBe('2020-09-29T15:59:59.000Z');
  });
});
