// The demo's client in its own thread (see demo-client-thread.ts): runDemo with the service's clock
// shared through memory, tokens and progress by messages to the main thread. Started ahead of the run,
// it loads its modules and makes its plan (the reports drawn by npm run demo's PDF thread, asked for on
// the port to it: see demo-pdf.ts), then waits for its start message.
import { parentPort } from 'node:worker_threads';
import { SetClock } from '../common/clock.js';
import { callsOver } from '../common/worker-thread.js';
import { planDemo, runDemo, type DemoPlan } from './run-demo.js';
import { drawReportPdf, drawReportsWith } from './demo-pdf.js';
import type { ClientPlan, ClientRequest, ClientStart } from './demo-client-thread.js';

const port = parentPort!;
const tokens = new Map<number, { resolve: (t: string) => void; reject: (e: Error) => void }>();
let next = 0;
let plan: DemoPlan | undefined;

// Ticks of the progress bar are counted here and sent together (at most every 50 ms, and before any other
// message, so that they reach the bar they belong to): one message per sheet was ≈ 2,800 wake-ups of the
// service's thread in a run.
let ticks = 0;
let flushing: NodeJS.Timeout | null = null;
const flushTicks = () => {
  if (flushing) clearTimeout(flushing);
  flushing = null;
  if (ticks) port.postMessage({ t: 'tick', n: ticks } satisfies ClientRequest);
  ticks = 0;
};
const post = (m: ClientRequest) => {
  flushTicks();
  port.postMessage(m);
};

function makePlan({ size, seed, reports }: ClientPlan): void {
  if (reports) {
    const call = callsOver<{ drawReportPdf: typeof drawReportPdf }>(reports);
    // Should the PDF thread end (its port closes), the reports are drawn here instead.
    drawReportsWith((args) => call('drawReportPdf', ...args).catch(() => drawReportPdf(...args)));
  }
  plan = planDemo({ size, seed });
}

function start({ base, options, clock }: ClientStart): void {
  runDemo(base, {
    ...options,
    clock: SetClock.shared(clock),
    log: (line) => post({ t: 'log', line }),
    progress: {
      count: (label, total) => {
        post({ t: 'count', label, total });
        return () => {
          ticks++;
          flushing ??= setTimeout(flushTicks, 50);
        };
      },
      end: () => post({ t: 'end' }),
    },
    published: (contestId) => post({ t: 'published', contestId }),
    signIn: options.signIn
      ? (username) => new Promise<string>((resolve, reject) => {
          const id = next++;
          tokens.set(id, { resolve, reject });
          post({ t: 'signIn', id, username });
        })
      : undefined,
  }, plan).then(
    (summary) => post({ t: 'done', summary }),
    (e: unknown) => post({ t: 'failed', message: e instanceof Error ? e.message : String(e) }),
  );
}

type Answer = { id: number; token?: string; error?: string };

port.on('message', (m: ClientPlan | ClientStart | Answer) => {
  if ('t' in m) return m.t === 'plan' ? makePlan(m) : start(m);
  const p = tokens.get(m.id);
  tokens.delete(m.id);
  if (m.token !== undefined) p?.resolve(m.token);
  else p?.reject(new Error(m.error ?? 'sign-in failed'));
});
