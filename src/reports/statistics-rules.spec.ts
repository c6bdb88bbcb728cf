import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { figuresOf, growth, percent, REPORT_LEVELS, summarySentence, wanYuan, yearOnYear, type CubeRow, type StatisticsFacts, type YearFacts } from './statistics-rules.js';
import type { Level } from '../contests/contest-rules.js';

// As in the seed document (../shared/seed/000_f9e7f05a16ad2899.txt), copied character for character.
const SEED_SENTENCE = '经材料初审、现场发表、专家评审，评选出质量攻关优秀成果一等奖14项，二等奖26项，三等奖32项，优秀奖45项，同时评选出5家优秀推荐单位';

const facts = (cube: CubeRow[], awarded: StatisticsFacts['awarded'] = []): StatisticsFacts => ({
  totals: { entries: cube.reduce((s, r) => s + r.entries, 0), enterprises: 1, units: new Set(cube.map((r) => r.unitId)).size },
  enterprisesPerUnit: new Map(),
  cube,
  review: [],
  failedKeys: [],
  checklistTitles: new Map(),
  attendance: new Map(),
  workload: [],
  minutes: [],
  totalsByStage: [],
  rubricMax: new Map(),
  awarded,
  objections: { filed: 0, answered: 0, upheld: 0 },
});

const cubeRow = fc.record({
  unitId: fc.integer({ min: 1, max: 6 }),
  industry: fc.option(fc.constantFrom('制造', '服务', '建设工程'), { nil: null }),
  entryType: fc.option(fc.constantFrom('problem_solving', 'innovation'), { nil: null }),
  trackId: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
  status: fc.constantFrom('submitted', 'passed', 'declined', 'awarded'),
  entries: fc.integer({ min: 1, max: 50 }),
  members: fc.integer({ min: 0, max: 500 }),
  benefitYuan: fc.integer({ min: 0, max: 10_000_000 }),
  declaring: fc.integer({ min: 0, max: 50 }),
}).map((r): CubeRow => ({ ...r, unitName: `单位${r.unitId}`, trackName: r.trackId === null ? null : `分组${r.trackId}` }));

const level = fc.constantFrom<Level>(...REPORT_LEVELS);

describe('summarySentence', () => {
  it('is the seed document sentence for the seed year, character for character', () => {
    expect(summarySentence({ first: 14, second: 26, third: 32, excellence: 45 }, 5)).toBe(SEED_SENTENCE);
  });

  it('states every awarded level once, in order, with its count, and the units clause only when there are units', () => {
    fc.assert(fc.property(fc.record({ first: fc.nat(200), second: fc.nat(200), third: fc.nat(200), excellence: fc.nat(200) }), fc.nat(30), (counts, units) => {
      const s = summarySentence(counts, units);
      expect(s.startsWith('经材料初审、现场发表、专家评审，评选出质量攻关优秀成果')).toBe(true);
      const found = [...s.matchAll(/(一等奖|二等奖|三等奖|优秀奖)(\d+)项/g)].map((m) => [m[1], Number(m[2])]);
      const names = { first: '一等奖', second: '二等奖', third: '三等奖', excellence: '优秀奖' };
      const any = REPORT_LEVELS.some((l) => counts[l] > 0);
      expect(found).toEqual(REPORT_LEVELS.filter((l) => !any || counts[l] > 0).map((l) => [names[l], counts[l]]));
      expect(s.includes('优秀推荐单位')).toBe(units > 0);
      if (units > 0) expect(s.endsWith(`同时评选出${units}家优秀推荐单位`)).toBe(true);
      expect(s.endsWith('。')).toBe(false);
    }));
  });
});

describe('figuresOf', () => {
  it('counts every entry once in each breakdown, and sums members and benefits', () => {
    fc.assert(fc.property(fc.array(cubeRow, { maxLength: 40 }), (cube) => {
      const f = figuresOf(facts(cube));
      const total = cube.reduce((s, r) => s + r.entries, 0);
      for (const rows of [f.entriesByUnit, f.entriesByIndustry, f.entriesByType, f.entriesByTrack]) {
        expect(rows.reduce((s, r) => s + r.count, 0)).toBe(total);
        expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
        for (let i = 1; i < rows.length; i++) expect(rows[i - 1]!.count).toBeGreaterThanOrEqual(rows[i]!.count);
      }
      expect(f.participation.teamMembers).toBe(cube.reduce((s, r) => s + r.members, 0));
      expect(f.benefits.totalYuan).toBe(cube.reduce((s, r) => s + r.benefitYuan, 0));
      expect(Number(f.benefits.totalWanYuan)).toBeCloseTo(Math.floor(f.benefits.totalYuan / 100) / 100, 6);
      expect(f.review.declined).toBe(cube.filter((r) => r.status === 'declined').reduce((s, r) => s + r.entries, 0));
    }));
  });

  it('counts each award once per breakdown, by its level', () => {
    const awarded = fc.array(fc.record({ entryId: fc.nat(), level, unitName: fc.constantFrom('甲', '乙', '丙'), industry: fc.option(fc.constantFrom('制造', '服务'), { nil: null }), entryType: fc.constantFrom('problem_solving', 'innovation') }), { maxLength: 60 });
    fc.assert(fc.property(awarded, (list) => {
      const f = figuresOf(facts([], list));
      for (const l of REPORT_LEVELS) expect(f.awards.counts[l]).toBe(list.filter((a) => a.level === l).length);
      expect(f.awards.counts.total).toBe(list.length);
      for (const rows of [f.awards.byUnit, f.awards.byIndustry, f.awards.byType]) {
        for (const l of REPORT_LEVELS) expect(rows.reduce((s, r) => s + r[l], 0)).toBe(f.awards.counts[l]);
        for (const r of rows) expect(r.total).toBe(REPORT_LEVELS.reduce((s, l) => s + r[l], 0));
      }
    }));
  });

  it('classifies review outcomes and bins sheet totals by tenths of the rubric maximum', () => {
    const f = figuresOf({
      ...facts([]),
      review: [{ passed: true, returned: false, rejected: false, entries: 150 }, { passed: true, returned: true, rejected: false, entries: 5 }, { passed: false, returned: false, rejected: true, entries: 3 }],
      failedKeys: ['report_length', 'report_length', 'not_repeated'],
      checklistTitles: new Map([['report_length', '报告篇幅']]),
      totalsByStage: [{ stage: 'presentation', rubricId: 2, total: 280, sheets: 2 }, { stage: 'material', rubricId: 1, total: 905, sheets: 3 }, { stage: 'material', rubricId: 1, total: 0, sheets: 1 }],
      rubricMax: new Map([[1, 1000], [2, 280]]),
    });
    expect(f.review).toMatchObject({ reviewed: 158, passedFirstTime: 150, returnedThenPassed: 5, rejected: 3, returnedPending: 0, passRate: '98.1%' });
    expect(f.review.failedItems).toEqual([{ key: 'report_length', label: '报告篇幅', count: 2 }, { key: 'not_repeated', label: 'not_repeated', count: 1 }]);
    expect(f.scoreDistribution.map((d) => [d.stage, d.sheets, d.bins[0]!.count, d.bins[9]!.count])).toEqual([['material', 4, 1, 3], ['presentation', 2, 0, 2]]);
  });
});

describe('percent, wanYuan and growth', () => {
  it('rounds half up with one decimal', () => {
    expect(percent(1, 3)).toBe('33.3%');
    expect(percent(2, 3)).toBe('66.7%');
    expect(percent(0, 0)).toBe('—');
    expect(wanYuan(1_250_000)).toBe('125.00');
    expect(wanYuan(12_345)).toBe('1.23');
    fc.assert(fc.property(fc.nat(10_000), fc.integer({ min: 1, max: 10_000 }), (a, b) => {
      expect(Math.abs(Number(percent(a, b).slice(0, -1)) - (a * 100) / b)).toBeLessThanOrEqual(0.05 + 1e-9);
    }));
  });

  it('states the change from last year: the delta exactly, the percentage rounded, none from zero', () => {
    expect(growth(160, 180)).toEqual({ delta: 20, percent: '+12.5%' });
    expect(growth(160, 150)).toEqual({ delta: -10, percent: '-6.3%' });
    expect(growth(0, 10)).toEqual({ delta: 10, percent: null });
    fc.assert(fc.property(fc.nat(100_000), fc.nat(100_000), (a, b) => {
      const g = growth(a, b);
      expect(g.delta).toBe(b - a);
      if (a === 0) expect(g.percent).toBeNull();
      else {
        const value = Number(g.percent!.slice(0, -1));
        expect(Math.abs(value - ((b - a) * 100) / a)).toBeLessThanOrEqual(0.05 + 1e-9);
        if (b > a && value !== 0) expect(g.percent!.startsWith('+')).toBe(true);
      }
    }));
  });

  it('orders the years and compares each with the one before', () => {
    const year = (contestId: number, y: number, entries: number): YearFacts => ({ contestId, name: `${y}`, year: y, entries, enterprises: entries, units: 1, reviewed: entries, passed: entries, awards: { first: 1, second: 0, third: 0, excellence: 0, total: 1 }, excellentUnits: 0 });
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 2000, max: 2100 }), { maxLength: 8 }), (years) => {
      const rows = yearOnYear(years.map((y, i) => year(i + 1, y, y - 1990)));
      expect(rows.map((r) => r.year)).toEqual([...years].sort((a, b) => a - b));
      rows.forEach((r, i) => {
        if (i === 0) expect(r.growth).toBeNull();
        else expect(r.growth!.entries.delta).toBe(r.entries - rows[i - 1]!.entries);
      });
    }));
  });
});
