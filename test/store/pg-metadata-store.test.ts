import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isRegistryError } from '../../src/errors.js';
import type { MetadataStore, VersionDetails } from '../../src/store/metadata-store.js';
import { createPostgresMetadataStore } from '../../src/store/pg-metadata-store.js';
import { openPostgres } from '../../src/store/postgres.js';
import { ociMetadataStoreContract } from '../oci/oci-metadata-store.contract.js';
import { freshDatabase } from '../support/engines.js';
import { indexBlocksContract } from './index-blocks.contract.js';
import { metadataStoreContract } from './metadata-store.contract.js';
import { openFreshPgStore, pgReplicas } from './pg-fresh-store.js';
import { versionOrderContract } from './version-order.contract.js';

metadataStoreContract('postgres', openFreshPgStore);
versionOrderContract('postgres', openFreshPgStore);
indexBlocksContract('postgres', openFreshPgStore);
ociMetadataStoreContract('postgres', openFreshPgStore);

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
  const [one, two] = await pgReplicas(t);
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
  const [one, two] = await pgReplicas(t);
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
  const [one, two] = await pgReplicas(t);
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

const manifestOf = (seed: number) => {
  const bytes = Buffer.from(`{"seed":${seed}}`);
  return {
    digest: `sha256:${seed.toString(16).padStart(64, '0')}`,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    size: bytes.length,
    bytes,
    created: '2026-01-01T00:00:00.000Z',
    blobs: ['c'.repeat(64)],
  };
};

test('16 concurrent tag moves over two replicas leave the tag on one of the pushed manifests', async (t) => {
  const [one, two] = await pgReplicas(t);
  await Promise.all(
    Array.from({ length: 16 }, (_, i) =>
      (i % 2 ? one : two).putOciManifest('team/image', manifestOf(i), 'latest'),
    ),
  );
  const tagged = await one.getOciTag('team/image', 'latest');
  const pushed = Array.from({ length: 16 }, (_, i) => manifestOf(i).digest);
  assert.ok(tagged && pushed.includes(tagged.digest));
  for (const digest of pushed) assert.ok(await two.getOciManifest('team/image', digest), digest);
  assert.deepEqual(await two.listOciTags({ name: 'team/image', repository: 'team', chart: 'image' }), {
    tags: ['latest'],
    versions: [],
  });
});

test('a manifest pushed again while another replica deletes it is either stored with its tag or gone with it', async (t) => {
  const [one, two] = await pgReplicas(t);
  for (let round = 0; round < 20; round++) {
    await one.putOciManifest('team/image', manifestOf(round), 'v');
    await Promise.all([
      one.putOciManifest('team/image', manifestOf(round), 'v'),
      two.deleteOciManifest('team/image', manifestOf(round).digest),
    ]);
    const stored = await two.getOciManifest('team/image', manifestOf(round).digest);
    const tagged = await two.getOciTag('team/image', 'v');
    assert.equal(tagged?.digest, stored?.digest, `round ${round}`);
  }
});

test('concurrent pushes of one chart version over OCI on two replicas store one version and one current manifest', async (t) => {
  const [one, two] = await pgReplicas(t);
  const oci = { name: 'team/app', repository: 'team', chart: 'app' };
  const results = await Promise.allSettled(
    Array.from({ length: 8 }, (_, i) => {
      const layer = (i + 1).toString(16).padStart(64, '0');
      return (i % 2 ? one : two).publishOciChart({
        oci,
        chart: version('app', '1.0.0', layer),
        overwrite: false,
        manifest: { ...manifestOf(100 + i), blobs: [layer], layer },
      });
    }),
  );
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  for (const r of results)
    if (r.status === 'rejected') assert.ok(isRegistryError(r.reason, 'CHART_EXISTS'), String(r.reason));
  const current = await one.getChartManifest(oci, '1.0.0');
  assert.equal(current?.chart?.layer, (await two.getVersion('team', 'app', '1.0.0'))?.digest);
  assert.equal(await two.revision('team'), 1);
});

test('blocks and entries removed by a writer that does not build them are built again when read', async (t) => {
  const pool = await openPostgres(await freshDatabase(), { max: 2 });
  t.after(() => pool.end());
  const s = createPostgresMetadataStore(pool);
  await s.publish({ repository: '', chart: version('a', '1.0.0'), overwrite: false });
  await s.publish({ repository: '', chart: version('a', '2.0.0-rc.1'), overwrite: false });
  const sums = async () => {
    const out: string[] = [];
    await s.readIndexBlocks('', { bodies: true }, (block) =>
      out.push(`${block.name} ${block.sha256.toString('hex')}`),
    );
    return out;
  };
  const before = await sums();
  await pool.query("UPDATE chart_versions SET created = created WHERE version = '1.0.0'"); // the trigger drops both
  assert.equal((await pool.query('SELECT count(*) AS n FROM chart_index_blocks')).rows[0].n, 0);
  assert.equal((await pool.query('SELECT count(*) AS n FROM chart_index_entries')).rows[0].n, 1);
  assert.deepEqual(await sums(), before);
  await pool.query('DELETE FROM chart_index_entries');
  await s.publish({ repository: '', chart: version('b', '1.0.0'), overwrite: false });
  assert.equal((await sums())[0], before[0], 'a publish of another chart leaves a gap alone');
});
