// Reading and writing the xlsx sheets of the organisation imports. The first worksheet is read;
// row 1 holds the column headers (the Chinese header of the template, or the field name), and
// every later non-empty row is one record.
import ExcelJS from 'exceljs';
import { AppError, fieldError } from '../common/errors.js';

export const IMPORT_KINDS = ['units', 'enterprises', 'experts'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface ImportColumn {
  key: string;
  header: string;
  required: boolean;
  /** What to write, shown on the template's instructions sheet. */
  note: string;
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
    { key: 'kind', header: '单位类型', required: true, note: `${Object.keys(UNIT_KIND_LABELS).join('、')}` },
    { key: 'contactPerson', header: '联系人', required: false, note: '' },
    { key: 'phone', header: '联系电话', required: false, note: '数字、空格及 + - ( ) # 转' },
  ],
  enterprises: [
    { key: 'name', header: '企业名称', required: true, note: '' },
    { key: 'uscc', header: '统一社会信用代码', required: true, note: '18 位，字母大写；请将单元格设为文本格式' },
    { key: 'industry', header: '所属行业', required: false, note: '' },
    { key: 'address', header: '地址', required: false, note: '' },
    { key: 'contactPerson', header: '联系人', required: false, note: '' },
    { key: 'phone', header: '联系电话', required: false, note: '数字、空格及 + - ( ) # 转' },
    { key: 'unitName', header: '推荐单位', required: false, note: '已登记的推荐单位全称' },
  ],
  experts: [
    { key: 'name', header: '姓名', required: true, note: '' },
    { key: 'title', header: '职称', required: false, note: '如 高级工程师' },
    { key: 'fields', header: '专业领域', required: false, note: '多个领域用顿号、逗号或分号分隔' },
    { key: 'phone', header: '联系电话', required: false, note: '数字、空格及 + - ( ) # 转' },
    { key: 'employerKind', header: '工作单位类型', required: true, note: `${Object.keys(EMPLOYER_KIND_LABELS).join('、')}` },
    { key: 'employerName', header: '工作单位名称', required: false, note: '类型为“推荐单位”或“其他”时必填；为“企业”时可代替信用代码（须唯一）' },
    { key: 'employerUscc', header: '工作单位统一社会信用代码', required: false, note: '类型为“企业”时填写' },
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

const unreadable = () =>
  AppError.badRequest('import_unreadable', { zh: '无法读取文件，请上传 .xlsx 格式的 Excel 文件', en: 'The file could not be read; upload an .xlsx workbook' }, [
    fieldError('file', 'import_unreadable', '不是有效的 .xlsx 文件', 'Not a valid .xlsx file'),
  ]);

function cellText(cell: ExcelJS.Cell): string {
  try {
    return (cell.text ?? '').replace(/\u00a0/g, ' ').trim();
  } catch {
    return '';
  }
}

// "单位名称*" and " 单位名称 " name the same column as "单位名称".
const normaliseHeader = (h: string): string => h.replace(/[\s*＊]/g, '');

export async function readSheet(buffer: Buffer, columns: ImportColumn[]): Promise<Sheet> {
  // An xlsx file is a zip archive: refuse anything else before handing it to the parser.
  if (buffer.length < 4 || buffer.readUInt32LE(0) !== 0x04034b50) throw unreadable();
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buffer as unknown as Parameters<typeof wb.xlsx.load>[0]);
  } catch {
    throw unreadable();
  }
  const ws = wb.worksheets[0];
  if (!ws) throw unreadable();

  const byHeader = new Map<string, ImportColumn>();
  for (const c of columns) {
    byHeader.set(normaliseHeader(c.header), c);
    byHeader.set(c.key.toLowerCase(), c);
  }
  const keyOfColumn = new Map<number, string>();
  const ignoredColumns: string[] = [];
  ws.getRow(1).eachCell((cell, col) => {
    const h = cellText(cell);
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
      { zh: `缺少必填列：${missing.map((c) => c.header).join('、')}`, en: `Missing required columns: ${missing.map((c) => c.key).join(', ')}` },
      missing.map((c) => fieldError(`columns.${c.key}`, 'missing_column', `缺少列「${c.header}」`, `Missing column "${c.header}" (${c.key})`)),
    );
  }

  const rows: SheetRow[] = [];
  let tooMany = false;
  ws.eachRow({ includeEmpty: false }, (r, rowNumber) => {
    if (rowNumber === 1 || tooMany) return;
    const values: Record<string, string> = {};
    let any = false;
    for (const [col, key] of keyOfColumn) {
      const v = cellText(r.getCell(col));
      if (v !== '') {
        values[key] = v;
        any = true;
      }
    }
    if (!any) return;
    if (rows.length >= MAX_IMPORT_ROWS) tooMany = true;
    else rows.push({ row: rowNumber, values });
  });
  if (tooMany) {
    throw AppError.unprocessable('import_too_many_rows', {
      zh: `一次最多导入 ${MAX_IMPORT_ROWS} 行，请拆分文件`,
      en: `At most ${MAX_IMPORT_ROWS} rows per import; split the file`,
    });
  }
  if (!rows.length) {
    throw AppError.unprocessable('import_empty', { zh: '文件中没有数据行', en: 'The file has no data rows' });
  }
  return { rows, ignoredColumns };
}

/** The template: the header row on the first sheet (cells formatted as text), and instructions on a second. */
export async function templateWorkbook(kind: ImportKind): Promise<Buffer> {
  const columns = IMPORT_COLUMNS[kind];
  const wb = new ExcelJS.Workbook();
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
