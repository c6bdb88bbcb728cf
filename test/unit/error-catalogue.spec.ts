// The error catalogues (issue 18): every code has a Chinese and an English text, no two catalogues
// define the same code, and no source file outside the catalogues writes an inline `zh:` text.
import { describe, expect, it } from '@jest/globals';
import { CATALOGUES, MESSAGES, messageFor, wrongPhase } from '../../src/common/errors.js';
import { matchingLines, sources, SRC } from '../support/source-scan.js';

/**
 * Not scanned: the catalogues themselves; and the password-strength
 * advice (src/auth/password-strength.ts), which is not an error but the feedback that tells a user
 * how to choose a better password — a table of advice beside the rule that picks it, like the
 * phase blockers of src/judging.
 */
const SKIP_DIRS: string[] = [];
const ALLOWED = new Set(['src/auth/password-strength.ts']);
const INLINE_ZH = /\bzh:\s*[`'"]/;

describe('error catalogues', () => {
  it('give every code a Chinese and an English text', () => {
    const codes = Object.keys(MESSAGES);
    expect(codes.length).toBeGreaterThan(100);
    for (const [code, text] of Object.entries(MESSAGES)) {
      expect([code, typeof text.zh, typeof text.en]).toEqual([code, 'string', 'string']);
      expect([code, text.zh.trim().length > 0, text.en.trim().length > 0]).toEqual([code, true, true]);
      expect([code, /[\u4e00-\u9fff]/.test(text.zh)]).toEqual([code, true]);
      expect(code).toMatch(/^[a-z][a-z0-9_]*$/);
    }
  });

  it('define each code in one catalogue only', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const [name, catalogue] of Object.entries(CATALOGUES)) {
      for (const code of Object.keys(catalogue)) {
        if (seen.has(code)) twice.push(`${code}: ${seen.get(code)} and ${name}`);
        seen.set(code, name);
      }
    }
    expect(twice).toEqual([]);
    expect(new Set(seen.keys())).toEqual(new Set(Object.keys(MESSAGES)));
  });

  it('leave no inline zh: text in a source file outside the *.errors.ts catalogues', () => {
    const files = sources(SRC, SKIP_DIRS).filter((f) => !f.endsWith('.errors.ts'));
    expect(files.length).toBeGreaterThan(50);
    expect(matchingLines(files, INLINE_ZH, ALLOWED)).toEqual([]);
  });

  it('the scan catches an inline text and lets a catalogue reference through', () => {
    expect(["{ zh: '成果不存在', en: 'x' }", 'zh: `第 ${n} 行`', 'zh:"x"'].every((c) => INLINE_ZH.test(c))).toBe(true);
    expect(['T.entryNotFound', 'p.zh', "messageFor(code, 'zh')", 'zh: text.zh'].some((c) => INLINE_ZH.test(c))).toBe(false);
  });

  it('build one wrong_phase text from the phase labels', () => {
    const one = wrongPhase('review', 'presentation');
    expect([one.status, one.code, one.details]).toEqual([409, 'wrong_phase', { phase: 'review', needs: 'presentation' }]);
    expect(messageFor(one.code, 'zh', one.text)).toBe('评比处于「材料初审」阶段，此操作须在「现场发表」阶段进行');
    expect(messageFor(one.code, 'en', one.text)).toBe('Not allowed in phase review; needs presentation');
    const two = wrongPhase('draft', ['open', 'review']);
    expect(messageFor(two.code, 'zh', two.text)).toBe('评比处于「筹备」阶段，此操作须在「申报」或「材料初审」阶段进行');
    expect(two.details).toEqual({ phase: 'draft', needs: ['open', 'review'] });
  });

  it('falls back to the catalogue text when a throw site passes only the code', () => {
    expect(messageFor('entry_not_withdrawable', 'zh')).toBe(MESSAGES.entry_not_withdrawable.zh);
    expect(messageFor('entry_not_withdrawable', 'en')).toBe(MESSAGES.entry_not_withdrawable.en);
  });
});
