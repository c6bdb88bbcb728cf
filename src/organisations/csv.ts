// CSV for the organisation imports: decoding (UTF-8, with or without BOM) and an RFC 4180 parser.
// Pure: no Nest, no TypeORM, no I/O; the spreadsheet reader turns these results into HTTP errors.
//
// Parsing rules (RFC 4180, read strictly so that a malformed file is refused rather than misread):
//  - records end with CRLF, LF or a lone CR; the line break after the last record is optional;
//  - fields are separated by commas; a field may be enclosed in double quotes, and then may hold
//    commas, line breaks and quotes (a quote written twice: `""`);
//  - a quote inside an unquoted field, or anything but a comma or line break after a closing
//    quote, is an error, as is a quoted field left open at the end of the text;
//  - an empty line is a record with one empty field (callers skip rows without data).

export type CsvErrorCode = 'csv_unterminated_quote' | 'csv_stray_quote' | 'csv_text_after_quote';

export class CsvError extends Error {
  constructor(
    readonly code: CsvErrorCode,
    /** 1-based physical line of the text where the problem is. */
    readonly line: number,
    /** 1-based record (spreadsheet row) the problem is in. */
    readonly row: number,
  ) {
    super(`${code} at line ${line} (row ${row})`);
    this.name = 'CsvError';
  }
}

/** Parses CSV text into records of fields. Throws CsvError when the text is not RFC 4180. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let line = 1;
  let i = 0;
  const n = text.length;
  /** A record has been started and not yet ended by a line break. */
  let pending = false;
  const endField = () => {
    record.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
    pending = false;
  };
  /** The length of the line break at `at` (CRLF 2, LF or CR 1), 0 when there is none. */
  const lineBreakAt = (at: number): number => {
    const c = text.charCodeAt(at);
    if (c === 0x0d) return text.charCodeAt(at + 1) === 0x0a ? 2 : 1;
    return c === 0x0a ? 1 : 0;
  };

  while (i < n) {
    // At the start of a field.
    pending = true;
    if (text.charCodeAt(i) === 0x22) {
      const startLine = line;
      i++;
      for (;;) {
        if (i >= n) throw new CsvError('csv_unterminated_quote', startLine, records.length + 1);
        const c = text.charCodeAt(i);
        if (c === 0x22) {
          if (text.charCodeAt(i + 1) === 0x22) {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        const br = lineBreakAt(i);
        if (br) {
          field += text.slice(i, i + br);
          i += br;
          line++;
          continue;
        }
        // A run of ordinary characters at once.
        let j = i + 1;
        while (j < n) {
          const d = text.charCodeAt(j);
          if (d === 0x22 || d === 0x0d || d === 0x0a) break;
          j++;
        }
        field += text.slice(i, j);
        i = j;
      }
      // After the closing quote: a separator, a line break, or the end.
      if (i >= n) break;
      if (text.charCodeAt(i) !== 0x2c && !lineBreakAt(i)) throw new CsvError('csv_text_after_quote', line, records.length + 1);
    } else {
      // An unquoted field: up to a separator or a line break; a quote inside it is not allowed.
      let j = i;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 0x2c || d === 0x0d || d === 0x0a) break;
        if (d === 0x22) throw new CsvError('csv_stray_quote', line, records.length + 1);
        j++;
      }
      field += text.slice(i, j);
      i = j;
      if (i >= n) break;
    }
    if (text.charCodeAt(i) === 0x2c) {
      endField();
      i++;
      continue;
    }
    const br = lineBreakAt(i);
    endRecord();
    i += br;
    line++;
  }
  // The last record, when the text does not end with a line break.
  if (pending) endRecord();
  return records;
}

export type DecodedText =
  | { ok: true; text: string }
  /** `utf16`: a UTF-16 byte order mark; `not_utf8`: invalid UTF-8 (e.g. GBK); `binary`: control characters (NUL, …). */
  | { ok: false; reason: 'utf16' | 'not_utf8' | 'binary' };

const BOM_UTF8 = [0xef, 0xbb, 0xbf];

/**
 * Decodes a file as UTF-8 text (a leading BOM is dropped). Refuses what is not text: invalid UTF-8,
 * UTF-16, and any C0 control character other than tab, CR and LF (NUL bytes mark a binary file).
 */
export function decodeUtf8Text(bytes: Uint8Array): DecodedText {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    return { ok: false, reason: 'utf16' };
  }
  const start = BOM_UTF8.every((b, k) => bytes[k] === b) ? 3 : 0;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(start));
  } catch {
    return { ok: false, reason: 'not_utf8' };
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) return { ok: false, reason: 'binary' };
  return { ok: true, text };
}
