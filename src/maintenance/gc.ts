import type { BlobStore } from '../store/blob-store.js';
import type { MetadataStore } from '../store/metadata-store.js';
import { type Progress, silentProgress } from './progress.js';

export interface GcOptions {
  meta: MetadataStore;
  blobs: BlobStore;
  /** blobs committed (and temp files written) within this many milliseconds are kept */
  graceMs: number;
  /** report what would go, remove nothing */
  dryRun?: boolean;
  now?: () => number;
  progress?: Progress;
}

export interface GcReport {
  graceMs: number;
  dryRun: boolean;
  /** blobs looked at */
  scanned: number;
  /** blobs removed (or, in a dry run, that would be) */
  removed: Array<{ digest: string; size: number }>;
  bytesFreed: number;
  /** blobs some row refers to */
  referenced: number;
  /** unreferenced blobs kept because they were committed within the grace period */
  recent: number;
  /** temporary files older than the grace period, removed (or that would be) */
  temporaryRemoved: string[];
}

export type ReclaimOutcome = 'removed' | 'referenced' | 'recent' | 'gone';

/**
 * Removes one blob if, and only if, no row refers to it and it was last committed before `cutoff`.
 * Safe while the server runs: a publish commits its blob (renewing it) before it writes the row,
 * so a blob that is unreferenced when asked is either old and abandoned, or renewed by now, and
 * the removal itself (BlobStore.deleteIfOlder) re-checks the age atomically and keeps a renewed one.
 */
export async function reclaimBlob(
  meta: MetadataStore,
  blobs: BlobStore,
  digest: string,
  cutoff: Date,
  dryRun = false,
): Promise<ReclaimOutcome> {
  if (await meta.isReferenced(digest)) return 'referenced';
  const committed = await blobs.committedAt(digest);
  if (committed === undefined) return 'gone';
  if (committed.getTime() >= cutoff.getTime()) return 'recent';
  if (dryRun) return 'removed';
  return (await blobs.deleteIfOlder(digest, cutoff)) ? 'removed' : 'recent';
}

/** `charthouse gc`: removes blobs no row refers to, and temp files, older than the grace period. */
export async function collectGarbage(options: GcOptions): Promise<GcReport> {
  const { meta, blobs, graceMs, dryRun = false } = options;
  const progress = options.progress ?? silentProgress;
  const cutoff = new Date((options.now ?? Date.now)() - graceMs);
  const report: GcReport = {
    graceMs,
    dryRun,
    scanned: 0,
    removed: [],
    bytesFreed: 0,
    referenced: 0,
    recent: 0,
    temporaryRemoved: [],
  };
  // listed first, so that the progress bar knows its total
  const listed: string[] = [];
  for await (const digest of blobs.list()) listed.push(digest);
  progress.start('gc: blobs', listed.length);
  for (const digest of listed) {
    report.scanned++;
    const size = (await blobs.stat(digest))?.size ?? 0;
    const outcome = await reclaimBlob(meta, blobs, digest, cutoff, dryRun);
    if (outcome === 'removed') {
      report.removed.push({ digest, size });
      report.bytesFreed += size;
    } else if (outcome === 'referenced') report.referenced++;
    else if (outcome === 'recent') report.recent++;
    progress.advance(1, size);
  }
  progress.done();
  for await (const file of blobs.listTemporary()) {
    if (file.modified.getTime() >= cutoff.getTime()) continue;
    if (dryRun || (await blobs.removeTemporary(file.id, cutoff))) report.temporaryRemoved.push(file.id);
  }
  return report;
}
