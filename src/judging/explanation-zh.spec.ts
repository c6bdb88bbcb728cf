import { describe, expect, it } from '@jest/globals';
import { aggregateMarks as aggregate } from './aggregation.js';
import type { LevelReport } from './award-allocation.js';
import { EXPLANATION_CODES, explainEntryZh, points4, TEMPLATES, type EntryExplanationInput, type ResultsContext } from './explanation-zh.js';

const PARAMS = {
  stage: '材料评审', stages: '现场发表', count: 5, method: '取平均', score: '85.1234', fallback: 1, trimMinSheets: 5, normalized: 1,
  terms: '材料评审 80.0000 × 40%', rank: 3, decidedBy: '最终得分', tiedWith: '#7', level: '一等奖', scope: '全部成果', quota: 2,
  policy: '并列者均不获得该等级', minimum: '90.0000', awarded: 2, reason: '复核后调整',
};

const marks = (...totals: number[]) => totals.map((total, i) => ({ expertId: i + 1, total }));
const level = (l: LevelReport['level'], quota: number, awarded: number, closedBy: LevelReport['closedBy'], minimumScore: number | null = null): LevelReport =>
  ({ level: l, quota, awarded, exceededBy: 0, minimumScore, closedBy });

const ctx = (levels: LevelReport[], extra: Partial<ResultsContext> = {}): ResultsContext => ({
  weights: { material: 40, presentation: 60 }, trimMinSheets: 5, scope: 'overall', policy: 'exclude_all',
  scopes: [{ scope: 'overall', levels }], boundaryTies: [], ...extra,
});

function entry(over: Partial<EntryExplanationInput> = {}): EntryExplanationInput {
  return {
    entryId: 11, trackId: null, participation: 'judged',
    stages: {
      material: aggregate({ marks: marks(800, 820, 840), method: 'trimmed_mean', trimMinSheets: 5 }),
      presentation: aggregate({ marks: marks(850, 870, 900, 910, 880), method: 'trimmed_mean', trimMinSheets: 5 }),
    },
    finalScore: 852000, rank: 2, decidedBy: 'final_score', tiedWith: [], computedLevel: 'second', needsOrganizerDecision: false, adjustment: null,
    ...over,
  };
}

describe('the engine explanation in Chinese', () => {
  it('has a Chinese sentence for every code, with every placeholder filled', () => {
    expect(Object.keys(TEMPLATES).sort()).toEqual([...EXPLANATION_CODES].sort());
    for (const code of EXPLANATION_CODES) {
      const text = TEMPLATES[code](PARAMS);
      expect([code, /[\u4e00-\u9fff]/.test(text)]).toEqual([code, true]);
      expect(text).not.toMatch(/undefined|null|NaN|\$\{/);
      expect(text).toMatch(/。$/);
    }
  });

  it('explains stages, the final score, the place and each level considered', () => {
    const steps = explainEntryZh(entry(), ctx([level('first', 1, 1, 'quota_filled'), level('second', 2, 2, 'quota_filled'), level('third', 3, 0, 'no_more_entries'), level('excellence', 0, 0, 'no_more_entries')]));
    expect(steps.map((s) => s.code)).toEqual(['stage_score', 'stage_score', 'final_score', 'rank', 'level_filled', 'level_within_quota']);
    expect(steps.map((s) => s.text)).toEqual([
      '材料评审：3 位专家评分，取平均（评分不足 5 份，未去掉最高分和最低分），得 82.0000 分。',
      '现场发表：5 位专家评分，去掉一个最高分和一个最低分后取平均，得 88.3333 分。',
      '最终得分 = 材料评审 82.0000 × 40% + 现场发表 88.3333 × 60% = 85.2000 分（四舍五入到 0.0001）。',
      '排名第 2 名，与相邻成果的先后由最终得分决定。',
      '一等奖：名额已满（1 / 1）。',
      '二等奖：在名额内（全部成果共 2 个名额），获得二等奖。',
    ]);
  });

  it('says why an entry got no level: a minimum score, no quota, a tie at the boundary, then none', () => {
    const steps = explainEntryZh(entry({ computedLevel: null, needsOrganizerDecision: true, tiedWith: [12], rank: 4 }), ctx([
      level('first', 1, 1, 'quota_filled', 900000), level('second', 0, 0, 'no_more_entries'), level('third', 3, 2, 'boundary_tie'), level('excellence', 5, 0, 'minimum_score', 860000),
    ], { policy: 'report_only', boundaryTies: [{ scope: 'overall', level: 'third', policy: 'report_only', rank: 4, entryIds: [11, 12], seatsLeft: 1, outcome: 'fell_to_next_level', needsOrganizerDecision: true }] }));
    expect(steps.slice(4).map((s) => s.text)).toEqual([
      '一等奖：最终得分 85.2000 低于该等级的最低分 90.0000。',
      '二等奖：全部成果没有该等级的名额。',
      '三等奖：名额边界出现并列，按规则并列者暂不获得该等级，须组委会决定。',
      '优秀奖：最终得分 85.2000 低于该等级的最低分 86.0000。',
      '不在任何等级的名额内，未获奖。',
      '处于名额边界的并列之中，须组委会决定等级。',
    ]);
    expect(steps[3]).toMatchObject({ code: 'rank_tied', text: '与成果 #12 并列第 4 名：得分完全相同，尚未决定先后。' });
  });

  it('explains absence, withdrawal, a missing stage and an adjustment', () => {
    expect(explainEntryZh(entry({ participation: 'absent' }), ctx([])).map((s) => s.text)).toEqual(['未参加现场发表（缺席），不参加排名和评奖。']);
    expect(explainEntryZh(entry({ participation: 'withdrawn' }), ctx([]))[0].code).toBe('not_ranked_withdrawn');
    const missing = explainEntryZh(entry({ stages: { material: entry().stages.material, presentation: null }, finalScore: null, rank: null, computedLevel: null }), ctx([]));
    expect(missing.map((s) => s.text)).toEqual([
      '材料评审：3 位专家评分，取平均（评分不足 5 份，未去掉最高分和最低分），得 82.0000 分。',
      '现场发表：没有评分。', '缺少现场发表评分（该阶段权重大于 0），不能计算最终得分。', '评分不完整，不参加排名和评奖。',
    ]);
    const adjusted = explainEntryZh(entry({ adjustment: { level: 'first', reason: '复核后调整' } }), ctx([level('first', 1, 1, 'quota_filled'), level('second', 2, 2, 'quota_filled')]));
    expect(adjusted.at(-1)).toMatchObject({ code: 'level_adjusted', text: '组委会将等级调整为一等奖，原因：复核后调整。' });
  });

  it('writes points with four decimals', () => {
    expect([points4(852000), points4(5), points4(-12345)]).toEqual(['85.2000', '0.0005', '-1.2345']);
  });
});
