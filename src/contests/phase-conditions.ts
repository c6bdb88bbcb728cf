// The preconditions of entering each phase, as a checklist for the organizer's desk: every
// condition the phase rules (src/judging/contest-phase.ts) check, stated positively, with the
// blocker codes that mean it is not met. Blockers the table does not name (e.g. `fact_missing`)
// are listed as unmet conditions of their own, so nothing the rules report is ever hidden.
import type { PhaseBlocker } from '../judging/contest-phase.js';
import type { Phase } from './contest.entities.js';

interface Condition {
  key: string;
  label: string;
  /** Blocker codes that mean this condition is unmet. */
  codes: string[];
}

const WINDOW = 'submission_window_not_set';
const NOTICE = 'notice_period_not_set';

export const PHASE_CONDITIONS: Record<Exclude<Phase, 'draft'>, Condition[]> = {
  open: [
    { key: 'rubrics', label: '已为各成果类型和发表环节设置评分表', codes: ['rubrics_missing'] },
    { key: 'submission_window', label: '已设置成果申报起止时间', codes: [WINDOW] },
    { key: 'deadline_ahead', label: '申报截止时间尚未到', codes: ['submission_deadline_passed'] },
  ],
  review: [
    { key: 'deadline_reached', label: '申报截止时间已到', codes: ['submission_deadline_not_reached', WINDOW] },
    { key: 'recommended_entries', label: '有经推荐单位推荐的成果', codes: ['no_recommended_entries'] },
  ],
  presentation: [
    { key: 'reviews_decided', label: '所有待初审成果均已作出结论', codes: ['reviews_undecided'] },
    { key: 'review_closed', label: '没有退回修改后仍无最终结论的成果（或已结束初审）', codes: ['review_not_closed'] },
    { key: 'sessions_scheduled', label: '通过初审的成果均已安排发表场次和评审组', codes: ['sessions_not_scheduled'] },
  ],
  finalizing: [
    { key: 'presentations_recorded', label: '所有成果均已记录发表或缺席', codes: ['presentations_pending'] },
    { key: 'sheets_submitted', label: '所有评分表均已提交', codes: ['score_sheets_missing'] },
    { key: 'panels_signed_off', label: '各评审组组长均已确认评分', codes: ['panels_not_signed_off'] },
  ],
  notice: [
    { key: 'results_frozen', label: '评审结果已计算并锁定', codes: ['results_not_frozen'] },
    { key: 'ties_resolved', label: '名额边界并列均已作出决定', codes: ['ties_unresolved'] },
    { key: 'notice_end_future', label: '公示截止时间晚于当前时间', codes: ['notice_end_not_in_future', NOTICE] },
  ],
  published: [
    { key: 'notice_over', label: '公示期已结束', codes: ['notice_period_not_over', NOTICE] },
    { key: 'objections_answered', label: '所有异议均已答复', codes: ['objections_open'] },
  ],
  archived: [],
};

export interface PhaseCondition {
  key: string;
  label: string;
  met: boolean;
  /** The blockers' explanations when unmet (e.g. 还有 3 项成果未作出初审结论). */
  message: string | null;
  count: number | null;
}

/** The conditions of entering `next`, each met or not, from the blockers the phase rules reported. */
export function phaseConditions(next: Phase | null, blockers: PhaseBlocker[]): PhaseCondition[] {
  if (!next || next === 'draft') return [];
  const used = new Set<PhaseBlocker>();
  const out: PhaseCondition[] = PHASE_CONDITIONS[next].map((c) => {
    const mine = blockers.filter((b) => c.codes.includes(b.code));
    for (const b of mine) used.add(b);
    const count = mine.find((b) => b.count !== undefined)?.count ?? null;
    return { key: c.key, label: c.label, met: mine.length === 0, message: mine.length ? mine.map((b) => b.message).join('；') : null, count };
  });
  for (const b of blockers.filter((x) => !used.has(x))) {
    out.push({ key: b.code, label: b.message, met: false, message: b.message, count: b.count ?? null });
  }
  return out;
}
