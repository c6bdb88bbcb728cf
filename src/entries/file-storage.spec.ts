import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentKey, LocalDiskStorage, sha256Hex } from './file-storage.js';

const withRoot = async (fn: (root: string, storage: LocalDiskStorage) => Promise<void>) => {
  const root = mkdtempSync(join(tmpdir(), 'qc-storage-'));
  try {
    await fn(root, new LocalDiskStorage(root));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
};

describe('LocalDiskStorage', () => {
  it('makes the folder of a key when it is not there yet, and stores the bytes under the key', async () => {
    await withRoot(async (root, storage) => {
      const data = Buffer.from('%PDF-1.7 报告');
      const key = contentKey(sha256Hex(data));
      await storage.put(key, data);
      expect(readFileSync(join(root, key))).toEqual(data);
      // A second file in the same folder (it exists now).
      const other = Buffer.from(`${key.slice(0, 2)} same folder`);
      const otherKey = `${key.slice(0, 3)}${sha256Hex(other).slice(0, 64)}`;
      await storage.put(otherKey, other);
      expect(readFileSync(join(root, otherKey))).toEqual(other);
    });
  });

  it('stores the same key again, and concurrently, as one file, with nothing left aside', async () => {
    await withRoot(async (root, storage) => {
      const data = Buffer.from('the same bytes');
      const key = contentKey(sha256Hex(data));
      await storage.put(key, data);
      await Promise.all([storage.put(key, data), storage.put(key, data), storage.put(key, data)]);
      expect(readdirSync(join(root, key.slice(0, 2)))).toEqual([key.slice(3)]);
      expect(readFileSync(join(root, key))).toEqual(data);
      const chunks: Buffer[] = [];
      for await (const c of await storage.get(key)) chunks.push(c as Buffer);
      expect(Buffer.concat(chunks)).toEqual(data);
    });
  });

  it('refuses a key that is not one of its own, and fails (rather than making folders) when the root cannot be written', async () => {
    await withRoot(async (root, storage) => {
      await expect(storage.put('../etc/passwd', Buffer.from('x'))).rejects.toThrow('invalid storage key');
      const blocked = new LocalDiskStorage(join(root, 'missing', '\u0000'));
      await expect(blocked.put(contentKey(sha256Hex(Buffer.from('y'))), Buffer.from('y'))).rejects.toThrow();
    });
  });
});
