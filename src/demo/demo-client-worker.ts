// The demo's client in its own thread (see demo-client-thread.ts): runDemo with the service's clock
// shared through memory, tokens and progress by messages to the main thread. Started ahead of the run,
// it loads its modules, then waits for its start message. Its reports are drawn by npm run demo's PDF
// thread, asked for through the main thread (see demo-pdf.ts).
import { parentPort } from 'node:worker_threads';
import { SetClock } from '../common/clock.js';
import { runDemo } from './run-demo.js';
import type { ClientRequest, ClientStart } from './demo-client-thread.js';

const port = parentPort!;
const tokens = new Map<number, { resolve: (t: string) => void; reject: (e: Error) => void }>();
const reports = new Map<number, { resolve: (pdf: Buffer) => void; reject: (e: Error) => void }>();
let next = 0;

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
    // Drawn in npm run demo's PDF thread, through the main thread (see demo-pdf.ts).
    drawReport: (args) => new Promise<Buffer>((resolve, reject) => {
      const id = next++;
      reports.set(id, { resolve, reject });
      post({ t: 'report', id, args });
    }),
    signIn: options.signIn
      ? (username) => new Promise<string>((resolve, reject) => {
          const id = next++;
          tokens.set(id, { resolve, reject });
          post({ t: 'signIn', id, username });
        })
      : undefined,
  }).then(
    (summary) => post({ t: 'done', summary }),
    (e: unknown) => post({ t: 'failed', message: e instanceof Error ? e.message : String(e) }),
  );
}

type Answer = { id: number; token?: string; error?: string } | { report: number; pdf?: Uint8Array; error?: string };

port.on('message', (m: ClientStart | Answer) => {
  if ('t' in m) return start(m);
  if ('report' in m) {
    const r = reports.get(m.report);
    reports.delete(m.report);
    if (m.pdf) r?.resolve(Buffer.from(m.pdf.buffer, m.pdf.byteOffset, m.pdf.byteLength));
    else r?.reject(new Error(m.error ?? 'report failed'));
    return;
  }
  const p = tokens.get(m.id);
  tokens.delete(m.id);
  if (m.token !== undefined) p?.resolve(m.token);
  else p?.reject(new Error(m.error ?? 'sign-in failed'));
});
