// The certificates' thread (see certificate-thread.ts).
import { serveInThread } from '../../common/worker-thread.js';
import { buildCertificatesZip, renderCertificatePdf } from './certificate-pdf.js';

serveInThread({ buildCertificatesZip, renderCertificatePdf });
