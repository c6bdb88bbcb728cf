/**
 * The results feature's error catalogue (code → Chinese and English message), registered in
 * common/errors.ts MESSAGES. Services throw with the code only (`AppError.conflict('results_frozen')`);
 * what varies (counts, hashes, the sheets missing) goes into the error's `details`.
 */
import type { Text } from '../common/errors.js';

export const RESULTS_ERRORS = {
  results_not_computed: { zh: '尚未计算评审结果，请先计算', en: 'The results have not been computed; compute them first' },
  results_frozen: { zh: '评审结果已锁定，公示前不能再计算或调整', en: 'The results are frozen; they cannot be recomputed or adjusted before the notice' },
  results_not_frozen: { zh: '没有已锁定的公示结果，不能发布', en: 'There is no frozen result to publish' },
  results_outdated: { zh: '评分或调整在计算后有变化，请重新计算后再锁定', en: 'Sheets or adjustments changed since the computation; recompute before freezing' },
  results_unchanged: { zh: '新结果与已发布结果相同，无需重新发布', en: 'The recomputed result equals the published one' },
  results_not_published: { zh: '评审结果尚未正式发布（发布后方可更正结果或下载荣誉证书）', en: 'The results are not published yet (corrections and certificates come after publication)' },
  sheets_missing: { zh: '还有已分配的评分表未提交，不能计算结果（见 details.count 与 details.sheets）', en: 'Assigned score sheets are not submitted (see details.count and details.sheets)' },
  ties_unresolved: { zh: '还有名额边界并列未作决定（请记录并列排序或调整等级；见 details.boundaryTies）', en: "Boundary ties still need the organizer's decision (see details.boundaryTies)" },
  entry_not_judged: { zh: '缺席或已撤回的成果不能评定等级', en: 'An absent or withdrawn entry cannot be given a level' },
  objections_closed: { zh: '公示期已结束，不再受理异议', en: 'Objections are accepted only during the notice period' },
  objection_already_answered: { zh: '该异议已答复', en: 'The objection is already answered' },
  certificate_not_found: { zh: '没有该荣誉证书（未获奖或不在发布名单中）', en: 'No such certificate (not awarded, or not on the published list)' },
  session_not_signed_off: {
    zh: '该场次尚未由评审组组长确认（或确认后有评分表被重新开放），组长确认后才能生成评分汇总表',
    en: 'The session is not signed off (or a sheet was reopened after the sign-off); the summary is available once the panel leader signs off',
  },
} satisfies Record<string, Text>;

/** Field-level texts of the results routes (rendered as { field, code, message }). */
export const RESULTS_FIELD_ERRORS = {
  /** tieBreakOrder: the ids that are not judged in the contest. */
  unknown_entry: (ids: readonly number[]): Text => ({ zh: `成果 ${ids.join('、')} 不在本次参评成果中`, en: `Entries ${ids.join(', ')} are not judged in this contest` }),
  not_in_results: { zh: '该成果不在本次评审结果中', en: 'The entry is not in these results' } satisfies Text,
  not_in_notice: { zh: '该成果不在公示名单所列的参评成果中', en: 'The entry is not among the entries of the notice' } satisfies Text,
};

export type ResultsErrorCode = keyof typeof RESULTS_ERRORS;
