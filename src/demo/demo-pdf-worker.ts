// npm run demo's PDF thread (see demo-pdf.ts): the demo's reports and the service's documents.
import { documentFunctions } from '../common/document-thread.js';
import { lowerThreadPriority, serveInThread } from '../common/worker-thread.js';
import { drawReportPdf } from './demo-pdf.js';

// Below the service's and the client's threads (nice 10): the reports, drawn while the service starts,
// and the 2020 certificates, drawn while 2021 is played, take the core the others leave, without slowing
// them (at the same priority, the reports drawn during start-up made the start ≈ 0.8 s longer).
lowerThreadPriority(10);

serveInThread({ ...(await documentFunctions()), drawReportPdf });
