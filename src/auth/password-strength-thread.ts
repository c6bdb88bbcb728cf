import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PasswordContext, PasswordVerdict } from './password-strength.js';

/**
 * The strength check (judgePassword, ≈ 3–10 ms of CPU, its dictionaries ≈ 5 MB built once) runs in a
 * worker thread when the service runs compiled, so that it does not hold up the event loop: the same
 * pure function, its verdict sent back. Under ts-jest (no compiled worker file) it runs in this thread.
 * The estimator (zxcvbn-ts and its dictionaries, decompressed when imported) is then loaded only there.
 */
const inline = () => import('./password-strength.js');
const WORKER_FILE = fileURLToPath(new URL('./password-strength-worker.js', import.meta.url));
const HAS_WORKER = existsSync(WORKER_FILE);

type Pending = { resolve: (v: PasswordVerdict) => void; reject: (e: Error) => void };
let judge: { thread: Worker; pending: Map<number, Pending>; next: number } | null = null;
/** Set when the worker failed (it could not start, or threw): from then on the check runs in this thread. */
let broken = false;

function thread() {
  if (!judge) {
    const t = new Worker(WORKER_FILE);
    t.unref(); // never keeps the process alive
    const j = { thread: t, pending: new Map<number, Pending>(), next: 0 };
    t.on('message', (m: { id: number; verdict?: PasswordVerdict; error?: string }) => {
      const p = j.pending.get(m.id);
      j.pending.delete(m.id);
      if (m.verdict) p?.resolve(m.verdict);
      else p?.reject(new Error(m.error ?? 'password strength worker failed'));
    });
    const fail = (e: Error) => {
      for (const p of j.pending.values()) p.reject(e);
      j.pending.clear();
      if (judge === j) judge = null;
    };
    t.on('error', (e) => {
      broken = true;
      fail(e);
    });
    t.on('exit', (code) => fail(new Error(`password strength worker ended (${code})`)));
    judge = j;
  }
  return judge;
}

/** judgePassword, off the event loop. */
export function judgePasswordOffThread(password: string, context: PasswordContext = {}): Promise<PasswordVerdict> {
  const here = () => inline().then((m) => m.judgePassword(password, context));
  if (!HAS_WORKER || broken) return here();
  const j = thread();
  // A worker that fails (or is ended by a shutdown) leaves no check unanswered: it is judged here instead.
  return new Promise<PasswordVerdict>((resolve, reject) => {
    const id = j.next++;
    j.pending.set(id, { resolve, reject });
    j.thread.postMessage({ id, password, context });
  }).catch(here);
}

/** Starts the worker and builds its dictionaries now (at start-up), not at the first password chosen. */
export async function warmUpPasswordJudge(): Promise<void> {
  if (HAS_WORKER) thread().thread.postMessage({ warmUp: true });
  else (await inline()).warmUpPasswordStrength();
}

/** Ends the worker (the service's shutdown). */
export async function closePasswordJudge(): Promise<void> {
  const j = judge;
  judge = null;
  await j?.thread.terminate();
}
