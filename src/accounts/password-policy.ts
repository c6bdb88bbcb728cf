import type { EntityManager } from 'typeorm';
import { judgePassword, type PasswordContext } from '../auth/password-strength.js';
import { AppError, type FieldError } from '../common/errors.js';
import { Contest } from '../contests/contest.entities.js';

/** How many of the latest contests' names a password may not contain (names change rarely; 20 covers years). */
const CONTEST_NAMES = 20;

/**
 * Applies the strength rule (src/auth/password-strength.ts) wherever a user chooses or is given a
 * password: the judge is pure, this adds what only the database knows (the contests' names).
 * Returns the field error (code `weak_password`, the reason in the request's language) or none.
 */
export async function passwordProblems(
  m: EntityManager,
  password: string,
  context: Omit<PasswordContext, 'contestNames'>,
  field = 'password',
): Promise<FieldError[]> {
  const contests = await m.getRepository(Contest).find({ select: { id: true, name: true }, order: { id: 'DESC' }, take: CONTEST_NAMES });
  const verdict = judgePassword(password, { ...context, contestNames: contests.map((c) => c.name) });
  return verdict.ok ? [] : [{ field, code: 'weak_password', text: verdict.text! }];
}

/** 400 `validation_failed` with the reason on `field` when the password is too weak. */
export async function assertStrongPassword(
  m: EntityManager,
  password: string,
  context: Omit<PasswordContext, 'contestNames'>,
  field = 'password',
): Promise<void> {
  const problems = await passwordProblems(m, password, context, field);
  if (problems.length) throw AppError.badRequest('validation_failed', undefined, problems);
}
