import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { AwardList, AwardListEntry } from '../results/award-list.js';
import { noticeContent, noticeDate } from './notice-rules.js';
import { REPORT_LEVELS } from './statistics-rules.js';

const entry = fc.record({ title: fc.string({ minLength: 1, maxLength: 30 }), teamName: fc.string({ maxLength: 10 }), enterpriseName: fc.string({ maxLength: 20 }), unitName: fc.string({ maxLength: 20 }) });

function listOf(levels: Record<string, { title: string; teamName: string; enterpriseName: string; unitName: string }[]>, units: number): AwardList {
  let id = 1;
  const out = Object.fromEntries(REPORT_LEVELS.map((l) => [l, (levels[l] ?? []).map((e, i): AwardListEntry => ({ ...e, seq: i + 1, entryId: id++, trackName: null, level: l, score: null }))])) as AwardList['levels'];
  return {
    contest: { id: 1, name: '2020年滨海新区质量攻关活动', year: 2020, theme: null }, status: 'published', version: 1, hash: 'h', listHash: 'l', noticeEndsAt: null,
    publishedAt: '2020-09-29T02:00:00.000Z', levels: out,
    excellentUnits: Array.from({ length: units }, (_, k) => ({ place: units - k, unitId: k + 1, unitName: `单位${units - k}`, points: 10, awardedEntries: 1 })),
  };
}

describe('noticeContent', () => {
  it('lists every awarded entry once, in its own level, in 序号 order, with the seed sentence in the body', () => {
    fc.assert(fc.property(fc.record({ first: fc.array(entry, { maxLength: 5 }), second: fc.array(entry, { maxLength: 5 }), third: fc.array(entry, { maxLength: 5 }), excellence: fc.array(entry, { maxLength: 5 }) }), fc.nat(6), (levels, units) => {
      const list = listOf(levels, units);
      const n = noticeContent(list, { documentNumber: '津滨质量组办〔2020〕5号', issuer: null, addressee: null }, new Date(0));
      expect(n.levels.map((l) => l.level)).toEqual(REPORT_LEVELS.filter((l) => levels[l].length > 0));
      for (const l of n.levels) {
        expect(l.rows).toEqual(list.levels[l.level].map((e) => [String(e.seq), e.title, e.teamName, e.enterpriseName, e.unitName]));
        expect(l.heading).toMatch(new RegExp(`（${l.rows.length}项）$`));
      }
      expect(n.excellentUnits).toEqual(Array.from({ length: units }, (_, k) => `单位${k + 1}`));
      expect(n.paragraphs[0]).toContain('经材料初审、现场发表、专家评审，评选出质量攻关优秀成果');
      expect(n.title).toBe('关于公布2020年度质量攻关优秀成果评选结果的通知');
      expect(n.addressee).toBe('各推荐单位、各有关企业：');
      expect(n.issuer).toBe('2020年滨海新区质量攻关活动组委会');
      expect(n.dateText).toBe('2020年9月29日');
    }));
  });

  it('dates in China time and keeps the organizer\'s addressee with one colon', () => {
    expect(noticeDate(new Date('2020-10-18T16:30:00Z'))).toBe('2020年10月19日');
    const n = noticeContent(listOf({}, 0), { documentNumber: '1号', issuer: '办公室', addressee: '各有关单位：' }, new Date(0));
    expect([n.addressee, n.issuer, n.levels, n.excellentUnits]).toEqual(['各有关单位：', '办公室', [], []]);
  });
});
