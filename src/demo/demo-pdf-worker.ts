// npm run demo's PDF thread (see demo-pdf.ts): the demo's reports and the service's documents.
import { documentFunctions } from '../common/document-thread.js';
import { serveInThread } from '../common/worker-thread.js';
import { drawReportPdf } from './demo-pdf.js';

serveInThread({ ...(await documentFunctions()), drawReportPdf });
