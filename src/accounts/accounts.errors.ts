// The accounts feature's error catalogue: code → Chinese and English text (see src/common/errors.ts).
import type { Text } from '../common/errors.js';

export const ACCOUNTS_ERRORS = {
  username_taken: { zh: '用户名已被使用', en: 'The username is taken' },
  cannot_deactivate_self: { zh: '不能停用自己的账号', en: 'You cannot deactivate your own account' },
  wrong_old_password: { zh: '原密码不正确', en: 'The current password is wrong' },
} satisfies Record<string, Text>;
