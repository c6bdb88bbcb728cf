// The file-format libraries (xlsx, docx, PDF, zip), loaded on their first use rather than at
// start-up: ≈ 4 MB of code that only some requests need. Imported at start they were ≈ 1 s of every
// start (the service, each test's app, the demo and its client thread, which only asks for PDFs).

/** A module loaded once, on first use; a failed load is tried again on the next use. */
export function lazily<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null;
  return () =>
    (loading ??= load().catch((e: unknown) => {
      loading = null;
      throw e;
    }));
}

export const excelJs = lazily(() => import('exceljs').then((m) => m.default));
export const pdfLib = lazily(() => import('pdf-lib'));
export const pdfKit = lazily(() => import('pdfkit').then((m) => m.default));
export const jsZip = lazily(() => import('jszip').then((m) => m.default));
