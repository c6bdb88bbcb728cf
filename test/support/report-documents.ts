// Reads the award notice back as a person's software would (mammoth for the DOCX, pdftotext for the
// PDF) and checks that every awarded entry is listed exactly once, in the table of its own level.
import { expect } from '@jest/globals';
import mammoth from 'mammoth';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const OUT = join(process.cwd(), 'test-output');
const LEVELS = ['first', 'second', 'third', 'excellence'] as const;
const NAMES = { first: '一等奖', second: '二等奖', third: '三等奖', excellence: '优秀奖' } as const;

interface ListEntry { seq: number; title: string; teamName: string; enterpriseName: string; unitName: string }
export interface PublicList { levels: Record<(typeof LEVELS)[number], ListEntry[]>; excellentUnits: { unitName: string }[] }

const squeeze = (s: string) => s.replace(/\s+/gu, '');

export async function docxText(docx: Buffer): Promise<string> {
  return (await mammoth.extractRawText({ buffer: docx })).value;
}

export function pdfText(pdf: Buffer, name: string): string {
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, name);
  writeFileSync(path, pdf);
  return execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
}

/** Writes a file under test-output/ for a person to look at. */
export function keep(name: string, body: Buffer): void {
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, name), body);
}

/**
 * Every awarded entry's row (序号, 成果名称, 小组名称, 企业, 推荐单位) occurs exactly once in the annex, in
 * the part headed by its own level ("一等奖（14项）"), and in no other level's part; the excellent
 * units are listed after the tables. Whitespace is ignored (table cells wrap).
 */
export function expectEveryAwardAtItsLevel(text: string, list: PublicList): void {
  const flat = squeeze(text);
  const shown = LEVELS.filter((l) => list.levels[l].length > 0);
  const starts = shown.map((l) => {
    const heading = `${NAMES[l]}（${list.levels[l].length}项）`;
    const at = flat.indexOf(heading);
    expect({ heading, at: at >= 0 }).toEqual({ heading, at: true });
    return at;
  });
  for (let i = 1; i < starts.length; i++) expect(starts[i]!).toBeGreaterThan(starts[i - 1]!);
  const unitsAt = flat.indexOf(`优秀推荐单位（${list.excellentUnits.length}家）`);
  expect(unitsAt).toBeGreaterThan(starts.at(-1)!);
  shown.forEach((l, i) => {
    const part = flat.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : unitsAt);
    for (const e of list.levels[l]) {
      const row = squeeze(`${e.seq}${e.title}${e.teamName}${e.enterpriseName}${e.unitName}`);
      const count = part.split(row).length - 1;
      expect({ level: l, title: e.title, count }).toEqual({ level: l, title: e.title, count: 1 });
      // And nowhere else in the document.
      expect(flat.split(row).length - 1).toBe(1);
    }
  });
  const tail = flat.slice(unitsAt);
  for (const u of list.excellentUnits) expect(tail).toContain(squeeze(u.unitName));
}
