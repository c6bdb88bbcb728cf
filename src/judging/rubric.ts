// Rubrics (评分表) and the validation of one expert's marks against them.
//
// Every score is an integer number of TENTHS of a point (15 points = 150): decimals typed by people
// are exact, floats are not, and totals must add up to the digit. Clients send points with at most
// one decimal; the conversion happens here, from the number's shortest decimal form.

export type EntryType = 'problem_solving' | 'innovation';
export type RubricStage = 'material' | 'presentation';

export interface RubricItem {
  /** Stable ascii snake_case key, used in API payloads and exports. */
  key: string;
  title: string;
  description: string;
  /** Maximum, in tenths of a point. */
  max: number;
}

function deepFreeze<T extends object>(items: T[]): readonly Readonly<T>[] {
  return Object.freeze(items.map((item) => Object.freeze(item)));
}

// The material-stage tables follow the widely used QC achievement criteria (T/CAQ 10201);
// defaults only, each contest may edit its own copy.
const PROBLEM_SOLVING_MATERIAL = deepFreeze<RubricItem>([
  { key: 'topic', title: '选题', description: '选题理由充分，现状调查清楚，目标明确、可测量并有依据', max: 150 },
  { key: 'cause_analysis', title: '原因分析', description: '原因分析展开到末端，逐条确认要因并有数据依据', max: 300 },
  { key: 'countermeasures', title: '对策与实施', description: '针对要因制定对策表（5W1H），逐条实施并验证效果', max: 200 },
  { key: 'effect', title: '效果', description: '目标达成，效益计算实事求是，巩固措施和标准化到位', max: 200 },
  { key: 'report', title: '成果报告', description: '报告真实完整、逻辑清楚，以数据和图表说明问题', max: 50 },
  { key: 'features', title: '特点', description: '成果有特色和创新，统计方法运用恰当', max: 100 },
]);

const INNOVATION_MATERIAL = deepFreeze<RubricItem>([
  { key: 'topic', title: '选题', description: '创新需求明确，借鉴依据充分，目标明确并经可行性论证', max: 200 },
  { key: 'solution_selection', title: '提出方案并确定最佳方案', description: '提出多种方案，逐级评价比选，确定最佳方案', max: 300 },
  { key: 'countermeasures', title: '对策与实施', description: '按最佳方案制定对策表，逐项实施并验证效果', max: 200 },
  { key: 'effect', title: '效果', description: '检查目标完成情况，确认效益并做好标准化', max: 150 },
  { key: 'report', title: '成果报告', description: '报告真实完整、逻辑清楚，以数据和图表说明问题', max: 50 },
  { key: 'features', title: '特点', description: '成果有特色和创新，统计方法运用恰当', max: 100 },
]);

// An organizer's own presentation table. DOMAIN.md's example weighs 6/6/4/4/4/4 (28 points) "or scaled
// to 100"; scaled here, because every stage is scored out of 100 so that the stage weights
// (e.g. 60 % material + 40 % presentation) mean what they say.
const PRESENTATION = deepFreeze<RubricItem>([
  { key: 'logic', title: '逻辑性', description: '发表内容前后连贯，程序清楚', max: 220 },
  { key: 'professionalism', title: '专业性', description: '质量工具和专业技术运用正确', max: 220 },
  { key: 'format', title: '发布形式', description: '演示简洁清晰，图表直观', max: 140 },
  { key: 'expression', title: '表达', description: '语言清楚流畅，仪态自然', max: 140 },
  { key: 'answering', title: '回答问题', description: '回答评委提问准确、简明', max: 140 },
  { key: 'members_and_time', title: '成员与时间', description: '小组成员参与发表，在规定时间内完成', max: 140 },
]);

export const DEFAULT_RUBRICS = Object.freeze({
  material: Object.freeze({ problem_solving: PROBLEM_SOLVING_MATERIAL, innovation: INNOVATION_MATERIAL }),
  presentation: PRESENTATION,
});

/** A fresh, editable copy of the default rubric for a stage (and, for the material stage, an entry type). */
export function defaultRubric(stage: RubricStage, entryType: EntryType): RubricItem[] {
  const items = stage === 'material' ? DEFAULT_RUBRICS.material[entryType] : DEFAULT_RUBRICS.presentation;
  return items.map((item) => ({ ...item }));
}

/** Sum of the items' maxima, in tenths. */
export function rubricTotal(items: readonly RubricItem[]): number {
  return items.reduce((sum, item) => sum + item.max, 0);
}

/** "12.5" for 125 tenths; for display and exports. */
export function formatTenths(tenths: number): string {
  const sign = tenths < 0 ? '-' : '';
  const abs = Math.abs(tenths);
  const rest = abs % 10;
  return `${sign}${Math.floor(abs / 10)}${rest === 0 ? '' : `.${rest}`}`;
}

export interface RubricError {
  /** Index of the offending item, or absent for an error about the whole rubric. */
  index?: number;
  field: string;
  code: 'rubric_empty' | 'invalid_key' | 'duplicate_key' | 'title_required' | 'invalid_max' | 'total_not_positive';
  message: string;
}

export type RubricValidation = { ok: true; total: number } | { ok: false; errors: RubricError[] };

const SNAKE_CASE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

/** Checks a rubric an organizer edited: unique snake_case keys, titles, positive integer maxima (tenths). */
export function validateRubric(items: readonly RubricItem[]): RubricValidation {
  const errors: RubricError[] = [];
  if (!Array.isArray(items) || items.length === 0) {
    return { ok: false, errors: [{ field: 'items', code: 'rubric_empty', message: '评分表至少要有一个评分项' }] };
  }
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const key: unknown = item?.key;
    if (typeof key !== 'string' || key.length > 64 || !SNAKE_CASE.test(key)) {
      errors.push({ index, field: `items[${index}].key`, code: 'invalid_key', message: '评分项代码只能由小写字母、数字和下划线组成，并以字母开头' });
    } else if (seen.has(key)) {
      errors.push({ index, field: `items[${index}].key`, code: 'duplicate_key', message: `评分项代码「${key}」重复` });
    } else seen.add(key);
    const title: unknown = item?.title;
    if (typeof title !== 'string' || title.trim() === '') {
      errors.push({ index, field: `items[${index}].title`, code: 'title_required', message: '评分项名称不能为空' });
    }
    const max: unknown = item?.max;
    if (typeof max !== 'number' || !Number.isSafeInteger(max) || max <= 0) {
      errors.push({ index, field: `items[${index}].max`, code: 'invalid_max', message: '评分项满分应为正整数（以 0.1 分为单位）' });
    }
  });
  const total = items.reduce((sum, item) => sum + (typeof item?.max === 'number' && Number.isFinite(item.max) ? item.max : 0), 0);
  if (errors.length === 0 && total <= 0) {
    errors.push({ field: 'items', code: 'total_not_positive', message: '评分表总分应大于 0' });
  }
  return errors.length === 0 ? { ok: true, total } : { ok: false, errors };
}

export type MarkErrorCode = 'not_an_object' | 'required' | 'unknown_item' | 'not_a_number' | 'below_zero' | 'above_max' | 'too_many_decimals';

export interface MarkError {
  /** The item key ('' for the payload as a whole). */
  field: string;
  code: MarkErrorCode;
  message: string;
}

export type MarksValidation =
  | {
      ok: true;
      /** Marks in tenths, keyed by item key, in rubric order; items without a mark are absent. */
      marks: Record<string, number>;
      /** Server-computed total in tenths. */
      total: number;
      /** Items without a mark (only possible for a partial sheet). */
      missing: string[];
    }
  | { ok: false; errors: MarkError[] };

// At most one decimal, judged on the number's shortest round-trip form (String(12.3) === '12.3',
// String(12.34) === '12.34', String(1e-7) === '1e-7'), so float noise can neither hide nor invent digits.
const ONE_DECIMAL = /^(\d+)(?:\.(\d))?$/;

/**
 * The precision of a mark: points with at most this many decimals (tenths are what is stored). The
 * sheets say it to their clients (rubric.markDecimals), so that the expert's screen checks the same rule.
 */
export const MARK_DECIMALS = 1;

/**
 * Validates marks in points as a client sent them (`{ topic: 12.5, cause_analysis: 28 }`) against a
 * rubric. For a draft (`partial`), items may be missing; null counts as "no mark yet" either way.
 * Every field's problem is reported, one error per field.
 */
export function validateMarks(rubricItems: readonly RubricItem[], input: unknown, options: { partial?: boolean } = {}): MarksValidation {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ field: '', code: 'not_an_object', message: '评分应为「评分项代码: 分数」形式的对象' }] };
  }
  const values = input as Record<string, unknown>;
  const errors: MarkError[] = [];
  const known = new Set(rubricItems.map((item) => item.key));
  for (const key of Object.keys(values)) {
    if (!known.has(key)) errors.push({ field: key, code: 'unknown_item', message: `评分表中没有评分项「${key}」` });
  }
  const marks: Record<string, number> = {};
  const missing: string[] = [];
  let total = 0;
  for (const item of rubricItems) {
    const label = `「${item.title}」`;
    const value = Object.hasOwn(values, item.key) ? values[item.key] : undefined;
    if (value === undefined || value === null) {
      if (options.partial === true) missing.push(item.key);
      else errors.push({ field: item.key, code: 'required', message: `${label}尚未评分` });
      continue;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      errors.push({ field: item.key, code: 'not_a_number', message: `${label}的分数应为数字` });
      continue;
    }
    if (value < 0) {
      errors.push({ field: item.key, code: 'below_zero', message: `${label}的分数不能为负数` });
      continue;
    }
    // Exact tenths from the decimal form; only a value with more digits needs the float comparison.
    const match = ONE_DECIMAL.exec(String(value));
    const tenths = match === null ? null : Number(match[1]) * 10 + Number(match[2] ?? '0');
    if (tenths === null ? value * 10 > item.max : tenths > item.max) {
      errors.push({ field: item.key, code: 'above_max', message: `${label}的分数不能超过满分 ${formatTenths(item.max)} 分` });
      continue;
    }
    if (tenths === null) {
      errors.push({ field: item.key, code: 'too_many_decimals', message: `${label}的分数最多保留一位小数` });
      continue;
    }
    marks[item.key] = tenths;
    total += tenths;
  }
  return errors.length === 0 ? { ok: true, marks, total, missing } : { ok: false, errors };
}
