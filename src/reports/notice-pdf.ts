// The award notice as PDF (pdfkit, Noto Sans SC embedded as the certificates do: only the glyphs
// used): A4 portrait with 公文 margins (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm); the
// notice, then the annex with the award tables by level (the header row repeated on every page).
import { renderPdf } from '../results/exports/certificate-pdf.js';
import { TABLE_HEADERS, type NoticeContent } from './notice-rules.js';

const MM = 72 / 25.4;
const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { top: 37 * MM, bottom: 35 * MM, left: 28 * MM, right: 26 * MM };
const WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const BOTTOM = PAGE.height - MARGIN.bottom;
const COLUMNS = [7, 33, 18, 23, 19].map((p) => (p / 100) * WIDTH);
const RED = '#C00000';
const CELL = { size: 10, pad: 4 };

export function renderNoticePdf(n: NoticeContent): Promise<Buffer> {
  return renderPdf({
    size: 'A4',
    margins: MARGIN,
    info: { Title: n.title, Subject: `${n.contestName} ${n.documentNumber}`, Author: n.issuer, Creator: '质量攻关成果评审系统', CreationDate: n.issuedOn },
  }, (doc, p) => {
    const x0 = MARGIN.left;

    // 文号 above a red rule, then the title, the addressee and the body.
    doc.fontSize(16).fillColor('#000000').text(p(n.documentNumber), x0, MARGIN.top, { width: WIDTH, align: 'center' });
    const rule = doc.y + 6;
    doc.lineWidth(1.5).strokeColor(RED).moveTo(x0, rule).lineTo(x0 + WIDTH, rule).stroke();
    doc.fontSize(20).text(p(n.title), x0, rule + 24, { width: WIDTH, align: 'center', lineGap: 6 });
    doc.moveDown(1);
    doc.fontSize(15).text(p(n.addressee), x0, doc.y, { width: WIDTH, lineGap: 8 });
    for (const para of n.paragraphs) doc.text(p(para), x0, doc.y, { width: WIDTH, indent: 30, lineGap: 8, align: 'justify' });
    doc.moveDown(1);
    doc.text(p(n.attachment), x0, doc.y, { width: WIDTH, indent: 30, lineGap: 8 });
    doc.moveDown(2);
    doc.text(p(n.issuer), x0, doc.y, { width: WIDTH - 40, align: 'right', lineGap: 8 });
    doc.text(n.dateText, x0, doc.y, { width: WIDTH - 40, align: 'right', lineGap: 8 });

    // The annex.
    doc.addPage();
    doc.fontSize(15).text('附件', x0, MARGIN.top, { width: WIDTH });
    doc.fontSize(18).text(p(n.annexTitle), x0, doc.y + 6, { width: WIDTH, align: 'center' });
    let y = doc.y + 12;

    const rowHeight = (cells: readonly string[]) => {
      doc.fontSize(CELL.size);
      return Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: COLUMNS[i]! - 2 * CELL.pad }))) + 2 * CELL.pad;
    };
    const drawRow = (cells: readonly string[], header: boolean) => {
      const hgt = rowHeight(cells);
      let x = x0;
      doc.lineWidth(0.6).strokeColor('#000000');
      cells.forEach((c, i) => {
        const w = COLUMNS[i]!;
        if (header) doc.rect(x, y, w, hgt).fillAndStroke('#EEEEEE', '#000000');
        else doc.rect(x, y, w, hgt).stroke();
        doc.fillColor('#000000').fontSize(CELL.size).text(c, x + CELL.pad, y + CELL.pad, { width: w - 2 * CELL.pad, align: header || i === 0 ? 'center' : 'left' });
        x += w;
      });
      y += hgt;
    };
    const header = TABLE_HEADERS.map(String);
    const ensure = (needed: number, repeatHeader: boolean) => {
      if (y + needed <= BOTTOM) return;
      doc.addPage();
      y = MARGIN.top;
      if (repeatHeader) drawRow(header, true);
    };

    for (const level of n.levels) {
      ensure(60, false);
      doc.fontSize(14).fillColor('#000000').text(level.heading, x0, y + 8, { width: WIDTH });
      y = doc.y + 6;
      drawRow(header, true);
      for (const r of level.rows) {
        const cells = r.map(p);
        ensure(rowHeight(cells), true);
        drawRow(cells, false);
      }
    }
    if (n.excellentUnits.length) {
      ensure(40 + n.excellentUnits.length * 22, false);
      doc.fontSize(14).text(p(n.excellentUnitsHeading), x0, y + 12, { width: WIDTH });
      doc.fontSize(12);
      n.excellentUnits.forEach((u, i) => doc.text(`${i + 1}. ${p(u)}`, x0 + 24, doc.y + 4, { width: WIDTH - 24 }));
    }
  });
}
