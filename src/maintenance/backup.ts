/**
 * `charthouse backup DIR` and `charthouse restore DIR`, for the store open-stores.ts opens today:
 * SQLite at `<storage>/charthouse.db` and blobs on disk. A backup directory has the same layout as
 * a storage directory, so a backup can also be served directly.
 *
 * Backup runs beside a live server: blobs first, then SQLite's online backup of the database, then
 * any blob the copied rows refer to that was committed after the first pass. Every row in the copy
 * therefore has its blob, and blobs never change once written, so the copy is consistent.
 *
 * Restore (and a backup with --force) never takes the store it writes into apart first: blobs are
 * added beside the ones there (a row-less blob is only an orphan), the database is built as
 * `charthouse.db.partial` and renamed over the old one in one step, and only then are the blobs
 * the new database does not hold removed. Killed at any moment, the directory holds the old store
 * or the new one, whole, plus orphans `gc` reclaims; a re-run finishes the job.
 */
import { existsSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { BlobStore } from '../store/blob-store.js';
import { createDiskBlobStore } from '../store/disk-blob-store.js';
import { prepareMaintenanceStatements } from '../store/sqlite-maintenance-statements.js';
import { type CopyReport, copyBlobs, emptyCopyReport } from './copy-blobs.js';
import { type Progress, silentProgress } from './progress.js';

/** A refusal or failure a person can act on; the CLI prints the message and exits 1. */
export class MaintenanceError extends Error {
  override name = 'MaintenanceError';
}

export interface TransferOptions {
  /** where the data comes from */
  from: string;
  /** where it goes */
  to: string;
  /** write into a non-empty `to` (restore: replacing the store that is there) */
  force?: boolean;
  progress?: Progress;
}

export interface TransferReport {
  from: string;
  to: string;
  blobs: CopyReport;
  /** rows in the copied database that refer to a blob */
  references: number;
}

const DB = 'charthouse.db';

export async function backupStore(options: TransferOptions): Promise<TransferReport> {
  await prepareTarget(options, 'backup directory');
  return transfer(options, 'backup');
}

export async function restoreStore(options: TransferOptions): Promise<TransferReport> {
  if (await isNonEmpty(options.to)) {
    if (!options.force) {
      throw new MaintenanceError(
        `storage directory ${options.to} is not empty: stop the server, then restore with --force to replace it`,
      );
    }
  }
  const report = await transfer(options, 'restore');
  // The old store's upload sessions and unfinished stages belong to no row of the new database.
  for (const entry of ['uploads', join('blobs', 'tmp')]) {
    await rm(join(options.to, entry), { recursive: true, force: true });
  }
  return report;
}

async function transfer(options: TransferOptions, verb: 'backup' | 'restore'): Promise<TransferReport> {
  const { from, to } = options;
  const progress = options.progress ?? silentProgress;
  if (!existsSync(join(from, DB)))
    throw new MaintenanceError(`no Charthouse store in ${from}: ${DB} is missing`);
  await mkdir(to, { recursive: true });
  const source = createDiskBlobStore(from);
  const target = createDiskBlobStore(to);

  // listed first, so that the progress bar knows its total
  const listed: string[] = [];
  for await (const digest of source.list()) listed.push(digest);
  progress.start(`${verb}: blobs`, listed.length);
  const blobs = await copyBlobs(source, target, listed, progress, emptyCopyReport());
  progress.done();

  progress.start(`${verb}: database`);
  const partial = join(to, `${DB}.partial`);
  // a copy a killed run left behind is rebuilt from the start
  for (const file of [partial, `${partial}-wal`, `${partial}-shm`]) await rm(file, { force: true });
  const db = new Database(join(from, DB), { readonly: true, fileMustExist: true });
  try {
    await db.backup(partial);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  } finally {
    db.close();
  }
  progress.done();

  progress.start(`${verb}: verifying`);
  // before the swap: every row of the copy finds its blob from the moment it is in place
  const { references, digests } = await copyReferenced(source, target, partial, progress, blobs);
  progress.done();
  await replaceDatabase(partial, join(to, DB));
  await removeBlobsOutside(target, new Set([...listed, ...digests]));
  return { from, to, blobs, references };
}

/**
 * Puts `partial` in place of `file` with one rename. The old database's WAL is checkpointed into it
 * first: a WAL left beside the new file would be replayed onto it, and removing an unmerged one
 * would leave the old database, should the rename not happen, without its last commits.
 */
async function replaceDatabase(partial: string, file: string): Promise<void> {
  await syncFile(partial);
  if (existsSync(file)) {
    try {
      const old = new Database(file, { fileMustExist: true });
      try {
        old.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        old.close();
      }
    } catch {
      // not a database at all (it is being replaced): nothing of it is worth keeping
    }
  }
  for (const stale of [`${file}-wal`, `${file}-shm`]) await rm(stale, { force: true });
  await rename(partial, file);
}

/** Removes the blobs of the replaced store: those neither copied nor referenced by the new rows. */
async function removeBlobsOutside(target: BlobStore, keep: Set<string>): Promise<void> {
  const stale: string[] = [];
  for await (const digest of target.list()) if (!keep.has(digest)) stale.push(digest);
  for (const digest of stale) await target.delete(digest);
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The second pass: blobs the copied rows refer to that were committed after the first pass. */
async function copyReferenced(
  source: BlobStore,
  target: BlobStore,
  file: string,
  progress: Progress,
  report: CopyReport,
): Promise<{ references: number; digests: Set<string> }> {
  const db = new Database(file, { fileMustExist: true });
  let references = 0;
  const digests = new Set<string>();
  try {
    for await (const ref of prepareMaintenanceStatements(db).listBlobReferences()) {
      references++;
      digests.add(ref.digest);
    }
    const absent: string[] = [];
    for (const digest of digests) if (!(await target.stat(digest))) absent.push(digest);
    await copyBlobs(source, target, absent, progress, report);
  } finally {
    db.close();
  }
  return { references, digests };
}

async function prepareTarget(options: TransferOptions, what: string): Promise<void> {
  if (!options.force && (await isNonEmpty(options.to))) {
    throw new MaintenanceError(`${what} ${options.to} is not empty (use --force to write into it)`);
  }
}

async function isNonEmpty(dir: string): Promise<boolean> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  return entries.length > 0;
}
