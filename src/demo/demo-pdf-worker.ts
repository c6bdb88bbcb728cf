// npm run demo's PDF thread (see demo-pdf.ts): the demo's reports and the service's documents.
import { documentFunctions } from '../common/document-thread.js';
import { serveInThread, setThreadPriority } from '../common/worker-thread.js';
import { drawReportPdf } from './demo-pdf.js';

// The reports, drawn while the service starts, take the core the other threads leave: this thread runs
// below them (nice 10; at their priority the reports made the start ≈ 0.8 s longer) until the service
// first asks it for a document (an upload's check, the certificates), then at theirs again where the
// system allows it (otherwise it stays below, and the certificates take longer).
setThreadPriority(10);
let raised = false;
const forService = (fn: (...args: never[]) => unknown) => (...args: never[]) => {
  if (!raised) {
    raised = true;
    setThreadPriority(0);
  }
  return fn(...args);
};
const documents = await documentFunctions();
serveInThread({
  ...Object.fromEntries(Object.entries(documents).map(([name, fn]) => [name, name === 'warmUpEmbeddedFont' ? fn : forService(fn)])),
  drawReportPdf,
});
