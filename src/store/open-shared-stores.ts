/**
 * Opens the stores that replicas share: metadata on PostgreSQL (--database) and blobs on S3
 * (--blob-store), either alone beside the local default of the other. Each backend is checked at
 * start-up, so a database or bucket that cannot be reached ends the process with one clear line
 * instead of failing the first request.
 */
import { join } from 'node:path';
import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import { createDiskBlobStore } from './disk-blob-store.js';
import type { StoreConfig, Stores } from './open-stores.js';
import { tryTaskLock } from './pg-advisory-lock.js';
import { createPostgresAuthStore } from './pg-auth-store.js';
import { createPostgresLoginLimiter } from './pg-login-limiter.js';
import { createPostgresMetadataStore } from './pg-metadata-store.js';
import { createPostgresRepositorySettings } from './pg-repository-settings.js';
import { createPostgresTrustStore } from './pg-trust-store.js';
import { createPostgresUiSessions } from './pg-ui-sessions.js';
import { openPostgres } from './postgres.js';
import { createS3BlobStore } from './s3-blob-store.js';
import { createS3Client, isS3NotFound, parseBlobStoreUrl } from './s3-client.js';
import { createS3UploadSessions } from './s3-upload-sessions.js';
import { createSqliteAuthStore } from './sqlite-auth-store.js';
import { createSqliteMetadataStore } from './sqlite-metadata-store.js';
import { createSqliteRepositorySettings } from './sqlite-repository-settings.js';
import { createSqliteTrustStore } from './sqlite-trust-store.js';
import { createSqliteUiSessions } from './sqlite-ui-sessions.js';
import { createDiskUploadSessions } from './upload-sessions.js';

/** A backend named by the configuration cannot be used; the message says which and why. */
export class StoreUnreachable extends Error {
  readonly code = 'STORE_UNREACHABLE';
}

/** Shows the database URL without its password. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparsable URL>';
  }
}

export async function connectDatabase(url: string): Promise<pg.Pool> {
  try {
    return await openPostgres(url);
  } catch (err) {
    throw new StoreUnreachable(`cannot use the database ${redactUrl(url)}: ${(err as Error).message}`);
  }
}

export interface S3Store {
  client: S3Client;
  bucket: string;
  prefix: string;
}

export async function connectBucket(config: StoreConfig & { blobStore: string }): Promise<S3Store> {
  const { bucket, prefix } = parseBlobStoreUrl(config.blobStore);
  const client = createS3Client({
    endpoint: config.s3Endpoint || undefined,
    region: config.s3Region || process.env.AWS_REGION || 'us-east-1',
    forcePathStyle: config.s3ForcePathStyle,
  });
  const where = `${config.blobStore}${config.s3Endpoint ? ` at ${config.s3Endpoint}` : ''}`;
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (err) {
    client.destroy();
    const e = err as {
      name?: string;
      code?: string;
      message?: string;
      $metadata?: { httpStatusCode?: number };
    };
    const status = e.$metadata?.httpStatusCode;
    const why = isS3NotFound(err)
      ? `the bucket "${bucket}" does not exist`
      : status === 403
        ? 'access denied (check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)'
        : (e.code ?? e.message ?? e.name ?? String(err));
    throw new StoreUnreachable(`cannot use the blob store ${where}: ${why}`);
  }
  return { client, bucket, prefix };
}

/** Metadata and accounts: on PostgreSQL when there is a pool, else in charthouse.db. */
function openMetadata(storage: string, pool: pg.Pool | undefined) {
  if (pool) {
    return {
      meta: createPostgresMetadataStore(pool),
      auth: createPostgresAuthStore(pool),
      settings: createPostgresRepositorySettings(pool),
      trust: createPostgresTrustStore(pool),
      loginLimiter: createPostgresLoginLimiter(pool),
      uiSessions: createPostgresUiSessions(pool),
    };
  }
  const file = join(storage, 'charthouse.db');
  return {
    meta: createSqliteMetadataStore(file),
    auth: createSqliteAuthStore(file),
    trust: createSqliteTrustStore(file),
    settings: createSqliteRepositorySettings(file),
    uiSessions: createSqliteUiSessions(file),
  };
}

/** The stores for a configuration that names PostgreSQL, S3 or both; the rest stays local. */
export async function openSharedStores(config: StoreConfig): Promise<Stores> {
  const pool = config.database ? await connectDatabase(config.database) : undefined;
  let s3: S3Store | undefined;
  try {
    s3 = config.blobStore ? await connectBucket({ ...config, blobStore: config.blobStore }) : undefined;
  } catch (err) {
    await pool?.end();
    throw err;
  }
  const metadata = openMetadata(config.storage, pool);
  return {
    ...metadata,
    blobs: s3
      ? createS3BlobStore({ ...s3, tempDir: join(config.storage, 'tmp') })
      : createDiskBlobStore(config.storage),
    // Sessions live where the blobs do, so any replica that reaches the bucket can continue one.
    sessions: s3
      ? createS3UploadSessions({ ...s3, tempDir: join(config.storage, 'upload-chunks') })
      : createDiskUploadSessions(join(config.storage, 'uploads')),
    ...(pool && { lockTask: (task: 'gc') => tryTaskLock(pool, task) }),
    async close() {
      await metadata.uiSessions.close();
      await metadata.settings.close();
      await metadata.trust.close();
      await metadata.auth.close();
      await metadata.meta.close();
      await pool?.end();
      s3?.client.destroy();
    },
  };
}
