// The award list as one CSV file for Excel and for scripts: UTF-8 with a BOM (without it Excel
// reads Chinese as GBK), CRLF line ends, RFC 4180 quoting.
//
// Layout (one file, two tables):
//   序号,奖项,成果名称,企业名称,小组名称,推荐单位[,得分]   ← one row per awarded entry, 一等奖 first
//   …
//   (empty line)
//   优秀推荐单位
//   序号,推荐单位,积分,获奖成果数
//   …
// The first table starts on line 1, so a reader that stops at the first empty line gets the entries.
// 序号 of the entries runs over the whole list (the 序号 within a level is in the xlsx sheets).
import type { AwardList } from '../award-list.js';
import { awardedInOrder, levelName, listHasScores } from './export-labels.js';

export const CSV_BOM = '\uFEFF';
export const CSV_ENTRY_HEADER = ['序号', '奖项', '成果名称', '企业名称', '小组名称', '推荐单位'];
export const CSV_UNITS_TITLE = '优秀推荐单位';
export const CSV_UNIT_HEADER = ['序号', '推荐单位', '积分', '获奖成果数'];

/**
 * A text a spreadsheet would run as a formula (starts with = + - @, or a tab/CR that hides one) is
 * prefixed with an apostrophe: titles and names come from enterprises (CSV injection, OWASP).
 */
export function neutralizeFormula(text: string): string {
  return /^[=+\-@\t\r]/u.test(text) ? `'${text}` : text;
}

/** One RFC 4180 field: quoted when it holds a comma, a quote, a line break or edge spaces. */
export function csvField(value: string | number): string {
  const s = String(value);
  return /[",\r\n]|^\s|\s$/u.test(s) ? `"${s.replace(/"/gu, '""')}"` : s;
}

function csvLine(values: (string | number)[]): string {
  return values.map(csvField).join(',');
}

export function buildAwardListCsv(list: AwardList): Buffer {
  const withScores = listHasScores(list);
  const text = (s: string) => neutralizeFormula(s);
  const lines: string[] = [csvLine(withScores ? [...CSV_ENTRY_HEADER, '得分'] : CSV_ENTRY_HEADER)];
  awardedInOrder(list).forEach((e, i) => {
    const row: (string | number)[] = [i + 1, levelName(e.level), text(e.title), text(e.enterpriseName), text(e.teamName), text(e.unitName)];
    if (withScores) row.push(e.score ?? '');
    lines.push(csvLine(row));
  });
  lines.push('', csvLine([CSV_UNITS_TITLE]), csvLine(CSV_UNIT_HEADER));
  for (const u of [...list.excellentUnits].sort((a, b) => a.place - b.place)) {
    lines.push(csvLine([u.place, text(u.unitName), u.points, u.awardedEntries]));
  }
  return Buffer.from(CSV_BOM + lines.join('\r\n') + '\r\n', 'utf8');
}
