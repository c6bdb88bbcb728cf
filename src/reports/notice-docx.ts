// The award notice as DOCX (the `docx` package), for offices to edit and stamp in Word or WPS:
// A4, 公文 margins (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm), title in 小标宋 2号 (22 pt),
// body in 仿宋 3号 (16 pt), tables in 仿宋 小四 (12 pt). The fonts are named, not embedded: Word and
// WPS substitute an installed Song/Fangsong face when the machine lacks them.
import { AlignmentType, BorderStyle, Document, HeadingLevel, Packer, PageBreak, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { TABLE_HEADERS, type NoticeContent } from './notice-rules.js';

const MM = 56.6929; // twips per millimetre
const TITLE_FONT = { ascii: 'Times New Roman', eastAsia: '方正小标宋简体', hAnsi: 'Times New Roman' };
const BODY_FONT = { ascii: 'Times New Roman', eastAsia: '仿宋_GB2312', hAnsi: 'Times New Roman' };
const HEI_FONT = { ascii: 'Times New Roman', eastAsia: '黑体', hAnsi: 'Times New Roman' };
/** Column widths (percent of the table) for 序号, 成果名称, 小组名称, 企业, 推荐单位. */
const COLUMNS = [7, 33, 18, 23, 19];
const LINE = { line: 560, lineRule: 'exact' as const }; // 28 pt: the 公文 line pitch for 3号 text

const run = (text: string, size: number, font = BODY_FONT, bold = false) => new TextRun({ text, size: size * 2, font, bold });
const body = (text: string, indent = true) =>
  new Paragraph({ children: [run(text, 16)], indent: indent ? { firstLine: 640 } : undefined, spacing: LINE, alignment: AlignmentType.JUSTIFIED });

function cell(text: string, width: number, header: boolean): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.PERCENTAGE },
    children: [new Paragraph({ children: [run(text, 12, header ? HEI_FONT : BODY_FONT, header)], alignment: header || width <= 7 ? AlignmentType.CENTER : AlignmentType.LEFT })],
  });
}

function levelTable(rows: string[][]): Table {
  const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
    rows: [
      new TableRow({ tableHeader: true, children: TABLE_HEADERS.map((h, i) => cell(h, COLUMNS[i]!, true)) }),
      ...rows.map((r) => new TableRow({ cantSplit: true, children: r.map((v, i) => cell(v, COLUMNS[i]!, false)) })),
    ],
  });
}

export async function renderNoticeDocx(n: NoticeContent): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    new Paragraph({ children: [run(n.documentNumber, 16)], alignment: AlignmentType.CENTER, spacing: { before: 560, after: 280 } }),
    new Paragraph({ children: [run(n.title, 22, TITLE_FONT)], heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, spacing: { before: 280, after: 560 } }),
    body(n.addressee, false),
    ...n.paragraphs.map((p) => body(p)),
    new Paragraph({ children: [], spacing: LINE }),
    body(n.attachment),
    new Paragraph({ children: [], spacing: LINE }),
    new Paragraph({ children: [run(n.issuer, 16)], alignment: AlignmentType.RIGHT, indent: { right: 1280 }, spacing: LINE }),
    new Paragraph({ children: [run(n.dateText, 16)], alignment: AlignmentType.RIGHT, indent: { right: 1280 }, spacing: LINE }),
    new Paragraph({ children: [new PageBreak()] }),
    new Paragraph({ children: [run('附件', 16, HEI_FONT)], spacing: LINE }),
    new Paragraph({ children: [run(n.annexTitle, 22, TITLE_FONT)], heading: HeadingLevel.HEADING_1, alignment: AlignmentType.CENTER, spacing: { before: 280, after: 280 } }),
  ];
  for (const level of n.levels) {
    children.push(new Paragraph({ children: [run(level.heading, 16, HEI_FONT)], heading: HeadingLevel.HEADING_2, spacing: { before: 280, after: 140 } }));
    children.push(levelTable(level.rows));
  }
  if (n.excellentUnits.length) {
    children.push(new Paragraph({ children: [run(n.excellentUnitsHeading, 16, HEI_FONT)], heading: HeadingLevel.HEADING_2, spacing: { before: 280, after: 140 } }));
    for (const [i, u] of n.excellentUnits.entries()) children.push(body(`${i + 1}. ${u}`));
  }
  const doc = new Document({
    creator: n.issuer,
    title: n.title,
    description: `${n.contestName} ${n.documentNumber}`,
    styles: { default: { document: { run: { font: BODY_FONT, size: 32 } } } },
    sections: [{
      properties: { page: { size: { width: Math.round(210 * MM), height: Math.round(297 * MM) }, margin: { top: Math.round(37 * MM), bottom: Math.round(35 * MM), left: Math.round(28 * MM), right: Math.round(26 * MM) } } },
      children,
    }],
  });
  return Packer.toBuffer(doc);
}
