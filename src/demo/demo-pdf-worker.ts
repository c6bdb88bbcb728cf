// npm run demo's PDF thread (see demo-pdf.ts): the demo's reports and the service's documents.
import { documentFunctions } from '../common/document-thread.js';
import { excelJs } from '../common/file-libraries.js';
import { serveInThread, setThreadPriority } from '../common/worker-thread.js';
import { drawReportPdf } from './demo-pdf.js';

// The reports, drawn while the service starts, take the core the other threads leave: this thread runs
// below them (nice 10; at their priority the reports made the start ≈ 0.8 s longer) until the service
// first asks it for a document (an upload's check, the certificates), then at theirs again where the
// system allows it (otherwise it stays below, and the certificates take longer).
setThreadPriority(10);
let raised = false;

// The award list's workbook library (exceljs: ≈ 0.3 s to load) is loaded the first time this thread has
// had nothing to do for a second after the service first asked it for a document (an upload's check): while
// the service reviews and scores, not when 2020 is published, when the 2020 files started with it and the
// 2021 entries' uploads waited for their checks behind it (the 2021 year and the demo's end ≈ 0.25 s
// shorter: the README's eighth round). Not before the uploads: the thread is idle then too, when the
// reports are drawn and the entries are being created.
const IDLE_MS = 1000;
let idle: NodeJS.Timeout | null = null;
let loaded = false;
const busy = (askedByService: boolean) => {
  if (loaded) return;
  if (idle) idle.refresh();
  else if (askedByService) {
    idle = setTimeout(() => {
      loaded = true;
      void excelJs().catch(() => undefined); // a failure shows when the workbook is built
    }, IDLE_MS);
    idle.unref();
  }
};

const forService = (fn: (...args: never[]) => unknown) => (...args: never[]) => {
  if (!raised) {
    raised = true;
    setThreadPriority(0);
  }
  busy(true);
  return fn(...args);
};
const documents = await documentFunctions();
serveInThread({
  ...Object.fromEntries(Object.entries(documents).map(([name, fn]) => [name, name === 'warmUpEmbeddedFont' ? fn : forService(fn)])),
  drawReportPdf: (...args: Parameters<typeof drawReportPdf>) => {
    busy(false);
    return drawReportPdf(...args);
  },
});
