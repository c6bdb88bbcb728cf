import { describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import {
  buildCertificatesZip,
  certificateDownloadName,
  certificateNumber,
  certificatesFor,
  chineseDate,
  printable,
  renderCertificatePdf,
  type EntryCertificate,
} from './certificate-pdf.js';
import { sampleAwardList } from './sample-award-list.js';

/** Pages of a PDF from its structure: page objects (`/Type /Page`), not the page tree (`/Pages`). */
export function pdfPageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}

const HAS_PDFTOTEXT = spawnSync('pdftotext', ['-v']).error === undefined;

/** The text of a PDF via poppler's pdftotext, whitespace removed (line breaks fall anywhere); null without poppler. */
function pdfText(pdf: Buffer): string | null {
  if (!HAS_PDFTOTEXT) return null;
  const dir = mkdtempSync(join(tmpdir(), 'qc-cert-'));
  try {
    writeFileSync(join(dir, 'c.pdf'), pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'c.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/gu, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function skipTextCheck(): void {
  // CI without poppler-utils: the structure checks still ran; only the text check is skipped.
  console.warn('pdftotext not found (apt-get install -y poppler-utils): certificate TEXT checks skipped, structure checks ran');
}

describe('certificates', () => {
  it('numbers entries by level code and 序号, units by place, and dates in China time', () => {
    const certs = certificatesFor(sampleAwardList(), new Date(0));
    expect(certs.map((c) => c.number)).toEqual(['QC2020-01-001', 'QC2020-01-002', 'QC2020-02-001', 'QC2020-03-001', 'QC2020-05-001', 'QC2020-05-002']);
    expect(certs.map((c) => c.kind)).toEqual(['entry', 'entry', 'entry', 'entry', 'unit', 'unit']);
    // Published 2020-12-24T17:30Z is the 25th in Tianjin.
    expect(new Set(certs.map((c) => c.dateText))).toEqual(new Set(['2020年12月25日']));
    const first = certs[0] as EntryCertificate;
    expect(first).toMatchObject({ entryId: 101, level: 'first', levelName: '一等奖', title: '降低🚀焊接缺陷率', teamName: '攻坚QC小组🏆', contestName: '2020年滨海新区质量攻关活动' });
    expect(first.fileName).toBe('QC2020-01-001_天津滨海精密制造有限公司_降低焊接缺陷率.pdf');
    expect(certs[1].fileName).toBe('QC2020-01-002_天津港, 集团有限公司_提高_一次交验_合格率, 缩短周期.pdf');
    expect(certs[4]).toMatchObject({ kind: 'unit', unitId: 11, unitName: '滨海新区质量协会', fileName: 'QC2020-05-001_滨海新区质量协会.pdf' });
    expect(certificateDownloadName(first)).toBe('荣誉证书-QC2020-01-001.pdf');
    expect(certificateNumber(2021, '04', 1234)).toBe('QC2021-04-1234');
    expect(chineseDate(new Date('2021-01-01T15:59:59Z'))).toBe('2021年1月1日');
    expect(chineseDate(new Date('2021-01-01T16:00:00Z'))).toBe('2021年1月2日');
  });

  it('uses the fallback date for a list that is not published', () => {
    const list = sampleAwardList({ status: 'notice' });
    list.publishedAt = null;
    expect(certificatesFor(list, new Date('2020-12-01T00:00:00Z'))[0].dateText).toBe('2020年12月1日');
  });

  it('prints emoji as nothing and characters the font lacks as □', () => {
    const has = (cp: number) => cp < 0x20000;
    expect(printable('攻坚QC小组🏆', has)).toBe('攻坚QC小组');
    expect(printable('👨‍👩‍👧 家庭 ❤️ 小组 👍🏽', has)).toBe('家庭 小组');
    expect(printable('𠀀记五金', has)).toBe('□记五金');
    expect(printable('a\u0007b', has)).toBe('ab');
    expect(printable('星光™公司© ★小组 1️⃣ 🇨🇳', has)).toBe('星光™公司© ★小组 1');
  });

  it('renders one A4-landscape page with the Chinese text of an entry certificate', async () => {
    const [cert] = certificatesFor(sampleAwardList(), new Date(0));
    const pdf = await renderCertificatePdf(cert);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdfPageCount(pdf)).toBe(1);
    // A4 landscape media box, and only the used glyphs embedded (the font file is ≈10 MB).
    expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 841\.89 595\.28\]/);
    expect(pdf.length).toBeLessThan(60_000);
    const text = pdfText(pdf);
    if (text === null) return skipTextCheck();
    for (const s of ['荣誉证书', '天津滨海精密制造有限公司', '攻坚QC小组', '《降低焊接缺陷率》', '2020年滨海新区质量攻关活动', '一等奖', '特发此证，以资鼓励。', '2020年12月25日', 'QC2020-01-001']) {
      expect(text).toContain(s);
    }
  });

  it('fits a very long title on the page, and renders a unit certificate', async () => {
    const certs = certificatesFor(sampleAwardList(), new Date(0));
    const long = certs.find((c) => c.number === 'QC2020-03-001') as EntryCertificate;
    long.title = long.title.repeat(3);
    const pdf = await renderCertificatePdf(long);
    expect(pdfPageCount(pdf)).toBe(1);
    const unitPdf = await renderCertificatePdf(certs[5]);
    expect(pdfPageCount(unitPdf)).toBe(1);
    const text = pdfText(pdf);
    const unitText = pdfText(unitPdf);
    if (text === null || unitText === null) return skipTextCheck();
    expect(text).toContain(long.title);
    expect(text).toContain('三等奖');
    expect(unitText).toContain('滨海新区经济技术开发区市场监管局：');
    expect(unitText).toContain('优秀推荐单位');
    expect(unitText).toContain('QC2020-05-002');
  });

  it('draws a character the font lacks as □ and no empty boxes for emoji, with the real font', async () => {
    const cert = certificatesFor(sampleAwardList(), new Date(0))[0] as EntryCertificate;
    cert.enterpriseName = '𠀀记五金🔧有限公司';
    const pdf = await renderCertificatePdf(cert);
    expect(pdfPageCount(pdf)).toBe(1);
    const text = pdfText(pdf);
    if (text === null) return skipTextCheck();
    expect(text).toContain('□记五金有限公司攻坚QC小组：');
  });

  it('zips one PDF per awarded entry and per excellent unit', async () => {
    const certs = certificatesFor(sampleAwardList(), new Date(0));
    const zip = await JSZip.loadAsync(await buildCertificatesZip(certs));
    const names = Object.keys(zip.files).sort();
    expect(names).toEqual(certs.map((c) => c.fileName).sort());
    expect(names).toHaveLength(6);
    for (const name of names) {
      const pdf = Buffer.from(await (zip.file(name) as JSZip.JSZipObject).async('uint8array'));
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdfPageCount(pdf)).toBe(1);
    }
    const unitText = pdfText(Buffer.from(await (zip.file('QC2020-05-001_滨海新区质量协会.pdf') as JSZip.JSZipObject).async('uint8array')));
    if (unitText === null) return skipTextCheck();
    expect(unitText).toContain('滨海新区质量协会：');
  });

  it('stores the PDFs in the zip (their streams are compressed already): every entry uncompressed, byte for byte', async () => {
    const certs = certificatesFor(sampleAwardList(), new Date(0));
    const zip = await buildCertificatesZip(certs);
    // The central directory (found from the end-of-directory record): compression method and sizes of each entry.
    const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const count = zip.readUInt16LE(end + 10);
    let at = zip.readUInt32LE(end + 16);
    const methods: number[] = [];
    for (let i = 0; i < count; i++) {
      expect(zip.readUInt32LE(at)).toBe(0x02014b50);
      methods.push(zip.readUInt16LE(at + 10));
      expect(zip.readUInt32LE(at + 20)).toBe(zip.readUInt32LE(at + 24)); // compressed size = size
      at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    }
    expect(methods).toEqual(certs.map(() => 0));
    const loaded = await JSZip.loadAsync(zip);
    const first = Buffer.from(await (loaded.file(certs[0].fileName) as JSZip.JSZipObject).async('uint8array'));
    expect(zip.includes(first)).toBe(true);
  });

  it('lets other work in between certificates (the document thread answers a single certificate or an upload check meanwhile)', async () => {
    const certs = certificatesFor(sampleAwardList(), new Date(0));
    const order: string[] = [];
    setImmediate(() => order.push('other call'));
    await buildCertificatesZip(certs, async (cert) => {
      order.push(cert.number);
      return Buffer.from(cert.number);
    });
    expect(order.slice(0, 3)).toEqual([certs[0].number, 'other call', certs[1].number]);
  });

  it('draws with the font parsed once exactly the files pdfkit draws with the font file, whatever came before', async () => {
    const certs = certificatesFor(sampleAwardList(), new Date(0));
    const missing = { ...certs[0], enterpriseName: '𠀀记五金🔧有限公司' } as EntryCertificate;
    // ⼀ (U+2F00) and 一 (U+4E00, in 一等奖) are one glyph of the font, as are the space and U+00A0: each
    // file maps the glyph back to the character it used first (copy and paste), not one of an earlier file.
    const radical = { ...certs[1], teamName: '⼀线\u00a0QC小组', number: 'QC2020-01-009' } as EntryCertificate;
    const drawn = [radical, ...certs, missing, certs[0], radical];
    for (const cert of drawn) {
      const [shared, perDocument] = [await renderCertificatePdf(cert), await renderCertificatePdf(cert, 'per-document')];
      expect({ number: cert.number, same: shared.equals(perDocument) }).toEqual({ number: cert.number, same: true });
    }
    const text = pdfText(await renderCertificatePdf(certs[0]));
    if (text === null) return skipTextCheck();
    expect(text).toContain('一等奖');
  });
});
