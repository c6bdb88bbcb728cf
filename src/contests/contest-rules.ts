import type { EntryType } from './contest.entities.js';

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
  excellentUnits: { pointsPerLevel: Record<Level, number>; minEntries: number; topN: number };
  caps: { entriesPerEnterprise: number; recommendedPerUnit: number; maxTeamMembers: number };
  /** The preliminary-review checklist. */
  reviewChecklist: ChecklistItem[];
  /** Earliest allowed start of an activity period, 'YYYY-MM-DD' (null: any). */
  activityNotBefore: string | null;
  showScoresPublicly: boolean;
}

export function defaultRules(): ContestRules {
  return {
    allowedEntryTypes: ['problem_solving', 'innovation'],
    stageWeights: { material: 60, presentation: 40 },
    aggregation: { method: 'trimmed_mean', trimMinSheets: 5, normalizeByJudge: false },
    quotas: { mode: 'count', scope: 'overall', counts: { first: 14, second: 26, third: 32, excellence: 45 } },
    minScores: { first: null, second: null, third: null, excellence: null },
    boundaryTiePolicy: 'include_all',
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
  };
}
