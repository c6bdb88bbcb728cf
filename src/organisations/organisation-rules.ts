// Small rules of the organisations feature, kept free of Nest and TypeORM so that the HTTP routes
// and the spreadsheet imports apply exactly the same ones.
import { fieldError, type FieldError } from '../common/errors.js';
import { ORGANISATIONS_TEXTS as T } from './organisations.errors.js';
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
  const required = (field: string) => out.push(fieldError(field, 'required', T.requiredForEmployerKind(field)));
  const refused = (field: string) =>
    out.push(fieldError(field, 'not_allowed', T.notAllowedForEmployerKind(field)));
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

/** Now, to the second: what both databases keep, so a write's response equals a later read. */
export function nowToSecond(clock: Clock): Date {
  const d = clock.now();
  d.setMilliseconds(0);
  return d;
}
