import type pg from 'pg';
import type { MetadataStore } from '../../src/store/metadata-store.js';
import { createPostgresMetadataStore } from '../../src/store/pg-metadata-store.js';
import { openPostgres } from '../../src/store/postgres.js';
import { freshDatabase } from '../support/engines.js';

/**
 * A PostgreSQL store on a database of its own (about 0.3 s to create and migrate on the test
 * machine, so one per test); its close() also ends the pool, which the store itself leaves open.
 */
export async function openFreshPgStore(): Promise<MetadataStore> {
  const pool = await openPostgres(await freshDatabase(), { max: 4 });
  const store = createPostgresMetadataStore(pool);
  return {
    ...store,
    async close() {
      await store.close();
      await pool.end();
    },
  };
}

/** Two stores on one database through two pools: two replicas of one server. */
export async function pgReplicas(t: {
  after(fn: () => unknown): void;
}): Promise<[MetadataStore, MetadataStore]> {
  const url = await freshDatabase();
  const pools: pg.Pool[] = [await openPostgres(url, { max: 8 }), await openPostgres(url, { max: 8 })];
  t.after(() => Promise.all(pools.map((pool) => pool.end())));
  return pools.map((pool) => createPostgresMetadataStore(pool)) as [MetadataStore, MetadataStore];
}
