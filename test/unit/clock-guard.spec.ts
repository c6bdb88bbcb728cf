// One clock for the whole service: no code in src/ reads the system time by itself, so tests and
// the demo can move time for everything at once. Parsing (`new Date(x)`, `Date.parse`) is fine.
import { describe, expect, it } from '@jest/globals';
import { matchingLines, sources, SRC } from '../support/source-scan.js';

/** The clock itself, and the demo's launcher (it times its own run, not the service's). */
const ALLOWED = new Set(['src/common/clock.ts', 'src/demo/main.ts']);
const READS_NOW = /\bnew\s+Date\s*\(\s*\)|\bnew\s+Date\b(?!\s*\()|\bDate\s*\.\s*now\s*\(/;
const readersOfNow = (files: string[]) => matchingLines(files, READS_NOW, ALLOWED);

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
