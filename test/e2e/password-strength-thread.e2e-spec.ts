// The password strength check as the built service runs it: in its worker thread
// (src/auth/password-strength-thread.ts). Under ts-jest there is no compiled worker file, so every
// other test judges in the test's own thread; this one runs the BUILT module (dist/, `npm run build`
// first, as CI does) in a child process and holds the worker's verdicts to the pure judge's.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { judgePassword, type PasswordContext } from '../../src/auth/password-strength.js';

const built = join(process.cwd(), 'dist/src/auth/password-strength-thread.js');

const CASES: { password: string; context: PasswordContext }[] = [
  { password: 'Lighthouse-Harbor-2021', context: { username: 'ent_0001', displayName: '滨海精工' } },
  { password: 'password123', context: {} },
  { password: 'Go2020年滨海新区质量攻关活动', context: { contestNames: ['2020年滨海新区质量攻关活动'] } },
  { password: 'zhangwei1988', context: { username: 'zhangwei' } },
  { password: '🔥质量攻关🚀Kx9!vQ2#', context: { displayName: '质量攻关小组' } },
  { password: 'short', context: {} },
  { password: 'correct horse battery staple 质检', context: { personal: ['13800138000'] } },
];

// The child reports the verdicts and whether the estimator (zxcvbn-ts) was loaded in ITS main thread:
// with the worker, it is loaded only in the worker.
const SCRIPT = `
import { createRequire } from 'node:module';
const { judgePasswordOffThread, closePasswordJudge } = await import(${JSON.stringify(pathToFileURL(built).href)});
const cases = JSON.parse(process.env.CASES);
const verdicts = await Promise.all(cases.map((c) => judgePasswordOffThread(c.password, c.context)));
await closePasswordJudge();
const require = createRequire(import.meta.url);
const estimatorHere = Object.keys(require.cache).some((k) => k.includes('@zxcvbn-ts'));
process.stdout.write(JSON.stringify({ verdicts, estimatorHere }));
`;

describe('password strength check in its worker thread (the built service)', () => {
  it('gives the pure judge\'s verdict for each password, judged off the calling thread, and lets the process end', () => {
    expect(existsSync(built)).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'qc-strength-'));
    const script = join(dir, 'judge.mjs');
    writeFileSync(script, SCRIPT);
    let out: string;
    try {
      out = execFileSync(process.execPath, [script], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_OPTIONS: '', CASES: JSON.stringify(CASES) } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const { verdicts, estimatorHere } = JSON.parse(out) as { verdicts: unknown[]; estimatorHere: boolean };
    expect(verdicts).toEqual(CASES.map((c) => judgePassword(c.password, c.context)));
    // Both kinds of verdict occur (the cases are not all accepted or all refused).
    expect(new Set(verdicts.map((v) => (v as { ok: boolean }).ok))).toEqual(new Set([true, false]));
    expect(estimatorHere).toBe(false);
  });

  it('judges in the calling thread, with the same verdicts, when the worker cannot start', () => {
    // Started with a flag a worker thread refuses (--input-type is for --eval only): the worker fails at once.
    const out = execFileSync(process.execPath, ['--input-type=module', '--eval', SCRIPT], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_OPTIONS: '', CASES: JSON.stringify(CASES) } });
    const { verdicts, estimatorHere } = JSON.parse(out) as { verdicts: unknown[]; estimatorHere: boolean };
    expect(verdicts).toEqual(CASES.map((c) => judgePassword(c.password, c.context)));
    expect(estimatorHere).toBe(true);
  });
});
