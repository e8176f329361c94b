import { join } from 'node:path';
import type { AuthStore } from '../auth/auth-store.js';
import type { LoginLimiter } from '../auth/login-limiter.js';
import type { UiSessionStore } from '../auth/ui-session-store.js';
import type { RepositorySettingsStore } from '../lifecycle/repository-settings.js';
import type { BlobStore } from './blob-store.js';
import { createDiskBlobStore } from './disk-blob-store.js';
import type { MetadataStore } from './metadata-store.js';
import { createSqliteAuthStore } from './sqlite-auth-store.js';
import { createSqliteMetadataStore } from './sqlite-metadata-store.js';
import { createSqliteRepositorySettings } from './sqlite-repository-settings.js';
import { createSqliteTrustStore } from './sqlite-trust-store.js';
import { createSqliteUiSessions } from './sqlite-ui-sessions.js';
import type { TrustStore } from './trust-store.js';
import { createDiskUploadSessions, type UploadSessionStore } from './upload-sessions.js';

export interface Stores {
  blobs: BlobStore;
  meta: MetadataStore;
  /** users, tokens and repository permissions, in the same database as `meta` */
  auth: AuthStore;
  /** keyrings, signature policies and provenance verifications, in the same database as `meta` */
  trust: TrustStore;
  /** per-repository immutability, retention and Artifact Hub metadata, beside `meta` */
  settings: RepositorySettingsStore;
  /** OCI upload sessions in progress: on disk beside the blobs, or shared by every replica */
  sessions: UploadSessionStore;
  /** failed logins counted where every replica sees them; undefined: counted in this process */
  loginLimiter?: LoginLimiter;
  /** web UI sign-in sessions, beside `auth` so every replica shares them; undefined: no sign-in */
  uiSessions?: UiSessionStore;
  /**
   * Takes the lock that lets one `task` run at a time over the whole store, across replicas and
   * hosts, without waiting: resolves to its release, or undefined while another process holds it.
   * Undefined where one machine holds the store (SQLite) and the task is safe to run twice anyway.
   */
  lockTask?(task: 'gc'): Promise<(() => Promise<void>) | undefined>;
  /** closes every store that holds resources */
  close(): Promise<void>;
}

/** Where the stores live: the storage directory, and optionally PostgreSQL and S3. */
export interface StoreConfig {
  storage: string;
  database?: string;
  blobStore?: string;
  s3Endpoint?: string;
  s3Region?: string;
  s3ForcePathStyle?: boolean;
}

/** True when the metadata lives in charthouse.db under the storage directory (no --database). */
export const usesLocalDatabase = (config: StoreConfig) => !config.database;

/** SQLite plus blobs and upload sessions on disk, all under the storage directory: the default. */
export function openLocalStores(config: { storage: string }): Stores {
  const file = join(config.storage, 'charthouse.db');
  // meta first: it applies the migrations the auth store's statements need.
  const meta = createSqliteMetadataStore(file);
  const auth = createSqliteAuthStore(file);
  const trust = createSqliteTrustStore(file);
  const settings = createSqliteRepositorySettings(file);
  const uiSessions = createSqliteUiSessions(file);
  return {
    blobs: createDiskBlobStore(config.storage),
    meta,
    auth,
    trust,
    settings,
    uiSessions,
    sessions: createDiskUploadSessions(join(config.storage, 'uploads')),
    async close() {
      await uiSessions.close();
      await settings.close();
      await trust.close();
      await auth.close();
      await meta.close();
    },
  };
}

/**
 * The one place that knows which storage implementations run: SQLite or PostgreSQL for metadata,
 * disk or S3 for blobs, as --database and --blob-store say.
 */
export async function openStores(config: StoreConfig): Promise<Stores> {
  if (!config.database && !config.blobStore) return openLocalStores(config);
  // Loaded only when named, so that the default never loads the PostgreSQL and S3 clients.
  const { openSharedStores } = await import('./open-shared-stores.js');
  return openSharedStores(config);
}
