// One clock for the whole service: no code in src/ reads the system time by itself, so tests and
// the demo can move time for everything at once. Parsing (`new Date(x)`, `Date.parse`) is fine.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(process.cwd(), 'src');
/** The clock itself, and the demo's launcher (it times its own run, not the service's). */
const ALLOWED = new Set(['src/common/clock.ts', 'src/demo/main.ts']);
const READS_NOW = /\bnew\s+Date\s*\(\s*\)|\bnew\s+Date\b(?!\s*\()|\bDate\s*\.\s*now\s*\(/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return sources(path);
    return d.name.endsWith('.ts') && !d.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** `file:line: code` for every line of src/ (outside the allowed files) that reads the current time. */
function readersOfNow(files: string[]): string[] {
  const out: string[] = [];
  for (const file of files) {
    const rel = relative(process.cwd(), file).split('\\').join('/');
    if (ALLOWED.has(rel)) continue;
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, '');
      if (READS_NOW.test(code)) out.push(`${rel}:${i + 1}: ${line.trim()}`);
    });
  }
  return out;
}

describe('one clock', () => {
  it('no file of src/ reads the system time outside src/common/clock.ts', () => {
    const files = sources(SRC);
    expect(files.length).toBeGreaterThan(50);
    expect(readersOfNow(files)).toEqual([]);
  });

  it('the scan catches each way of reading the time (and lets parsing through)', () => {
    const pattern = (code: string) => READS_NOW.test(code);
    expect(['const now = new Date();', 'x = new Date ( )', 'Date.now() - t', 'const d = new Date;'].every(pattern)).toBe(true);
    expect(['new Date(row.createdAt)', 'new Date(Date.UTC(2020, 8, 29))', 'Date.parse(s)', 'this.clock.now()'].some(pattern)).toBe(false);
  });
});
