import { OffThread } from '../../common/worker-thread.js';

/**
 * Certificates are drawn in a worker thread (≈ 10 ms of CPU each; a contest's zip of ≈ 120 is more than
 * a second): the service keeps answering, say, the experts scoring meanwhile. The same functions as
 * certificate-pdf.ts, and the same bytes.
 */
export const certificateThread = new OffThread(new URL('./certificate-worker.js', import.meta.url), async () => {
  const { buildCertificatesZip, renderCertificatePdf } = await import('./certificate-pdf.js');
  return { buildCertificatesZip, renderCertificatePdf };
});
