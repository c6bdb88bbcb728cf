import { describe, expect, it } from '@jest/globals';
import type { EntityManager } from 'typeorm';
import type { PasswordVerdict } from '../auth/password-strength.js';
import { passwordProblems, prejudgePassword, type Prejudged } from './password-policy.js';

/** A manager whose contests table holds these names (newest first). */
const withContests = (...names: string[]) => ({ query: async () => names.map((name) => ({ name })) }) as unknown as EntityManager;
const fake = (p: Prejudged, verdict: PasswordVerdict): Prejudged => ({ ...p, verdict: Promise.resolve(verdict) });
const WEAK = { ok: false, score: 0, reason: 'predictable', text: { zh: '（假）', en: '(fake)' } } as unknown as PasswordVerdict;

describe('prejudged passwords', () => {
  const context = { username: 'ent001', displayName: '天津滨海港口有限公司', personal: ['天津滨海港口有限公司'] };

  it('judges against what is on file before the transaction, with the verdict the transaction would reach', async () => {
    const m = withContests('2020年滨海新区质量攻关活动');
    const p = await prejudgePassword(m, 'Go2020年滨海新区质量攻关活动', context);
    expect(p.context.contestNames).toEqual(['2020年滨海新区质量攻关活动']);
    expect((await p.verdict).ok).toBe(false);
    expect(await passwordProblems(m, 'Go2020年滨海新区质量攻关活动', context, 'password', p)).toEqual(await passwordProblems(m, 'Go2020年滨海新区质量攻关活动', context));
  });

  it('uses the verdict when the transaction reads the same context, and judges again when it changed meanwhile', async () => {
    const m = withContests('2021年度活动');
    const weak = fake(await prejudgePassword(m, 'Lighthouse-Harbor-2021', context), WEAK);
    // The same context: the (fake) verdict is the one used.
    expect(await passwordProblems(m, 'Lighthouse-Harbor-2021', context, 'password', weak)).toMatchObject([{ field: 'password', code: 'weak_password', text: { en: '(fake)' } }]);
    // A contest created between the two reads, another display name, another password: judged again.
    expect(await passwordProblems(withContests('Lighthouse', '2021年度活动'), 'Lighthouse-Harbor-2021', context, 'password', weak)).toMatchObject([{ code: 'weak_password', text: { en: expect.not.stringContaining('fake') } }]);
    expect(await passwordProblems(m, 'Lighthouse-Harbor-2021', { ...context, displayName: '另一家' }, 'password', weak)).toEqual([]);
    expect(await passwordProblems(m, 'another-Harbor-2021', context, 'password', weak)).toEqual([]);
  });
});
