import type { EntityManager } from 'typeorm';
import type { PasswordContext, PasswordVerdict } from '../auth/password-strength.js';
import { judgePasswordOffThread } from '../auth/password-strength-thread.js';
import { AppError, type FieldError } from '../common/errors.js';
import { rows } from '../scoring/sql.js';

/** How many of the latest contests' names a password may not contain (names change rarely; 20 covers years). */
const CONTEST_NAMES = 20;

/**
 * A verdict asked for before a transaction (`prejudgePassword`), with the context it was judged in:
 * used in the transaction only when the context read there is the same, judged again otherwise.
 */
export interface Prejudged {
  password: string;
  context: PasswordContext;
  verdict: Promise<PasswordVerdict>;
}

/** The latest contests' names, newest first: read twice by every account created or password changed (plain SQL, no query built). */
function contestNames(m: EntityManager): Promise<string[]> {
  return rows<{ name: string }>(m, `SELECT name FROM contests ORDER BY id DESC LIMIT ${CONTEST_NAMES}`, []).then((cs) => cs.map((c) => c.name));
}

/**
 * Starts judging a password before the caller's transaction, against what is on file now: on SQLite
 * transactions run one at a time, so the check (in its worker thread, see password-strength-thread.ts)
 * should not run while one is open. Never rejects.
 */
export async function prejudgePassword(m: EntityManager, password: string, context: Omit<PasswordContext, 'contestNames'>): Promise<Prejudged> {
  const full = { ...context, contestNames: await contestNames(m) };
  const verdict = judgePasswordOffThread(password, full);
  verdict.catch(() => undefined); // judged again in the transaction
  return { password, context: full, verdict };
}

const sameList = (a: readonly unknown[] = [], b: readonly unknown[] = []) => a.length === b.length && a.every((x, i) => x === b[i]);
const sameContext = (a: PasswordContext, b: PasswordContext) =>
  a.username === b.username && a.displayName === b.displayName && sameList(a.contestNames, b.contestNames) && sameList(a.personal, b.personal);

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
  prejudged?: Prejudged | null,
): Promise<FieldError[]> {
  const full = { ...context, contestNames: await contestNames(m) };
  const verdict =
    prejudged && prejudged.password === password && sameContext(prejudged.context, full)
      ? await prejudged.verdict.catch(() => judgePasswordOffThread(password, full))
      : await judgePasswordOffThread(password, full);
  return verdict.ok ? [] : [{ field, code: 'weak_password', text: verdict.text! }];
}

/** 400 `validation_failed` with the reason on `field` when the password is too weak. */
export async function assertStrongPassword(
  m: EntityManager,
  password: string,
  context: Omit<PasswordContext, 'contestNames'>,
  field = 'password',
  prejudged?: Prejudged | null,
): Promise<void> {
  const problems = await passwordProblems(m, password, context, field, prejudged);
  if (problems.length) throw AppError.badRequest('validation_failed', undefined, problems);
}
