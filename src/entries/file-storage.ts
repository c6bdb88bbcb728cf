import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Where attachment bytes live. The disk today; an object store can replace it behind the same
 * three calls (keys are opaque strings the service makes, never client input).
 */
export interface FileStorage {
  /** Stores the bytes under `key`; storing the same key again is harmless. */
  put(key: string, data: Buffer): Promise<void>;
  /** The bytes of `key` as a stream; rejects when the key is unknown. */
  get(key: string): Promise<Readable>;
  delete(key: string): Promise<void>;
}

export const FILE_STORAGE = Symbol('FILE_STORAGE');

/** Content-addressed keys: `ab/abcdef…` from the sha256 of the bytes, so a re-upload of the same file is stored once. */
export function contentKey(sha256: string): string {
  return `${sha256.slice(0, 2)}/${sha256}`;
}

export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

const KEY = /^[a-f0-9]{2}\/[a-f0-9]{64}$/;

/** Files under `root` (DATA_DIR/uploads); a shared volume lets several instances use it. */
export class LocalDiskStorage implements FileStorage {
  constructor(private readonly root: string) {}

  private path(key: string): string {
    // Keys come from contentKey(); anything else is a bug, and must never become a path.
    if (!KEY.test(key)) throw new Error(`invalid storage key: ${key}`);
    return join(this.root, key);
  }

  /**
   * Every step is a task of libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE says otherwise),
   * whose fsyncs hold their thread: the fewer the steps, the less concurrent uploads queue behind each
   * other (a demo run's 176 uploads waited ≈ 120 ms each in that queue with 7 steps). So the folder is
   * made only when the file cannot be created without it, and the same bytes stored again are written
   * aside and renamed over themselves (no look first: content-addressed, the result is the same).
   */
  async put(key: string, data: Buffer): Promise<void> {
    const target = this.path(key);
    // Write aside, then rename: a reader never sees half a file, and concurrent puts of one key agree.
    const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    const create = () => open(temp, 'wx', 0o640);
    const handle = await create().catch(async (e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
      await mkdir(dirname(target), { recursive: true });
      return create();
    });
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, target);
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
  }

  async get(key: string): Promise<Readable> {
    // Open first, so that a missing file fails here rather than in the middle of a response.
    const handle = await open(this.path(key), 'r');
    return handle.createReadStream();
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}
