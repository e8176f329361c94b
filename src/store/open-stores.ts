import { join } from 'node:path';
import type { BlobStore } from './blob-store.js';
import { createDiskBlobStore } from './disk-blob-store.js';
import type { MetadataStore } from './metadata-store.js';
import { createSqliteMetadataStore } from './sqlite-metadata-store.js';

export interface Stores {
  blobs: BlobStore;
  meta: MetadataStore;
}

/**
 * The one place that knows which storage implementations run. Today: SQLite plus blobs on disk,
 * both under the storage directory. PostgreSQL or S3 is one new file and one case here.
 */
export function openStores(config: { storage: string }): Stores {
  return {
    blobs: createDiskBlobStore(config.storage),
    meta: createSqliteMetadataStore(join(config.storage, 'charthouse.db')),
  };
}
