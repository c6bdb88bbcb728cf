// Documents as the built service makes and reads them: in their worker thread (src/common/
// document-thread.ts, on src/common/worker-thread.ts). Under ts-jest there is no compiled worker file, so
// every other test runs these functions in the test's own thread; this one runs the BUILT modules (dist/,
// `npm run build` first, as CI does) in a child process: the thread's certificates are the bytes the same
// functions make in the calling thread, its PDF check gives the same verdicts (Buffers in, Buffers out),
// pdfkit and pdf-lib are not loaded in the calling thread, and a thread that cannot start leaves the work
// to the calling thread. A port to the thread (OffThread.connect, for another thread: npm run demo's
// client) gives the same answers, and its calls end, not hang, when the thread ends.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const built = (f: string) => pathToFileURL(join(process.cwd(), 'dist/src', f)).href;

const CERTS = [1, 2, 3].map((i) => ({
  kind: 'entry', number: `QC2020-01-00${i}`, entryId: i, level: 'first', levelName: '一等奖', title: `降低焊接缺陷率 🔧 ${i}`,
  enterpriseName: '天津滨海精工有限公司', teamName: '精益求精QC小组', members: ['张伟', '李娜'], contestName: '2020年滨海新区质量攻关活动',
  issuer: '2020年滨海新区质量攻关活动组委会', dateText: '二〇二〇年九月二十九日', issuedOn: '2020-09-29T02:00:00.000Z', fileName: `QC2020-01-00${i}.pdf`,
}));

// The child draws one certificate and the zip and checks three uploads (a real PDF, the same cut short,
// and a PDF header on nothing) through the thread, then the same in its own thread, and reports the
// digests, the verdicts and whether pdfkit or pdf-lib was loaded in its main thread before that.
const SCRIPT = `
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
const certs = JSON.parse(process.env.CERTS).map((c) => ({ ...c, issuedOn: new Date(c.issuedOn) }));
const md5 = (b) => (Buffer.isBuffer(b) ? createHash('md5').update(b).digest('hex') : 'not a Buffer');
const { documentThread } = await import(${JSON.stringify(built('common/document-thread.js'))});
const { callsOver } = await import(${JSON.stringify(built('common/worker-thread.js'))});
const { drawReportPdf } = await import(${JSON.stringify(built('demo/demo-pdf.js'))});
const report = await drawReportPdf('降低焊接缺陷率', '天津滨海精工有限公司', '精益求精QC小组');
const uploads = [report, report.subarray(0, report.length - 200), Buffer.from('%PDF-1.7\\n%%EOF\\n')];
const loadedHere = () => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('/pdf-lib/'));
const pdfLibBefore = loadedHere();
const viaThread = {
  files: [md5(await documentThread.call('renderCertificatePdf', certs[0])), md5(await documentThread.call('buildCertificatesZip', certs))],
  sound: await Promise.all(uploads.map((u) => documentThread.call('isSoundPdf', u))),
};
const pdfLibHere = loadedHere();
const port = documentThread.connect();
let viaPort = 'no port';
let afterEnd = 'no port';
if (port) {
  const call = callsOver(port);
  viaPort = md5(await call('renderCertificatePdf', certs[0]));
  const pending = call('buildCertificatesZip', certs).then(() => 'answered', (e) => e.message);
  await documentThread.close();
  afterEnd = await pending;
}
await documentThread.close();
const { renderCertificatePdf, buildCertificatesZip } = await import(${JSON.stringify(built('results/exports/certificate-pdf.js'))});
const { isSoundPdf } = await import(${JSON.stringify(built('entries/pdf-check.js'))});
const here = { files: [md5(await renderCertificatePdf(certs[0])), md5(await buildCertificatesZip(certs))], sound: await Promise.all(uploads.map((u) => isSoundPdf(u))) };
process.stdout.write(JSON.stringify({ viaThread, here, pdfLibBefore, pdfLibHere, viaPort, afterEnd }));
`;

type Outcome = { viaThread: { files: string[]; sound: boolean[] }; here: { files: string[]; sound: boolean[] }; pdfLibBefore: boolean; pdfLibHere: boolean; viaPort: string; afterEnd: string };
const run = (args: string[]) =>
  JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_OPTIONS: '', CERTS: JSON.stringify(CERTS) } })) as Outcome;

describe('documents made and read in their worker thread (the built service)', () => {
  it('certificates are the bytes drawn in the calling thread, the PDF check the same verdicts, pdf-lib not loaded there, and the process ends', () => {
    expect(existsSync(new URL(built('common/document-worker.js')))).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'qc-docs-'));
    const script = join(dir, 'docs.mjs');
    writeFileSync(script, SCRIPT);
    try {
      const { viaThread, here, pdfLibBefore, pdfLibHere, viaPort, afterEnd } = run([script]);
      expect(viaThread).toEqual(here);
      // Through a port to the same thread: the same bytes; a call the thread's end left unanswered fails
      // (or was answered first): the child process ends either way, waiting for none.
      expect(viaPort).toBe(here.files[0]);
      expect(['worker thread ended', 'answered']).toContain(afterEnd);
      expect(viaThread.files.every((d) => /^[0-9a-f]{32}$/.test(d))).toBe(true);
      expect(viaThread.files[0]).not.toEqual(viaThread.files[1]);
      expect(viaThread.sound).toEqual([true, false, false]);
      expect([pdfLibBefore, pdfLibHere]).toEqual([false, false]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are made in the calling thread, with the same results, when the thread cannot start', () => {
    // Started with a flag a worker thread refuses (--input-type is for --eval only): the worker fails at once.
    const { viaThread, here, pdfLibHere, viaPort } = run(['--input-type=module', '--eval', SCRIPT]);
    expect(viaThread).toEqual(here);
    expect(viaPort).toBe('no port'); // the functions run in the calling thread: no thread to connect to
    expect(viaThread.sound).toEqual([true, false, false]);
    expect(pdfLibHere).toBe(true);
  });
});
