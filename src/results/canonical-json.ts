/**
 * Canonical JSON, the form a result snapshot is hashed in: object keys sorted recursively (by UTF-16
 * code units, like Array.prototype.sort), no whitespace, arrays in their order, `undefined` members
 * dropped as JSON.stringify drops them. The database may store the payload with its keys reordered
 * (MySQL's JSON type does), so the hash is always taken over this form, never over the stored text.
 */
import { createHash } from 'node:crypto';

// Nesting deeper than this is taken for a circular structure (cheaper than tracking every object).
const MAX_DEPTH = 1000;
// Objects with more keys than this are sorted each time instead of through the shape cache.
const MAX_CACHED_KEYS = 64;

/**
 * A key sequence as Object.keys gives it (a trie over the keys, per serialisation): its leaf holds
 * that sequence sorted, with each key already written as `"key":`. The objects of a payload come in
 * a few shapes repeated thousands of times, so each shape is sorted and quoted once.
 */
interface Shape {
  next: Map<string, Shape>;
  sorted: string[] | null;
  quoted: string[] | null;
}

const newShape = (): Shape => ({ next: new Map(), sorted: null, quoted: null });

/**
 * The writer: pieces are appended to `out`; when `sink` is set, `out` is handed to it whenever it
 * reaches `chunkSize` characters (only ever between pieces, so never inside a string's escape or a
 * surrogate pair).
 */
class Writer {
  out = '';
  private readonly shapes = newShape();

  constructor(
    private readonly sink: ((chunk: string) => void) | null,
    private readonly chunkSize: number,
  ) {}

  private emit(piece: string): void {
    this.out += piece;
    if (this.sink !== null && this.out.length >= this.chunkSize) this.flush();
  }

  flush(): void {
    if (this.sink !== null && this.out.length > 0) {
      this.sink(this.out);
      this.out = '';
    }
  }

  private shapeOf(keys: string[]): Shape {
    let node = this.shapes;
    for (let i = 0; i < keys.length; i++) {
      let child = node.next.get(keys[i]);
      if (child === undefined) node.next.set(keys[i], (child = newShape()));
      node = child;
    }
    if (node.sorted === null) {
      node.sorted = keys.slice().sort();
      node.quoted = node.sorted.map((k) => `${JSON.stringify(k)}:`);
    }
    return node;
  }

  write(value: unknown, depth: number): void {
    if (value === null) {
      this.emit('null');
      return;
    }
    switch (typeof value) {
      case 'string':
        this.emit(JSON.stringify(value));
        return;
      case 'number':
        // NaN and ±Infinity have no JSON form; JSON.stringify would silently write null.
        if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} has no JSON form`);
        // What JSON.stringify writes for a finite number (Number::toString; -0 as 0).
        this.emit(String(value));
        return;
      case 'boolean':
        this.emit(value ? 'true' : 'false');
        return;
      case 'object':
        break;
      default:
        throw new TypeError(`canonicalJson: a ${typeof value} has no JSON form`);
    }
    if (depth > MAX_DEPTH) throw new TypeError('canonicalJson: circular structure (or nested too deeply)');
    if (value instanceof Date) {
      this.emit(JSON.stringify(value.toISOString()));
    } else if (Array.isArray(value)) {
      this.emit('[');
      for (let i = 0; i < value.length; i++) {
        if (i > 0) this.emit(',');
        const item: unknown = value[i];
        // Like JSON.stringify: an undefined array slot is null.
        this.write(item === undefined ? null : item, depth + 1);
      }
      this.emit(']');
    } else {
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      let sorted: string[];
      let quoted: string[] | null;
      if (keys.length <= MAX_CACHED_KEYS) {
        const shape = this.shapeOf(keys);
        sorted = shape.sorted!;
        quoted = shape.quoted;
      } else {
        sorted = keys.sort();
        quoted = null;
      }
      let first = true;
      this.emit('{');
      for (let i = 0; i < sorted.length; i++) {
        const k = sorted[i];
        const v = record[k];
        if (v === undefined) continue;
        const key = quoted !== null ? quoted[i] : `${JSON.stringify(k)}:`;
        this.emit(first ? key : `,${key}`);
        first = false;
        this.write(v, depth + 1);
      }
      this.emit('}');
    }
  }
}

export function canonicalJson(value: unknown): string {
  const w = new Writer(null, 0);
  w.write(value, 0);
  return w.out;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Characters per chunk hashed: a chunk with a Chinese character is a two-byte string, and at 16,384
 * characters (32 KB) it stays an ordinary young object (at 65,536 each chunk was a 128 KB large
 * object, garbage that only a full collection frees).
 */
const CHUNK = 16384;

/**
 * sha256 of the canonical JSON of a value, and its length in UTF-8 bytes, without ever holding the
 * whole text: it is fed to the hash in chunks (a snapshot of 10,000 entries is ~25 MB of JSON).
 */
export function canonicalDigest(value: unknown): { hash: string; bytes: number } {
  const hash = createHash('sha256');
  let bytes = 0;
  // Each chunk is encoded to UTF-8 once, for both the hash and the byte count.
  const w = new Writer((chunk) => {
    const buf = Buffer.from(chunk, 'utf8');
    hash.update(buf);
    bytes += buf.length;
  }, CHUNK);
  w.write(value, 0);
  w.flush();
  return { hash: hash.digest('hex'), bytes };
}

/** sha256 of the canonical JSON of a value: the hash of a result snapshot. */
export function canonicalHash(value: unknown): string {
  return canonicalDigest(value).hash;
}
