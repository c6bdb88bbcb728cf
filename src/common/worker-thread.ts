// CPU-heavy pure work (drawing PDFs) in a worker thread, so that it does not hold up the event loop
// (every other request waits while the service's one thread draws). The worker module calls
// `serveInThread` with its functions; the service calls them through `OffThread`. Where the compiled
// worker file does not exist (under ts-jest) or the thread failed, the same functions run in this thread.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker } from 'node:worker_threads';

type Api = Record<string, (...args: never[]) => unknown>;
interface Call { id: number; fn: string; args: unknown[] }
interface Answer { id: number; value?: unknown; error?: string }
type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

/** Bytes cross threads as a plain Uint8Array: given and answered as the Buffer they were. */
const asBuffer = (v: unknown) => (v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v);

export class OffThread<T extends Api> {
  private thread: { worker: Worker; pending: Map<number, Pending>; next: number } | null = null;
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
    const t = this.start();
    return new Promise<unknown>((resolve, reject) => {
      const id = t.next++;
      t.pending.set(id, { resolve, reject });
      t.worker.postMessage({ id, fn, args } satisfies Call);
    }).then(
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
    const t = { worker, pending: new Map<number, Pending>(), next: 0 };
    worker.on('message', (m: Answer) => {
      const p = t.pending.get(m.id);
      t.pending.delete(m.id);
      if (m.error === undefined) p?.resolve(asBuffer(m.value));
      else p?.reject(new Error(m.error));
    });
    const fail = (e: Error) => {
      if (this.thread === t) this.thread = null;
      for (const p of t.pending.values()) p.reject(e);
      t.pending.clear();
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

/** In the worker module: answers the calls of its `OffThread`. */
export function serveInThread(api: Api): void {
  const port = parentPort;
  if (!port) return;
  port.on('message', (m: Call) => {
    Promise.resolve()
      .then(() => (api[m.fn] as (...a: unknown[]) => unknown)(...m.args.map(asBuffer)))
      .then(
        (value) => port.postMessage({ id: m.id, value } satisfies Answer),
        (e: unknown) => port.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) } satisfies Answer),
      );
  });
}
