// The error catalogue of scoring: code → Chinese and English message. Registered in
// src/common/errors.ts MESSAGES, so `AppError.conflict('sheet_locked')` answers these texts.
import type { Text } from '../common/errors.js';

export const SCORING_ERRORS = {
  entry_absent: { zh: '该成果缺席现场发表，不评分', en: 'The entry was absent from its presentation: it is not scored' },
  session_signed_off: { zh: '该场次评分已由组长确认，不能再修改；如需修改请联系组委会重新开放评分表', en: 'The session was signed off; ask the organizer to reopen the sheet' },
  conflict_of_interest: { zh: '您与该成果存在利益冲突，须回避', en: 'You have a conflict of interest with this entry' },
  sheet_locked: { zh: '评分表已提交并锁定，不能修改；如需修改请联系组委会重新开放', en: 'The sheet is submitted and locked; only an organizer can reopen it' },
  stale_version: { zh: '评分表已在别处被修改，请刷新后重试', en: 'The sheet was changed elsewhere (stale lockVersion); reload and retry' },
  rubric_missing: { zh: '该成果类型和环节尚无评分表', en: 'There is no rubric for this entry type and stage' },
  sheet_not_submitted: { zh: '只有已提交的评分表才能重新开放', en: 'Only a submitted sheet can be reopened' },
  not_panel_leader: { zh: '只有本评审组组长才能确认本场次评分', en: 'Only the panel leader can sign off the session' },
  sheets_missing: { zh: '还有评分表未提交，不能确认', en: 'Some assigned score sheets are not submitted yet' },
  session_without_panel: { zh: '该场次尚未指定评审组', en: 'The session has no panel' },
} satisfies Record<string, Text>;

/**
 * `wrong_phase` is one code shared by every feature, each with its own text; scoring's is kept here
 * (not in the catalogue, where the shared code has one entry) until the shared wrongPhase(...) helper.
 */
export const SCORING_WRONG_PHASE: Text = { zh: '当前评比阶段不能评分（仅限现场发表阶段）', en: 'Scoring is only possible in the presentation phase' };
