// Reading the import files (xlsx or CSV) and writing the xlsx templates. Of a workbook the first
// worksheet is read; row 1 holds the column headers (the Chinese header of the template, or the
// field name), and every later non-empty row is one record. A CSV file is read the same way.
import type ExcelJS from 'exceljs';
import { excelJs } from '../common/file-libraries.js';
import { AppError, fieldError, type Text } from '../common/errors.js';
import { ORGANISATIONS_TEXTS as T } from './organisations.errors.js';
import { CsvError, type CsvErrorCode, decodeUtf8Text, parseCsv } from './csv.js';

export const IMPORT_KINDS = ['units', 'enterprises', 'experts'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface ImportColumn {
  key: string;
  header: string;
  required: boolean;
  /** What to write, shown on the template's instructions sheet. */
  note: string;
  /** Other headers accepted for this column (shorter names people use). */
  aliases?: string[];
}

export const UNIT_KIND_LABELS: Record<string, string> = {
  开发区监管部门: 'dev_zone_regulator',
  行业协会: 'industry_association',
  街道乡镇: 'street_town',
  其他: 'other',
};

export const EMPLOYER_KIND_LABELS: Record<string, string> = { 企业: 'enterprise', 推荐单位: 'unit', 其他: 'other' };

export const IMPORT_COLUMNS: Record<ImportKind, ImportColumn[]> = {
  units: [
    { key: 'name', header: '单位名称', required: true, note: '推荐单位全称，不可与已有单位重名' },
    { key: 'kind', header: '单位类型', required: true, note: `${Object.keys(UNIT_KIND_LABELS).join('、')}`, aliases: ['类别', '单位类别', '类型'] },
    { key: 'contactPerson', header: '联系人', required: false, note: '' },
    { key: 'phone', header: '联系电话', required: false, note: '数字、空格及 + - ( ) # 转', aliases: ['电话'] },
  ],
  enterprises: [
    { key: 'name', header: '企业名称', required: true, note: '' },
    { key: 'uscc', header: '统一社会信用代码', required: true, note: '18 位，字母大写；请将单元格设为文本格式' },
    { key: 'industry', header: '所属行业', required: false, note: '', aliases: ['行业'] },
    { key: 'address', header: '地址', required: false, note: '' },
    { key: 'contactPerson', header: '联系人', required: false, note: '' },
    { key: 'phone', header: '联系电话', required: false, note: '数字、空格及 + - ( ) # 转', aliases: ['电话'] },
    { key: 'unitName', header: '推荐单位', required: false, note: '已登记的推荐单位全称', aliases: ['推荐单位名称'] },
  ],
  experts: [
    { key: 'name', header: '姓名', required: true, note: '' },
    { key: 'title', header: '职称', required: false, note: '如 高级工程师' },
    { key: 'fields', header: '专业领域', required: false, note: '多个领域用顿号、逗号或分号分隔' },
    { key: 'phone', header: '联系电话', required: false, note: '数字、空格及 + - ( ) # 转', aliases: ['电话'] },
    { key: 'employerKind', header: '工作单位类型', required: true, note: `${Object.keys(EMPLOYER_KIND_LABELS).join('、')}` },
    {
      key: 'employerName',
      header: '工作单位名称',
      required: false,
      note: '类型为“推荐单位”或“其他”时必填；为“企业”时可代替信用代码（须唯一）',
      aliases: ['工作单位'],
    },
    { key: 'employerUscc', header: '工作单位统一社会信用代码', required: false, note: '类型为“企业”时填写' },
    // The profile of expertise (src/expertise): lists separated as 专业领域 is.
    { key: 'industries', header: '熟悉行业', required: false, note: '与企业所属行业的写法一致，多个用顿号分隔' },
    { key: 'entryTypes', header: '擅长课题类型', required: false, note: '问题解决型、创新型' },
    { key: 'topics', header: '方法与专业', required: false, note: '须在组委会维护的专业类别中，多个用顿号分隔' },
    { key: 'yearsOfExperience', header: '从业年限', required: false, note: '0–70 的整数' },
    { key: 'keywords', header: '关键词', required: false, note: '与成果题目匹配，多个用顿号分隔' },
  ],
};

/** At most this many records per file: one import is one transaction. */
export const MAX_IMPORT_ROWS = 2000;

export interface SheetRow {
  /** The row number as the spreadsheet shows it (the header is row 1). */
  row: number;
  values: Record<string, string>;
}

export interface Sheet {
  rows: SheetRow[];
  /** Headers that name no known column: their cells are not read. */
  ignoredColumns: string[];
}

const unreadable = (fieldCode = 'import_unreadable', text: Text = T.importUnreadable) => AppError.badRequest('import_unreadable', undefined, [fieldError('file', fieldCode, text)]);

/** Why a file that is not an xlsx workbook is not CSV either, in words for the uploader. */
const NOT_TEXT: Record<'utf16' | 'not_utf8' | 'binary', Text> = { utf16: T.csvUtf16, not_utf8: T.csvNotUtf8, binary: T.notText };

const CSV_PROBLEMS: Record<CsvErrorCode, Text> = {
  csv_unterminated_quote: T.csvUnterminatedQuote,
  csv_stray_quote: T.csvStrayQuote,
  csv_text_after_quote: T.csvTextAfterQuote,
};

function cellText(cell: ExcelJS.Cell): string {
  try {
    return normaliseCell(cell.text ?? '');
  } catch {
    return '';
  }
}

const normaliseCell = (s: string): string => s.replace(/\u00a0/g, ' ').trim();

// "单位名称*" and " 单位名称 " name the same column as "单位名称".
const normaliseHeader = (h: string): string => h.replace(/[\s*＊]/g, '');

/**
 * The cells of a sheet as trimmed text: `header` is row 1, `rows` the later rows that hold any
 * cell, numbered as a spreadsheet program shows them. Cells are indexed from 0 (column A).
 */
interface Grid {
  header: string[];
  rows: { row: number; cells: string[] }[];
}

/** An xlsx file is a zip archive, which starts with a local file header. */
const isZip = (b: Buffer): boolean => b.length >= 4 && b.readUInt32LE(0) === 0x04034b50;

/**
 * Reads an import file: an xlsx workbook (recognised by its content, a zip archive) or else CSV
 * (UTF-8 with or without BOM, RFC 4180). Both give the same rows, checked by the same rules.
 */
export async function readSheet(buffer: Buffer, columns: ImportColumn[]): Promise<Sheet> {
  if (buffer.length === 0) {
    throw AppError.badRequest('import_file_empty', undefined, [fieldError('file', 'import_file_empty', T.importFileEmpty)]);
  }
  return sheetFromGrid(isZip(buffer) ? await xlsxGrid(buffer) : csvGrid(buffer), columns);
}

async function xlsxGrid(buffer: Buffer): Promise<Grid> {
  const wb = new (await excelJs()).Workbook();
  try {
    await wb.xlsx.load(buffer as unknown as Parameters<typeof wb.xlsx.load>[0]);
  } catch {
    throw unreadable('import_unreadable', T.notXlsx);
  }
  const ws = wb.worksheets[0];
  if (!ws) throw unreadable('import_unreadable', T.notXlsx);
  const cellsOf = (r: ExcelJS.Row): string[] => {
    const cells: string[] = [];
    r.eachCell((cell, col) => {
      cells[col - 1] = cellText(cell);
    });
    return Array.from(cells, (c) => c ?? '');
  };
  const grid: Grid = { header: cellsOf(ws.getRow(1)), rows: [] };
  ws.eachRow({ includeEmpty: false }, (r, rowNumber) => {
    if (rowNumber > 1) grid.rows.push({ row: rowNumber, cells: cellsOf(r) });
  });
  return grid;
}

function csvGrid(buffer: Buffer): Grid {
  const decoded = decodeUtf8Text(buffer);
  if (!decoded.ok) throw unreadable(decoded.reason === 'binary' ? 'import_unreadable' : 'csv_not_utf8', NOT_TEXT[decoded.reason]);
  let records: string[][];
  try {
    records = parseCsv(decoded.text);
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    const problem = CSV_PROBLEMS[e.code];
    throw AppError.badRequest(
      'import_unreadable',
      T.csvMalformed(e.line, problem),
      [fieldError('file', e.code, T.csvMalformedLine(e.line, problem))],
      { line: e.line, row: e.row },
    );
  }
  const header = (records[0] ?? []).map(normaliseCell);
  if (!header.some((h) => h !== '')) {
    throw unreadable('csv_no_header', T.csvNoHeader);
  }
  return { header, rows: records.slice(1).map((cells, k) => ({ row: k + 2, cells: cells.map(normaliseCell) })) };
}

function sheetFromGrid(grid: Grid, columns: ImportColumn[]): Sheet {
  const byHeader = new Map<string, ImportColumn>();
  for (const c of columns) {
    for (const h of [c.header, ...(c.aliases ?? [])]) byHeader.set(normaliseHeader(h), c);
    byHeader.set(c.key.toLowerCase(), c);
  }
  const keyOfColumn = new Map<number, string>();
  const ignoredColumns: string[] = [];
  grid.header.forEach((h, col) => {
    if (h === '') return;
    const c = byHeader.get(normaliseHeader(h)) ?? byHeader.get(h.toLowerCase());
    if (c && ![...keyOfColumn.values()].includes(c.key)) keyOfColumn.set(col, c.key);
    else ignoredColumns.push(h);
  });
  const present = new Set(keyOfColumn.values());
  const missing = columns.filter((c) => c.required && !present.has(c.key));
  if (missing.length) {
    throw AppError.unprocessable(
      'import_missing_columns',
      T.missingColumns(missing.map((c) => c.header), missing.map((c) => c.key)),
      missing.map((c) => fieldError(`columns.${c.key}`, 'missing_column', T.missingColumn(c.header, c.key))),
    );
  }

  const rows: SheetRow[] = [];
  for (const r of grid.rows) {
    const values: Record<string, string> = {};
    let any = false;
    for (const [col, key] of keyOfColumn) {
      const v = r.cells[col] ?? '';
      if (v !== '') {
        values[key] = v;
        any = true;
      }
    }
    if (!any) continue;
    if (rows.length >= MAX_IMPORT_ROWS) {
      throw AppError.unprocessable('import_too_many_rows', T.tooManyRows(MAX_IMPORT_ROWS));
    }
    rows.push({ row: r.row, values });
  }
  if (!rows.length) {
    throw AppError.unprocessable('import_empty');
  }
  return { rows, ignoredColumns };
}

/** The template: the header row on the first sheet (cells formatted as text), and instructions on a second. */
export async function templateWorkbook(kind: ImportKind): Promise<Buffer> {
  const columns = IMPORT_COLUMNS[kind];
  const wb = new (await excelJs()).Workbook();
  const ws = wb.addWorksheet('导入');
  ws.columns = columns.map((c) => ({ header: c.header, key: c.key, width: Math.max(14, c.header.length * 3), style: { numFmt: '@' } }));
  ws.getRow(1).font = { bold: true };
  const help = wb.addWorksheet('说明');
  help.columns = [
    { header: '列', key: 'header', width: 26 },
    { header: '必填', key: 'required', width: 8 },
    { header: '字段', key: 'key', width: 20 },
    { header: '说明', key: 'note', width: 60 },
  ];
  help.getRow(1).font = { bold: true };
  for (const c of columns) help.addRow({ header: c.header, required: c.required ? '是' : '否', key: c.key, note: c.note });
  help.addRow({});
  help.addRow({ header: '整个文件逐行校验；任何一行有误，则整个文件都不导入，并列出所有错误。' });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
