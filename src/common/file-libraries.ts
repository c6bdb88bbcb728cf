// The file-format libraries (xlsx, docx, PDF, zip), loaded on their first use rather than at
// start-up: ≈ 4 MB of code that only some requests need. Imported at start they were ≈ 1 s of every
// start (the service, each test's app, the demo and its client thread, which only asks for PDFs).
// The CommonJS ones are required, not imported: importing a CommonJS module from an ES module has Node
// parse its source, and that of every module it re-exports, for the names it exports (cjs-module-lexer)
// before loading it — pdf-lib's ≈ 140 modules: its first load (an upload's PDF check, in the document
// thread) ≈ 200 → 130 ms on a quiet machine; pdfkit, exceljs and jszip within the noise.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A module loaded once, on first use; a failed load is tried again on the next use. */
export function lazily<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null;
  return () =>
    (loading ??= load().catch((e: unknown) => {
      loading = null;
      throw e;
    }));
}

export const excelJs = lazily(async () => require('exceljs') as typeof import('exceljs'));
export const pdfLib = lazily(async () => require('pdf-lib') as typeof import('pdf-lib'));
export const pdfKit = lazily(async () => require('pdfkit') as typeof import('pdfkit'));
export const jsZip = lazily(async () => require('jszip') as typeof import('jszip'));
/** Not a file format, but loaded the same way: only a service with SMTP configured sends mail (≈ 40–50 ms of every start otherwise). */
export const nodeMailer = lazily(async () => require('nodemailer') as typeof import('nodemailer'));
