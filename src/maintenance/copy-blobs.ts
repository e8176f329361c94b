import type { BlobStore } from '../store/blob-store.js';
import type { Progress } from './progress.js';

export interface CopyReport {
  /** blobs written to the target */
  copied: number;
  /** blobs the target held already */
  present: number;
  bytes: number;
  /** digests the source does not hold */
  missing: string[];
  /** digests whose bytes in the source hash to something else (not copied) */
  corrupt: string[];
}

export const emptyCopyReport = (): CopyReport => ({
  copied: 0,
  present: 0,
  bytes: 0,
  missing: [],
  corrupt: [],
});

/**
 * Copies blobs from one store to another through the target's own stage and commit: every copy is
 * re-hashed on the way, lands whole or not at all, and a corrupt source blob is reported rather
 * than copied under a digest it does not have.
 */
export async function copyBlobs(
  source: BlobStore,
  target: BlobStore,
  digests: AsyncIterable<string> | Iterable<string>,
  progress: Progress,
  report: CopyReport = emptyCopyReport(),
): Promise<CopyReport> {
  for await (const digest of digests) {
    if (await target.stat(digest)) {
      report.present++;
      progress.advance();
      continue;
    }
    const stream = await source.open(digest);
    if (!stream) {
      report.missing.push(digest);
      progress.advance();
      continue;
    }
    const staged = await target.stage(stream);
    if (staged.digest !== digest) {
      await staged.discard();
      report.corrupt.push(digest);
      progress.advance();
      continue;
    }
    await staged.commit();
    report.copied++;
    report.bytes += staged.size;
    progress.advance(1, staged.size);
  }
  return report;
}
