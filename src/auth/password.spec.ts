import { describe, expect, it } from '@jest/globals';
import { hashOnceForAll, hashPassword, verifyPassword } from './password.js';

describe('password hashes', () => {
  it('are argon2id at the fixed parameters, a new salt each time', async () => {
    const [a, b] = await Promise.all([hashPassword('Lighthouse-Harbor-2021'), hashPassword('Lighthouse-Harbor-2021')]);
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(a).not.toEqual(b);
    expect(await verifyPassword(a, 'Lighthouse-Harbor-2021')).toBe(true);
    expect(await verifyPassword(a, 'Lighthouse-Harbor-2022')).toBe(false);
  });

  it("the demo's one password (hashOnceForAll): one hash, same parameters, for every account; any other password as always", async () => {
    hashOnceForAll('Binhai-Lighthouse-2020');
    const [a, b] = await Promise.all([hashPassword('Binhai-Lighthouse-2020'), hashPassword('Binhai-Lighthouse-2020')]);
    expect(a).toEqual(b);
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(await verifyPassword(a, 'Binhai-Lighthouse-2020')).toBe(true);
    const [c, d] = await Promise.all([hashPassword('Binhai-Lighthouse-2021'), hashPassword('Binhai-Lighthouse-2021')]);
    expect(c).not.toEqual(d);
    expect(await verifyPassword(c, 'Binhai-Lighthouse-2020')).toBe(false);
  });
});
