import assert from 'node:assert/strict';
import { test } from 'node:test';
import type pg from 'pg';
import { isRegistryError } from '../../src/errors.js';
import type { MetadataStore, VersionDetails } from '../../src/store/metadata-store.js';
import { createPostgresMetadataStore } from '../../src/store/pg-metadata-store.js';
import { openPostgres } from '../../src/store/postgres.js';
import { freshDatabase } from '../support/engines.js';
import { indexBlocksContract } from './index-blocks.contract.js';
import { metadataStoreContract } from './metadata-store.contract.js';

/** A store on a database of its own; closing it ends the pool, which the store itself leaves open. */
async function openFresh(): Promise<MetadataStore> {
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

metadataStoreContract('postgres', openFresh);
indexBlocksContract('postgres', openFresh);

function version(name: string, v: string, digest = 'd'.repeat(64)): VersionDetails {
  return {
    name,
    version: v,
    digest,
    size: 100,
    created: '2026-01-01T00:00:00.000Z',
    metadata: { name, version: v, apiVersion: 'v2', description: `${name} searchable chart` },
  };
}

/** Two stores on one database through two pools: two replicas of one server. */
async function replicas(t: { after(fn: () => unknown): void }) {
  const url = await freshDatabase();
  const pools: pg.Pool[] = [await openPostgres(url, { max: 8 }), await openPostgres(url, { max: 8 })];
  t.after(() => Promise.all(pools.map((pool) => pool.end())));
  return pools.map((pool) => createPostgresMetadataStore(pool)) as [MetadataStore, MetadataStore];
}

async function blockNames(store: MetadataStore, repository: string) {
  const names: string[] = [];
  const read = await store.readIndexBlocks(repository, { bodies: true }, (block) =>
    names.push(`${block.name}:${block.body?.split('\n').length}`),
  );
  return { read, names };
}

test('close() leaves the pool open for its other users', async (t) => {
  const pool = await openPostgres(await freshDatabase(), { max: 2 });
  t.after(() => pool.end());
  await createPostgresMetadataStore(pool).close();
  assert.equal((await pool.query('SELECT 1 AS one')).rows[0].one, 1);
});

test('a publish on one replica is seen by the other at once: revision, snapshot, blocks and search', async (t) => {
  const [one, two] = await replicas(t);
  for (const s of [one, two]) {
    assert.equal(await s.revision('team'), undefined);
    await s.readIndexBlocks('', { bodies: false }, () => undefined);
  }
  await one.publish({ repository: 'team', chart: version('app', '1.0.0'), overwrite: false });
  assert.equal(await two.revision('team'), 1);
  assert.deepEqual(
    (await two.snapshot('team'))?.versions.map((v) => v.version),
    ['1.0.0'],
  );
  assert.equal(
    (
      await two.searchCharts({
        text: 'searchable',
        prerelease: false,
        deprecated: true,
        offset: 0,
        limit: 10,
      })
    ).total,
    1,
  );
  const before = await blockNames(two, 'team');
  await one.publish({ repository: 'team', chart: version('app', '1.1.0'), overwrite: false });
  const afterward = await blockNames(two, 'team');
  assert.equal(afterward.read?.revision, 2);
  assert.notDeepEqual(afterward.names, before.names);
  await two.deleteVersion('team', 'app', '1.1.0');
  assert.equal(await one.revision('team'), 3);
  assert.deepEqual(await blockNames(one, 'team'), {
    read: { revision: 3, updated: (await one.snapshot('team'))?.updated },
    names: before.names,
  });
});

test('16 concurrent publishes of one version over two replicas give one success and 15 CHART_EXISTS', async (t) => {
  const [one, two] = await replicas(t);
  const results = await Promise.allSettled(
    Array.from({ length: 16 }, (_, i) =>
      (i % 2 ? one : two).publish({
        repository: 'race',
        chart: version('app', '1.0.0', i.toString(16).padStart(64, '0')),
        overwrite: false,
      }),
    ),
  );
  const won = results.filter((r) => r.status === 'fulfilled');
  const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  assert.equal(won.length, 1);
  assert.equal(lost.length, 15);
  for (const r of lost) assert.ok(isRegistryError(r.reason, 'CHART_EXISTS'), String(r.reason));
  assert.equal(await one.revision('race'), 1);
  assert.equal((await two.listVersions('race')).length, 1);
});

test('32 concurrent publishes of distinct versions over two replicas are all kept, one revision each', async (t) => {
  const [one, two] = await replicas(t);
  const published = Array.from({ length: 32 }, (_, i) => version(i % 3 ? 'app' : 'other', `1.${i}.0`));
  await Promise.all(
    published.map((chart, i) => (i % 2 ? one : two).publish({ repository: 'busy', chart, overwrite: false })),
  );
  assert.equal(await two.revision('busy'), 32);
  assert.deepEqual(
    (await one.listVersions('busy')).map((v) => v.version).sort(),
    published.map((v) => v.version).sort(),
  );
  // each chart's block was built under the repository's lock, so none misses a concurrent version
  const lines: Record<string, number> = {};
  await two.readIndexBlocks('busy', { bodies: true }, (block) => {
    lines[block.name] = (block.body?.match(/^ {4}- /gm) ?? []).length;
  });
  assert.deepEqual(lines, { app: 21, other: 11 });
});
