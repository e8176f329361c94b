/**
 * `charthouse migrate-store`: copies a whole store between backends (SQLite and disk, PostgreSQL
 * and S3, or a mix), in either direction, and is what `backup` and `restore` do off the default
 * backends. Blobs come first, then the rows: every row of the source, in one snapshot of it,
 * matched in the destination by its natural key. The blobs a page of rows refers to are made
 * present just before the page is written, so no row ever lands before its blob, even for blobs
 * committed in the source after the first pass. The destination derives what it derives (sort keys,
 * search, index.yaml blocks) itself. A run writes only what the destination lacks: a re-run copies
 * nothing, and a run cut short finishes by running again.
 */
import type { StoreConfig } from '../store/open-stores.js';
import { createBlobMover } from './blob-mover.js';
import type { CopyReport } from './copy-blobs.js';
import { copyRows, type RowCounts } from './copy-rows.js';
import { type Progress, silentProgress } from './progress.js';
import { rebuildDerived } from './rebuild-derived.js';
import { openStoreSide, type StoreSide } from './store-side.js';

export interface MigrateReport {
  from: string;
  to: string;
  blobs: CopyReport;
  /** per table: rows copied, already present, skipped */
  rows: Record<string, RowCounts>;
  /** every row not copied, and why; every source blob that could not be copied */
  problems: string[];
}

/** A refusal a person can act on (the same store on both sides); the CLI prints it and exits 1. */
export class MigrateRefused extends Error {
  readonly code = 'MIGRATE_REFUSED';
}

export const migrationClean = (report: MigrateReport) => report.problems.length === 0;

export async function copyStore(
  source: StoreSide,
  target: StoreSide,
  progress: Progress,
): Promise<MigrateReport> {
  const mover = createBlobMover(source.blobs, target.blobs);
  await mover.copyAll(progress);
  const touched = new Map<number, Set<string>>();
  const rows = await copyRows({
    source: source.sql,
    target: target.sql,
    ensureBlobs: (digests) => mover.ensure(digests),
    progress,
    touched,
  });
  progress.start('index');
  await rebuildDerived(target, touched);
  progress.done();
  const blobs = mover.report;
  const problems = [
    ...blobs.missing.map((digest) => `blob sha256:${digest} not copied: missing in the source`),
    ...blobs.corrupt.map(
      (digest) => `blob sha256:${digest} not copied: its bytes in the source hash to another digest`,
    ),
    ...rows.problems,
  ];
  return { from: source.label, to: target.label, blobs, rows: rows.tables, problems };
}

export async function migrateStore(options: {
  from: StoreConfig;
  to: StoreConfig;
  progress?: Progress;
}): Promise<MigrateReport> {
  const source = await openStoreSide(options.from, { mustExist: true });
  try {
    const target = await openStoreSide(options.to);
    try {
      const same = (k: 'database' | 'blobs') => source.identity[k] === target.identity[k];
      if (same('database') && same('blobs')) {
        throw new MigrateRefused(`--from and --to name the same store (${source.label})`);
      }
      return await copyStore(source, target, options.progress ?? silentProgress);
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}
