import { describe, expect, it } from '@jest/globals';
import { hashPassword } from './password.js';
import { judgePassword, MIN_PASSWORD_SCORE, WEAK_PASSWORD_TEXT, type WeakPasswordReason, warmUpPasswordStrength } from './password-strength.js';

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
