import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { USCC_ALPHABET, generateUscc, organizationCodeCheckCharacter, usccCheckCharacter, validateUscc } from './uscc.js';

// A small seeded generator so that fast-check controls (and can shrink) the randomness.
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const codeOf = (result: ReturnType<typeof validateUscc>): string | undefined => (result.valid ? undefined : result.code);

describe('validateUscc', () => {
  it('accepts real codes', () => {
    expect(validateUscc('91350100M000100Y43')).toEqual({ valid: true });
    expect(validateUscc('91110000600037341L')).toEqual({ valid: true });
    expect(validateUscc('914403001922038216')).toEqual({ valid: true });
  });

  it('computes the check character', () => {
    expect(usccCheckCharacter('91350100M000100Y4')).toBe('3');
    expect(usccCheckCharacter('91110000600037341')).toBe('L');
    expect(() => usccCheckCharacter('9135')).toThrow(RangeError);
  });

  it('computes the GB 11714 organisation-code check, including X and 0', () => {
    expect(organizationCodeCheckCharacter('M000100Y')).toBe('4');
    expect(organizationCodeCheckCharacter('19220382')).toBe('1');
    // 1·3 = 3 → 11 − 3 = 8;  sum 0 → 11 → '0';  4·3 = 12 ≡ 1 → 10 → 'X';  A = 10: 10·3 = 30 ≡ 8 → 3
    expect(organizationCodeCheckCharacter('10000000')).toBe('8');
    expect(organizationCodeCheckCharacter('00000000')).toBe('0');
    expect(organizationCodeCheckCharacter('40000000')).toBe('X');
    expect(organizationCodeCheckCharacter('A0000000')).toBe('3');
  });

  it('refuses a wrong check character', () => {
    const result = validateUscc('91350100M000100Y44');
    expect(result).toMatchObject({ valid: false, code: 'uscc_check_character', position: 18 });
  });

  it('refuses lower case with its own code instead of fixing it', () => {
    expect(codeOf(validateUscc('91350100m000100y43'))).toBe('uscc_lowercase');
  });

  it('refuses the wrong length', () => {
    expect(codeOf(validateUscc('91350100M000100Y4'))).toBe('uscc_length');
    expect(codeOf(validateUscc('91350100M000100Y433'))).toBe('uscc_length');
    expect(codeOf(validateUscc(' 91350100M000100Y43'))).toBe('uscc_length');
    expect(codeOf(validateUscc(''))).toBe('uscc_length');
  });

  it('refuses letters outside the alphabet (I, O, Z, S, V) and punctuation', () => {
    expect(validateUscc('91350100M000100I43')).toMatchObject({ code: 'uscc_charset', position: 16 });
    expect(codeOf(validateUscc('91350100O000100Y43'))).toBe('uscc_charset');
    expect(codeOf(validateUscc('91350100M000100Y4-'))).toBe('uscc_charset');
  });

  it('refuses an unknown registration authority, organisation type or a non-digit division', () => {
    expect(codeOf(validateUscc('B1350100M000100Y43'))).toBe('uscc_registration_authority');
    expect(codeOf(validateUscc('94350100M000100Y43'))).toBe('uscc_organization_type');
    expect(codeOf(validateUscc('Y2350100M000100Y43'))).toBe('uscc_organization_type');
    expect(validateUscc('9135A100M000100Y43')).toMatchObject({ code: 'uscc_division', position: 5 });
  });

  it('checks the organisation code unless told not to', () => {
    const first17 = '91350100M000100Y5'; // organisation check should be 4
    const code = first17 + usccCheckCharacter(first17);
    expect(codeOf(validateUscc(code))).toBe('uscc_organization_code');
    expect(validateUscc(code, { organizationCodeCheck: false })).toEqual({ valid: true });
  });

  it('refuses a value that is not a string without throwing', () => {
    expect(codeOf(validateUscc(42 as unknown as string))).toBe('uscc_not_string');
  });
});

describe('generateUscc', () => {
  it('generates valid codes', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const code = generateUscc(mulberry32(seed));
        expect(validateUscc(code)).toEqual({ valid: true });
      }),
      { numRuns: 200 },
    );
  });

  it('works with Math.random', () => {
    for (let i = 0; i < 50; i++) expect(validateUscc(generateUscc(Math.random)).valid).toBe(true);
  });

  it('refuses any single-character change of a valid code', () => {
    const replacement = fc.constantFrom(...(USCC_ALPHABET + 'abcxyzIOZSV-_ 中').split(''));
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 17 }), replacement, (seed, position, ch) => {
        const code = generateUscc(mulberry32(seed));
        fc.pre(code[position] !== ch);
        const changed = code.slice(0, position) + ch + code.slice(position + 1);
        expect(validateUscc(changed).valid).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws and only accepts codes in the alphabet', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 16, maxLength: 20 }), (code) => {
        const result = validateUscc(code);
        if (result.valid) expect(code).toMatch(/^[0-9A-HJ-NPQRTUWXY]{18}$/);
      }),
      { numRuns: 200 },
    );
  });
});
