/**
 * One side of a copy between stores (migrate-store, backup, restore): its blob store and raw SQL
 * on its metadata database, opened as the server would open them (migrations applied) from the
 * same settings: a storage directory for SQLite and disk, --database for PostgreSQL,
 * --blob-store for S3.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import type pg from 'pg';
import type { BlobStore } from '../store/blob-store.js';
import { openDatabase } from '../store/database.js';
import { createDiskBlobStore } from '../store/disk-blob-store.js';
import type { StoreConfig } from '../store/open-stores.js';
import { postgresPort, type SqlPort, sqlitePort } from './sql-port.js';

export interface StoreSide {
  /** for people: the directory, or the database URL without its password, and the bucket */
  label: string;
  /** what makes two sides the same store */
  identity: { database: string; blobs: string };
  blobs: BlobStore;
  sql: SqlPort;
  /** the PostgreSQL pool, or the SQLite connection: the destination rebuilds derived rows with it */
  pool?: pg.Pool;
  db?: Database.Database;
  close(): Promise<void>;
}

export class MissingStore extends Error {
  readonly code = 'NO_STORE';
}

/**
 * Opens a side. With `mustExist`, a storage directory without charthouse.db is refused rather
 * than created empty (the source of a copy, which a typo must not turn into an empty store).
 */
export async function openStoreSide(
  config: StoreConfig,
  options: { mustExist?: boolean } = {},
): Promise<StoreSide> {
  const dbFile = join(config.storage, 'charthouse.db');
  if (!config.database && options.mustExist && !existsSync(dbFile)) {
    throw new MissingStore(`no Charthouse store in ${config.storage}: charthouse.db is missing`);
  }
  // Loaded only for the shared backends, as open-stores.ts does.
  const shared =
    config.database || config.blobStore ? await import('../store/open-shared-stores.js') : undefined;
  const pool = config.database && shared ? await shared.connectDatabase(config.database) : undefined;
  const db = pool ? undefined : openDatabase(dbFile);
  let bucket: Awaited<ReturnType<NonNullable<typeof shared>['connectBucket']>> | undefined;
  try {
    bucket =
      config.blobStore && shared
        ? await shared.connectBucket({ ...config, blobStore: config.blobStore })
        : undefined;
  } catch (err) {
    await pool?.end();
    db?.close();
    throw err;
  }
  const blobs = bucket
    ? (await import('../store/s3-blob-store.js')).createS3BlobStore({
        ...bucket,
        tempDir: join(config.storage, 'tmp'),
      })
    : createDiskBlobStore(config.storage);
  const databaseLabel =
    config.database && shared ? shared.redactUrl(config.database) : resolve(config.storage);
  const blobsLabel = config.blobStore
    ? `${config.s3Endpoint ?? ''} ${config.blobStore}`
    : resolve(config.storage);
  return {
    label: config.blobStore ? `${databaseLabel} + ${config.blobStore}` : databaseLabel,
    identity: { database: config.database ?? databaseLabel, blobs: blobsLabel },
    blobs,
    sql: pool ? postgresPort(pool) : sqlitePort(db as Database.Database),
    ...(pool ? { pool } : { db }),
    async close() {
      await pool?.end();
      db?.close();
      bucket?.client.destroy();
    },
  };
}
