import { OffThread } from './worker-thread.js';
import type { isSoundPdf } from '../entries/pdf-check.js';
import type { buildAwardListXlsx } from '../results/exports/award-list-xlsx.js';
import type { buildCertificatesZip, renderCertificatePdf, warmUpEmbeddedFont } from '../results/exports/certificate-pdf.js';

export interface DocumentFunctions {
  [name: string]: (...args: never[]) => unknown;
  buildCertificatesZip: typeof buildCertificatesZip;
  renderCertificatePdf: typeof renderCertificatePdf;
  warmUpEmbeddedFont: typeof warmUpEmbeddedFont;
  buildAwardListXlsx: typeof buildAwardListXlsx;
  isSoundPdf: typeof isSoundPdf;
}

const functions = async (): Promise<DocumentFunctions> => {
  const [certificates, xlsx, pdf] = await Promise.all([
    import('../results/exports/certificate-pdf.js'),
    import('../results/exports/award-list-xlsx.js'),
    import('../entries/pdf-check.js'),
  ]);
  const { buildCertificatesZip, renderCertificatePdf, warmUpEmbeddedFont } = certificates;
  return { buildCertificatesZip, renderCertificatePdf, warmUpEmbeddedFont, buildAwardListXlsx: xlsx.buildAwardListXlsx, isSoundPdf: pdf.isSoundPdf };
};

/**
 * Documents are drawn and read in a worker thread: certificates (≈ 10 ms of CPU each; a contest's zip of
 * ≈ 120 is more than a second), the award list's workbook, and the structural check of an uploaded PDF
 * (pdf-lib parses every object). The service keeps answering, say, the experts scoring meanwhile. The same
 * functions (`functions`), the same results; the libraries are loaded in that thread only.
 */
export let documentThread: OffThread<DocumentFunctions> = new OffThread(new URL('./document-worker.js', import.meta.url), functions);

/** The functions as the thread serves them (document-worker.ts, and npm run demo's PDF thread, which adds its reports). */
export { functions as documentFunctions };

/** npm run demo: its PDF thread (demo-pdf-worker.ts serves these functions too) is the service's document thread. */
export function useDocumentThread(thread: OffThread<DocumentFunctions>): void {
  documentThread = thread;
}
