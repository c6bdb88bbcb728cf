// The award list as an Excel workbook, in the layout Chinese organizers circulate: one sheet per
// level (一等奖 … 优秀奖) and one for the excellent recommending units, each with a title row
// (contest, status, version) above a bold, frozen header row.
import type ExcelJS from 'exceljs';
import { excelJs } from '../../common/file-libraries.js';
import { LEVELS } from '../../contests/contest-rules.js';
import type { AwardList } from '../award-list.js';
import { listHasScores, levelName, statusLabelOf, type ExportOptions } from './export-labels.js';

export const UNITS_SHEET_NAME = '优秀推荐单位';

interface Column {
  header: string;
  width: number;
  /** wrap long text */
  wrap?: boolean;
  numFmt?: string;
}

const ENTRY_COLUMNS: Column[] = [
  { header: '序号', width: 6 },
  { header: '成果名称', width: 46, wrap: true },
  { header: '企业名称', width: 32, wrap: true },
  { header: '小组名称', width: 24, wrap: true },
  { header: '推荐单位', width: 28, wrap: true },
  { header: '奖项', width: 10 },
];
const SCORE_COLUMN: Column = { header: '得分', width: 10, numFmt: '0.00' };
const UNIT_COLUMNS: Column[] = [
  { header: '序号', width: 6 },
  { header: '推荐单位', width: 40, wrap: true },
  { header: '积分', width: 10 },
  { header: '获奖成果数', width: 12 },
];

/** Title row, header row (bold, frozen with the title above it), column widths; returns the sheet. */
function addSheet(wb: ExcelJS.Workbook, name: string, title: string, columns: Column[]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 2, xSplit: 0 }] });
  columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = c.width;
    if (c.numFmt) col.numFmt = c.numFmt;
  });
  ws.mergeCells(1, 1, 1, columns.length);
  const titleCell = ws.getCell(1, 1);
  titleCell.value = title;
  titleCell.font = { bold: true, size: 14 };
  titleCell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  ws.getRow(1).height = 30;
  const header = ws.getRow(2);
  header.values = columns.map((c) => c.header);
  header.font = { bold: true };
  header.alignment = { horizontal: 'center', vertical: 'middle' };
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7E6E6' } };
    cell.border = { bottom: { style: 'thin' } };
  });
  return ws;
}

function styleBodyRow(row: ExcelJS.Row, columns: Column[]): void {
  columns.forEach((c, i) => {
    row.getCell(i + 1).alignment = { vertical: 'middle', wrapText: c.wrap ?? false, horizontal: c.wrap ? 'left' : 'center' };
  });
}

/**
 * The workbook as bytes. Scores appear (as numbers shown with two decimals) only when the list
 * carries them; text cells are plain strings, never formulas, whatever the entries' titles contain.
 */
export async function buildAwardListXlsx(list: AwardList, opts: ExportOptions = {}): Promise<Buffer> {
  const wb = new (await excelJs()).Workbook();
  wb.creator = '质量攻关成果评审系统';
  wb.title = `${list.contest.name} 获奖名单`;
  const stamp = list.publishedAt ?? list.noticeEndsAt;
  if (stamp) wb.created = wb.modified = new Date(stamp);
  const status = `${statusLabelOf(list, opts)}·第${list.version}版`;
  const withScores = listHasScores(list);
  const columns = withScores ? [...ENTRY_COLUMNS, SCORE_COLUMN] : ENTRY_COLUMNS;

  for (const level of LEVELS) {
    const name = levelName(level);
    const ws = addSheet(wb, name, `${list.contest.name}\u3000${name}名单（${status}）`, columns);
    for (const e of [...list.levels[level]].sort((a, b) => a.seq - b.seq)) {
      const values: (string | number)[] = [e.seq, e.title, e.enterpriseName, e.teamName, e.unitName, name];
      if (withScores) values.push(e.score === null ? '' : Number(e.score));
      styleBodyRow(ws.addRow(values), columns);
    }
  }

  const units = addSheet(wb, UNITS_SHEET_NAME, `${list.contest.name}\u3000优秀推荐单位名单（${status}）`, UNIT_COLUMNS);
  for (const u of [...list.excellentUnits].sort((a, b) => a.place - b.place)) {
    styleBodyRow(units.addRow([u.place, u.unitName, u.points, u.awardedEntries]), UNIT_COLUMNS);
  }

  return Buffer.from(await wb.xlsx.writeBuffer());
}
