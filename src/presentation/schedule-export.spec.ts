import { describe, expect, it } from '@jest/globals';
import { buildScheduleIcs, chinaTime, foldLine, icsText, slotUid, type Schedule } from './schedule-export.js';

describe('schedule exports (pure)', () => {
  it('escapes iCalendar TEXT: backslash, semicolon, comma and newlines', () => {
    expect(icsText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });

  it('folds lines at 75 octets without splitting a UTF-8 character', () => {
    const line = `SUMMARY:${'质量攻关🔧'.repeat(12)}`;
    const folded = foldLine(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(Buffer.byteLength(p, 'utf8')).toBeLessThanOrEqual(75);
    expect(parts.slice(1).every((p) => p.startsWith(' '))).toBe(true);
    expect(parts.map((p, i) => (i ? p.slice(1) : p)).join('')).toBe(line);
    expect(foldLine('SHORT:x')).toBe('SHORT:x');
  });

  it('writes China time and one CRLF-terminated VEVENT per drawn slot, with a stable UID', () => {
    const start = new Date('2020-09-29T01:00:00Z'); // 09:00 in Beijing
    const schedule: Schedule = {
      contest: { id: 1, name: '2020年质量攻关, 评比' },
      sessions: [{
        id: 7, name: '第一场', venue: '3号厅; 二楼', startsAt: start, slotMinutes: 15, qaMinutes: 5, drawnAt: start, panelName: null,
        slots: [
          { sessionId: 7, entryId: 11, position: 1, startsAt: start, attendance: 'pending', title: '降低缺陷率', teamName: '精益小组', enterpriseName: '天津A' },
          { sessionId: 7, entryId: 12, position: null, startsAt: null, attendance: 'pending', title: '未抽签', teamName: 'x', enterpriseName: 'y' },
        ],
      }],
    };
    expect(chinaTime(start)).toBe('2020-09-29 09:00');
    const ics = buildScheduleIcs(schedule, new Date('2020-09-01T00:00:00Z'), '日程');
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(1);
    expect(ics).toContain('DTSTART;TZID=Asia/Shanghai:20200929T090000\r\n');
    expect(ics).toContain('DTEND;TZID=Asia/Shanghai:20200929T092000\r\n');
    expect(ics).toContain(`UID:${slotUid(7, 11)}\r\n`);
    expect(ics).toContain('LOCATION:3号厅\\; 二楼\r\n');
    expect(ics).toContain('DTSTAMP:20200901T000000Z\r\n');
  });
});
