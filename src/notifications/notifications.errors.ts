import type { Text } from '../common/errors.js';

/** The error codes of notifications (spread into MESSAGES in src/common/errors.ts). */
export const NOTIFICATION_ERRORS = {
  notification_not_resendable: { zh: '只有发送失败（已放弃）的消息可以重新发送', en: 'Only a dead message can be sent again' },
  notification_not_found: { zh: '消息不存在', en: 'No such message' },
  no_missing_experts: { zh: '没有未提交评分的专家，无需提醒', en: 'No expert has missing sheets: nobody to remind' },
  invalid_email: { zh: '电子邮箱格式不正确', en: 'The e-mail address is not valid' },
  invalid_phone: { zh: '手机号码格式不正确（11 位数字，以 1 开头）', en: 'The mobile number is not valid (11 digits starting with 1)' },
  channel_not_configured: { zh: '所选渠道未配置（电子邮件需 SMTP_URL，短信需 SMS_WEBHOOK_URL），请改用账号凭据单', en: 'The chosen channel is not configured (SMTP_URL / SMS_WEBHOOK_URL)' },
  credentials_not_resendable: { zh: '账号凭据不重发（内容已清除）：请重置该账号的密码并重新发送', en: 'Credentials are not sent again (their content is cleared): reset the password instead' },
} satisfies Record<string, Text>;
