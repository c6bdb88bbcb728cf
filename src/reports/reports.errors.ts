import type { Text } from '../common/errors.js';

/** Error codes of the year's report (registered in MESSAGES, src/common/errors.ts). */
export const REPORT_ERRORS = {
  report_not_published: { zh: '评审结果正式发布后方可生成获奖通知（通知依据已发布的结果，不依据实时数据）', en: 'The award notice is generated from the published results; publish them first' },
  document_number_required: { zh: '请先设置获奖通知的文号', en: 'Set the document number (文号) of the award notice first' },
} satisfies Record<string, Text>;
