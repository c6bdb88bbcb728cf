// The error catalogue of scoring: code → Chinese and English message. Registered in
// src/common/errors.ts MESSAGES, so `AppError.conflict('sheet_locked')` answers these texts.
import type { Text } from '../common/errors.js';

export const SCORING_ERRORS = {
  sheet_locked: { zh: '评分表已提交并锁定，不能修改；如需修改请联系组委会重新开放', en: 'The sheet is submitted and locked; only an organizer can reopen it' },
  rubric_missing: { zh: '该成果类型和环节尚无评分表', en: 'There is no rubric for this entry type and stage' },
  sheet_not_submitted: { zh: '只有已提交的评分表才能重新开放', en: 'Only a submitted sheet can be reopened' },
  not_panel_leader: { zh: '只有本评审组组长才能确认本场次评分', en: 'Only the panel leader can sign off the session' },
} satisfies Record<string, Text>;

/**
 * Scoring's wording of codes another feature's catalogue defines (a code has one catalogue entry;
 * a throw site may pass its feature's own text): the expert reads these on the score sheet.
 */
export const SCORING_TEXTS = {
  entry_absent: { zh: '该成果缺席现场发表，不评分', en: 'The entry was absent from its presentation: it is not scored' },
  session_signed_off: { zh: '该场次评分已由组长确认，不能再修改；如需修改请联系组委会重新开放评分表', en: 'The session was signed off; ask the organizer to reopen the sheet' },
  conflict_of_interest: { zh: '您与该成果存在利益冲突，须回避', en: 'You have a conflict of interest with this entry' },
  stale_version: { zh: '评分表已在别处被修改，请刷新后重试', en: 'The sheet was changed elsewhere (stale lockVersion); reload and retry' },
  sheetsMissing: (count: number): Text => ({ zh: `还有评分表未提交，不能确认（${count} 张）`, en: `Some assigned score sheets are not submitted yet (${count})` }),
} satisfies Record<string, Text | ((...args: never[]) => Text)>;
