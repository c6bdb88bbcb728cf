// One access layer: who may act on which object is decided in src/access/ only (issue 18). This
// test keeps it so: outside src/access/ no code compares a caller's role or organisation, nor
// verifies a token by itself. The role guard (auth/guards.ts) and the token check (auth.service.ts)
// are the two places that may; the rest ask requireAccess / the *Visibility filters.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(process.cwd(), 'src');
const ALLOWED = new Set(['src/auth/guards.ts', 'src/auth/auth.service.ts']);
/** A caller's role or organisation compared, a role list asked, or a JWT verified by hand. */
const DECIDES = /\b(user|actor|viewer|caller)\.role\s*(===|!==)|\broles?\.includes\(\s*(user|actor)\.role|\b(user|actor)\.(unitId|enterpriseId|expertId)\s*(===|!==)|===\s*(user|actor)\.(unitId|enterpriseId|expertId)\b|\bjwt\.verify/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return path.endsWith(join('src', 'access')) ? [] : sources(path);
    return d.name.endsWith('.ts') && !d.name.endsWith('.spec.ts') ? [path] : [];
  });
}

function decisionsOutsideAccess(files: string[]): string[] {
  const out: string[] = [];
  for (const file of files) {
    const rel = relative(process.cwd(), file).split('\\').join('/');
    if (ALLOWED.has(rel)) continue;
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, '');
      if (DECIDES.test(code)) out.push(`${rel}:${i + 1}: ${line.trim()}`);
    });
  }
  return out;
}

describe('access boundary', () => {
  it('no access decision outside src/access/ (the role guard and the token check aside)', () => {
    expect(decisionsOutsideAccess(sources(SRC))).toEqual([]);
  });

  it('the pattern finds the decisions it is meant to find', () => {
    for (const line of ["if (user.role !== 'organizer') throw AppError.forbidden();", 'if (actor.enterpriseId === entry.enterpriseId) return;',
      'const ok = entry.unitId === user.unitId;', 'await this.jwt.verifyAsync(token)', "if (!roles.includes(user.role)) deny();"]) {
      expect(DECIDES.test(line)).toBe(true);
    }
    expect(DECIDES.test("members.filter((x) => x.role === '组长')")).toBe(false);
  });
});
