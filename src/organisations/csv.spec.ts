import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CsvError, decodeUtf8Text, parseCsv } from './csv.js';

/** RFC 4180 serialisation, written independently of the parser: quote when needed (or always). */
function toCsv(rows: string[][], opts: { eol?: string; quoteAll?: boolean; trailingEol?: boolean } = {}): string {
  const eol = opts.eol ?? '\r\n';
  const field = (f: string) => (opts.quoteAll || /[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f);
  // A record of one empty field would be an empty line, which at the end of the text is no record
  // at all: quote it (as Python's csv module does).
  const record = (r: string[]) => (r.length === 1 && r[0] === '' ? '""' : r.map(field).join(','));
  return rows.map(record).join(eol) + (opts.trailingEol && rows.length ? eol : '');
}

function csvError(text: string): CsvError {
  try {
    parseCsv(text);
  } catch (e) {
    if (e instanceof CsvError) return e;
    throw e;
  }
  throw new Error(`no CsvError for ${JSON.stringify(text)}`);
}

/** Characters that stress a CSV parser, and a few that stress the encoding. */
const tricky = fc.constantFrom(',', '"', '""', '\n', '\r\n', '\r', ' ', '\t', 'a', 'Z', '0', '中', '文', '单位', '😀', '👩‍🔧', '🏭', '、', '，', '\u00a0', '\ufeff');
const cellArb = fc.oneof(
  fc.string({ unit: tricky, maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({ unit: fc.constantFrom('a', 'b', ' ', '1'), maxLength: 5 }),
);
const rowsArb = fc.array(fc.array(cellArb, { minLength: 1, maxLength: 6 }), { minLength: 0, maxLength: 8 });

describe('parseCsv', () => {
  it('reads headers and rows, with quotes, escaped quotes, commas and line breaks inside quotes', () => {
    const text = '单位名称,单位类型,联系人\r\n"天津市,滨海新区 ""质量""协会",行业协会,"王五\r\n李四"\r\n新河街道,街道乡镇,\r\n';
    expect(parseCsv(text)).toEqual([
      ['单位名称', '单位类型', '联系人'],
      ['天津市,滨海新区 "质量"协会', '行业协会', '王五\r\n李四'],
      ['新河街道', '街道乡镇', ''],
    ]);
  });

  it('accepts LF, CRLF and lone CR line endings, with or without a final line break', () => {
    expect(parseCsv('a,b\nc,d')).toEqual([['a', 'b'], ['c', 'd']]);
    expect(parseCsv('a,b\r\nc,d\r\n')).toEqual([['a', 'b'], ['c', 'd']]);
    expect(parseCsv('a,b\rc,d\r')).toEqual([['a', 'b'], ['c', 'd']]);
    expect(parseCsv('a\n\nb\n')).toEqual([['a'], [''], ['b']]);
  });

  it('handles empty input, empty fields and trailing separators', () => {
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('\n')).toEqual([['']]);
    expect(parseCsv('""')).toEqual([['']]);
    expect(parseCsv(',')).toEqual([['', '']]);
    expect(parseCsv('a,\n,b')).toEqual([['a', ''], ['', 'b']]);
    expect(parseCsv('"a",')).toEqual([['a', '']]);
    expect(parseCsv('"",""\n')).toEqual([['', '']]);
    expect(parseCsv('a,"",c')).toEqual([['a', '', 'c']]);
  });

  it('keeps spaces and does not trim (the importer trims cells itself)', () => {
    expect(parseCsv(' a , b \n')).toEqual([[' a ', ' b ']]);
  });

  it('refuses malformed text with the line and row of the problem', () => {
    expect(csvError('a,b\n"open,c\nd')).toMatchObject({ code: 'csv_unterminated_quote', line: 2, row: 2 });
    expect(csvError('a,b\nc,d"e\n')).toMatchObject({ code: 'csv_stray_quote', line: 2, row: 2 });
    expect(csvError('h\n"x\ny"z\n')).toMatchObject({ code: 'csv_text_after_quote', line: 3, row: 2 });
    expect(csvError('a, "b"')).toMatchObject({ code: 'csv_stray_quote', line: 1, row: 1 });
    expect(csvError('"')).toMatchObject({ code: 'csv_unterminated_quote', line: 1, row: 1 });
  });

  it('property: serialising rows RFC 4180 style and parsing them back gives the same rows', () => {
    fc.assert(
      fc.property(rowsArb, fc.constantFrom('\r\n', '\n'), fc.boolean(), fc.boolean(), (rows, eol, quoteAll, trailingEol) => {
        expect(parseCsv(toCsv(rows, { eol, quoteAll, trailingEol }))).toEqual(rows);
      }),
      { numRuns: 500 },
    );
  });

  it('property: the same rows read the same through the UTF-8 bytes, with or without BOM', () => {
    fc.assert(
      fc.property(rowsArb, fc.boolean(), (rows, bom) => {
        const text = toCsv(rows, { trailingEol: true });
        // Control characters other than tab/CR/LF are refused as binary (only 'grapheme' strings can
        // hold them); a text that itself starts with U+FEFF needs the BOM in front to keep it.
        // eslint-disable-next-line no-control-regex
        fc.pre(!/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text) && (bom || !text.startsWith('\ufeff')));
        const bytes = Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
        const decoded = decodeUtf8Text(bytes);
        expect(decoded).toEqual({ ok: true, text });
        if (decoded.ok) expect(parseCsv(decoded.text)).toEqual(rows);
      }),
      { numRuns: 300 },
    );
  });

  it('property: any text either parses or fails with a CsvError (never another exception)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', '中'), maxLength: 30 }), (text) => {
        try {
          const rows = parseCsv(text);
          expect(Array.isArray(rows)).toBe(true);
          for (const r of rows) expect(r.length).toBeGreaterThan(0);
        } catch (e) {
          expect(e).toBeInstanceOf(CsvError);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('property: a text without quotes splits on commas and line breaks exactly', () => {
    const plain = fc.string({ unit: fc.constantFrom('a', '中', '😀', ' ', ','), maxLength: 10 });
    fc.assert(
      fc.property(fc.array(plain, { minLength: 1, maxLength: 6 }), (lines) => {
        // A final empty line is the end of the text, not a record.
        fc.pre(lines[lines.length - 1] !== '');
        const text = lines.join('\n');
        expect(parseCsv(text)).toEqual(lines.map((l) => l.split(',')));
      }),
    );
  });
});

describe('decodeUtf8Text', () => {
  it('drops a UTF-8 BOM and keeps Chinese and emoji', () => {
    expect(decodeUtf8Text(Buffer.from('\ufeff单位名称,😀\r\n', 'utf8'))).toEqual({ ok: true, text: '单位名称,😀\r\n' });
    expect(decodeUtf8Text(Buffer.from('name,kind\n', 'utf8'))).toEqual({ ok: true, text: 'name,kind\n' });
    // Only one BOM is dropped: a second one is content.
    expect(decodeUtf8Text(Buffer.from('\ufeff\ufeffa', 'utf8'))).toEqual({ ok: true, text: '\ufeffa' });
  });

  it('refuses GBK, UTF-16 and binary files', () => {
    // "单位名称" in GBK.
    expect(decodeUtf8Text(Buffer.from([0xb5, 0xa5, 0xce, 0xbb, 0xc3, 0xfb, 0xb3, 0xc6, 0x2c, 0x61]))).toEqual({ ok: false, reason: 'not_utf8' });
    expect(decodeUtf8Text(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b', 'utf16le')]))).toEqual({ ok: false, reason: 'utf16' });
    // An ELF header: valid UTF-8 up to its NUL bytes.
    expect(decodeUtf8Text(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00]))).toEqual({ ok: false, reason: 'binary' });
    // A Windows executable starts with "MZ" and NUL bytes follow.
    expect(decodeUtf8Text(Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00]))).toEqual({ ok: false, reason: 'not_utf8' });
    expect(decodeUtf8Text(Buffer.from('a\u0000b'))).toEqual({ ok: false, reason: 'binary' });
  });

  it('property: random bytes are either refused or decode to text without control characters', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const d = decodeUtf8Text(bytes);
        // eslint-disable-next-line no-control-regex
        if (d.ok) expect(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(d.text)).toBe(false);
      }),
    );
  });
});
