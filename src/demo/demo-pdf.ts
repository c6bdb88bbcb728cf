import { OffThread } from '../common/worker-thread.js';
import { documentFunctions } from '../common/document-thread.js';
import { useEmbeddedFont } from '../results/exports/certificate-pdf.js';
import { pdfKit } from '../common/file-libraries.js';

export type ReportArgs = [title: string, enterprise: string, teamName: string, note: string];

/**
 * Where the reports are drawn (≈ 4 ms of CPU each, ~180 of them). npm run demo draws them in its one PDF
 * thread (demoPdfThread: demo-pdf-worker.ts, the service's document thread too — one thread,
 * one copy of pdfkit, of the parsed font and of their optimised code); its client thread asks for them
 * on a port to that thread (OffThread.connect), not through the service's thread. Unset (the tests):
 * drawn in this thread.
 */
let drawer: ((args: ReportArgs) => Promise<Buffer>) | null = null;

export function drawReportsWith(draw: (args: ReportArgs) => Promise<Buffer>): void {
  drawer = draw;
}

/** A one-page achievement report (成果报告) for the demo, with Chinese text: a real, small PDF. */
export function demoReportPdf(title: string, enterprise: string, teamName: string, note = ''): Promise<Buffer> {
  return drawer ? drawer([title, enterprise, teamName, note]) : drawReportPdf(title, enterprise, teamName, note);
}

/** npm run demo's PDF thread: its reports, and the service's documents (see document-thread.ts). */
export function demoPdfThread() {
  return new OffThread(new URL('./demo-pdf-worker.js', import.meta.url), async () => ({ ...(await documentFunctions()), drawReportPdf }));
}

/** The report itself, drawn in this thread. */
export async function drawReportPdf(title: string, enterprise: string, teamName: string, note = ''): Promise<Buffer> {
  const PDFDocument = await pdfKit();
  return new Promise((resolve, reject) => {
    // font: null — without it pdfkit reads and parses Helvetica's metrics for every document (≈ 7 ms), never used here.
    const doc = new PDFDocument({ size: 'A4', margin: 60, info: { Title: title }, font: null as unknown as string });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    // The CJK font parsed once for all the reports (a 10 MB file: parsing it for each was most of their cost).
    useEmbeddedFont(doc, 'F1');
    doc.fontSize(20).text(`${title}${note ? `（${note}）` : ''}`, { align: 'center' });
    doc.moveDown().fontSize(12).text(`${enterprise}\u3000${teamName}`, { align: 'center' });
    doc.moveDown(2).fontSize(11);
    for (const h of ['一、选题理由', '二、现状调查', '三、目标设定', '四、原因分析', '五、要因确认', '六、对策与实施', '七、效果检查', '八、巩固措施', '九、总结和下一步打算']) {
      doc.text(h).moveDown(0.3).text('（演示数据）本节内容由演示程序生成。', { indent: 20 }).moveDown(0.6);
    }
    doc.end();
  });
}
