import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import PDFDocument from 'pdfkit';

const fontPath = createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');

/**
 * The CJK font, read and parsed once for all the demo's reports (a 10 MB TrueType file: reading and
 * parsing it for each of ~170 reports was most of their cost). pdfkit opens a font per document and
 * has no public way to share a parsed one, so the first document's embedded-font class and parsed
 * font are reused (pdfkit internals, pinned by package-lock; the demo tests check the PDFs are read).
 */
let shared: { EmbeddedFont: new (doc: PDFKit.PDFDocument, font: unknown, id: string) => unknown; font: unknown } | null = null;
function useDemoFont(doc: PDFKit.PDFDocument): void {
  const d = doc as unknown as { _font: { constructor: NonNullable<typeof shared>['EmbeddedFont']; font: unknown }; _fontFamilies: Record<string, unknown>; _fontCount: number };
  if (!shared) {
    doc.font(readFileSync(fontPath));
    shared = { EmbeddedFont: d._font.constructor, font: d._font.font };
    return;
  }
  d._fontFamilies['demo-cjk'] = new shared.EmbeddedFont(doc, shared.font, `F${++d._fontCount}`);
  doc.font('demo-cjk');
}

/**
 * The reports are drawn in a worker thread when the demo runs compiled (npm run demo): ~30 ms of CPU
 * each, ~170 of them, on the other core rather than on the one the service shares with the demo's
 * client. Under ts-jest (the demo tests) there is no compiled worker file: they are drawn here.
 */
const WORKER_FILE = fileURLToPath(new URL('./demo-pdf-worker.js', import.meta.url));
const HAS_WORKER = existsSync(WORKER_FILE);
let worker: { thread: Worker; pending: Map<number, { resolve: (b: Buffer) => void; reject: (e: Error) => void }>; next: number } | null = null;

function inWorker(args: [string, string, string, string]): Promise<Buffer> {
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
  const w = worker;
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
export function drawReportPdf(title: string, enterprise: string, teamName: string, note = ''): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // font: null — without it pdfkit reads and parses Helvetica's metrics for every document (≈ 7 ms), never used here.
    const doc = new PDFDocument({ size: 'A4', margin: 60, info: { Title: title }, font: null as unknown as string });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    useDemoFont(doc);
    doc.fontSize(20).text(`${title}${note ? `（${note}）` : ''}`, { align: 'center' });
    doc.moveDown().fontSize(12).text(`${enterprise}\u3000${teamName}`, { align: 'center' });
    doc.moveDown(2).fontSize(11);
    for (const h of ['一、选题理由', '二、现状调查', '三、目标设定', '四、原因分析', '五、要因确认', '六、对策与实施', '七、效果检查', '八、巩固措施', '九、总结和下一步打算']) {
      doc.text(h).moveDown(0.3).text('（演示数据）本节内容由演示程序生成。', { indent: 20 }).moveDown(0.6);
    }
    doc.end();
  });
}
