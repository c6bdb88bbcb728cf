// The demo's report PDFs, drawn off the main thread (see demo-pdf.ts).
import { parentPort } from 'node:worker_threads';
import { warmUpEmbeddedFont } from '../results/exports/certificate-pdf.js';
import { drawReportPdf } from './demo-pdf.js';

parentPort?.on('message', (m: { id: number; args: [string, string, string, string] } | { warmUp: true }) => {
  if ('warmUp' in m) return void warmUpEmbeddedFont().catch(() => undefined); // the first report reports a failure
  drawReportPdf(...m.args).then(
    (pdf) => parentPort?.postMessage({ id: m.id, pdf: new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength) }),
    (e: unknown) => parentPort?.postMessage({ id: m.id, error: String(e) }),
  );
});
