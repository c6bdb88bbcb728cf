// The audit screen names every action in Chinese: each action string the server writes (src/, not
// the tests) must have a label in web/screens/org-audit.js's ACTIONS, or a new action would show as
// 其他操作 with its code only in the technical fold.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') && !p.endsWith('.spec.ts') ? [p] : [];
  });
}

/** Action strings in src/: `action: '…'`, dotted literals on lines about actions, and the two built from templates. */
function serverActions(): Set<string> {
  const found = new Set<string>();
  for (const file of sources(join(process.cwd(), 'src'))) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      for (const m of line.matchAll(/action: '([a-z_]+(?:\.[a-z_]+)+)'/g)) found.add(m[1]!);
      if (/action/i.test(line) && !/^\s*(\/\/|\*|\/\*\*)/.test(line)) {
        for (const m of line.matchAll(/'([a-z_]+(?:\.[a-z_]+)+)'/g)) found.add(m[1]!);
      }
      // `${targetType}.registration_attempt` (enterprise, user) and `enterprise.${approve|reject}`.
      if (line.includes('`${targetType}.registration_attempt`')) { found.add('enterprise.registration_attempt'); found.add('user.registration_attempt'); }
      if (line.includes("action: `enterprise.${to === 'approved' ? 'approve' : 'reject'}`")) { found.add('enterprise.approve'); found.add('enterprise.reject'); }
    }
  }
  return found;
}

function screenLabels(): Set<string> {
  const src = readFileSync(join(process.cwd(), 'web', 'screens', 'org-audit.js'), 'utf8');
  const block = src.slice(src.indexOf('const ACTIONS = {'), src.indexOf('};', src.indexOf('const ACTIONS = {')));
  return new Set([...block.matchAll(/'([a-z_]+(?:\.[a-z_]+)+)': '[^']+'/g)].map((m) => m[1]!));
}

describe('audit screen labels', () => {
  it('name every action the server writes', () => {
    const actions = serverActions();
    // The scan finds what it should (a change in how actions are written would empty it).
    for (const a of ['entry.submit', 'entry.resubmit', 'review.pass', 'enterprise.approve', 'user.registration_attempt', 'sheet.reopen']) expect(actions).toContain(a);
    const labels = screenLabels();
    expect([...actions].filter((a) => !labels.has(a)).sort()).toEqual([]);
  });
});
