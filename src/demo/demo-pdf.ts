import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { useEmbeddedFont } from '../results/exports/certificate-pdf.js';
import { pdfKit } from '../common/file-libraries.js';

/**
 * The reports are drawn in a worker thread when the demo runs compiled (npm run demo): ≈ 6 ms of CPU
 * each, ~170 of them, on the other core rather than on the one the service shares with the demo's
 * client. Under ts-jest (the demo tests) there is no compiled worker file: they are drawn here.
 */
const WORKER_FILE = fileURLToPath(new URL('./demo-pdf-worker.js', import.meta.url));
const HAS_WORKER = existsSync(WORKER_FILE);
let worker: { thread: Worker; pending: Map<number, { resolve: (b: Buffer) => void; reject: (e: Error) => void }>; next: number } | null = null;

function reportWorker() {
  if (!worker) {
    const thread = new Worker(WORKER_FILE);
    thread.unref();
    const w = { thread, pending: new Map<number, { resolve: (b: Buffer) => void; reject: (e: Error) => void }>(), next: 0 };
    thread.on('message', (m: { id: number; pdf?: Uint8Array; error?: string }) => {
      const p = w.pending.get(m.id);
      w.pending.delete(m.id);
      if (m.pdf) p?.resolve(Buffer.from(m.pdf.buffer, m.pdf.byteOffset, m.pdf.byteLength));
      else p?.reject(new Error(m.error ?? 'demo PDF worker failed'));
    });
    thread.on('error', (e) => {
      for (const p of w.pending.values()) p.reject(e);
      w.pending.clear();
      if (worker === w) worker = null;
    });
    worker = w;
  }
  return worker;
}

/** Starts the worker and parses the font now, so that the first report is not held up by them. */
export function warmUpReports(): void {
  if (HAS_WORKER) reportWorker().thread.postMessage({ warmUp: true });
}

function inWorker(args: [string, string, string, string]): Promise<Buffer> {
  const w = reportWorker();
  return new Promise((resolve, reject) => {
    const id = w.next++;
    w.pending.set(id, { resolve, reject });
    w.thread.postMessage({ id, args });
  });
}

/** Ends the worker thread (at the end of a run). */
export async function closeReportWorker(): Promise<void> {
  const w = worker;
  worker = null;
  await w?.thread.terminate();
}

/** A one-page achievement report (成果报告) for the demo, with Chinese text: a real, small PDF. */
export function demoReportPdf(title: string, enterprise: string, teamName: string, note = ''): Promise<Buffer> {
  return HAS_WORKER ? inWorker([title, enterprise, teamName, note]) : drawReportPdf(title, enterprise, teamName, note);
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
