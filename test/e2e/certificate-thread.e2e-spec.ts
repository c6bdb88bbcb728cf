// Certificates as the built service draws them: in their worker thread (src/results/exports/
// certificate-thread.ts, on src/common/worker-thread.ts). Under ts-jest there is no compiled worker
// file, so every other test draws them in the test's own thread; this one runs the BUILT modules
// (dist/, `npm run build` first, as CI does) in a child process: the thread's files are the bytes the
// same functions make in the calling thread, pdfkit is not loaded in the calling thread, and a thread
// that cannot start leaves the work to the calling thread.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const built = (f: string) => pathToFileURL(join(process.cwd(), 'dist/src/results/exports', f)).href;

const CERTS = [1, 2, 3].map((i) => ({
  kind: 'entry', number: `QC2020-01-00${i}`, entryId: i, level: 'first', levelName: '一等奖', title: `降低焊接缺陷率 🔧 ${i}`,
  enterpriseName: '天津滨海精工有限公司', teamName: '精益求精QC小组', members: ['张伟', '李娜'], contestName: '2020年滨海新区质量攻关活动',
  issuer: '2020年滨海新区质量攻关活动组委会', dateText: '二〇二〇年九月二十九日', issuedOn: '2020-09-29T02:00:00.000Z', fileName: `QC2020-01-00${i}.pdf`,
}));

// The child draws one certificate and the zip through the thread, then the same in its own thread, and
// reports the digests and whether pdfkit was loaded in its main thread before drawing there.
const SCRIPT = `
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
const certs = JSON.parse(process.env.CERTS).map((c) => ({ ...c, issuedOn: new Date(c.issuedOn) }));
const md5 = (b) => (Buffer.isBuffer(b) ? createHash('md5').update(b).digest('hex') : 'not a Buffer');
const { certificateThread } = await import(${JSON.stringify(built('certificate-thread.js'))});
const viaThread = [md5(await certificateThread.call('renderCertificatePdf', certs[0])), md5(await certificateThread.call('buildCertificatesZip', certs))];
const pdfkitHere = Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('/pdfkit/'));
await certificateThread.close();
const { renderCertificatePdf, buildCertificatesZip } = await import(${JSON.stringify(built('certificate-pdf.js'))});
const here = [md5(await renderCertificatePdf(certs[0])), md5(await buildCertificatesZip(certs))];
process.stdout.write(JSON.stringify({ viaThread, here, pdfkitHere }));
`;

const run = (args: string[]) =>
  JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_OPTIONS: '', CERTS: JSON.stringify(CERTS) } })) as {
    viaThread: string[];
    here: string[];
    pdfkitHere: boolean;
  };

describe('certificates drawn in their worker thread (the built service)', () => {
  it('are the bytes drawn in the calling thread, as Buffers, without loading pdfkit there, and let the process end', () => {
    expect(existsSync(new URL(built('certificate-worker.js')))).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'qc-certs-'));
    const script = join(dir, 'certs.mjs');
    writeFileSync(script, SCRIPT);
    try {
      const { viaThread, here, pdfkitHere } = run([script]);
      expect(viaThread).toEqual(here);
      expect(viaThread.every((d) => /^[0-9a-f]{32}$/.test(d))).toBe(true);
      expect(viaThread[0]).not.toEqual(viaThread[1]);
      expect(pdfkitHere).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are drawn in the calling thread, the same bytes, when the thread cannot start', () => {
    // Started with a flag a worker thread refuses (--input-type is for --eval only): the worker fails at once.
    const { viaThread, here, pdfkitHere } = run(['--input-type=module', '--eval', SCRIPT]);
    expect(viaThread).toEqual(here);
    expect(pdfkitHere).toBe(true);
  });
});
