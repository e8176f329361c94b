import { createPostgresMetadataStore } from '../../src/store/pg-metadata-store.js';
import { createPostgresTrustStore } from '../../src/store/pg-trust-store.js';
import { openPostgres } from '../../src/store/postgres.js';
import { freshDatabase } from '../support/engines.js';
import { trustStoreContract } from './trust-store.contract.js';

trustStoreContract('postgres', async (t) => {
  const pool = await openPostgres(await freshDatabase(), { max: 2 });
  t.after(() => pool.end());
  return { trust: createPostgresTrustStore(pool), meta: createPostgresMetadataStore(pool) };
});
