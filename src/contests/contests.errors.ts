// The contests feature's error catalogue (contests, rules, rubrics, tracks, phases): code → Chinese
// and English text, and the texts with values as functions (see src/common/errors.ts).
import type { Text } from '../common/errors.js';

export const CONTESTS_ERRORS = {
  calendar_frozen: { zh: '材料初审开始后不能再修改申报时间', en: 'The submission window cannot change once review has started' },
  track_name_taken: { zh: '本次评比已有同名分组', en: 'A track of this name exists in the contest' },
  phase_blocked: { zh: '不能进入该阶段', en: 'The contest cannot move to this phase' },
  phase_changed_concurrently: { zh: '评比阶段已被他人修改，请刷新后重试', en: 'The phase was changed concurrently; reload and retry' },
  rules_frozen: { zh: '现场发表开始后评比规则、评分表和分组已冻结', en: 'Rules, rubrics and tracks are frozen once presentation has started' },
} satisfies Record<string, Text>;

export const CONTESTS_TEXTS = {
  recommendationDeadlineFrozen: { zh: '材料初审结束后不能再修改推荐截止时间', en: 'The recommendation deadline cannot change once review is over' },
  reviewDeadlineFrozen: { zh: '材料初审结束后不能再修改初审截止时间', en: 'The review deadline cannot change once review is over' },
  noticeShortenedWithoutReason: { zh: '缩短公示期须说明理由', en: 'Shortening the notice needs a reason' },
  rubricTotalNot100: (total: number): Text => ({ zh: `评分表各项满分之和应为 100 分（现为 ${total} 分）`, en: `The items must add up to 100 points (now ${total})` }),
  phaseBlocked: (to: string, messages: string[], codes: string[]): Text => ({ zh: `不能进入该阶段：${messages.join('；')}`, en: `The contest cannot move to ${to}: ${codes.join(', ')}` }),
  rulesFrozen: (phase: string): Text => ({ zh: '现场发表开始后评比规则、评分表和分组已冻结', en: `Rules, rubrics and tracks are frozen in phase ${phase}` }),
} as const;
