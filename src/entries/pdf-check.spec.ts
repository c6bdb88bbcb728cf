import { describe, expect, it } from '@jest/globals';
import { demoReportPdf } from '../demo/demo-pdf.js';
import { hasPdfTrailer, isSoundPdf } from './pdf-check.js';

describe('PDF structure check', () => {
  it('accepts a real one-page PDF, with trailing padding too', async () => {
    const pdf = await demoReportPdf('课题', '企业', '小组');
    expect(hasPdfTrailer(pdf)).toBe(true);
    await expect(isSoundPdf(pdf)).resolves.toBe(true);
    await expect(isSoundPdf(Buffer.concat([pdf, Buffer.alloc(100, 0x20)]))).resolves.toBe(true);
  });

  it('refuses what only starts like a PDF', async () => {
    const pdf = await demoReportPdf('课题', '企业', '小组');
    const fakes: Record<string, Buffer> = {
      'header only': Buffer.from('%PDF-', 'latin1'),
      'header and noise': Buffer.concat([Buffer.from('%PDF-1.7\n', 'latin1'), Buffer.alloc(5000, 0x41)]),
      'truncated tail': pdf.subarray(0, pdf.length - 10),
      'truncated half': pdf.subarray(0, pdf.length >> 1),
      'startxref pointing nowhere': Buffer.from('%PDF-1.4\nstartxref\n3\n%%EOF\n', 'latin1'),
      'trailer without objects': Buffer.from('%PDF-1.4\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 1 >>\nstartxref\n9\n%%EOF\n', 'latin1'),
    };
    for (const [what, buf] of Object.entries(fakes)) expect([what, await isSoundPdf(buf)]).toEqual([what, false]);
  });
});
