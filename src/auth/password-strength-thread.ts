import { OffThread } from '../common/worker-thread.js';
import type { PasswordContext, PasswordVerdict } from './password-strength.js';

/**
 * The strength check (judgePassword, ≈ 3–10 ms of CPU, its dictionaries ≈ 5 MB built once) runs in a
 * worker thread when the service runs compiled, so that it does not hold up the event loop: the same
 * pure function, its verdict sent back. Under ts-jest (no compiled worker file) it runs in this thread.
 * The estimator (zxcvbn-ts and its dictionaries, decompressed when imported) is then loaded only there.
 */
const functions = async () => {
  const { judgePassword, warmUpPasswordStrength } = await import('./password-strength.js');
  return { judgePassword, warmUpPasswordStrength };
};
const judge = new OffThread(new URL('./password-strength-worker.js', import.meta.url), functions);

/** The functions as the check's thread serves them (password-strength-worker.ts). */
export { functions as passwordStrengthFunctions };

/** judgePassword, off the event loop. */
export function judgePasswordOffThread(password: string, context: PasswordContext = {}): Promise<PasswordVerdict> {
  // A thread that fails (or is ended by a shutdown) leaves no check unanswered: it is judged here instead.
  return judge.call('judgePassword', password, context).catch(async () => (await functions()).judgePassword(password, context));
}

/** Starts the worker and builds its dictionaries now (at start-up), not at the first password chosen. */
export function warmUpPasswordJudge(): Promise<void> {
  return judge.begin('warmUpPasswordStrength');
}

/** Ends the worker (the service's shutdown). */
export function closePasswordJudge(): Promise<void> {
  return judge.close();
}
