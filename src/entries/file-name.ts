// Uploaded file names: what is kept, what is refused, and how it is given back on download.

export const MAX_FILE_NAME_CHARS = 255;

// C0 and C1 controls, DEL, and the bidirectional overrides that disguise an extension
// ("report\u202Efdp.exe" displays as "reportexe.pdf").
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/**
 * The name kept for an upload, or null when it is refused: empty, `.` or `..`, a path (any `/` or
 * `\`, so `../evil.pdf` too), control characters, or longer than 255 characters.
 */
export function acceptableFileName(raw: string | undefined | null): string | null {
  if (typeof raw !== 'string') return null;
  const name = raw.normalize('NFC').trim();
  if (name === '' || name === '.' || name === '..') return null;
  if (/[/\\]/.test(name) || CONTROL.test(name)) return null;
  // Characters as MySQL counts them (code points), not UTF-16 units.
  if ([...name].length > MAX_FILE_NAME_CHARS) return null;
  return name;
}

/** RFC 5987 / RFC 6266 value: `filename*=UTF-8''…` carries the real name, `filename="…"` an ASCII stand-in. */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/gu, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
