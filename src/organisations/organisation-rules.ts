// Small rules of the organisations feature, kept free of Nest and TypeORM so that the HTTP routes
// and the spreadsheet imports apply exactly the same ones.
import { fieldError, type FieldError, type Text } from '../common/errors.js';
import { validateUscc, type UsccErrorCode } from '../judging/uscc.js';
import type { Clock } from '../common/clock.js';
import type { EmployerKind } from './organisation.entities.js';

const USCC_EN: Record<UsccErrorCode, string> = {
  uscc_not_string: 'The unified social credit code must be text',
  uscc_length: 'The unified social credit code must have 18 characters',
  uscc_lowercase: 'Letters in the unified social credit code must be upper case',
  uscc_charset: 'The unified social credit code contains a character outside its alphabet (digits and A–Z without I, O, Z, S, V)',
  uscc_registration_authority: 'Position 1 (registration authority) of the unified social credit code is invalid',
  uscc_organization_type: 'Position 2 (organisation type) of the unified social credit code is invalid for its authority',
  uscc_division: 'Positions 3–8 (administrative division) of the unified social credit code must be digits',
  uscc_organization_code: 'Positions 9–17 (organisation code) of the unified social credit code fail their check',
  uscc_check_character: 'The check character (position 18) of the unified social credit code is wrong',
};

/** The field error for a USCC, or none when it is valid. The code names what is wrong (e.g. `uscc_check_character`). */
export function usccErrors(uscc: string, field = 'uscc'): FieldError[] {
  const v = validateUscc(uscc);
  return v.valid ? [] : [fieldError(field, v.code, v.message, USCC_EN[v.code])];
}

export interface Employer {
  employerKind: EmployerKind;
  employerEnterpriseId: number | null;
  employerUnitId: number | null;
  employerName: string | null;
}

/**
 * An expert's employer must be consistent: an enterprise employer names an enterprise, a unit
 * employer a unit (these decide automatic conflicts of interest), another employer a name.
 */
export function employerShapeErrors(e: Employer): FieldError[] {
  const out: FieldError[] = [];
  const required = (field: string) => out.push(fieldError(field, 'required', '必填', `${field} is required for this employerKind`));
  const refused = (field: string) =>
    out.push(fieldError(field, 'not_allowed', '该工作单位类型不允许此字段', `${field} is not allowed for this employerKind`));
  if (e.employerKind === 'enterprise') {
    if (e.employerEnterpriseId === null) required('employerEnterpriseId');
    if (e.employerUnitId !== null) refused('employerUnitId');
  } else if (e.employerKind === 'unit') {
    if (e.employerUnitId === null) required('employerUnitId');
    if (e.employerEnterpriseId !== null) refused('employerEnterpriseId');
  } else {
    if (e.employerEnterpriseId !== null) refused('employerEnterpriseId');
    if (e.employerUnitId !== null) refused('employerUnitId');
    if (e.employerName === null) required('employerName');
  }
  return out;
}

export const UNIT_NOT_FOUND: Text = { zh: '推荐单位不存在', en: 'No such recommending unit' };
export const UNIT_DEACTIVATED: Text = { zh: '该推荐单位已停用，不能选择', en: 'This recommending unit is deactivated and cannot be chosen' };
export const EXPERT_DEACTIVATED: Text = { zh: '该评审专家已停用，不能加入评审组或分配评审任务', en: 'This expert is deactivated and cannot be put on a panel or assigned' };
export const ENTERPRISE_NOT_FOUND: Text = { zh: '企业不存在', en: 'No such enterprise' };
export const UNIT_NAME_TAKEN: Text = { zh: '已有同名的推荐单位', en: 'A recommending unit with this name exists' };
export const USCC_TAKEN: Text = { zh: '该统一社会信用代码已登记', en: 'An enterprise with this unified social credit code exists' };

/** Now, to the second: what both databases keep, so a write's response equals a later read. */
export function nowToSecond(clock: Clock): Date {
  const d = clock.now();
  d.setMilliseconds(0);
  return d;
}

/** Why a login of a deactivated organisation is refused (after its password was checked: see AuthService). */
export const ORGANISATION_DEACTIVATED: Record<'unit' | 'enterprise' | 'expert', Text> = {
  unit: { zh: '您所属的推荐单位已被组委会停用，暂时不能登录；如有疑问请联系组委会', en: 'Your recommending unit has been deactivated by the organizer; you cannot log in' },
  enterprise: { zh: '您所属的企业已被组委会停用，暂时不能登录；如有疑问请联系组委会', en: 'Your enterprise has been deactivated by the organizer; you cannot log in' },
  expert: { zh: '您的评审专家资格已被组委会停用，暂时不能登录；如有疑问请联系组委会', en: 'Your expert record has been deactivated by the organizer; you cannot log in' },
};
