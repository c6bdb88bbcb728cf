// The strength check's thread (see password-strength-thread.ts).
import { parentPort } from 'node:worker_threads';
import { judgePassword, warmUpPasswordStrength, type PasswordContext } from './password-strength.js';

parentPort?.on('message', (m: { warmUp?: true; id: number; password: string; context: PasswordContext }) => {
  if (m.warmUp) return warmUpPasswordStrength();
  try {
    parentPort?.postMessage({ id: m.id, verdict: judgePassword(m.password, m.context) });
  } catch (e) {
    parentPort?.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
  }
});
