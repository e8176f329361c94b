import { PACKAGE_FILE_LIMITS, type PackageFiles, readPackageFiles } from './charts/package-files.js';
import type { BlobStore } from './store/blob-store.js';

const MEMO_ENTRIES = 32;

/**
 * The files inside stored packages, for the templates viewer and the values schema. Read from the
 * blob on first use and memoised by digest: a digest names the same bytes forever, so the memo is
 * never stale, and it holds at most MEMO_ENTRIES packages (each capped by PACKAGE_FILE_LIMITS).
 */
export function createPackageFileReader(blobs: BlobStore, maxDecompressedSize: number) {
  const memo = new Map<string, Promise<PackageFiles | undefined>>();
  const limits = { ...PACKAGE_FILE_LIMITS, maxDecompressedSize };

  async function read(digest: string): Promise<PackageFiles | undefined> {
    const stream = await blobs.open(digest);
    if (!stream) return undefined;
    return readPackageFiles(stream, limits);
  }

  return (digest: string): Promise<PackageFiles | undefined> => {
    const hit = memo.get(digest);
    if (hit) {
      memo.delete(digest);
      memo.set(digest, hit);
      return hit;
    }
    const pending = read(digest);
    memo.set(digest, pending);
    // a failed read is not remembered: the next page view tries again
    pending.catch(() => memo.delete(digest));
    while (memo.size > MEMO_ENTRIES) memo.delete(memo.keys().next().value as string);
    return pending;
  };
}
