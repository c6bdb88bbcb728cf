import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Response } from 'supertest';
import {
  createEntry, createIntakeWorld, makeZip, minimalPdf, minimalPptx, submitEntry, uploadAttachment, uploadReport, type IntakeWorld,
} from '../factories/entries.js';
import { demoReportPdf } from '../../src/demo/demo-pdf.js';
import { createTestApp, expectErrorBody, TEST_DB, type TestApp } from '../support/test-app.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const EXE = Buffer.concat([Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]), Buffer.alloc(120, 0x41)]);
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(120, 0x42)]);

/** A well-formed PDF (objects, xref, trailer, %%EOF) whose page tree is empty: nothing to read or print. */
function pagelessPdf(): Buffer {
  const objects = ['1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n', '2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n'];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (const o of objects) {
    offsets.push(body.length);
    body += o;
  }
  const xref = body.length;
  body += `xref\n0 3\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** Collects a binary response body as a Buffer. */
function binary(res: Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

function uploadedFiles(t: TestApp): string[] {
  const root = join(t.config.dataDir, 'uploads');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name)).sort();
}

describe(`attachments (${TEST_DB})`, () => {
  let t: TestApp;
  let w: IntakeWorld;
  let entryId: number;

  const rows = async () => Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM attachments'))[0].n);

  beforeAll(async () => {
    t = await createTestApp();
    w = await createIntakeWorld(t);
    entryId = (await createEntry(t, w.a.owner.token, w.contest.id)).id;
  });
  afterAll(() => t.close());

  it('stores a report by content, versions re-uploads, lists them and downloads the bytes with the Chinese name', async () => {
    const v1 = minimalPdf('第一版');
    const first = await uploadAttachment(t, w.a.owner.token, entryId, 'report', v1, '成果报告 🏆.pdf').expect(201);
    expect(first.body).toMatchObject({ entryId, kind: 'report', version: 1, current: true, originalName: '成果报告 🏆.pdf', mime: 'application/pdf', size: v1.length, sha256: sha(v1) });

    // The field order does not matter: the file may come before `kind`.
    const v2 = minimalPdf('第二版');
    const second = await t.http().post(`/api/entries/${entryId}/attachments`).set(auth(w.a.owner.token))
      .attach('file', v2, { filename: '成果报告-终版.pdf', contentType: 'image/png' }).field('kind', 'report').expect(201);
    expect(second.body).toMatchObject({ kind: 'report', version: 2, current: true, mime: 'application/pdf', sha256: sha(v2) });

    const slides = await uploadAttachment(t, w.a.owner.token, entryId, 'slides', minimalPptx(), '发表材料.pptx').expect(201);
    expect(slides.body).toMatchObject({ kind: 'slides', version: 1, mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation' });
    const png = await uploadAttachment(t, w.a.owner.token, entryId, 'evidence', PNG, '证书照片.png').expect(201);
    expect(png.body).toMatchObject({ kind: 'evidence', mime: 'image/png' });

    const list = await t.http().get(`/api/entries/${entryId}/attachments`).set(auth(w.a.owner.token)).expect(200);
    expect(list.body.total).toBe(4);
    expect(list.body.items.map((a: { kind: string; version: number; current: boolean }) => [a.kind, a.version, a.current])).toEqual([
      ['evidence', 1, true], ['report', 2, true], ['report', 1, false], ['slides', 1, true],
    ]);
    expect(JSON.stringify(list.body)).not.toMatch(/storageKey|uploads/);

    const dl = await t.http().get(`/api/attachments/${first.body.id}/download`).set(auth(w.a.owner.token)).buffer(true).parse(binary).expect(200);
    expect(Buffer.compare(dl.body as Buffer, v1)).toBe(0);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.headers['content-length']).toBe(String(v1.length));
    expect(dl.headers['content-disposition']).toBe(`attachment; filename="____ _.pdf"; filename*=UTF-8''${encodeURIComponent('成果报告 🏆.pdf')}`);
    expect(dl.headers['x-content-type-options']).toBe('nosniff');

    // Stored once per content, under DATA_DIR/uploads, by its hash.
    const files = uploadedFiles(t);
    expect(files.some((f) => f.endsWith(sha(v1)))).toBe(true);

    const audit = await t.http().get('/api/audit?action=attachment.upload').set(auth(w.organizer)).expect(200);
    expect(audit.body.items.at(-1)).toMatchObject({ targetType: 'attachment', targetId: String(first.body.id), after: { entryId, kind: 'report', version: 1, originalName: '成果报告 🏆.pdf', sha256: sha(v1) } });
  });

  it('accepts the same bytes twice as two versions stored once', async () => {
    const e = await createEntry(t, w.a.owner.token, w.contest.id);
    const pdf = minimalPdf('same');
    await uploadAttachment(t, w.a.owner.token, e.id, 'evidence', pdf, 'a.pdf').expect(201);
    const before = uploadedFiles(t).length;
    const again = await uploadAttachment(t, w.a.owner.token, e.id, 'evidence', pdf, 'b.pdf').expect(201);
    expect(again.body).toMatchObject({ version: 2, originalName: 'b.pdf' });
    expect(uploadedFiles(t).length).toBe(before);
  });

  it('refuses bad files with coded 4xx and writes nothing (no row, no file)', async () => {
    const cases: [string, string | null, Buffer, string, number, string][] = [
      ['exe renamed .pdf', 'report', EXE, 'report.pdf', 415, 'file_type_not_allowed'],
      ['ELF renamed .pdf', 'evidence', ELF, '证明.pdf', 415, 'file_type_not_allowed'],
      ['PPTX as a report', 'report', minimalPptx(), 'report.pptx', 415, 'file_type_not_allowed'],
      ['PNG as slides', 'slides', PNG, 'slides.png', 415, 'file_type_not_allowed'],
      ['plain zip as evidence', 'evidence', makeZip(['a.txt', 'run.exe']), 'evidence.docx', 415, 'file_type_not_allowed'],
      ['macro-enabled pptx', 'slides', makeZip(['[Content_Types].xml', 'ppt/presentation.xml', 'ppt/vbaProject.bin']), 's.pptx', 415, 'file_type_not_allowed'],
      ['empty file', 'report', Buffer.alloc(0), 'empty.pdf', 400, 'file_empty'],
      // Starts like a PDF, is not one: what the magic bytes alone used to accept.
      ['PDF header only', 'report', Buffer.from('%PDF-', 'latin1'), 'header.pdf', 422, 'invalid_pdf'],
      ['random bytes after a PDF header', 'report', Buffer.concat([Buffer.from('%PDF-1.7\n', 'latin1'), randomBytes(4000)]), 'noise.pdf', 422, 'invalid_pdf'],
      ['truncated PDF (tail lost)', 'report', minimalPdf().subarray(0, minimalPdf().length - 30), 'cut.pdf', 422, 'invalid_pdf'],
      ['truncated PDF (half)', 'evidence', minimalPdf().subarray(0, minimalPdf().length >> 1), 'half.pdf', 422, 'invalid_pdf'],
      ['PDF without a page', 'report', pagelessPdf(), 'empty-doc.pdf', 422, 'invalid_pdf'],
      ['path traversal', 'report', minimalPdf(), '../evil.pdf', 400, 'file_name_invalid'],
      ['windows path', 'report', minimalPdf(), '..\\..\\evil.pdf', 400, 'file_name_invalid'],
      ['control character', 'report', minimalPdf(), 'evil\u0001.pdf', 400, 'file_name_invalid'],
      ['overlong name', 'report', minimalPdf(), 'a'.repeat(256) + '.pdf', 400, 'file_name_invalid'],
      ['unknown kind', 'video', minimalPdf(), 'a.pdf', 400, 'validation_failed'],
      ['missing kind', null, minimalPdf(), 'a.pdf', 400, 'validation_failed'],
    ];
    const files = uploadedFiles(t);
    const before = await rows();
    for (const [what, kind, data, name, status, code] of cases) {
      const req = t.http().post(`/api/entries/${entryId}/attachments`).set(auth(w.a.owner.token));
      if (kind !== null) req.field('kind', kind);
      // `filepath` keeps the name as given (form-data would reduce `filename` to its base name).
      const res = await req.attach('file', data, { filepath: name, contentType: 'application/pdf' } as { filename?: string });
      expect([what, res.status]).toEqual([what, status]);
      expectErrorBody(res.body, status, code);
    }
    const noFile = await t.http().post(`/api/entries/${entryId}/attachments`).set(auth(w.a.owner.token)).field('kind', 'report').expect(400);
    expectErrorBody(noFile.body, 400, 'validation_failed');
    expect(noFile.body.errors).toEqual([{ field: 'file', code: 'required', message: expect.any(String) }]);
    const extra = await t.http().post(`/api/entries/${entryId}/attachments`).set(auth(w.a.owner.token)).field('kind', 'report').field('note', 'x')
      .attach('file', minimalPdf(), 'a.pdf').expect(400);
    expect(extra.body.errors).toEqual([{ field: 'note', code: 'unknown_field', message: expect.any(String) }]);
    const json = await t.http().post(`/api/entries/${entryId}/attachments`).set(auth(w.a.owner.token)).send({ kind: 'report', file: 'JVBERi0=' }).expect(415);
    expectErrorBody(json.body, 415, 'unsupported_media_type');
    const broken = await t.http().post(`/api/entries/${entryId}/attachments`).set(auth(w.a.owner.token))
      .set('content-type', 'multipart/form-data; boundary=XYZ').send('--XYZ\r\nContent-Disposition: form-data; name="kind"\r\n\r\nreport\r\n--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4 trunc');
    expect(broken.status).toBe(400);
    expectErrorBody(broken.body, 400, 'malformed_multipart');
    expect(await rows()).toBe(before);
    expect(uploadedFiles(t)).toEqual(files);
  });

  it('accepts a real PDF (pdfkit, Chinese text) and explains a damaged one in Chinese (422 invalid_pdf)', async () => {
    const e = await createEntry(t, w.a.owner.token, w.contest.id);
    const real = await demoReportPdf('降低焊接缺陷率', '测试企业', 'QC小组');
    const ok = await uploadAttachment(t, w.a.owner.token, e.id, 'report', real, '成果报告.pdf').expect(201);
    expect(ok.body).toMatchObject({ kind: 'report', version: 1, mime: 'application/pdf', size: real.length, sha256: sha(real) });
    const cut = await uploadAttachment(t, w.a.owner.token, e.id, 'report', real.subarray(0, real.length - 200), '成果报告.pdf').expect(422);
    expectErrorBody(cut.body, 422, 'invalid_pdf');
    expect(cut.body.message).toMatch(/不是完整有效的 PDF/);
    expect(cut.body.errors).toEqual([{ field: 'file', code: 'invalid_pdf', message: '不是完整有效的 PDF 文件' }]);
    expect((await t.http().get(`/api/entries/${e.id}/attachments`).set(auth(w.a.owner.token)).expect(200)).body.total).toBe(1);
  });

  it('refuses uploads once the entry is submitted (409 entry_not_editable)', async () => {
    const e = await createEntry(t, w.a.owner.token, w.contest.id);
    await uploadReport(t, w.a.owner.token, e.id);
    await submitEntry(t, w.a.owner.token, e.id);
    const before = await rows();
    expectErrorBody((await uploadAttachment(t, w.a.owner.token, e.id, 'report', minimalPdf('late'), 'late.pdf').expect(409)).body, 409, 'entry_not_editable');
    expect(await rows()).toBe(before);
  });

  it('documents the upload as multipart/form-data in the OpenAPI document', async () => {
    const doc = await t.http().get('/api/docs-json').expect(200);
    const upload = doc.body.paths['/api/entries/{id}/attachments'].post;
    expect(Object.keys(upload.requestBody.content)).toEqual(['multipart/form-data']);
    expect(upload.requestBody.content['multipart/form-data'].schema.required).toEqual(['kind', 'file']);
    expect(doc.body.paths['/api/attachments/{id}/download'].get).toBeDefined();
  });

  it('authorisation matrix: upload, list and download × every role, own and foreign organisation', async () => {
    const draft = await createEntry(t, w.a.owner.token, w.contest.id);
    const draftFile = await uploadReport(t, w.a.owner.token, draft.id);
    const sub = await createEntry(t, w.a.owner.token, w.contest.id);
    const subFile = await uploadReport(t, w.a.owner.token, sub.id);
    await submitEntry(t, w.a.owner.token, sub.id);
    const before = await rows();

    const code = (s: number) => ({ 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found' })[s] as string;
    const check = async (who: string, token: string | null, entry: number, file: number, want: { upload: number; list: number; download: number }) => {
      let up = t.http().post(`/api/entries/${entry}/attachments`);
      let list = t.http().get(`/api/entries/${entry}/attachments`);
      let dl = t.http().get(`/api/attachments/${file}/download`);
      if (token) {
        up = up.set(auth(token));
        list = list.set(auth(token));
        dl = dl.set(auth(token));
      }
      const results = { upload: await up.field('kind', 'report').attach('file', minimalPdf('intruder'), 'x.pdf'), list: await list, download: await dl };
      for (const k of ['upload', 'list', 'download'] as const) {
        expect([who, k, entry, results[k].status]).toEqual([who, k, entry, want[k]]);
        if (want[k] >= 400) {
          expectErrorBody(results[k].body, want[k], code(want[k]));
          expect(results[k].headers['content-disposition']).toBeUndefined();
          expect(JSON.stringify(results[k].body)).not.toMatch(/sha256|originalName|%PDF/);
        }
      }
    };
    for (const [entry, file] of [[draft.id, draftFile.id], [sub.id, subFile.id]]) {
      await check('enterprise B', w.b.owner.token, entry, file, { upload: 404, list: 404, download: 404 });
      await check('unit B', w.b.recommender.token, entry, file, { upload: 403, list: 404, download: 404 });
      await check('expert', w.expert, entry, file, { upload: 403, list: 404, download: 404 });
      await check('organizer', w.organizer, entry, file, { upload: 403, list: 200, download: 200 });
      await check('admin', w.admin, entry, file, { upload: 403, list: 403, download: 403 });
      await check('anonymous', null, entry, file, { upload: 401, list: 401, download: 401 });
    }
    // The entry's unit sees the files of a submitted entry only.
    await check('unit A', w.a.recommender.token, draft.id, draftFile.id, { upload: 403, list: 404, download: 404 });
    await check('unit A', w.a.recommender.token, sub.id, subFile.id, { upload: 403, list: 200, download: 200 });
    expectErrorBody((await t.http().get('/api/attachments/999999/download').set(auth(w.organizer)).expect(404)).body, 404, 'not_found');
    expect(await rows()).toBe(before);
  });
});

describe(`attachment size limit (${TEST_DB})`, () => {
  let t: TestApp;
  let w: IntakeWorld;

  beforeAll(async () => {
    t = await createTestApp({ UPLOAD_LIMIT_BYTES: '2048' });
    w = await createIntakeWorld(t);
  });
  afterAll(() => t.close());

  it('refuses a file over UPLOAD_LIMIT_BYTES with 413 file_too_large and writes nothing', async () => {
    const e = await createEntry(t, w.a.owner.token, w.contest.id);
    const big = Buffer.concat([minimalPdf(), Buffer.alloc(4096, 0x20)]);
    const res = await uploadAttachment(t, w.a.owner.token, e.id, 'report', big, 'big.pdf').expect(413);
    expectErrorBody(res.body, 413, 'file_too_large');
    expect(res.body.details).toEqual({ limitBytes: 2048 });
    expect((await t.http().get(`/api/entries/${e.id}/attachments`).set(auth(w.a.owner.token)).expect(200)).body.total).toBe(0);
    expect(uploadedFiles(t)).toEqual([]);
    // Exactly at the limit is fine.
    const fit = Buffer.concat([minimalPdf(), Buffer.alloc(2048 - minimalPdf().length, 0x20)]);
    await uploadAttachment(t, w.a.owner.token, e.id, 'report', fit, 'fit.pdf').expect(201);
  });
});
