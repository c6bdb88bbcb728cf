import { describe, expect, it } from '@jest/globals';
import { GroupCommit, type Outcome } from './group-commit.js';

interface Item {
  id: string;
  keys?: string[];
}

/** A commit function whose batches stay in flight until the test ends them. */
function harness(opts: { maxBatch?: number; maxInFlight?: number; failsAll?: (e: unknown) => boolean; gather?: boolean; staggered?: boolean } = {}) {
  const calls: { items: string[]; finish: (outcomes?: Outcome<string>[]) => void; fail: (e: unknown) => void; release: () => void }[] = [];
  const gc = new GroupCommit<Item, string>(
    (items, release) =>
      new Promise<Outcome<string>[]>((resolve, reject) => {
        calls.push({
          items: items.map((i) => i.id),
          finish: (outcomes) => resolve(outcomes ?? items.map((i) => ({ ok: true, value: `done ${i.id}` }))),
          fail: reject,
          release,
        });
      }),
    { maxBatch: opts.maxBatch ?? 10, maxInFlight: opts.maxInFlight, keysOf: (i) => i.keys ?? [i.id], failsAll: opts.failsAll, gather: opts.gather, staggered: opts.staggered },
  );
  return { gc, calls };
}

const tick = () => new Promise((ok) => setImmediate(ok));

describe('GroupCommit: the write coalescer of the score submit', () => {
  it('commits a lone item at once, without waiting for company', async () => {
    const { gc, calls } = harness();
    const a = gc.submit({ id: 'a' });
    expect(calls.map((c) => c.items)).toEqual([['a']]);
    calls[0]!.finish();
    await expect(a).resolves.toBe('done a');
  });

  it('with gather (SQLite), commits what arrives in one turn of the event loop as one batch, a lone item at the end of its turn', async () => {
    const { gc, calls } = harness({ gather: true, maxBatch: 3 });
    const lone = gc.submit({ id: 'a' });
    expect(calls).toEqual([]); // not at once: at the end of this turn
    await tick();
    expect(calls.map((c) => c.items)).toEqual([['a']]);
    calls[0]!.finish();
    await expect(lone).resolves.toBe('done a');
    // Items of one turn (b and c share a key: c waits its turn), bounded by maxBatch.
    const all = [{ id: 'b', keys: ['k'] }, { id: 'c', keys: ['k'] }, { id: 'd' }, { id: 'e' }, { id: 'f' }].map((i) => gc.submit(i));
    expect(calls).toHaveLength(1);
    await tick();
    expect(calls.map((c) => c.items)).toEqual([['a'], ['b', 'd', 'e']]);
    // Arriving while a batch is in flight: the next batch as soon as it ends, not a turn later.
    const g = gc.submit({ id: 'g' });
    calls[1]!.finish();
    await Promise.resolve();
    await Promise.resolve();
    await Promise.resolve();
    expect(calls.map((c) => c.items)).toEqual([['a'], ['b', 'd', 'e'], ['c', 'f', 'g']]);
    calls[2]!.finish();
    await expect(Promise.all([...all, g])).resolves.toEqual(['done b', 'done c', 'done d', 'done e', 'done f', 'done g']);
  });

  it('collects what arrives while a batch is in flight into the next batch, bounded by maxBatch, in arrival order', async () => {
    const { gc, calls } = harness({ maxBatch: 3 });
    const all = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => gc.submit({ id }));
    expect(calls.map((c) => c.items)).toEqual([['a']]);
    expect(gc.waiting).toBe(5);
    calls[0]!.finish();
    await tick();
    expect(calls.map((c) => c.items)).toEqual([['a'], ['b', 'c', 'd']]);
    calls[1]!.finish();
    await tick();
    expect(calls.map((c) => c.items)).toEqual([['a'], ['b', 'c', 'd'], ['e', 'f']]);
    calls[2]!.finish();
    await expect(Promise.all(all)).resolves.toEqual(['done a', 'done b', 'done c', 'done d', 'done e', 'done f']);
    expect(gc.waiting).toBe(0);
  });

  it('never puts two items with a shared key in one batch, nor next to a batch in flight holding the key: the later waits its turn', async () => {
    const { gc, calls } = harness({ maxInFlight: 2 });
    const p = [
      gc.submit({ id: 'a1', keys: ['sheet:1', 'chain:x'] }),
      gc.submit({ id: 'a2', keys: ['sheet:1', 'chain:x'] }), // same sheet as a1 (in flight): waits
      gc.submit({ id: 'b', keys: ['sheet:2', 'chain:y'] }), // free: forms the second batch in flight
      gc.submit({ id: 'c', keys: ['sheet:3', 'chain:x'] }), // same chain as a1: waits
      gc.submit({ id: 'd', keys: ['sheet:4', 'chain:z'] }),
    ];
    expect(calls.map((c) => c.items)).toEqual([['a1'], ['b']]);
    expect(gc.waiting).toBe(3);
    calls[1]!.finish();
    await tick();
    // a1 still in flight: a2 (its sheet) and c (its chain) wait; d goes.
    expect(calls.map((c) => c.items).slice(2)).toEqual([['d']]);
    calls[0]!.finish();
    await tick();
    // a2 and c share chain x: one per batch, in arrival order.
    expect(calls.map((c) => c.items).slice(3)).toEqual([['a2']]);
    calls[2]!.finish();
    await tick();
    expect(calls).toHaveLength(4);
    calls[3]!.finish();
    await tick();
    expect(calls.map((c) => c.items).slice(4)).toEqual([['c']]);
    calls[4]!.finish();
    await expect(Promise.all(p)).resolves.toEqual(['done a1', 'done a2', 'done b', 'done c', 'done d']);
  });

  it('answers each item with its own outcome: one refusal does not fail the others', async () => {
    const { gc, calls } = harness();
    const answers = Promise.allSettled(['first', 'a', 'b', 'c'].map((id) => gc.submit({ id })));
    calls[0]!.finish();
    await tick();
    const refusal = new Error('409 sheet_locked');
    calls[1]!.finish([{ ok: true, value: 'A' }, { ok: false, error: refusal }, { ok: true, value: 'C' }]);
    expect(await answers).toEqual([
      { status: 'fulfilled', value: 'done first' },
      { status: 'fulfilled', value: 'A' },
      { status: 'rejected', reason: refusal },
      { status: 'fulfilled', value: 'C' },
    ]);
  });

  it('runs a batch that failed as a whole again one item at a time, so only the failing item fails', async () => {
    const { gc, calls } = harness();
    const answers = Promise.allSettled(['first', 'a', 'b', 'c'].map((id) => gc.submit({ id })));
    calls[0]!.finish();
    await tick();
    calls[1]!.fail(new Error('whole batch'));
    await tick();
    expect(calls.map((x) => x.items).slice(2)).toEqual([['a']]);
    calls[2]!.finish();
    await tick();
    const broken = new Error('b alone');
    calls[3]!.fail(broken);
    await tick();
    calls[4]!.finish();
    expect(await answers).toEqual([
      { status: 'fulfilled', value: 'done first' },
      { status: 'fulfilled', value: 'done a' },
      { status: 'rejected', reason: broken },
      { status: 'fulfilled', value: 'done c' },
    ]);
    expect(calls.map((x) => x.items)).toEqual([['first'], ['a', 'b', 'c'], ['a'], ['b'], ['c']]);
  });

  it('fails the batch and every waiting item at once on a failure all would meet (the database is gone), then serves again', async () => {
    const outage = Object.assign(new Error('connect ECONNREFUSED'), { outage: true });
    const { gc, calls } = harness({ maxBatch: 2, failsAll: (e) => (e as { outage?: boolean }).outage === true });
    const answers = Promise.allSettled(['first', 'a', 'b', 'c'].map((id) => gc.submit({ id })));
    calls[0]!.fail(outage);
    expect((await answers).map((a) => a.status === 'rejected' && a.reason === outage)).toEqual([true, true, true, true]);
    expect(calls).toHaveLength(1);
    expect(gc.waiting).toBe(0);
    const later = gc.submit({ id: 'later' });
    calls[1]!.finish();
    await expect(later).resolves.toBe('done later');
  });

  it('keeps up to maxInFlight batches committing at once', async () => {
    const { gc, calls } = harness({ maxInFlight: 2, maxBatch: 2 });
    const p = ['a', 'b', 'c', 'd', 'e'].map((id) => gc.submit({ id }));
    // The second batch starts at once too: a lone item never waits while a slot is free.
    expect(calls.map((c) => c.items)).toEqual([['a'], ['b']]);
    calls[1]!.finish();
    await tick();
    expect(calls.map((c) => c.items)).toEqual([['a'], ['b'], ['c', 'd']]);
    calls[0]!.finish();
    await tick();
    expect(calls.map((c) => c.items)).toEqual([['a'], ['b'], ['c', 'd'], ['e']]);
    calls[2]!.finish();
    calls[3]!.finish();
    await expect(Promise.all(p)).resolves.toEqual(['done a', 'done b', 'done c', 'done d', 'done e']);
  });

  it('staggered: the next batch forms only once the batch in flight releases (its last statements sent), still holding its keys until it ends', async () => {
    const { gc, calls } = harness({ maxInFlight: 2, maxBatch: 3, staggered: true });
    const p = [
      gc.submit({ id: 'a' }),
      gc.submit({ id: 'b', keys: ['k'] }),
      gc.submit({ id: 'c', keys: ['k'] }), // shares k with b: never in b's batch, nor beside it
      gc.submit({ id: 'd' }),
    ];
    // A second slot is free, but the first batch has not released: all wait (they form one large batch).
    expect(calls.map((c) => c.items)).toEqual([['a']]);
    calls[0]!.release();
    expect(calls.map((c) => c.items)).toEqual([['a'], ['b', 'd']]);
    calls[0]!.release(); // a second call changes nothing
    expect(calls).toHaveLength(2);
    const e = gc.submit({ id: 'e' });
    expect(calls).toHaveLength(2); // b's batch holds back the next until it releases
    calls[0]!.finish();
    await tick();
    expect(calls).toHaveLength(2); // a slot is free, but b's batch still holds
    calls[1]!.release();
    // c still waits for b's key; e goes.
    expect(calls.map((c) => c.items).slice(2)).toEqual([['e']]);
    calls[1]!.finish();
    calls[2]!.finish(); // ended without releasing: that frees the way too
    await tick();
    expect(calls.map((c) => c.items).slice(3)).toEqual([['c']]);
    calls[3]!.finish();
    await expect(Promise.all([...p, e])).resolves.toEqual(['done a', 'done b', 'done c', 'done d', 'done e']);
    expect(gc.waiting).toBe(0);
  });

  it('staggered: never more than maxInFlight batches, released or not', async () => {
    const { gc, calls } = harness({ maxInFlight: 2, maxBatch: 1, staggered: true });
    const p = ['a', 'b', 'c'].map((id) => gc.submit({ id }));
    calls[0]!.release();
    expect(calls.map((c) => c.items)).toEqual([['a'], ['b']]);
    calls[1]!.release();
    expect(calls).toHaveLength(2); // two in flight, both released: c waits for one to end
    calls[0]!.finish();
    await tick();
    expect(calls.map((c) => c.items)).toEqual([['a'], ['b'], ['c']]);
    calls[1]!.finish();
    calls[2]!.finish();
    await expect(Promise.all(p)).resolves.toEqual(['done a', 'done b', 'done c']);
  });

  it('staggered: a batch that fails as a whole before releasing still lets the next form (one item at a time, then the rest)', async () => {
    const { gc, calls } = harness({ maxInFlight: 2, maxBatch: 2, staggered: true });
    const first = gc.submit({ id: 'first' });
    const rest = Promise.allSettled(['a', 'b'].map((id) => gc.submit({ id })));
    calls[0]!.finish();
    await tick();
    expect(calls.map((c) => c.items)).toEqual([['first'], ['a', 'b']]);
    calls[1]!.fail(new Error('one of them'));
    await tick();
    // Run again alone (their keys still held by the failed batch's run): a, then b.
    expect(calls.map((c) => c.items).slice(2)).toEqual([['a']]);
    calls[2]!.fail(new Error('a is the cause'));
    await tick();
    expect(calls.map((c) => c.items).slice(3)).toEqual([['b']]);
    calls[3]!.finish();
    await expect(first).resolves.toBe('done first');
    const settled = await rest;
    expect(settled.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    const later = gc.submit({ id: 'later' });
    expect(calls.map((c) => c.items).slice(4)).toEqual([['later']]);
    calls[4]!.finish();
    await expect(later).resolves.toBe('done later');
  });
});
