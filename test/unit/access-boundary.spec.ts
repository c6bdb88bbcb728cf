// One access layer: who may act on which object is decided in src/access/ only (issue 18). This
// test keeps it so: outside src/access/ no code compares a caller's role or organisation, nor
// verifies a token by itself. The role guard (auth/guards.ts) and the token check (auth.service.ts)
// are the two places that may; the rest ask requireAccess / the *Visibility filters.
import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { matchingLines, sources, SRC } from '../support/source-scan.js';

const ALLOWED = new Set(['src/auth/guards.ts', 'src/auth/auth.service.ts']);
/** A caller's role or organisation compared, a role list asked, or a JWT verified by hand. */
const DECIDES = /\b(user|actor|viewer|caller)\.role\s*(===|!==)|\broles?\.includes\(\s*(user|actor)\.role|\b(user|actor)\.(unitId|enterpriseId|expertId)\s*(===|!==)|===\s*(user|actor)\.(unitId|enterpriseId|expertId)\b|\bjwt\.verify/;

const decisionsOutsideAccess = (files: string[]) => matchingLines(files, DECIDES, ALLOWED);
const outsideAccess = () => sources(SRC, [join(SRC, 'access')]);

describe('access boundary', () => {
  it('no access decision outside src/access/ (the role guard and the token check aside)', () => {
    const files = outsideAccess();
    expect(files.length).toBeGreaterThan(50);
    expect(decisionsOutsideAccess(files)).toEqual([]);
  });

  it('the pattern finds the decisions it is meant to find', () => {
    for (const line of ["if (user.role !== 'organizer') throw AppError.forbidden();", 'if (actor.enterpriseId === entry.enterpriseId) return;',
      'const ok = entry.unitId === user.unitId;', 'await this.jwt.verifyAsync(token)', "if (!roles.includes(user.role)) deny();"]) {
      expect(DECIDES.test(line)).toBe(true);
    }
    expect(DECIDES.test("members.filter((x) => x.role === '组长')")).toBe(false);
  });
});
