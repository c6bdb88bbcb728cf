import { describe, expect, it } from '@jest/globals';
import { Worker } from 'node:worker_threads';
import { SetClock } from './clock.js';

describe('SetClock', () => {
  it('stands still (fixed) or runs on (from) from where it is set, before and after 1970 and far ahead', () => {
    for (const at of ['2020-06-01T01:00:00Z', '1969-07-20T20:17:40Z', '2100-01-01T00:00:00.123Z']) {
      const fixed = new SetClock(new Date(at), false);
      expect(fixed.now().toISOString()).toBe(new Date(at).toISOString());
      expect(fixed.running).toBe(false);
      const running = new SetClock(new Date(at), true);
      expect(running.running).toBe(true);
      const drift = running.now().getTime() - new Date(at).getTime();
      expect(drift).toBeGreaterThanOrEqual(0);
      expect(drift).toBeLessThan(1000);
    }
  });

  it('is the same clock in another thread: moved there, it shows here', async () => {
    const clock = new SetClock(new Date('2020-06-01T01:00:00Z'), false);
    const mirror = SetClock.shared(clock.buffer);
    mirror.set('2021-09-16T06:30:00Z', false);
    expect(clock.now().toISOString()).toBe('2021-09-16T06:30:00.000Z');
    // A real thread writing the same memory layout (count, high, low, running), as SetClock.set does.
    const code = `
      const { workerData, parentPort } = require('node:worker_threads');
      const c = new Int32Array(workerData);
      const v = Date.parse('2022-01-01T00:00:00Z'); const high = Math.floor(v / 2 ** 32);
      Atomics.add(c, 0, 1); Atomics.store(c, 1, high); Atomics.store(c, 2, v - high * 2 ** 32); Atomics.store(c, 3, 0); Atomics.add(c, 0, 1);
      parentPort.postMessage('set');`;
    const w = new Worker(code, { eval: true, workerData: clock.buffer });
    await new Promise((ok) => w.once('message', ok));
    await w.terminate();
    expect(clock.now().toISOString()).toBe('2022-01-01T00:00:00.000Z');
    expect(mirror.running).toBe(false);
  });
});
