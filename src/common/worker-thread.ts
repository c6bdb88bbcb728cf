// CPU-heavy pure work (drawing PDFs) in a worker thread, so that it does not hold up the event loop
// (every other request waits while the service's one thread draws). The worker module calls
// `serveInThread` with its functions; the service calls them through `OffThread`. Where the compiled
// worker file does not exist (under ts-jest) or the thread failed, the same functions run in this thread.
// Another thread may be given a port to the same functions (`OffThread.connect`, `callsOver`).
import { existsSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, parentPort, Worker } from 'node:worker_threads';

type Api = Record<string, (...args: never[]) => unknown>;
interface Call { id: number; fn: string; args: unknown[] }
interface Answer { id: number; value?: unknown; error?: string }
/** A port handed to the worker (OffThread.connect): it answers calls on it as on its own. */
interface Serve { serve: MessagePort }
type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

/** Bytes cross threads as a plain Uint8Array: given and answered as the Buffer they were. */
const asBuffer = (v: unknown) => (v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v);

/** The calling side of the protocol, over the worker itself or a port to it: answers matched to calls by id. */
class Calls {
  private readonly pending = new Map<number, Pending>();
  private next = 0;

  constructor(private readonly to: Worker | MessagePort) {
    to.on('message', (m: Answer) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.error === undefined) p?.resolve(asBuffer(m.value));
      else p?.reject(new Error(m.error));
    });
  }

  call(fn: string, args: unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const id = this.next++;
      this.pending.set(id, { resolve, reject });
      this.to.postMessage({ id, fn, args } satisfies Call);
    });
  }

  /** Every call still waiting fails with `e` (the thread ended). */
  fail(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}

/** A thread's functions called over a port that its OffThread gave (`connect`). */
export function callsOver<T extends Api>(port: MessagePort): <K extends keyof T & string>(fn: K, ...args: Parameters<T[K]>) => Promise<Awaited<ReturnType<T[K]>>> {
  const calls = new Calls(port);
  port.on('close', () => calls.fail(new Error('worker thread ended')));
  return (fn, ...args) => calls.call(fn, args) as never;
}

export class OffThread<T extends Api> {
  private thread: { worker: Worker; calls: Calls } | null = null;
  private broken = false;
  private readonly file: string;
  /** Whether the worker module exists: the service runs compiled; under ts-jest it does not. */
  private readonly compiled: boolean;

  /** `file`: the worker module, relative to the caller's (new URL('./x-worker.js', import.meta.url)). */
  constructor(file: URL, private readonly inline: () => Promise<T>) {
    this.file = fileURLToPath(file);
    this.compiled = existsSync(this.file);
  }

  call<K extends keyof T & string>(fn: K, ...args: Parameters<T[K]>): Promise<Awaited<ReturnType<T[K]>>> {
    type R = Awaited<ReturnType<T[K]>>;
    const here = async (): Promise<R> => (await (await this.inline())[fn](...args)) as R;
    if (this.broken || !this.compiled) return here();
    return this.start().calls.call(fn, args).then(
      (v) => v as R,
      (e: unknown) => {
        // A thread that could not start answers nothing: its calls are made here instead.
        if (this.broken) return here();
        throw e;
      },
    );
  }

  /**
   * Starts `fn` without waiting for it (a warm-up at start-up): in the thread it resolves at once and its
   * outcome is not reported; where the functions run in this thread, it resolves when `fn` is done.
   */
  async begin<K extends keyof T & string>(fn: K, ...args: Parameters<T[K]>): Promise<void> {
    if (this.broken || !this.compiled) {
      await (await this.inline())[fn](...args);
      return;
    }
    this.call(fn, ...args).catch(() => undefined);
  }

  /**
   * A port to the thread's functions for another thread (which calls them with `callsOver`): its calls and
   * their answers do not pass through this thread. Null where the functions run in this thread.
   */
  connect(): MessagePort | null {
    if (this.broken || !this.compiled) return null;
    const { port1, port2 } = new MessageChannel();
    this.start().worker.postMessage({ serve: port2 } satisfies Serve, [port2]);
    return port1;
  }

  /** Ends the thread (the service's shutdown); a later call starts another. */
  async close(): Promise<void> {
    const t = this.thread;
    this.thread = null;
    await t?.worker.terminate();
  }

  private start() {
    if (this.thread) return this.thread;
    const worker = new Worker(this.file);
    worker.unref(); // never keeps the process alive
    const t = { worker, calls: new Calls(worker) };
    const fail = (e: Error) => {
      if (this.thread === t) this.thread = null;
      t.calls.fail(e);
    };
    worker.on('error', (e) => {
      this.broken = true;
      fail(e);
    });
    worker.on('exit', (code) => fail(new Error(`worker thread ended (${code})`)));
    this.thread = t;
    return t;
  }
}

/** In the worker module: answers the calls of its `OffThread`, and those on the ports it hands over. */
export function serveInThread(api: Api): void {
  if (parentPort) serve(api, parentPort);
}

function serve(api: Api, port: MessagePort): void {
  port.on('message', (m: Call | Serve) => {
    if ('serve' in m) return serve(api, m.serve);
    Promise.resolve()
      .then(() => (api[m.fn] as (...a: unknown[]) => unknown)(...m.args.map(asBuffer)))
      .then(
        (value) => port.postMessage({ id: m.id, value } satisfies Answer),
        (e: unknown) => port.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) } satisfies Answer),
      );
  });
}

/**
 * Sets the scheduling priority (nice value) of the calling thread alone (Linux, where a thread has its
 * own: setpriority on its thread id). Elsewhere nothing changes; going back up needs the right to (root
 * or CAP_SYS_NICE), and without it the thread keeps the lower priority.
 */
export function setThreadPriority(nice: number): void {
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), nice);
  } catch {
    // not Linux, or not allowed: the thread keeps its priority
  }
}
