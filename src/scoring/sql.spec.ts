import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { iso } from './scoring.dto.js';
import { dbDate } from './sql.js';

// dbDate and iso keep the last date's text (a submit batch writes one `now` many times): the text
// must be each date's own, whatever came before, and an invalid date must still be refused.
describe('dates as the scoring SQL and answers write them', () => {
  it('writes each date as its own text, in any order and repeated', () => {
    fc.assert(
      fc.property(fc.array(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }), { maxLength: 20 }), (dates) => {
        for (const d of [...dates, ...dates.reverse()]) {
          expect(dbDate(d)).toBe(d.toISOString().slice(0, 19).replace('T', ' '));
          expect(iso(d)).toBe(d.toISOString());
        }
      }),
    );
    expect(dbDate(new Date('2026-12-07T05:30:15.250Z'))).toBe('2026-12-07 05:30:15');
    expect(iso(null)).toBeNull();
  });

  it('refuses an invalid date as toISOString does, also right after a valid one', () => {
    const ok = new Date('2026-12-07T05:30:15Z');
    dbDate(ok);
    iso(ok);
    expect(() => dbDate(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => iso(new Date(Number.NaN))).toThrow(RangeError);
    expect(dbDate(ok)).toBe('2026-12-07 05:30:15');
  });
});
