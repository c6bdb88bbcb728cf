import { describe, expect, it } from '@jest/globals';
import { createdInOrder } from './api-client.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('createdInOrder', () => {
  it('creates the items one at a time in their order, then does the rest of their work `limit` at a time', async () => {
    const events: string[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const flight = async <T>(fn: () => Promise<T>): Promise<T> => {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      try {
        return await fn();
      } finally {
        inFlight--;
      }
    };
    const items = Array.from({ length: 10 }, (_, i) => i);
    // Later items are created faster and their rest is quicker: only the order of the calls keeps them in order.
    const out = await createdInOrder(
      items,
      3,
      (i) => flight(async () => {
        await tick((10 - i) * 2);
        events.push(`create ${i}`);
        return { id: 100 + i };
      }),
      (created, i, index) => flight(async () => {
        expect(mostInFlight).toBeLessThanOrEqual(3);
        await tick((10 - i) * 2);
        events.push(`rest ${i}`);
        return `${index}:${created.id}`;
      }),
    );
    expect(events.slice(0, 10)).toEqual(items.map((i) => `create ${i}`));
    expect(events.slice(10).sort()).toEqual(items.map((i) => `rest ${i}`).sort());
    expect(out).toEqual(items.map((i) => `${i}:${100 + i}`));
    expect(mostInFlight).toBe(3); // the rest overlaps, up to the limit
  });

  it('creates nothing after a creation that failed, and makes none of the rest', async () => {
    const created: number[] = [];
    let rest = 0;
    await expect(
      createdInOrder(
        [0, 1, 2],
        2,
        async (i) => {
          if (i === 1) throw new Error('refused');
          created.push(i);
          return i;
        },
        async () => {
          rest++;
        },
      ),
    ).rejects.toThrow('refused');
    expect(created).toEqual([0]);
    expect(rest).toBe(0);
  });
});
