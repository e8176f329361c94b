// The contract of the OCI half of MetadataStore, run against SQLite.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteMetadataStore } from '../../src/store/sqlite-metadata-store.js';
import { ociMetadataStoreContract } from './oci-metadata-store.contract.js';

ociMetadataStoreContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-oci-meta-'));
  const store = createSqliteMetadataStore(join(dir, 'charthouse.db'));
  return {
    ...store,
    async close() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
