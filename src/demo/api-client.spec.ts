import { describe, expect, it } from '@jest/globals';
import { inParallel, turns } from './api-client.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('turns', () => {
  it('runs each item\'s step in the order of the items while the parallel workers reach them in any order', async () => {
    const inTurn = turns();
    const steps: number[] = [];
    let running = 0;
    let overlapped = 0;
    // Item i reaches its step after a delay that falls with i: unordered, the last items would go first.
    await inParallel(Array.from({ length: 12 }, (_, i) => i), 4, async (i) => {
      running++;
      overlapped = Math.max(overlapped, running);
      await tick((12 - i) * 2);
      await inTurn(i, async () => {
        await tick(1);
        steps.push(i);
      });
      running--;
    });
    expect(steps).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(overlapped).toBe(4); // the work around the steps still overlaps
  });

  it('goes on after a step that failed (its error goes to its own caller)', async () => {
    const inTurn = turns();
    const steps: number[] = [];
    const results = await Promise.allSettled([0, 1, 2].map((i) => inTurn(i, async () => {
      if (i === 1) throw new Error('refused');
      steps.push(i);
      return i;
    })));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(steps).toEqual([0, 2]);
  });
});
