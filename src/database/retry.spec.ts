import { describe, expect, it } from '@jest/globals';
import { QueryFailedError } from 'typeorm';
import { isRetryableRace, MAX_ATTEMPTS, RaceLost, retrying } from './retry.js';
import { isTransient } from './db-errors.js';

const deadlock = () => new QueryFailedError('UPDATE x', [], Object.assign(new Error('Deadlock found'), { code: 'ER_LOCK_DEADLOCK', errno: 1213 }) as unknown as Error);
const duplicate = () => new QueryFailedError('INSERT x', [], Object.assign(new Error('Duplicate entry'), { code: 'ER_DUP_ENTRY', errno: 1062 }) as unknown as Error);

describe('retrying: the one retry mechanism', () => {
  it('runs again after a retryable error and answers the first success', async () => {
    let calls = 0;
    const out = await retrying(async () => {
      calls++;
      if (calls < 3) throw deadlock();
      return 'ok';
    }, isTransient);
    expect(out).toBe('ok');
    expect(calls).toBe(3);
  });

  it('spends at most MAX_ATTEMPTS attempts in all, then throws what `exhausted` makes of the last error', async () => {
    let calls = 0;
    const gaveUp = new Error('gave up');
    await expect(
      retrying(
        async () => {
          calls++;
          throw new RaceLost();
        },
        isRetryableRace,
        () => gaveUp,
      ),
    ).rejects.toBe(gaveUp);
    expect(calls).toBe(MAX_ATTEMPTS);
  });

  it('throws a non-retryable error at once, and the last retryable one when no `exhausted` is given', async () => {
    let calls = 0;
    const boom = new Error('boom');
    await expect(retrying(async () => { calls++; throw boom; }, isRetryableRace)).rejects.toBe(boom);
    expect(calls).toBe(1);
    await expect(retrying(async () => { throw deadlock(); }, isTransient)).rejects.toBeInstanceOf(QueryFailedError);
  });

  it('races are lost races, deadlocks and duplicate first inserts; plain transactions retry only deadlocks', () => {
    expect(isRetryableRace(new RaceLost())).toBe(true);
    expect(isRetryableRace(duplicate())).toBe(true);
    expect(isRetryableRace(deadlock())).toBe(true);
    expect(isTransient(duplicate())).toBe(false);
    expect(isRetryableRace(new Error('x'))).toBe(false);
  });
});
