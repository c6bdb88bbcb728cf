/**
 * The engine's explanation in Chinese: one sentence per step or decision (each stage's score, the
 * final score, the place, every award level considered), from the structured results alone, so that
 * every client shows the same reason (issue 12). Pure templates: no Nest, no IO.
 *
 * The level steps replay award-allocation's rule for one entry from the scope's level reports (the
 * same order and the same tests), so the sentence says what the engine did, not a paraphrase of it.
 */
import { type Aggregation, type AggregationMethod, type Score4 } from './aggregation.js';
import type { AwardLevel, BoundaryTie, BoundaryTiePolicy, LevelReport } from './award-allocation.js';
import type { Stage } from './final-score.js';
import type { TieBreakStep } from './ranking.js';

export const EXPLANATION_CODES = [
  'stage_score', 'stage_missing', 'final_score', 'final_missing_stage', 'rank', 'rank_tied', 'not_ranked_absent', 'not_ranked_withdrawn',
  'not_ranked', 'level_within_quota', 'level_by_tie', 'level_excluded_by_tie', 'level_below_minimum', 'level_no_quota',
  'level_closed_by_tie', 'level_filled', 'level_none', 'level_needs_decision', 'level_adjusted',
] as const;
export type ExplanationCode = (typeof EXPLANATION_CODES)[number];

/** The values a sentence is made of (points as text with their decimals, ids, counts, Chinese names). */
export type ExplanationParams = Record<string, string | number>;

export interface ExplanationStep {
  code: ExplanationCode;
  params: ExplanationParams;
  /** The Chinese sentence. */
  text: string;
}

export const STAGE_ZH: Record<Stage, string> = { material: '材料评审', presentation: '现场发表' };
export const LEVEL_ZH: Record<AwardLevel, string> = { first: '一等奖', second: '二等奖', third: '三等奖', excellence: '优秀奖' };
export const METHOD_ZH: Record<AggregationMethod, string> = { trimmed_mean: '去掉一个最高分和一个最低分后取平均', mean: '取平均', median: '取中位数' };
export const STEP_ZH: Record<TieBreakStep, string> = {
  final_score: '最终得分', presentation_score: '现场发表得分', untrimmed_sum: '全部专家评分之和', organizer_decision: '组委会记录的并列排序', unresolved_tie: '尚未决定的并列',
};
export const POLICY_ZH: Record<BoundaryTiePolicy, string> = {
  include_all: '并列者全部获得该等级', exclude_all: '并列者均不获得该等级', report_only: '并列者暂不获得该等级，须组委会决定',
};

const s = (p: ExplanationParams, k: string) => String(p[k]);

/** Every code's sentence. */
export const TEMPLATES: Record<ExplanationCode, (p: ExplanationParams) => string> = {
  stage_score: (p) => `${s(p, 'stage')}：${s(p, 'count')} 位专家评分，${s(p, 'method')}${p.fallback ? `（评分不足 ${s(p, 'trimMinSheets')} 份，未去掉最高分和最低分）` : ''}${p.normalized ? '，并按专家尺度标准化' : ''}，得 ${s(p, 'score')} 分。`,
  stage_missing: (p) => `${s(p, 'stage')}：没有评分。`,
  final_score: (p) => `最终得分 = ${s(p, 'terms')} = ${s(p, 'score')} 分（四舍五入到 0.0001）。`,
  final_missing_stage: (p) => `缺少${s(p, 'stages')}评分（该阶段权重大于 0），不能计算最终得分。`,
  rank: (p) => `排名第 ${s(p, 'rank')} 名，与相邻成果的先后由${s(p, 'decidedBy')}决定。`,
  rank_tied: (p) => `与成果 ${s(p, 'tiedWith')} 并列第 ${s(p, 'rank')} 名：得分完全相同，尚未决定先后。`,
  not_ranked_absent: () => '未参加现场发表（缺席），不参加排名和评奖。',
  not_ranked_withdrawn: () => '已撤回，不参加排名和评奖。',
  not_ranked: () => '评分不完整，不参加排名和评奖。',
  level_within_quota: (p) => `${s(p, 'level')}：在名额内（${s(p, 'scope')}共 ${s(p, 'quota')} 个名额），获得${s(p, 'level')}。`,
  level_by_tie: (p) => `${s(p, 'level')}：名额边界出现并列，按规则${POLICY_ZH.include_all}，获得${s(p, 'level')}。`,
  level_excluded_by_tie: (p) => `${s(p, 'level')}：名额边界出现并列，按规则${s(p, 'policy')}。`,
  level_below_minimum: (p) => `${s(p, 'level')}：最终得分 ${s(p, 'score')} 低于该等级的最低分 ${s(p, 'minimum')}。`,
  level_no_quota: (p) => `${s(p, 'level')}：${s(p, 'scope')}没有该等级的名额。`,
  level_closed_by_tie: (p) => `${s(p, 'level')}：名额在边界并列处截止。`,
  level_filled: (p) => `${s(p, 'level')}：名额已满（${s(p, 'awarded')} / ${s(p, 'quota')}）。`,
  level_none: () => '不在任何等级的名额内，未获奖。',
  level_needs_decision: () => '处于名额边界的并列之中，须组委会决定等级。',
  level_adjusted: (p) => `组委会将等级调整为${s(p, 'level')}，原因：${s(p, 'reason')}。`,
};

export function step(code: ExplanationCode, params: ExplanationParams = {}): ExplanationStep {
  return { code, params, text: TEMPLATES[code](params) };
}

export interface EntryExplanationInput {
  entryId: number;
  trackId: number | null;
  participation: 'judged' | 'absent' | 'withdrawn';
  stages: Record<Stage, Aggregation | null>;
  finalScore: Score4 | null;
  rank: number | null;
  decidedBy: TieBreakStep | null;
  tiedWith: number[];
  computedLevel: AwardLevel | null;
  needsOrganizerDecision: boolean;
  /** The level shown, when an organizer's adjustment changed it. */
  adjustment: { level: AwardLevel | null; reason: string } | null;
}

export interface ResultsContext {
  /** Stage weights in per cent. */
  weights: Record<Stage, number>;
  trimMinSheets: number;
  scope: 'overall' | 'per_track';
  policy: BoundaryTiePolicy;
  /** The level reports of each scope ('overall' or 'track:<id>'). */
  scopes: { scope: string; levels: LevelReport[] }[];
  boundaryTies: BoundaryTie[];
}

const STAGES: readonly Stage[] = ['material', 'presentation'];

/** Points with exactly four decimals, as the screens and exports show a final score (853456 → "85.3456"). */
export function points4(v: Score4): string {
  const abs = Math.abs(v);
  return `${v < 0 ? '-' : ''}${Math.floor(abs / 10000)}.${String(abs % 10000).padStart(4, '0')}`;
}

/** The entry's explanation, step by step, in Chinese. */
export function explainEntryZh(e: EntryExplanationInput, ctx: ResultsContext): ExplanationStep[] {
  if (e.participation === 'absent') return [step('not_ranked_absent')];
  if (e.participation === 'withdrawn') return [step('not_ranked_withdrawn')];
  const out: ExplanationStep[] = [];
  for (const st of STAGES) {
    const a = e.stages[st];
    if (!a) {
      if (ctx.weights[st] > 0) out.push(step('stage_missing', { stage: STAGE_ZH[st] }));
      continue;
    }
    out.push(step('stage_score', {
      stage: STAGE_ZH[st], count: a.count, method: METHOD_ZH[a.method], score: points4(a.value),
      fallback: a.method !== a.requestedMethod ? 1 : 0, trimMinSheets: ctx.trimMinSheets, normalized: a.normalized ? 1 : 0,
    }));
  }
  if (e.finalScore === null) {
    const missing = STAGES.filter((st) => !e.stages[st] && ctx.weights[st] > 0).map((st) => STAGE_ZH[st]);
    out.push(step(missing.length ? 'final_missing_stage' : 'not_ranked', missing.length ? { stages: missing.join('和') } : {}));
    if (missing.length) out.push(step('not_ranked'));
    return out;
  }
  const terms = STAGES.filter((st) => e.stages[st] && ctx.weights[st] > 0)
    .map((st) => `${STAGE_ZH[st]} ${points4(e.stages[st]!.value)} × ${ctx.weights[st]}%`).join(' + ');
  out.push(step('final_score', { terms, score: points4(e.finalScore) }));
  if (e.rank === null) {
    out.push(step('not_ranked'));
    return out;
  }
  out.push(e.tiedWith.length
    ? step('rank_tied', { rank: e.rank, tiedWith: e.tiedWith.map((id) => `#${id}`).join('、') })
    : step('rank', { rank: e.rank, decidedBy: STEP_ZH[e.decidedBy ?? 'final_score'] }));
  out.push(...levelSteps(e, ctx));
  if (e.needsOrganizerDecision) out.push(step('level_needs_decision'));
  if (e.adjustment) out.push(step('level_adjusted', { level: e.adjustment.level ? LEVEL_ZH[e.adjustment.level] : '不获奖', reason: e.adjustment.reason }));
  return out;
}

/** Level by level, what the allocation did with this entry (see award-allocation's loop). */
function levelSteps(e: EntryExplanationInput, ctx: ResultsContext): ExplanationStep[] {
  const key = ctx.scope === 'overall' ? 'overall' : `track:${e.trackId ?? 0}`;
  const scopeName = ctx.scope === 'overall' ? '全部成果' : '本分组';
  const report = ctx.scopes.find((x) => x.scope === key);
  const score = e.finalScore as Score4;
  const out: ExplanationStep[] = [];
  for (const r of report?.levels ?? []) {
    const level = LEVEL_ZH[r.level];
    const tie = ctx.boundaryTies.find((t) => t.scope === key && t.level === r.level && t.entryIds.includes(e.entryId));
    if (e.computedLevel === r.level) {
      out.push(tie && tie.outcome === 'all_awarded' ? step('level_by_tie', { level }) : step('level_within_quota', { level, scope: scopeName, quota: r.quota }));
      return out;
    }
    if (tie && tie.outcome === 'fell_to_next_level') out.push(step('level_excluded_by_tie', { level, policy: POLICY_ZH[tie.policy] }));
    else if (r.minimumScore !== null && score < r.minimumScore) out.push(step('level_below_minimum', { level, score: points4(score), minimum: points4(r.minimumScore) }));
    else if (r.quota === 0) out.push(step('level_no_quota', { level, scope: scopeName }));
    else if (r.closedBy === 'boundary_tie') out.push(step('level_closed_by_tie', { level }));
    else out.push(step('level_filled', { level, awarded: r.awarded, quota: r.quota }));
  }
  out.push(step('level_none'));
  return out;
}
