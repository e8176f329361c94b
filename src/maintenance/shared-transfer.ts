/**
 * `backup DIR` and `restore DIR` when the store is on PostgreSQL or S3 (--database, --blob-store).
 * The backup directory has the same layout as for the default backends (charthouse.db and blobs/,
 * a storage directory that `serve` can run on), written by migrate-store's copy: blobs first, then
 * the rows from one REPEATABLE READ snapshot, with the blobs each page of rows refers to made
 * present before the page is written, so replicas may keep serving meanwhile.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoreConfig } from '../store/open-stores.js';
import { MaintenanceError } from './backup.js';
import { copyStore, type MigrateReport, migrateStore } from './migrate-store.js';
import type { Progress } from './progress.js';
import type { Query } from './sql-port.js';
import { openStoreSide, type StoreSide } from './store-side.js';

const DB = 'charthouse.db';

export async function backupSharedStore(options: {
  store: StoreConfig;
  to: string;
  force: boolean;
  progress: Progress;
}): Promise<MigrateReport> {
  const entries = await readdir(options.to).catch(() => [] as string[]);
  if (entries.length > 0) {
    if (!options.force) {
      throw new MaintenanceError(
        `backup directory ${options.to} is not empty (use --force to write into it)`,
      );
    }
    // a copy merged into an older one would keep rows the store no longer has; blobs are named by
    // their digest and are reused
    for (const file of [DB, `${DB}-wal`, `${DB}-shm`]) await rm(join(options.to, file), { force: true });
  }
  return migrateStore({ from: options.store, to: { storage: options.to }, progress: options.progress });
}

export async function restoreSharedStore(options: {
  from: string;
  store: StoreConfig;
  force: boolean;
  progress: Progress;
}): Promise<MigrateReport> {
  const source = await openStoreSide({ storage: options.from }, { mustExist: true });
  try {
    const target = await openStoreSide(options.store);
    try {
      if (!(await isEmpty(target))) {
        if (!options.force) {
          throw new MaintenanceError(
            `the store ${target.label} is not empty: stop the servers, then restore with --force to replace it`,
          );
        }
        await target.sql.transaction(clearRows);
      }
      return await copyStore(source, target, options.progress);
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

async function isEmpty(side: StoreSide): Promise<boolean> {
  const [row] = await side.sql.snapshot((query) =>
    query<{ n: number }>(
      `SELECT (SELECT count(*) FROM chart_versions) + (SELECT count(*) FROM provenances)
         + (SELECT count(*) FROM oci_manifests) + (SELECT count(*) FROM oci_blob_links)
         + (SELECT count(*) FROM users) + (SELECT count(*) FROM repositories WHERE path <> '') AS n`,
    ),
  );
  if (Number(row?.n) > 0) return false;
  for await (const _ of side.blobs.list()) return false;
  return true;
}

/**
 * Every row a restore replaces, leaving the root repository every database starts with. Blobs stay:
 * those the restored rows do not name are removed by `gc` once past its grace period.
 */
async function clearRows(query: Query): Promise<void> {
  for (const table of [
    'oci_tags',
    'oci_blob_links',
    'oci_manifests',
    'tokens',
    'repository_members',
    'users',
    'provenances',
    'chart_versions',
  ]) {
    await query(`DELETE FROM ${table}`);
  }
  await query("DELETE FROM repositories WHERE path <> ''");
  await query("UPDATE repositories SET visibility = NULL, revision = revision + 1 WHERE path = ''");
}
