/**
 * The maintenance half of the disk BlobStore (layout in disk-blob-store.ts). A blob's mtime is its
 * commit time: commit sets it on the temp file and renames over any stored copy, so a blob that is
 * being published again always looks new. Removal takes the blob out of place with one rename
 * (into `blobs/tmp/gc-<random>`), then decides on what it took: a copy a commit renamed in after
 * the first look is new, and goes back.
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobStore, TemporaryFile } from './blob-store.js';

type BlobMaintenance = Pick<BlobStore, 'committedAt' | 'deleteIfOlder' | 'listTemporary' | 'removeTemporary'>;

export function createDiskBlobMaintenance(
  tmpDir: string,
  pathOf: (digest: string) => string,
): BlobMaintenance {
  const modifiedMs = (path: string) =>
    stat(path).then(
      (s) => s.mtimeMs,
      () => undefined,
    );

  return {
    async committedAt(digest) {
      const ms = await modifiedMs(pathOf(digest));
      return ms === undefined ? undefined : new Date(ms);
    },

    async deleteIfOlder(digest, cutoff) {
      const path = pathOf(digest);
      const first = await modifiedMs(path);
      if (first === undefined || first >= cutoff.getTime()) return false;
      await mkdir(tmpDir, { recursive: true });
      const held = join(tmpDir, `gc-${randomUUID()}`);
      try {
        await rename(path, held);
      } catch {
        return false;
      }
      if (((await modifiedMs(held)) ?? 0) < cutoff.getTime()) {
        await unlink(held);
        return true;
      }
      // A commit renewed the blob between the look and the rename: put it back. EEXIST means a
      // later commit has already put the same bytes in place.
      await link(held, path).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
      });
      await unlink(held);
      return false;
    },

    async *listTemporary(): AsyncIterable<TemporaryFile> {
      const names = await readdir(tmpDir).catch(() => [] as string[]);
      for (const id of names.sort()) {
        const found = await stat(join(tmpDir, id)).catch(() => undefined);
        if (found?.isFile()) yield { id, size: found.size, modified: found.mtime };
      }
    },

    async removeTemporary(id, cutoff) {
      if (id.includes('/') || id.includes('\\') || id === '.' || id === '..' || id === '') return false;
      const path = join(tmpDir, id);
      const ms = await modifiedMs(path);
      if (ms === undefined || ms >= cutoff.getTime()) return false;
      await unlink(path).catch(() => undefined);
      return true;
    },
  };
}
