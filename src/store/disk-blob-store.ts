/**
 * Blob layout on disk, in the manner of distribution's registry/storage/paths.go:
 *
 *   <root>/blobs/sha256/<first two hex>/<hex>   the bytes of one blob, never modified once renamed in
 *   <root>/blobs/tmp/<random>                  bytes being received; renamed into place on commit
 *
 * Both live on one filesystem, so the rename is atomic: a crash leaves either no blob or the whole
 * blob, and at worst a temp file that `charthouse check --repair` removes. A blob's mtime is the
 * time it was last committed (see disk-blob-maintenance.ts, which `charthouse gc` relies on).
 */
import { createReadStream } from 'node:fs';
import { open, readdir, rename, rm, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { isSha256Hex } from '../charts/digest.js';
import type { BlobStore, ByteRange, StagedBlob } from './blob-store.js';
import { createDiskBlobMaintenance } from './disk-blob-maintenance.js';
import { inDirectory, receiveTempFile } from './receive-temp-file.js';

export function createDiskBlobStore(root: string): BlobStore {
  const blobDir = join(root, 'blobs', 'sha256');
  const tmpDir = join(root, 'blobs', 'tmp');
  const pathOf = (digest: string) => {
    if (!isSha256Hex(digest)) throw new Error(`not a sha256 digest: ${digest}`);
    return join(blobDir, digest.slice(0, 2), digest);
  };

  async function stage(source: Readable, options: { maxBytes?: number } = {}): Promise<StagedBlob> {
    const { path: tmp, digest, size } = await receiveTempFile(source, tmpDir, { ...options, flush: true });
    let settled = false;
    return {
      digest,
      size,
      open: () => createReadStream(tmp),
      async commit() {
        if (settled) return;
        const target = pathOf(digest);
        const prefixDir = join(blobDir, digest.slice(0, 2));
        // Renamed in even over a stored copy (same bytes): the mtime is the commit time gc reads,
        // and a copy gc is taking away at this moment is replaced rather than relied on.
        const now = new Date();
        await utimes(tmp, now, now);
        await inDirectory(prefixDir, () => rename(tmp, target));
        await fsyncFile(prefixDir);
        settled = true;
      },
      async discard() {
        if (settled) return;
        settled = true;
        await rm(tmp, { force: true });
      },
    };
  }

  return {
    stage,
    ...createDiskBlobMaintenance(tmpDir, pathOf),
    async stat(digest) {
      try {
        return { size: (await stat(pathOf(digest))).size };
      } catch {
        return undefined;
      }
    },
    async open(digest: string, range?: ByteRange) {
      const path = pathOf(digest);
      if (!(await exists(path))) return undefined;
      return createReadStream(path, range ? { start: range.start, end: range.end } : {});
    },
    async delete(digest) {
      try {
        await unlink(pathOf(digest));
        return true;
      } catch {
        return false;
      }
    },
    async *list() {
      const prefixes = await readdir(blobDir).catch(() => [] as string[]);
      for (const prefix of prefixes.sort()) {
        for (const name of await readdir(join(blobDir, prefix))) if (isSha256Hex(name)) yield name;
      }
    },
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
