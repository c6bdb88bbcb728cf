import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type MessagePort, Worker } from 'node:worker_threads';
import type { SetClock } from '../common/clock.js';
import { demoProgress, type Tick } from './demo-progress.js';
import { runDemo, type DemoOptions, type DemoSummary } from './run-demo.js';

/**
 * npm run demo runs its client (the requests it builds, sends and reads back, the reports it files) in
 * a worker thread, so that the service has the main thread to itself: on a 2-core machine that thread
 * is the bottleneck. The service's clock is shared through memory (SetClock.buffer), tokens are asked
 * for and progress is shown by messages. Under ts-jest (no compiled worker file) it runs here.
 */
const WORKER_FILE = fileURLToPath(new URL('./demo-client-worker.js', import.meta.url));

/**
 * What the thread is told first when it is started ahead of the service (npm run demo): to make the plan
 * (planDemo) at once, its reports drawn through `reports`, a port to npm run demo's PDF thread (without
 * one, in the client's thread).
 */
export interface ClientPlan {
  t: 'plan';
  size: DemoOptions['size'];
  seed: number;
  reports: MessagePort | null;
}

/** What the thread is told to run with, once the service listens. */
export interface ClientStart {
  t: 'start';
  base: string;
  options: Omit<DemoOptions, 'clock' | 'log' | 'signIn' | 'progress' | 'published'> & { signIn: boolean };
  clock: SharedArrayBuffer;
}

export type ClientRequest =
  | { t: 'log'; line: string }
  | { t: 'count'; label: string; total: number }
  | { t: 'tick'; n: number }
  | { t: 'end' }
  | { t: 'signIn'; id: number; username: string }
  | { t: 'published'; contestId: number }
  | { t: 'done'; summary: DemoSummary }
  | { t: 'failed'; message: string };

/**
 * Starts the client's thread ahead of the run (npm run demo: while the service starts, the other core
 * loads the client's modules and, with `plan`, draws the cast and has the reports drawn); null when there
 * is no compiled worker file.
 */
export function startDemoThread(plan?: Omit<ClientPlan, 't'>): Worker | null {
  if (!existsSync(WORKER_FILE)) return null;
  const thread = new Worker(WORKER_FILE);
  thread.unref(); // keeps nothing alive until it runs (should the service fail to start)
  if (plan) thread.postMessage({ t: 'plan', ...plan } satisfies ClientPlan, plan.reports ? [plan.reports] : []);
  return thread;
}

export function runDemoInThread(base: string, o: DemoOptions & { clock: SetClock }, started?: Worker | null): Promise<DemoSummary> {
  const thread = started === undefined ? startDemoThread() : started;
  if (!thread) return runDemo(base, o);
  thread.ref();
  const { clock, log, signIn, published, progress: _p, ...options } = o;
  const bar = demoProgress(log, o.progressBar ?? false);
  let tick: Tick = () => undefined;
  return new Promise<DemoSummary>((resolve, reject) => {
    thread.on('message', (m: ClientRequest) => {
      switch (m.t) {
        case 'log': return log(m.line);
        case 'count': tick = bar.count(m.label, m.total); return;
        case 'tick':
          for (let i = 0; i < m.n; i++) tick();
          return;
        case 'end': return bar.end();
        case 'signIn':
          signIn!(m.username).then(
            (token) => thread.postMessage({ id: m.id, token }),
            (e: unknown) => thread.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) }),
          );
          return;
        case 'published': return published?.(m.contestId);
        case 'done': return resolve(m.summary);
        case 'failed': return reject(new Error(m.message));
      }
    });
    thread.on('error', reject);
    thread.on('exit', (code) => reject(new Error(`the demo's client thread ended (${code})`)));
    thread.postMessage({ t: 'start', base, options: { ...options, signIn: Boolean(signIn) }, clock: clock.buffer } satisfies ClientStart);
  }).finally(() => void thread.terminate());
}
