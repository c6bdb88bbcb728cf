/**
 * Canonical JSON, the form a result snapshot is hashed in: object keys sorted recursively (by UTF-16
 * code units, like Array.prototype.sort), no whitespace, arrays in their order, `undefined` members
 * dropped as JSON.stringify drops them. The database may store the payload with its keys reordered
 * (MySQL's JSON type does), so the hash is always taken over this form, never over the stored text.
 */
import { createHash } from 'node:crypto';

// Nesting deeper than this is taken for a circular structure (cheaper than tracking every object).
const MAX_DEPTH = 1000;

type Emit = (piece: string) => void;

function write(value: unknown, emit: Emit, depth: number): void {
  if (value === null) {
    emit('null');
    return;
  }
  switch (typeof value) {
    case 'string':
      emit(JSON.stringify(value));
      return;
    case 'number':
      // NaN and ±Infinity have no JSON form; JSON.stringify would silently write null.
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} has no JSON form`);
      emit(JSON.stringify(value));
      return;
    case 'boolean':
      emit(value ? 'true' : 'false');
      return;
    case 'object':
      break;
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} has no JSON form`);
  }
  if (depth > MAX_DEPTH) throw new TypeError('canonicalJson: circular structure (or nested too deeply)');
  if (value instanceof Date) {
    emit(JSON.stringify(value.toISOString()));
  } else if (Array.isArray(value)) {
    emit('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) emit(',');
      const item: unknown = value[i];
      // Like JSON.stringify: an undefined array slot is null.
      write(item === undefined ? null : item, emit, depth + 1);
    }
    emit(']');
  } else {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    let first = true;
    emit('{');
    for (const k of keys) {
      const v = record[k];
      if (v === undefined) continue;
      emit(first ? `${JSON.stringify(k)}:` : `,${JSON.stringify(k)}:`);
      first = false;
      write(v, emit, depth + 1);
    }
    emit('}');
  }
}

export function canonicalJson(value: unknown): string {
  let out = '';
  write(value, (piece) => (out += piece), 0);
  return out;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * sha256 of the canonical JSON of a value, and its length in UTF-8 bytes, without ever holding the
 * whole text: it is fed to the hash in chunks (a snapshot of 10,000 entries is ~25 MB of JSON).
 */
export function canonicalDigest(value: unknown): { hash: string; bytes: number } {
  const hash = createHash('sha256');
  let bytes = 0;
  let chunk = '';
  const flush = () => {
    hash.update(chunk, 'utf8');
    bytes += Buffer.byteLength(chunk, 'utf8');
    chunk = '';
  };
  write(value, (piece) => {
    chunk += piece;
    if (chunk.length >= 65536) flush();
  }, 0);
  flush();
  return { hash: hash.digest('hex'), bytes };
}

/** sha256 of the canonical JSON of a value: the hash of a result snapshot. */
export function canonicalHash(value: unknown): string {
  return canonicalDigest(value).hash;
}
