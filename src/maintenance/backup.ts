/**
 * `charthouse backup DIR` and `charthouse restore DIR`, for the store open-stores.ts opens today:
 * SQLite at `<storage>/charthouse.db` and blobs on disk. A backup directory has the same layout as
 * a storage directory, so a backup can also be served directly.
 *
 * Backup runs beside a live server: blobs first, then SQLite's online backup of the database, then
 * any blob the copied rows refer to that was committed after the first pass. Every row in the copy
 * therefore has its blob, and blobs never change once written, so the copy is consistent.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
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
    for (const entry of [DB, `${DB}-wal`, `${DB}-shm`, 'blobs', 'uploads']) {
      await rm(join(options.to, entry), { recursive: true, force: true });
    }
  }
  return transfer(options, 'restore');
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
  const db = new Database(join(from, DB), { readonly: true, fileMustExist: true });
  try {
    await db.backup(partial);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  } finally {
    db.close();
  }
  // A WAL left beside an older copy would be replayed onto the new one.
  for (const stale of [`${DB}-wal`, `${DB}-shm`]) await rm(join(to, stale), { force: true });
  await rename(partial, join(to, DB));
  progress.done();

  progress.start(`${verb}: verifying`);
  const references = await copyReferenced(source, target, join(to, DB), progress, blobs);
  progress.done();
  return { from, to, blobs, references };
}

/** The second pass: blobs the copied rows refer to that were committed after the first pass. */
async function copyReferenced(
  source: BlobStore,
  target: BlobStore,
  file: string,
  progress: Progress,
  report: CopyReport,
): Promise<number> {
  const db = new Database(file, { fileMustExist: true });
  let references = 0;
  try {
    const digests = new Set<string>();
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
  return references;
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
