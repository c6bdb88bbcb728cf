// Server-sent events that follow the database, for any number of instances: one poller per key
// (a contest, a session) per instance reads a cheap fingerprint every `pollMs` and pushes the data
// to the streams whose last event is older; a write of this instance calls changed(key) for an
// at-once round. Rounds of one key never overlap (one asked for while one runs follows it at
// once); a heartbeat comment keeps proxies from closing idle streams and revalidates the caller.
// Shared by the scoring progress (src/scoring/progress.service.ts) and the projector display
// (src/presentation/display.service.ts).
import type { Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { isDatabaseUnavailable } from '../database/db-errors.js';
import type { Clock } from './clock.js';

/** One open stream: what it was opened with (`of`), the fingerprint of its last event. */
export interface StreamSubscriber<X> {
  readonly of: X;
  last: string | null;
  send(fingerprint: string, data: unknown): void;
  close(): void;
}

export interface EventStreamSource<K, X> {
  fingerprint(key: K): Promise<string>;
  /** Sends the current data to `stale` (each has not seen `fingerprint`), or closes those that must end. */
  deliver(key: K, fingerprint: string, stale: StreamSubscriber<X>[]): Promise<void>;
}

export interface EventStreamTiming {
  pollMs: number;
  heartbeatMs: number;
  /** The client's reconnection delay (the `retry:` field). */
  retryMs: number;
}

interface Watcher<K, X> {
  key: K;
  subscribers: Set<StreamSubscriber<X>>;
  timer?: NodeJS.Timeout;
  running: boolean;
  again: boolean;
  stopped: boolean;
}

export class EventStreamHub<K, X> {
  private readonly watchers = new Map<K, Watcher<K, X>>();
  private readonly streams = new Set<() => void>();

  constructor(
    private readonly name: string,
    private readonly source: EventStreamSource<K, X>,
    private readonly timing: EventStreamTiming,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /**
   * Streams on a raw response: the first event at once, then one per change, a heartbeat every
   * `heartbeatMs`; `revalidate` runs with each heartbeat and ends the stream when it fails.
   */
  open(res: ServerResponse, headers: Record<string, string>, key: K, of: X, revalidate: () => Promise<boolean>): void {
    res.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(`: ${this.name}\nretry: ${this.timing.retryMs}\n\n`);
    let closed = false;
    let eventId = 0;
    const sub: StreamSubscriber<X> = {
      of,
      last: null,
      send: (fingerprint, data) => {
        if (closed) return;
        sub.last = fingerprint;
        res.write(`id: ${++eventId}\ndata: ${JSON.stringify(data)}\n\n`);
      },
      close: () => close(),
    };
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      this.streams.delete(close);
      this.unsubscribe(key, sub);
      if (!res.writableEnded) res.end();
    };
    this.streams.add(close);
    res.on('close', close);
    res.on('error', close);
    const heartbeat = setInterval(() => {
      if (closed) return;
      res.write(`: heartbeat ${this.clock.now().toISOString()}\n\n`);
      revalidate().then((ok) => (ok ? undefined : close()), () => close());
    }, this.timing.heartbeatMs);
    let w = this.watchers.get(key);
    if (!w) {
      w = { key, subscribers: new Set(), running: false, again: false, stopped: false };
      this.watchers.set(key, w);
    }
    w.subscribers.add(sub);
    // The new subscriber has seen nothing yet: a round now gives it its first event.
    void this.round(w);
  }

  /** A write of this instance changed the key's data: its streams update now, not at the next poll. */
  changed(key: K): void {
    const w = this.watchers.get(key);
    if (w) void this.round(w);
  }

  /** Open streams would keep the server from closing: end them first. */
  closeAll(): void {
    for (const close of [...this.streams]) close();
  }

  private unsubscribe(key: K, sub: StreamSubscriber<X>): void {
    const w = this.watchers.get(key);
    if (!w) return;
    w.subscribers.delete(sub);
    if (w.subscribers.size) return;
    w.stopped = true;
    clearTimeout(w.timer);
    this.watchers.delete(key);
  }

  /** One poll of a key: the fingerprint, then the data for the streams that have not seen it. The next poll is pollMs after the round ends. */
  private async round(w: Watcher<K, X>): Promise<void> {
    if (w.stopped) return;
    if (w.running) {
      w.again = true;
      return;
    }
    w.running = true;
    clearTimeout(w.timer);
    try {
      do {
        w.again = false;
        const fp = await this.source.fingerprint(w.key);
        const stale = [...w.subscribers].filter((s) => s.last !== fp);
        if (stale.length) await this.source.deliver(w.key, fp, stale);
      } while (w.again && !w.stopped);
    } catch (e) {
      // The database is gone for a moment (or shutting down): try again at the next poll, so the streams resume by themselves.
      this.logger.warn(isDatabaseUnavailable(e) ? { cause: String((e as Error).message) } : { err: e }, `${this.name} poll failed`);
    } finally {
      w.running = false;
      if (!w.stopped) w.timer = setTimeout(() => void this.round(w), this.timing.pollMs);
    }
  }
}
