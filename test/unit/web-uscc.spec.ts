// web/uscc.js (the registration page's check as typed) must judge every code exactly as the
// server's validateUscc does: same verdict, same error code, message and position.
import { beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateUscc, organizationCodeCheckCharacter as orgCheck, USCC_ALPHABET, usccCheckCharacter, validateUscc } from '../../src/judging/uscc.js';

type Validate = (code: unknown) => unknown;
let browserValidate: Validate;

beforeAll(async () => {
  // A path built at run time: the browser module has no type declarations (and needs none here).
  const url = pathToFileURL(join(process.cwd(), 'web', 'uscc.js')).href;
  browserValidate = ((await import(url)) as { validateUscc: Validate }).validateUscc;
});

const usccChar = fc.constantFrom(...USCC_ALPHABET.split(''));
/** Mostly near-valid codes (so the later checks are reached), some arbitrary strings. */
const codes = fc.oneof(
  fc.string({ minLength: 0, maxLength: 20 }),
  fc.array(fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcz-'.split('')), { minLength: 18, maxLength: 18 }).map((a) => a.join('')),
  fc.array(usccChar, { minLength: 18, maxLength: 18 }).map((a) => a.join('')),
  fc.integer({ min: 0, max: 2 ** 31 - 1 }).map((seed) => {
    let s = seed;
    return generateUscc(() => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31));
  }),
  // A valid code with one character changed: the check characters must catch it alike.
  fc.tuple(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 17 }), usccChar).map(([seed, at, ch]) => {
    let s = seed;
    const code = generateUscc(() => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31));
    return code.slice(0, at) + ch + code.slice(at + 1);
  }),
);

describe('web/uscc.js', () => {
  it('agrees with the server on many codes', () => {
    fc.assert(fc.property(codes, (code) => { expect(browserValidate(code)).toEqual(validateUscc(code)); }), { numRuns: 5000 });
  });

  it('accepts generated codes and every authority/type prefix with correct check characters', () => {
    for (const prefix of ['11', '12', '13', '19', '21', '29', '31', '35', '39', '51', '52', '53', '59', '61', '62', '71', '72', '81', '91', '92', '93', 'A1', 'A9', 'N1', 'N3', 'N9', 'Y1', '94', 'Y2', 'B1', '01']) {
      const first17 = `${prefix}120116MA05K1234`;
      // 9–17: a body with its GB 11714 check character.
      const body = first17.slice(8, 16);
      const withOrg = first17.slice(0, 16) + orgCheck(body);
      const code = withOrg + usccCheckCharacter(withOrg);
      expect(browserValidate(code)).toEqual(validateUscc(code));
    }
    expect(browserValidate('91120116MA05K1230X')).toEqual(validateUscc('91120116MA05K1230X'));
    expect(browserValidate(42)).toEqual(validateUscc(42 as unknown as string));
  });
});

