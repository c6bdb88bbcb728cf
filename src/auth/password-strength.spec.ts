import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import fc from 'fast-check';
import { hashPassword } from './password.js';
import { forgetEstimates, judgePassword, MIN_PASSWORD_SCORE, type PasswordContext, WEAK_PASSWORD_TEXT, type WeakPasswordReason, warmUpPasswordStrength } from './password-strength.js';

const reason = (password: string, context = {}) => judgePassword(password, context).reason;

describe('judgePassword', () => {
  it('refuses what the tester found accepted: password, 12345678, the username itself', () => {
    expect(judgePassword('password')).toEqual({ ok: false, score: 0, reason: 'common_password', text: WEAK_PASSWORD_TEXT.common_password });
    expect(reason('12345678')).toBe('common_password');
    expect(reason('zhao.qiming', { username: 'zhao.qiming' })).toBe('contains_username');
  });

  it('refuses a password containing the username, display name, a contest name or the organisation, whatever its score', () => {
    // Strong on its own (score 4), refused only because of whose it is.
    const strong = 'Qc-评审-2026-北辰!';
    expect(judgePassword(strong).ok).toBe(true);
    expect(reason(`${strong}ent042`, { username: 'ent042' })).toBe('contains_username');
    expect(reason(`ENT042-${strong}`, { username: 'ent042' })).toBe('contains_username');
    // A password that is most of a long username is refused too.
    expect(reason('haihe-lantern', { username: 'haihe-lantern-2026' })).toBe('contains_username');
    expect(reason(`张伟-${strong}`, { displayName: '张伟' })).toBe('contains_display_name');
    expect(reason(`${strong}钱七（质量部）`, { displayName: '钱七 （质量部）' })).toBe('contains_display_name');
    expect(reason(`2026年滨海新区质量攻关成果评比!`, { contestNames: ['2026年滨海新区质量攻关成果评比'] })).toBe('contains_contest_name');
    expect(reason(`x${strong}天津精密制造有限公司`, { personal: ['天津精密制造有限公司'] })).toBe('contains_personal_info');
    // Too short to count as "containing" (a 2-letter username, one Chinese character).
    expect(judgePassword(strong, { username: 'qc', displayName: '评' }).ok).toBe(true);
  });

  it('finds the username l33ted or as a fragment through zxcvbn', () => {
    expect(judgePassword('Zh40qim1ng!', { username: 'zhaoqiming' }).ok).toBe(false);
  });

  it('says why in Chinese, for each kind of weakness', () => {
    const cases: [string, WeakPasswordReason][] = [
      ['short1!', 'too_short'],
      ['xk3#9qZ!', 'too_short'],
      ['woaini1314', 'common_password'],
      ['zhangwei1990', 'common_word'],
      ['wangfang123', 'common_word'],
      ['Zh4ngW31!!', 'common_word'],
      ['zhiliang2020', 'product_word'],
      ['pingshen666', 'product_word'],
      ['13812345678', 'phone_number'],
      ['my15900001111', 'phone_number'],
      ['19900101', 'date'],
      ['mnopqrstuv', 'sequence'],
      ['abcabcabcabc', 'repeat'],
      ['zxcvbnm,./', 'keyboard_pattern'],
    ];
    for (const [password, why] of cases) {
      const verdict = judgePassword(password);
      expect({ password, ok: verdict.ok, reason: verdict.reason }).toEqual({ password, ok: false, reason: why });
      expect(verdict.score).toBeLessThan(MIN_PASSWORD_SCORE);
      expect(verdict.text!.zh).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(WEAK_PASSWORD_TEXT.phone_number.zh).toContain('手机号码');
    expect(WEAK_PASSWORD_TEXT.contains_username.zh).toContain('用户名');
  });

  it('accepts strong ones: the fixtures and demo passwords of this repository among them', () => {
    for (const password of [
      'Qc-评审-2026-北辰!', 'Amber-海河-Lantern-42', 'Tern-海河-钥匙-7391!', 'Binhai-Lighthouse-2020', 'Binhai-Harbor-2020',
      'correct horse battery staple', 'Gx7#kQ2!vLm9', 'Bench-海河-Lantern-42', 'Bench-渤海-Beacon-71',
    ]) {
      const verdict = judgePassword(password, { username: 'organizer', displayName: '滨海新区质量工作领导小组办公室', contestNames: ['2020年天津市滨海新区质量攻关成果评比'] });
      expect({ password, ...verdict }).toEqual({ password, ok: true, score: expect.any(Number), reason: null, text: null });
      expect(verdict.score).toBeGreaterThanOrEqual(MIN_PASSWORD_SCORE);
    }
  });

  it('checks in far less time than one password hash (the estimator is built once)', async () => {
    warmUpPasswordStrength();
    const typical = ['password', '12345678', 'Qc-评审-2026-北辰!', '13812345678', 'zhangwei1990', 'Amber-海河-Lantern-42', 'xk3#9qZ!', 'correct horse battery staple'];
    const ctx = { username: 'ent042', displayName: '钱七', contestNames: ['2026年滨海新区质量攻关成果评比'] };
    for (const p of typical) judgePassword(p, ctx); // JIT
    let t0 = performance.now();
    const rounds = 10;
    for (let r = 0; r < rounds; r++) for (const p of typical) judgePassword(`${p}${r}`, ctx);
    const perCheck = (performance.now() - t0) / (rounds * typical.length);
    t0 = performance.now();
    for (let i = 0; i < 5; i++) await hashPassword(`Amber-海河-Lantern-42${i}`);
    const perHash = (performance.now() - t0) / 5;
    console.log(`password strength: ${perCheck.toFixed(2)} ms per check, argon2id ${perHash.toFixed(1)} ms per hash`);
    // Measured side by side, so a loaded machine slows both: the check costs a fraction of the hash.
    expect(perCheck).toBeLessThan(perHash / 2);
  });
});

describe('judgePassword, one password for many accounts', () => {
  afterEach(() => {
    jest.restoreAllMocks();
    forgetEstimates();
  });
  const estimates = () => jest.spyOn(ZxcvbnFactory.prototype, 'check');

  it('estimates a password once for a batch of accounts whose details do not occur in it, again for one whose do', () => {
    const check = estimates();
    const accounts = Array.from({ length: 12 }, (_, i) => ({ username: `ent${String(i + 1).padStart(3, '0')}`, displayName: `天津滨海第${i + 1}精密机械有限公司` }));
    for (const a of accounts) expect(judgePassword('Binhai-Lighthouse-2020', a)).toEqual({ ok: true, score: expect.any(Number), reason: null, text: null });
    expect(check).toHaveBeenCalledTimes(1);
    // The contest's year, `zozo` and `esuoh` occur in the password as it is, l33ted (2 → z, 0 → o) and reversed: estimated with them.
    judgePassword('Binhai-Lighthouse-2020', { username: 'zozo' });
    judgePassword('Binhai-Lighthouse-2020', { username: 'expert01', contestNames: ['2020年滨海新区质量攻关活动'] });
    judgePassword('Binhai-Lighthouse-2020', { username: 'esuoh' });
    expect(check).toHaveBeenCalledTimes(4);
    // … and such an estimate is not taken for the next account.
    judgePassword('Binhai-Lighthouse-2020', { username: 'ent013' });
    expect(check).toHaveBeenCalledTimes(4);
    // A refused password too: the same reason for every account.
    expect(judgePassword('zhangwei1990', { username: 'ent001' }).reason).toBe('common_word');
    expect(judgePassword('zhangwei1990', { username: 'ent002' }).reason).toBe('common_word');
    expect(check).toHaveBeenCalledTimes(5);
  });

  it('forgets after a minute, and keeps no more than the last sixteen passwords', () => {
    const check = estimates();
    const now = jest.spyOn(performance, 'now').mockReturnValue(1_000_000);
    judgePassword('Binhai-Lighthouse-2020', { username: 'ent001' });
    now.mockReturnValue(1_059_000);
    judgePassword('Binhai-Lighthouse-2020', { username: 'ent002' });
    expect(check).toHaveBeenCalledTimes(1);
    now.mockReturnValue(1_060_001);
    judgePassword('Binhai-Lighthouse-2020', { username: 'ent003' });
    expect(check).toHaveBeenCalledTimes(2);
    for (let i = 0; i < 16; i++) judgePassword(`Amber-海河-Lantern-${i}`, { username: 'ent001' });
    expect(check).toHaveBeenCalledTimes(18);
    judgePassword('Binhai-Lighthouse-2020', { username: 'ent004' }); // the seventeenth most recent: forgotten
    judgePassword('Amber-海河-Lantern-15', { username: 'ent004' }); // remembered
    expect(check).toHaveBeenCalledTimes(19);
  });

  it('gives every account the verdict it gets when its password is judged for it alone (property)', () => {
    warmUpPasswordStrength();
    const pieces = ['love', 'dragon', 'zhang', 'wei', 'qc', 'lighthouse', 'l1ghth0use', 'binhai', 'b1nh4i', 'harbor', 'ent', '2020', '2o2o', 'admin',
      'esuoh', 'rotcurtsnoc', 'constructor', '__proto__', 'abcabc', 'qwerty', '1990', '13812345678', '-', '!', '@', '$', ' ', '滨海', '质量', 'Zh40', 'Q'];
    const piece = fc.constantFrom(...pieces);
    const password = fc.array(piece, { minLength: 1, maxLength: 6 }).map((p) => p.join(''));
    const reversed = (t: string) => [...t].reverse().join('');
    const unl33ted = (t: string) => t.toLowerCase().replace(/0/g, 'o').replace(/2/g, 'z').replace(/1/g, 'i').replace(/4/g, 'a').replace(/3/g, 'e').replace(/[$5]/g, 's').replace(/@/g, 'a');
    // The user's details: arbitrary words, and pieces of the password as it is, reversed and l33ted (those are what can change an estimate).
    const contexts = (p: string) => {
      const pieceOf = (t: string) => fc.tuple(fc.nat(t.length), fc.integer({ min: 1, max: 6 })).map(([i, n]) => t.slice(i, i + n) || t);
      const word = fc.oneof(piece, fc.string({ minLength: 1, maxLength: 8 }), fc.stringMatching(/^ent\d{3}$/), pieceOf(p), pieceOf(reversed(p)), pieceOf(unl33ted(p)), pieceOf(reversed(unl33ted(p))));
      const context: fc.Arbitrary<PasswordContext> = fc.record({
        username: fc.option(word, { nil: undefined }),
        displayName: fc.option(fc.array(word, { minLength: 1, maxLength: 3 }).map((w) => w.join(' ')), { nil: undefined }),
        contestNames: fc.option(fc.array(fc.constantFrom('2020年滨海新区质量攻关活动', '2026年滨海新区质量攻关成果评比', 'Lighthouse Cup'), { maxLength: 2 }), { nil: undefined }),
      });
      return fc.array(context, { minLength: 2, maxLength: 4 });
    };
    fc.assert(
      fc.property(password.chain((p) => fc.tuple(fc.constant(p), contexts(p))), ([p, cs]) => {
        const alone = cs.map((c) => {
          forgetEstimates();
          return judgePassword(p, c);
        });
        forgetEstimates();
        // One after another, as a batch of accounts is created: each may reuse the estimate of an earlier one.
        expect(cs.map((c) => judgePassword(p, c))).toEqual(alone);
      }),
      { numRuns: 300, seed: 2020 },
    );
  });
});
