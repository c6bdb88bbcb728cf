import type { EntryType } from './contest.entities.js';
import { DEFAULT_TIE_BREAK_CHAIN, TIE_BREAK_CRITERIA, tieBreakChainErrors, type TieBreakCriterion } from '../judging/ranking.js';

export type Level = 'first' | 'second' | 'third' | 'excellence';
export const LEVELS: Level[] = ['first', 'second', 'third', 'excellence'];

export interface ChecklistItem {
  key: string;
  title: string;
}

/** The contest's judging rules, stored as one JSON document and versioned with the contest. */
export interface ContestRules {
  allowedEntryTypes: EntryType[];
  /** integer percent, sums to 100 */
  stageWeights: { material: number; presentation: number };
  aggregation: { method: 'trimmed_mean' | 'mean' | 'median'; trimMinSheets: number; normalizeByJudge: boolean };
  quotas:
    | { mode: 'count'; scope: 'overall' | 'per_track'; counts: Record<Level, number> }
    | { mode: 'ratio'; scope: 'overall' | 'per_track'; ratios: Record<Level, number> /* per-mille */ };
  /** Minimum final score per level, in points (null: none). */
  minScores: Record<Level, number | null>;
  boundaryTiePolicy: 'include_all' | 'exclude_all' | 'report_only';
  /**
   * 并列名次的判定顺序: the criteria that separate equal final scores, in order (a subset of
   * TIE_BREAK_CRITERIA, no repeats); entries still equal share the rank. Contests stored before this
   * rule have none: read as DEFAULT_TIE_BREAK_CHAIN (withRuleDefaults), the chain that applied then.
   */
  tieBreakChain: TieBreakCriterion[];
  excellentUnits: { pointsPerLevel: Record<Level, number>; minEntries: number; topN: number };
  caps: { entriesPerEnterprise: number; recommendedPerUnit: number; maxTeamMembers: number };
  /** The preliminary-review checklist. */
  reviewChecklist: ChecklistItem[];
  /** Earliest allowed start of an activity period, 'YYYY-MM-DD' (null: any). */
  activityNotBefore: string | null;
  showScoresPublicly: boolean;
  /** 荣誉证书 name the team's members (组长 first) under the team (default false: team name only, as before). */
  certificateTeamMembers: boolean;
}

export function defaultRules(): ContestRules {
  return {
    allowedEntryTypes: ['problem_solving', 'innovation'],
    stageWeights: { material: 60, presentation: 40 },
    aggregation: { method: 'trimmed_mean', trimMinSheets: 5, normalizeByJudge: false },
    quotas: { mode: 'count', scope: 'overall', counts: { first: 14, second: 26, third: 32, excellence: 45 } },
    minScores: { first: null, second: null, third: null, excellence: null },
    boundaryTiePolicy: 'include_all',
    tieBreakChain: [...DEFAULT_TIE_BREAK_CHAIN],
    excellentUnits: { pointsPerLevel: { first: 10, second: 6, third: 3, excellence: 1 }, minEntries: 1, topN: 5 },
    caps: { entriesPerEnterprise: 5, recommendedPerUnit: 30, maxTeamMembers: 15 },
    reviewChecklist: [
      { key: 'materials_complete', title: '材料齐全（成果报告等）' },
      { key: 'activity_period', title: '活动时间在规定范围内' },
      { key: 'report_length', title: '成果报告篇幅符合要求' },
      { key: 'type_fits', title: '课题类型与内容相符' },
      { key: 'not_repeated', title: '非往届已获奖成果' },
    ],
    activityNotBefore: null,
    showScoresPublicly: false,
    certificateTeamMembers: false,
  };
}

/** Rules as stored, with the keys added since filled with their defaults (a stored contest may predate them). */
export function withRuleDefaults(rules: ContestRules): ContestRules {
  return { ...defaultRules(), ...rules };
}

export interface RuleError {
  field: string;
  code: string;
  message: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/**
 * Applies an organizer's partial change to the rules and validates the result as a whole.
 * Unknown keys are refused, like unknown fields anywhere in the API.
 */
export function mergeRules(base: ContestRules, patch: unknown): { rules: ContestRules; errors: RuleError[] } {
  const errors: RuleError[] = [];
  const err = (field: string, code: string, message: string) => errors.push({ field: `rules.${field}`, code, message });
  if (patch === undefined) return { rules: base, errors };
  if (!isObj(patch)) return { rules: base, errors: [{ field: 'rules', code: 'is_object', message: '规则必须是对象' }] };

  // Rules stored before a key existed get its default (tieBreakChain, certificateTeamMembers, …), so it can be set.
  const rules: ContestRules = structuredClone(withRuleDefaults(base));
  const known = Object.keys(defaultRules());
  for (const key of Object.keys(patch)) if (!known.includes(key)) err(key, 'unknown_field', '不允许的字段');
  const p = patch as Partial<Record<keyof ContestRules, unknown>>;

  if (p.allowedEntryTypes !== undefined) {
    const v = p.allowedEntryTypes;
    if (!Array.isArray(v) || v.length === 0 || v.some((t) => t !== 'problem_solving' && t !== 'innovation') || new Set(v).size !== v.length) {
      err('allowedEntryTypes', 'invalid', '成果类型只能是 problem_solving、innovation，且不能为空或重复');
    } else rules.allowedEntryTypes = v as EntryType[];
  }
  if (p.stageWeights !== undefined) {
    const v = p.stageWeights;
    if (!isObj(v) || !isInt(v.material, 0, 100) || !isInt(v.presentation, 0, 100) || Object.keys(v).length !== 2 || v.material + v.presentation !== 100) {
      err('stageWeights', 'weights_not_100', '材料评审与现场发表的权重为整数百分比，合计 100');
    } else rules.stageWeights = { material: v.material, presentation: v.presentation };
  }
  if (p.aggregation !== undefined) {
    const v = p.aggregation;
    const merged = isObj(v) ? { ...rules.aggregation, ...v } : null;
    if (!merged || !['trimmed_mean', 'mean', 'median'].includes(merged.method as string) || !isInt(merged.trimMinSheets, 3, 100) || typeof merged.normalizeByJudge !== 'boolean' || Object.keys(merged).length !== 3) {
      err('aggregation', 'invalid', '汇总方法为 trimmed_mean、mean 或 median；去掉最高最低分的最少评分表数为 3–100 的整数');
    } else rules.aggregation = merged as ContestRules['aggregation'];
  }
  const levelMap = (v: unknown, min: number, max: number, nullable = false): v is Record<Level, number> =>
    isObj(v) && Object.keys(v).length === 4 && LEVELS.every((l) => (nullable && v[l] === null) || isInt(v[l], min, max));
  if (p.quotas !== undefined) {
    const v = p.quotas;
    if (!isObj(v) || !['overall', 'per_track'].includes(v.scope as string)) {
      err('quotas', 'invalid', '名额设置无效：scope 为 overall 或 per_track');
    } else if (v.mode === 'count' && levelMap(v.counts, 0, 100000) && Object.keys(v).length === 3) {
      rules.quotas = { mode: 'count', scope: v.scope as 'overall', counts: { ...v.counts } };
    } else if (v.mode === 'ratio' && levelMap(v.ratios, 0, 1000) && Object.keys(v).length === 3 && LEVELS.reduce((s, l) => s + (v.ratios as Record<Level, number>)[l], 0) <= 1000) {
      rules.quotas = { mode: 'ratio', scope: v.scope as 'overall', ratios: { ...(v.ratios as Record<Level, number>) } };
    } else {
      err('quotas', 'invalid', '名额为各等级的数量（mode=count, counts）或千分比（mode=ratio, ratios，合计不超过 1000）');
    }
  }
  if (p.minScores !== undefined) {
    if (!levelMap(p.minScores, 0, 100, true)) err('minScores', 'invalid', '各等级最低分为 0–100 的整数或 null');
    else rules.minScores = { ...(p.minScores as Record<Level, number | null>) };
  }
  if (p.boundaryTiePolicy !== undefined) {
    if (!['include_all', 'exclude_all', 'report_only'].includes(p.boundaryTiePolicy as string)) err('boundaryTiePolicy', 'is_in', '名额边界并列的处理为 include_all、exclude_all 或 report_only');
    else rules.boundaryTiePolicy = p.boundaryTiePolicy as ContestRules['boundaryTiePolicy'];
  }
  if (p.tieBreakChain !== undefined) {
    const problems = tieBreakChainErrors(p.tieBreakChain);
    const first = problems[0];
    if (!first) rules.tieBreakChain = [...(p.tieBreakChain as TieBreakCriterion[])];
    else if (first.code === 'not_array') err('tieBreakChain', 'not_array', '并列名次判定顺序应为判定依据的有序列表');
    else if (first.code === 'unknown_criterion') err(`tieBreakChain.${first.index}`, 'unknown_criterion', `未知的判定依据，只能是 ${TIE_BREAK_CRITERIA.join('、')}`);
    else err(`tieBreakChain.${first.index}`, 'duplicate_criterion', '同一判定依据只能出现一次');
  }
  if (p.excellentUnits !== undefined) {
    const v = p.excellentUnits;
    const merged = isObj(v) ? { ...rules.excellentUnits, ...v } : null;
    if (!merged || !levelMap(merged.pointsPerLevel, 0, 1000) || !isInt(merged.minEntries, 0, 10000) || !isInt(merged.topN, 0, 1000) || Object.keys(merged).length !== 3) {
      err('excellentUnits', 'invalid', '优秀推荐单位：各等级积分、最少获奖成果数与名额均为非负整数');
    } else rules.excellentUnits = merged as ContestRules['excellentUnits'];
  }
  if (p.caps !== undefined) {
    const v = p.caps;
    const merged = isObj(v) ? { ...rules.caps, ...v } : null;
    if (!merged || !isInt(merged.entriesPerEnterprise, 1, 1000) || !isInt(merged.recommendedPerUnit, 1, 100000) || !isInt(merged.maxTeamMembers, 1, 100) || Object.keys(merged).length !== 3) {
      err('caps', 'invalid', '上限为正整数：每家企业成果数、每个推荐单位推荐数、小组成员数（≤100）');
    } else rules.caps = merged as ContestRules['caps'];
  }
  if (p.reviewChecklist !== undefined) {
    const v = p.reviewChecklist;
    const keyOk = (k: unknown) => typeof k === 'string' && /^[a-z][a-z0-9_]{0,63}$/.test(k);
    if (!Array.isArray(v) || v.length > 30 || v.some((i) => !isObj(i) || !keyOk(i.key) || typeof i.title !== 'string' || !i.title.trim() || i.title.length > 200 || Object.keys(i).length !== 2) || new Set(v.map((i) => (i as ChecklistItem).key)).size !== v.length) {
      err('reviewChecklist', 'invalid', '初审检查项为 {key, title} 列表，key 唯一（小写字母、数字、下划线），最多 30 项');
    } else rules.reviewChecklist = v.map((i) => ({ key: (i as ChecklistItem).key, title: (i as ChecklistItem).title }));
  }
  if (p.activityNotBefore !== undefined) {
    const v = p.activityNotBefore;
    if (v !== null && !(typeof v === 'string' && isIsoDate(v))) err('activityNotBefore', 'is_date', '日期格式应为 YYYY-MM-DD');
    else rules.activityNotBefore = v;
  }
  if (p.certificateTeamMembers !== undefined) {
    if (typeof p.certificateTeamMembers !== 'boolean') err('certificateTeamMembers', 'is_boolean', '必须是布尔值');
    else rules.certificateTeamMembers = p.certificateTeamMembers;
  }
  if (p.showScoresPublicly !== undefined) {
    if (typeof p.showScoresPublicly !== 'boolean') err('showScoresPublicly', 'is_boolean', '必须是布尔值');
    else rules.showScoresPublicly = p.showScoresPublicly;
  }
  return { rules, errors };
}

/** A real calendar date in 'YYYY-MM-DD' form. */
export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
