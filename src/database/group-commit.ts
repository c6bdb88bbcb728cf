// Group commit (a write coalescer): requests that arrive while a batch is being committed wait and
// are committed together in the next batch, one transaction for all of them. Plain logic over
// promises (no Nest, no database): what a batch does is the caller's `commit` function.

/** One request's answer from a batch: its value, or its own error (a refusal); never another request's. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface GroupCommitOptions<I> {
  /** Most items per batch. */
  maxBatch: number;
  /** Batches committed at once (1: the next batch forms while one is in flight). */
  maxInFlight?: number;
  /**
   * Keys an item may not share with another item of its batch or of a batch in flight (the same
   * row twice, the same audit chain twice): such an item waits for a later batch, in arrival order.
   */
  keysOf: (item: I) => readonly string[];
  /** A whole-batch failure that every waiting item would meet too (the database is gone): they all get it at once. */
  failsAll?: (error: unknown) => boolean;
  /**
   * When no batch is in flight, the next one is formed at the end of this turn of the event loop
   * (setImmediate) rather than at once, so that the items of the requests read in the same turn go
   * together. For a database whose commit never yields to I/O (SQLite: each statement runs to its end
   * in this thread), where no item can arrive while a batch commits and every batch would be one item.
   */
  gather?: boolean;
  /**
   * A batch in flight holds back the next one until it calls its `release` (it has sent its last
   * statements) or ends: with maxInFlight 2, the next batch reads while the last one commits, and
   * batches stay as large as with one in flight (which is where the submit's CPU per item is lowest).
   */
  staggered?: boolean;
}

/** What a batch's commit may call once it has sent its last statements: the next batch may form now (options.staggered). */
export type Release = () => void;

interface Pending<I, R> {
  item: I;
  keys: readonly string[];
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/**
 * A lone request is committed at once (no waiting when idle; with `gather`, at the end of this turn of
 * the event loop); batching happens only while earlier batches are in flight (and, with `gather`,
 * among the requests of one turn). A batch that fails as a whole (`commit` throws) is run again one item at a
 * time, so one item's failure is only its own; except a failure `failsAll` names, which fails the
 * batch and every item still waiting.
 */
export class GroupCommit<I, R> {
  private readonly queue: Pending<I, R>[] = [];
  private readonly busy = new Set<string>();
  private inFlight = 0;
  private readonly maxInFlight: number;
  /** A batch is to be formed at the end of this turn (options.gather). */
  private gathering = false;
  /** Batches in flight that have not released yet (options.staggered). */
  private holding = 0;

  constructor(
    private readonly commit: (items: readonly I[], release: Release) => Promise<Outcome<R>[]>,
    private readonly options: GroupCommitOptions<I>,
  ) {
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 1);
  }

  /** Items waiting for a batch (not those in flight). */
  get waiting(): number {
    return this.queue.length;
  }

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, keys: this.options.keysOf(item), resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    if (this.options.gather && this.inFlight === 0) {
      if (!this.gathering) {
        this.gathering = true;
        setImmediate(() => {
          this.gathering = false;
          this.form();
        });
      }
      return;
    }
    this.form();
  }

  private form(): void {
    while (this.inFlight < this.maxInFlight && !(this.options.staggered && this.holding) && this.queue.length) {
      const batch = this.take();
      if (!batch.length) return; // everything waiting shares a key with a batch in flight
      this.inFlight++;
      this.holding++;
      let held = true;
      /** Stops holding back the next batch; whether it still did. */
      const unhold = (): boolean => {
        if (!held) return false;
        held = false;
        this.holding--;
        return true;
      };
      for (const p of batch) for (const k of p.keys) this.busy.add(k);
      void this.run(batch, () => {
        if (unhold()) this.form();
      }).finally(() => {
        for (const p of batch) for (const k of p.keys) this.busy.delete(k);
        this.inFlight--;
        unhold();
        this.form();
      });
    }
  }

  /** The next batch: the oldest waiting items whose keys are free, up to maxBatch; the others keep their places. */
  private take(): Pending<I, R>[] {
    const batch: Pending<I, R>[] = [];
    const taken = new Set<string>();
    const left: Pending<I, R>[] = [];
    for (const p of this.queue) {
      if (batch.length < this.options.maxBatch && p.keys.every((k) => !this.busy.has(k) && !taken.has(k))) {
        batch.push(p);
        for (const k of p.keys) taken.add(k);
      } else {
        left.push(p);
      }
    }
    this.queue.splice(0, this.queue.length, ...left);
    return batch;
  }

  /** Commits a batch and answers each of its items; never rejects. */
  private async run(batch: Pending<I, R>[], release: Release = () => {}): Promise<void> {
    try {
      settle(batch, await this.commit(batch.map((p) => p.item), release));
    } catch (error) {
      if (this.options.failsAll?.(error)) {
        for (const p of [...batch, ...this.queue.splice(0)]) p.reject(error);
      } else if (batch.length === 1) {
        batch[0]!.reject(error);
      } else {
        // One item may be the cause: each alone, so the others still commit.
        for (const p of batch) await this.run([p]);
      }
    }
  }
}

function settle<I, R>(batch: Pending<I, R>[], outcomes: Outcome<R>[]): void {
  batch.forEach((p, i) => {
    const o = outcomes[i];
    if (!o) p.reject(new Error(`group commit: no outcome for item ${i} of ${batch.length}`));
    else if (o.ok) p.resolve(o.value);
    else p.reject(o.error);
  });
}
