import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { DEFAULT_RUBRICS, defaultRubric, formatTenths, rubricTotal, validateMarks, validateRubric, type RubricItem } from './rubric.js';

const problemSolving = defaultRubric('material', 'problem_solving');
const errorsOf = (result: ReturnType<typeof validateMarks>): { field: string; code: string }[] =>
  result.ok ? [] : result.errors.map(({ field, code }) => ({ field, code }));

describe('default rubrics', () => {
  it('carry the published tables, in tenths', () => {
    expect(problemSolving.map((i) => [i.key, i.title, i.max])).toEqual([
      ['topic', '选题', 150],
      ['cause_analysis', '原因分析', 300],
      ['countermeasures', '对策与实施', 200],
      ['effect', '效果', 200],
      ['report', '成果报告', 50],
      ['features', '特点', 100],
    ]);
    expect(defaultRubric('material', 'innovation').map((i) => [i.key, i.title, i.max])).toEqual([
      ['topic', '选题', 200],
      ['solution_selection', '提出方案并确定最佳方案', 300],
      ['countermeasures', '对策与实施', 200],
      ['effect', '效果', 150],
      ['report', '成果报告', 50],
      ['features', '特点', 100],
    ]);
    expect(defaultRubric('presentation', 'innovation').map((i) => [i.title, i.max])).toEqual([
      ['逻辑性', 220],
      ['专业性', 220],
      ['发布形式', 140],
      ['表达', 140],
      ['回答问题', 140],
      ['成员与时间', 140],
    ]);
    expect(rubricTotal(DEFAULT_RUBRICS.material.problem_solving)).toBe(1000);
    expect(rubricTotal(DEFAULT_RUBRICS.material.innovation)).toBe(1000);
    expect(rubricTotal(DEFAULT_RUBRICS.presentation)).toBe(1000);
  });

  it('are valid, described, and cannot be altered through a copy', () => {
    for (const items of [DEFAULT_RUBRICS.material.problem_solving, DEFAULT_RUBRICS.material.innovation, DEFAULT_RUBRICS.presentation]) {
      expect(validateRubric(items)).toEqual({ ok: true, total: rubricTotal(items) });
      for (const item of items) expect(item.description.length).toBeGreaterThan(0);
    }
    const copy = defaultRubric('material', 'problem_solving');
    copy[0]!.max = 1;
    expect(DEFAULT_RUBRICS.material.problem_solving[0]!.max).toBe(150);
    expect(Object.isFrozen(DEFAULT_RUBRICS.presentation[0])).toBe(true);
  });
});

describe('validateRubric', () => {
  const item = (over: Partial<RubricItem>): RubricItem => ({ key: 'topic', title: '选题', description: '', max: 150, ...over });

  it('refuses an empty rubric', () => {
    expect(validateRubric([])).toMatchObject({ ok: false, errors: [{ code: 'rubric_empty' }] });
  });

  it('refuses bad and duplicate keys, missing titles and non-positive or fractional maxima', () => {
    const result = validateRubric([
      item({}),
      item({ key: 'topic' }),
      item({ key: 'Cause' }),
      item({ key: '选题' }),
      item({ key: 'ok_key', title: ' ' }),
      item({ key: 'a', max: 0 }),
      item({ key: 'b', max: 1.5 }),
      item({ key: 'c', max: -10 }),
    ]);
    expect(result.ok ? [] : result.errors.map((e) => [e.index, e.code])).toEqual([
      [1, 'duplicate_key'],
      [2, 'invalid_key'],
      [3, 'invalid_key'],
      [4, 'title_required'],
      [5, 'invalid_max'],
      [6, 'invalid_max'],
      [7, 'invalid_max'],
    ]);
  });

  it('accepts snake_case keys and returns the total', () => {
    expect(validateRubric([item({ key: 'a1_b2' }), item({ key: 'c', max: 5 })])).toEqual({ ok: true, total: 155 });
  });
});

describe('validateMarks', () => {
  const full = { topic: 12.5, cause_analysis: 28, countermeasures: 18.3, effect: 20, report: 4.5, features: 0 };

  it('returns marks in tenths and the server-computed total', () => {
    expect(validateMarks(problemSolving, full)).toEqual({
      ok: true,
      marks: { topic: 125, cause_analysis: 280, countermeasures: 183, effect: 200, report: 45, features: 0 },
      total: 833,
      missing: [],
    });
  });

  it('accepts 12.3 and refuses 12.34', () => {
    expect(validateMarks(problemSolving, { ...full, topic: 12.3 })).toMatchObject({ ok: true, marks: { topic: 123 } });
    expect(errorsOf(validateMarks(problemSolving, { ...full, topic: 12.34 }))).toEqual([{ field: 'topic', code: 'too_many_decimals' }]);
    expect(errorsOf(validateMarks(problemSolving, { ...full, topic: 0.1 + 0.2 }))).toEqual([{ field: 'topic', code: 'too_many_decimals' }]);
    expect(errorsOf(validateMarks(problemSolving, { ...full, topic: 1e-7 }))).toEqual([{ field: 'topic', code: 'too_many_decimals' }]);
  });

  it('reports every bad field with its code and a Chinese message', () => {
    const result = validateMarks(problemSolving, {
      topic: '12',
      cause_analysis: Number.NaN,
      countermeasures: Infinity,
      effect: -1,
      report: 5.5,
      bonus: 3,
    });
    expect(errorsOf(result)).toEqual([
      { field: 'bonus', code: 'unknown_item' },
      { field: 'topic', code: 'not_a_number' },
      { field: 'cause_analysis', code: 'not_a_number' },
      { field: 'countermeasures', code: 'not_a_number' },
      { field: 'effect', code: 'below_zero' },
      { field: 'report', code: 'above_max' },
      { field: 'features', code: 'required' },
    ]);
    if (!result.ok) {
      expect(result.errors.find((e) => e.field === 'report')?.message).toBe('「成果报告」的分数不能超过满分 5 分');
      for (const error of result.errors) expect(error.message).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('accepts exactly the maximum and refuses a tenth above it', () => {
    expect(validateMarks(problemSolving, { ...full, topic: 15 })).toMatchObject({ ok: true });
    expect(errorsOf(validateMarks(problemSolving, { ...full, topic: 15.1 }))).toEqual([{ field: 'topic', code: 'above_max' }]);
    expect(errorsOf(validateMarks(problemSolving, { ...full, topic: 15.01 }))).toEqual([{ field: 'topic', code: 'above_max' }]);
  });

  it('allows missing items in a draft, and treats null as no mark', () => {
    expect(validateMarks(problemSolving, { topic: 10, effect: null }, { partial: true })).toEqual({
      ok: true,
      marks: { topic: 100 },
      total: 100,
      missing: ['cause_analysis', 'countermeasures', 'effect', 'report', 'features'],
    });
    expect(errorsOf(validateMarks(problemSolving, { ...full, effect: null }))).toEqual([{ field: 'effect', code: 'required' }]);
    // A draft still refuses bad values and unknown items.
    expect(errorsOf(validateMarks(problemSolving, { topic: 99, extra: 1 }, { partial: true }))).toEqual([
      { field: 'extra', code: 'unknown_item' },
      { field: 'topic', code: 'above_max' },
    ]);
  });

  it('refuses a payload that is not an object', () => {
    for (const input of [null, undefined, 5, 'topic', [12]]) {
      expect(errorsOf(validateMarks(problemSolving, input))).toEqual([{ field: '', code: 'not_an_object' }]);
    }
  });

  it('never accepts a value above the maximum, below zero or with more than one decimal', () => {
    const rubric = [{ key: 'x', title: '项', description: '', max: 150 }];
    const value = fc.oneof(fc.double(), fc.double({ min: -1, max: 20 }), fc.integer({ min: -20, max: 200 }).map((t) => t / 10), fc.integer({ min: 0, max: 2000 }).map((t) => t / 100));
    fc.assert(
      fc.property(value, (v) => {
        const result = validateMarks(rubric, { x: v });
        const oneDecimal = /^\d+(\.\d)?$/.test(String(v));
        const acceptable = Number.isFinite(v) && v >= 0 && v <= 15 && oneDecimal;
        expect(result.ok).toBe(acceptable);
        if (result.ok) {
          expect(result.marks['x']! / 10 === v).toBe(true); // -0 counts as 0
          expect(result.total).toBe(result.marks['x']);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips every mark in tenths and adds totals exactly', () => {
    fc.assert(
      fc.property(fc.tuple(...problemSolving.map((item) => fc.integer({ min: 0, max: item.max }))), (tenths) => {
        const input = Object.fromEntries(problemSolving.map((item, i) => [item.key, tenths[i]! / 10]));
        const result = validateMarks(problemSolving, input);
        expect(result).toEqual({
          ok: true,
          marks: Object.fromEntries(problemSolving.map((item, i) => [item.key, tenths[i]])),
          total: tenths.reduce((a, b) => a + b, 0),
          missing: [],
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe('formatTenths', () => {
  it('prints points with at most one decimal', () => {
    expect(formatTenths(150)).toBe('15');
    expect(formatTenths(125)).toBe('12.5');
    expect(formatTenths(3)).toBe('0.3');
    expect(formatTenths(-15)).toBe('-1.5');
  });
});
