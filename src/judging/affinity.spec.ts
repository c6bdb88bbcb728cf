import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { AFFINITY_WEIGHTS, MAX_AFFINITY, affinity, type EntryTopics, type ExpertiseProfile } from './affinity.js';

const words = fc.array(fc.constantFrom('制造', '服务', '统计技术', '工艺', '设备', '安全', '医疗', 'ＳＰＣ', 'spc', ' 焊接 ', ''), { maxLength: 6 });
const profiles: fc.Arbitrary<ExpertiseProfile> = fc.record({
  industries: words,
  entryTypes: fc.array(fc.constantFrom('problem_solving', 'innovation'), { maxLength: 2 }),
  topics: words,
  yearsOfExperience: fc.option(fc.integer({ min: -5, max: 60 })),
  keywords: words,
});
const entries: fc.Arbitrary<EntryTopics> = fc.record({
  industry: fc.option(fc.constantFrom('制造', '服务', '医疗', '')),
  entryType: fc.option(fc.constantFrom('problem_solving', 'innovation')),
  topics: words,
  title: fc.constantFrom('降低焊接缺陷率', '提高门诊服务满意度', '运用SPC稳定工艺', ''),
});

describe('affinity', () => {
  it('is the sum of its named matches, within 0…MAX_AFFINITY, and specialist iff a topical dimension matched', () => {
    fc.assert(
      fc.property(profiles, entries, (p, e) => {
        const a = affinity(p, e);
        expect(a.score).toBe(a.matches.reduce((s, m) => s + m.points, 0));
        expect(a.score).toBeGreaterThanOrEqual(0);
        expect(a.score).toBeLessThanOrEqual(MAX_AFFINITY);
        expect(a.specialist).toBe(a.matches.some((m) => ['industry', 'topic', 'keyword'].includes(m.dimension)));
        expect(a.matches.filter((m) => m.dimension === 'topic').length).toBeLessThanOrEqual(AFFINITY_WEIGHTS.maxTopics);
        expect(a.matches.filter((m) => m.dimension === 'keyword').length).toBeLessThanOrEqual(AFFINITY_WEIGHTS.maxKeywords);
        if (!a.specialist) expect(a.matches.some((m) => m.dimension === 'experience')).toBe(false);
      }),
    );
  });

  it('does not depend on the order of the lists and only grows when the profile grows', () => {
    fc.assert(
      fc.property(profiles, entries, words, (p, e, more) => {
        const reversed = { ...p, industries: [...p.industries].reverse(), topics: [...p.topics].reverse(), keywords: [...p.keywords].reverse() };
        expect(affinity(reversed, e).score).toBe(affinity(p, e).score);
        const grown = { ...p, topics: [...p.topics, ...more], industries: [...p.industries, ...more], keywords: [...p.keywords, ...more] };
        expect(affinity(grown, e).score).toBeGreaterThanOrEqual(affinity(p, e).score);
      }),
    );
  });

  it('explains a full match', () => {
    const a = affinity(
      { industries: ['制造'], entryTypes: ['problem_solving'], topics: ['统计技术', '工艺'], yearsOfExperience: 15, keywords: ['焊接', 'spc'] },
      { industry: '制造', entryType: 'problem_solving', topics: ['工艺', '设备'], title: '运用ＳＰＣ降低焊接缺陷率' },
    );
    expect(a).toEqual({
      score: 3 + 2 + 1 + 1 + 1 + 1,
      specialist: true,
      matches: [
        { dimension: 'industry', value: '制造', points: 3 },
        { dimension: 'topic', value: '工艺', points: 2 },
        { dimension: 'keyword', value: 'spc', points: 1 },
        { dimension: 'keyword', value: '焊接', points: 1 },
        { dimension: 'entryType', value: 'problem_solving', points: 1 },
        { dimension: 'experience', value: '15', points: 1 },
      ],
    });
    expect(affinity({ industries: [], entryTypes: ['innovation'], topics: [], yearsOfExperience: 30, keywords: [] }, { industry: null, entryType: 'innovation', topics: [], title: 'x' })).toEqual({
      score: 1,
      specialist: false,
      matches: [{ dimension: 'entryType', value: 'innovation', points: 1 }],
    });
  });
});
