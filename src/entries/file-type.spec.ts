import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ALLOWED_TYPES, detectFileType, isAllowedFor, zipEntryNames } from './file-type.js';

/** A minimal stored (uncompressed) zip with the given entries, central directory included. */
function zip(names: string[], opts: { comment?: string } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const name of names) {
    const n = Buffer.from(name, 'utf8');
    const data = Buffer.from('x');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(1, 18);
    local.writeUInt32LE(1, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(1, 20);
    central.writeUInt32LE(1, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    centrals.push(central, n);
    offset += 30 + n.length + 1;
  }
  const cd = Buffer.concat(centrals);
  const comment = Buffer.from(opts.comment ?? '');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(names.length, 8);
  end.writeUInt16LE(names.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(comment.length, 20);
  return Buffer.concat([...locals, cd, end, comment]);
}

const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const exe = Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]);
const elf = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]);

describe('detectFileType', () => {
  it('recognises PDF, PNG and JPEG by their magic bytes', () => {
    expect(detectFileType(pdf)).toBe('pdf');
    expect(detectFileType(png)).toBe('png');
    expect(detectFileType(jpeg)).toBe('jpeg');
  });

  it('recognises Office Open XML documents by their parts', () => {
    expect(detectFileType(zip(['[Content_Types].xml', '_rels/.rels', 'ppt/presentation.xml']))).toBe('pptx');
    expect(detectFileType(zip(['[Content_Types].xml', 'word/document.xml']))).toBe('docx');
    expect(detectFileType(zip(['[Content_Types].xml', 'xl/workbook.xml']))).toBe('xlsx');
    // The end record is found behind an archive comment too.
    expect(detectFileType(zip(['[Content_Types].xml', 'word/document.xml'], { comment: '注释 comment' }))).toBe('docx');
  });

  it('refuses executables, plain zips, macro-enabled documents, text and truncated files', () => {
    expect(detectFileType(exe)).toBeNull();
    expect(detectFileType(elf)).toBeNull();
    expect(detectFileType(zip(['a.txt', 'b.exe']))).toBeNull();
    expect(detectFileType(zip(['[Content_Types].xml', 'ppt/presentation.xml', 'ppt/vbaProject.bin']))).toBeNull();
    expect(detectFileType(zip(['[Content_Types].xml', 'docProps/app.xml']))).toBeNull();
    expect(detectFileType(Buffer.from('just some text'))).toBeNull();
    expect(detectFileType(Buffer.from('%PDF'))).toBeNull();
    expect(detectFileType(Buffer.alloc(0))).toBeNull();
    const whole = zip(['[Content_Types].xml', 'word/document.xml']);
    expect(detectFileType(whole.subarray(0, whole.length - 30))).toBeNull();
  });

  it('never throws on arbitrary bytes, including bytes that start like a zip', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, asZip) => {
        const buf = asZip ? Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from(bytes)]) : Buffer.from(bytes);
        const t = detectFileType(buf);
        expect(t === null || typeof t === 'string').toBe(true);
        expect(() => zipEntryNames(buf)).not.toThrow();
      }),
    );
  });
});

describe('isAllowedFor', () => {
  it('accepts only PDF reports, PDF/PPTX slides and the listed evidence types', () => {
    expect(isAllowedFor('report', 'pdf')).toBe(true);
    expect(isAllowedFor('report', 'pptx')).toBe(false);
    expect(isAllowedFor('report', 'png')).toBe(false);
    expect(isAllowedFor('slides', 'pptx')).toBe(true);
    expect(isAllowedFor('slides', 'docx')).toBe(false);
    expect(isAllowedFor('evidence', 'jpeg')).toBe(true);
    expect(isAllowedFor('evidence', null)).toBe(false);
    expect(ALLOWED_TYPES.evidence).toEqual(['pdf', 'png', 'jpeg', 'docx', 'xlsx', 'pptx']);
  });
});
