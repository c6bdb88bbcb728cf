// The entries feature's error catalogue (entries, teams, attachments, recommendation): code →
// Chinese and English text, and the texts with values as functions (see src/common/errors.ts).
// Pure: the entry rules use it too.
import type { Text } from '../common/errors.js';

export const ENTRIES_ERRORS = {
  enterprise_not_approved: { zh: '企业尚未通过审核，不能申报成果', en: 'The enterprise has not been approved yet' },
  entry_not_editable: { zh: '该成果当前不能修改（仅草稿或退回修改的成果在相应阶段可修改）', en: 'The entry cannot be changed now' },
  stale_version: { zh: '该成果已被修改，请刷新后再试', en: 'The entry was changed meanwhile; reload it and try again' },
  enterprise_entry_cap: { zh: '企业在本次评比中申报的成果已达上限', en: 'The enterprise has reached its entry cap in this contest' },
  // Submission refusals (entry-rules.ts: submission)
  entry_not_submittable: { zh: '该成果当前状态不能提交', en: 'The entry cannot be submitted in its current status' },
  contest_not_open: { zh: '评比活动未处于申报阶段', en: 'The contest is not open for entries' },
  submission_not_open: { zh: '成果申报尚未开始', en: 'Submission has not opened yet' },
  submission_closed: { zh: '成果申报已截止', en: 'The submission deadline has passed' },
  resubmission_closed: { zh: '当前阶段不能重新提交退回的成果', en: 'Returned entries cannot be resubmitted in this phase' },
  entry_incomplete: { zh: '成果信息不完整，不能提交', en: 'The entry is incomplete and cannot be submitted' },
  entry_not_withdrawable: { zh: '该成果已有初审结论或已结束，不能撤回', en: 'The entry can no longer be withdrawn' },
  // Recommendation (the unit)
  entry_not_recommendable: {
    zh: '只能在申报或初审阶段对已提交、尚未处理的成果作出推荐决定',
    en: 'Only submitted entries without a decision can be recommended or declined, while the contest is open or in review',
  },
  recommendation_deadline_passed: { zh: '推荐已截止，不能再作出推荐决定', en: 'The recommendation deadline has passed' },
  unit_recommend_cap: { zh: '推荐单位在本次评比中推荐的成果已达上限', en: 'The unit has reached its recommendation cap in this contest' },
  unit_deactivated: { zh: '该推荐单位已停用，不能作出推荐决定', en: 'The recommending unit is deactivated and cannot recommend' },
  // The status lifecycle (entry-status-rules.ts, entry-transitions.service.ts)
  entry_transition_refused: { zh: '该成果当前状态或评比阶段不允许此操作', en: 'The entry cannot take this step in its status and the contest phase' },
  entry_changed_concurrently: { zh: '成果已被他人修改，请刷新后重试', en: 'The entry was changed concurrently; reload and retry' },
  // Attachments
  too_many_parts: { zh: '每次只能上传一个文件', en: 'Send one file and the field kind only' },
  malformed_multipart: { zh: '上传的表单数据不完整或格式错误', en: 'The multipart body is malformed' },
  file_too_large: { zh: '文件超过大小上限', en: 'The file exceeds the size limit' },
  file_name_invalid: { zh: '文件名无效（不能含路径、控制字符，且不超过 255 个字符）', en: 'Invalid file name (no paths or control characters, at most 255 characters)' },
  file_empty: { zh: '文件为空', en: 'The file is empty' },
  file_type_not_allowed: { zh: '该类附件不接受此文件类型（按文件内容判断）', en: 'This kind does not accept this file type (judged by content)' },
  invalid_pdf: { zh: '文件不是完整有效的 PDF（可能已损坏或被截断），请重新导出后上传', en: 'The file is not a complete, valid PDF (damaged or truncated); export it again and upload' },
} satisfies Record<string, Text>;

/** Texts with values, variants, and the field-level texts of the feature. */
export const ENTRIES_TEXTS = {
  attachmentNotEditable: { zh: '该成果当前不能修改（仅草稿或退回修改的成果在相应阶段可上传附件）', en: 'The entry cannot be changed now' },
  enterpriseEntryCap: (cap: number): Text => ({ zh: `每家企业在本次评比中最多申报 ${cap} 项成果`, en: `At most ${cap} entries per enterprise in this contest` }),
  unitRecommendCap: (cap: number): Text => ({ zh: `每个推荐单位在本次评比中最多推荐 ${cap} 项成果`, en: `At most ${cap} recommended entries per unit in this contest` }),
  /** `missing`: the Chinese labels of what is missing (from missingForSubmission). */
  entryIncomplete: (missing: string[]): Text => ({ zh: `成果信息不完整，不能提交：${missing.join('、')}`, en: 'The entry is incomplete and cannot be submitted' }),
  /** `deadlineCst`: the deadline in China Standard Time, 'YYYY-MM-DD HH:mm'. */
  recommendationDeadlinePassed: (deadlineCst: string, deadlineIso: string): Text => ({
    zh: `推荐已于 ${deadlineCst}（北京时间）截止，不能再作出推荐决定`,
    en: `The recommendation deadline (${deadlineIso}) has passed`,
  }),
  fileTooLarge: (mib: string): Text => ({ zh: `文件超过大小上限（${mib} MiB）`, en: `The file exceeds the size limit (${mib} MiB)` }),
  fileTypeNotAllowed: (allowed: readonly string[]): Text => ({ zh: `该类附件只接受：${allowed.join('、').toUpperCase()}（按文件内容判断）`, en: `This kind accepts only: ${allowed.join(', ')} (judged by content)` }),
  // Field-level texts
  entryTypeNotAllowed: { zh: '本次评比不接受该成果类型', en: 'This contest does not accept this entry type' },
  trackNotFound: { zh: '本次评比没有该分组', en: 'No such track in this contest' },
  trackTypeMismatch: { zh: '该分组不接受此成果类型', en: 'This track is for another entry type' },
  unitNotFound: { zh: '推荐单位不存在', en: 'No such recommending unit' },
  unitDeactivated: { zh: '该推荐单位已停用，不能选择', en: 'This recommending unit is deactivated and cannot be chosen' },
  tooManyMembers: (limit: number): Text => ({ zh: `小组成员不得超过 ${limit} 人`, en: `At most ${limit} team members` }),
  unitRequired: { zh: '请选择推荐单位（企业没有默认推荐单位）', en: 'Choose a recommending unit (the enterprise has no default)' },
  unitLocked: { zh: '成果已经推荐，不能更换推荐单位', en: 'The entry was recommended; its unit cannot change' },
  unknownField: (field: string): Text => ({ zh: '不允许的字段', en: `${field} is not allowed` }),
  kindRequired: { zh: '必填', en: 'kind is required' },
  kindNotAllowed: (kinds: readonly string[]): Text => ({ zh: '取值不在允许范围内', en: `kind must be one of ${kinds.join(', ')}` }),
  fileRequired: { zh: '请选择要上传的文件', en: 'file is required' },
  fileNameInvalid: { zh: '文件名无效', en: 'Invalid file name' },
  pdfInvalid: { zh: '不是完整有效的 PDF 文件', en: 'Not a complete, valid PDF' },
  // The entry's own rules (entry-rules.ts)
  invalidDate: { zh: '不是有效日期（YYYY-MM-DD）', en: 'Not a valid date (YYYY-MM-DD)' },
  periodEndsBeforeStart: { zh: '活动结束日期早于开始日期', en: 'The activity ends before it starts' },
  periodStartsTooEarly: (notBefore: string): Text => ({ zh: `活动开始日期不得早于 ${notBefore}`, en: `The activity may not start before ${notBefore}` }),
  notFilledIn: (field: string, label: string): Text => ({ zh: `尚未填写${label}`, en: `${field} is required` }),
  reportRequired: { zh: '尚未上传成果报告（PDF）', en: 'Upload the achievement report (PDF)' },
} as const;
