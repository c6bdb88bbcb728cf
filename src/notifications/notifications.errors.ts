import type { Text } from '../common/errors.js';

/** The error codes of notifications (spread into MESSAGES in src/common/errors.ts). */
export const NOTIFICATION_ERRORS = {
  notification_not_resendable: { zh: '只有发送失败（已放弃）的消息可以重新发送', en: 'Only a dead message can be sent again' },
  notification_not_found: { zh: '消息不存在', en: 'No such message' },
  no_missing_experts: { zh: '没有未提交评分的专家，无需提醒', en: 'No expert has missing sheets: nobody to remind' },
  invalid_email: { zh: '电子邮箱格式不正确', en: 'The e-mail address is not valid' },
  invalid_phone: { zh: '手机号码格式不正确（11 位数字，以 1 开头）', en: 'The mobile number is not valid (11 digits starting with 1)' },
} satisfies Record<string, Text>;
