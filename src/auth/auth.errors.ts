// The auth feature's error catalogue: code → Chinese and English text (see src/common/errors.ts).
import type { Text } from '../common/errors.js';

export const AUTH_ERRORS = {
  unauthenticated: { zh: '请先登录', en: 'Authentication required' },
  token_invalid: { zh: '登录凭证无效或已过期，请重新登录', en: 'The access token is invalid or expired' },
  invalid_credentials: { zh: '用户名或密码错误', en: 'Wrong username or password' },
  account_inactive: { zh: '账号已停用', en: 'The account is deactivated' },
  account_deactivated: { zh: '所属单位或专家资格已停用，暂时不能登录', en: 'The organisation of this account is deactivated' },
  too_many_login_attempts: { zh: '登录失败次数过多，请稍后再试', en: 'Too many failed logins; try again later' },
} satisfies Record<string, Text>;

/** Why a login of a deactivated organisation is refused (after its password was checked: see AuthService). */
export const ORGANISATION_DEACTIVATED: Record<'unit' | 'enterprise' | 'expert', Text> = {
  unit: { zh: '您所属的推荐单位已被组委会停用，暂时不能登录；如有疑问请联系组委会', en: 'Your recommending unit has been deactivated by the organizer; you cannot log in' },
  enterprise: { zh: '您所属的企业已被组委会停用，暂时不能登录；如有疑问请联系组委会', en: 'Your enterprise has been deactivated by the organizer; you cannot log in' },
  expert: { zh: '您的评审专家资格已被组委会停用，暂时不能登录；如有疑问请联系组委会', en: 'Your expert record has been deactivated by the organizer; you cannot log in' },
};
