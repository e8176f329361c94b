import { join } from 'node:path';
import type { AuthStore } from '../auth/auth-store.js';
import type { BlobStore } from './blob-store.js';
import { createDiskBlobStore } from './disk-blob-store.js';
import type { MetadataStore } from './metadata-store.js';
import { createSqliteAuthStore } from './sqlite-auth-store.js';
import { createSqliteMetadataStore } from './sqlite-metadata-store.js';

export interface Stores {
  blobs: BlobStore;
  meta: MetadataStore;
  /** users, tokens and repository permissions, in the same database as `meta` */
  auth: AuthStore;
  /** closes every store that holds resources */
  close(): Promise<void>;
}

/**
 * The one place that knows which storage implementations run. Today: SQLite plus blobs on disk,
 * both under the storage directory. PostgreSQL or S3 is one new file and one case here.
 */
export function openStores(config: { storage: string }): Stores {
  const file = join(config.storage, 'charthouse.db');
  // meta first: it applies the migrations the auth store's statements need.
  const meta = createSqliteMetadataStore(file);
  const auth = createSqliteAuthStore(file);
  return {
    blobs: createDiskBlobStore(config.storage),
    meta,
    auth,
    async close() {
      await auth.close();
      await meta.close();
    },
  };
}
