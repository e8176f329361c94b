import type { BlobStore } from '../store/blob-store.js';
import { type CopyReport, copyBlobs, emptyCopyReport } from './copy-blobs.js';
import { type Progress, silentProgress } from './progress.js';

/** Blobs copied at once: S3 answers each request in milliseconds, so one at a time wastes most of them. */
const PARALLEL = 4;

/**
 * The blobs of a copy between stores. `copyAll` copies every blob of the source the destination
 * lacks (a re-run finds them present and copies nothing); `ensure` is asked again for the blobs of
 * each page of rows just before the rows are written, which catches blobs committed in the source
 * after the first pass. Every copy is re-hashed on the way (copyBlobs): a blob whose bytes do not
 * match its digest is reported and never lands under it.
 */
export function createBlobMover(source: BlobStore, target: BlobStore) {
  const report: CopyReport = emptyCopyReport();
  /** in the destination: listed there, or copied */
  const present = new Set<string>();
  /** digest → why it cannot be copied */
  const unusable = new Map<string, string>();

  async function copy(digests: string[], progress: Progress): Promise<void> {
    const before = { missing: report.missing.length, corrupt: report.corrupt.length };
    const queue = digests[Symbol.iterator]();
    await Promise.all(
      Array.from({ length: PARALLEL }, () => copyBlobs(source, target, queue, progress, report)),
    );
    for (const digest of report.missing.slice(before.missing)) unusable.set(digest, 'missing in the source');
    for (const digest of report.corrupt.slice(before.corrupt)) {
      unusable.set(digest, 'corrupt in the source (its bytes hash to another digest)');
    }
    for (const digest of digests) if (!unusable.has(digest)) present.add(digest);
  }

  return {
    report,
    async copyAll(progress: Progress): Promise<void> {
      for await (const digest of target.list()) present.add(digest);
      const absent: string[] = [];
      let listed = 0;
      for await (const digest of source.list()) {
        listed++;
        if (!present.has(digest)) absent.push(digest);
      }
      report.present += listed - absent.length;
      progress.start('blobs', absent.length);
      await copy(absent, progress);
      progress.done();
    },
    async ensure(digests: string[]): Promise<Map<string, string>> {
      const todo = digests.filter((digest) => !present.has(digest) && !unusable.has(digest));
      if (todo.length > 0) await copy(todo, silentProgress);
      return new Map(digests.filter((d) => unusable.has(d)).map((d) => [d, unusable.get(d) as string]));
    },
  };
}
