// What an uploaded file really is, from its bytes (magic numbers), never from its name or the
// client's Content-Type. Plain functions over a Buffer.
import type { AttachmentKind } from './entry.entities.js';

export type DetectedType = 'pdf' | 'png' | 'jpeg' | 'docx' | 'xlsx' | 'pptx';

export const MIME_OF: Readonly<Record<DetectedType, string>> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

/** What each kind of attachment may be. */
export const ALLOWED_TYPES: Readonly<Record<AttachmentKind, readonly DetectedType[]>> = {
  report: ['pdf'],
  slides: ['pdf', 'pptx'],
  evidence: ['pdf', 'png', 'jpeg', 'docx', 'xlsx', 'pptx'],
};

const PDF = Buffer.from('%PDF-', 'latin1');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const ZIP_LOCAL = 0x04034b50;
const ZIP_CENTRAL = 0x02014b50;
const ZIP_END = 0x06054b50;

function startsWith(buf: Buffer, magic: Buffer): boolean {
  return buf.length >= magic.length && buf.subarray(0, magic.length).equals(magic);
}

/**
 * The entry names of a zip archive, read from its central directory (reliable even when local
 * headers defer their sizes to data descriptors). null when the structure is not a sound zip.
 */
export function zipEntryNames(buf: Buffer, maxEntries = 10000): string[] | null {
  if (buf.length < 22 || buf.readUInt32LE(0) !== ZIP_LOCAL) return null;
  // The end-of-central-directory record sits in the last 22 + 65535 (comment) bytes.
  const lowest = Math.max(0, buf.length - 22 - 0xffff);
  let end = -1;
  for (let i = buf.length - 22; i >= lowest; i--) {
    if (buf.readUInt32LE(i) === ZIP_END) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const count = buf.readUInt16LE(end + 10);
  const size = buf.readUInt32LE(end + 12);
  const offset = buf.readUInt32LE(end + 16);
  if (count > maxEntries || offset + size > end) return null;
  const names: string[] = [];
  let p = offset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > end || buf.readUInt32LE(p) !== ZIP_CENTRAL) return null;
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    if (p + 46 + nameLen > end) return null;
    names.push(buf.toString('utf8', p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

/** An Office Open XML document (docx, xlsx, pptx) by its parts; macro-enabled ones are refused. */
function officeType(buf: Buffer): DetectedType | null {
  const names = zipEntryNames(buf);
  if (!names || !names.includes('[Content_Types].xml')) return null;
  if (names.some((n) => /(^|\/)vbaProject\.bin$/i.test(n))) return null;
  const has = (prefix: string) => names.some((n) => n.startsWith(prefix));
  if (has('ppt/')) return 'pptx';
  if (has('word/')) return 'docx';
  if (has('xl/')) return 'xlsx';
  return null;
}

/** The type of the content, or null when it is none of the types this system accepts. */
export function detectFileType(buf: Buffer): DetectedType | null {
  if (startsWith(buf, PDF)) return 'pdf';
  if (startsWith(buf, PNG)) return 'png';
  if (startsWith(buf, JPEG)) return 'jpeg';
  if (buf.length >= 4 && buf.readUInt32LE(0) === ZIP_LOCAL) return officeType(buf);
  return null;
}

export function isAllowedFor(kind: AttachmentKind, type: DetectedType | null): type is DetectedType {
  return type !== null && ALLOWED_TYPES[kind].includes(type);
}
