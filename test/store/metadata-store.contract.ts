import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isRegistryError } from '../../src/errors.js';
import type { MetadataStore, ProvenanceRecord, VersionDetails } from '../../src/store/metadata-store.js';
import { chartSearchContract } from './chart-search.contract.js';
import { openedPerTest } from './opened-per-test.js';

function version(name: string, v: string, digest = 'd'.repeat(64)): VersionDetails {
  return {
    name,
    version: v,
    digest,
    size: 100,
    created: '2026-01-01T00:00:00.000Z',
    metadata: { name, version: v, apiVersion: 'v2', description: `${name} chart` },
    readme: `# ${name}`,
    values: 'replicaCount: 1\n',
  };
}

function provenance(name: string, v: string, digest = 'e'.repeat(64)): ProvenanceRecord {
  return { name, version: v, digest, size: 50, created: '2026-01-01T00:00:00.000Z' };
}

/** The behaviour every MetadataStore implementation promises; a backend's test calls this once. */
export function metadataStoreContract(name: string, open: () => Promise<MetadataStore>): void {
  describe(`${name} MetadataStore contract`, () => {
    const store = openedPerTest(open);

    test('the root repository exists before anything is published', async (t) => {
      const s = await store(t);
      assert.equal(await s.revision(''), 0);
      assert.equal(await s.revision('team'), undefined);
      assert.deepEqual(
        (await s.listRepositories()).map((r) => [r.path, r.charts, r.versions]),
        [['', 0, 0]],
      );
    });

    test('a publish creates the repository and bumps its revision', async (t) => {
      const s = await store(t);
      await s.publish({ repository: 'team/apps', chart: version('a', '1.0.0'), overwrite: false });
      assert.equal(await s.revision('team/apps'), 1);
      const snapshot = await s.snapshot('team/apps');
      assert.equal(snapshot?.revision, 1);
      assert.deepEqual(
        snapshot?.versions.map((v) => v.version),
        ['1.0.0'],
      );
      const details = await s.getVersion('team/apps', 'a', '1.0.0');
      assert.equal(details?.readme, '# a');
      assert.equal(details?.values, 'replicaCount: 1\n');
      assert.deepEqual(details?.metadata, version('a', '1.0.0').metadata);
    });

    test('a second publish of a version fails with CHART_EXISTS and changes nothing', async (t) => {
      const s = await store(t);
      await s.publish({ repository: '', chart: version('a', '1.0.0', '1'.repeat(64)), overwrite: false });
      await assert.rejects(
        s.publish({ repository: '', chart: version('a', '1.0.0', '2'.repeat(64)), overwrite: false }),
        (err) => isRegistryError(err, 'CHART_EXISTS'),
      );
      assert.equal((await s.getVersion('', 'a', '1.0.0'))?.digest, '1'.repeat(64));
      assert.equal(await s.revision(''), 1);
    });

    test('overwrite replaces the version and retires a provenance that signed the old package', async (t) => {
      const s = await store(t);
      await s.publish({
        repository: '',
        chart: version('a', '1.0.0', '1'.repeat(64)),
        provenance: provenance('a', '1.0.0'),
        overwrite: false,
      });
      await s.publish({ repository: '', chart: version('a', '1.0.0', '2'.repeat(64)), overwrite: true });
      assert.equal((await s.getVersion('', 'a', '1.0.0'))?.digest, '2'.repeat(64));
      assert.equal(await s.getProvenance('', 'a', '1.0.0'), undefined);
    });

    test('provenance may be published alone, and a second one needs overwrite', async (t) => {
      const s = await store(t);
      await s.publish({ repository: '', provenance: provenance('a', '1.0.0'), overwrite: false });
      assert.deepEqual(await s.findProvenanceByFilename('', 'a-1.0.0.tgz.prov'), provenance('a', '1.0.0'));
      await assert.rejects(
        s.publish({ repository: '', provenance: provenance('a', '1.0.0'), overwrite: false }),
        (err) => isRegistryError(err, 'PROVENANCE_EXISTS'),
      );
    });

    test('the same name and version live independently in two repositories', async (t) => {
      const s = await store(t);
      await s.publish({ repository: 'one', chart: version('a', '1.0.0', '1'.repeat(64)), overwrite: false });
      await s.publish({ repository: 'two', chart: version('a', '1.0.0', '2'.repeat(64)), overwrite: false });
      assert.equal((await s.getVersion('one', 'a', '1.0.0'))?.digest, '1'.repeat(64));
      assert.equal((await s.getVersion('two', 'a', '1.0.0'))?.digest, '2'.repeat(64));
      await s.deleteVersion('one', 'a', '1.0.0');
      assert.ok(await s.getVersion('two', 'a', '1.0.0'));
    });

    test('listing pages over chart names and returns their versions', async (t) => {
      const s = await store(t);
      for (const [n, v] of [
        ['c', '1.0.0'],
        ['a', '1.0.0'],
        ['a', '2.0.0'],
        ['b', '1.0.0'],
      ] as const) {
        await s.publish({ repository: '', chart: version(n, v), overwrite: false });
      }
      assert.deepEqual(await s.listChartNames('', { offset: 0 }), ['a', 'b', 'c']);
      assert.deepEqual(await s.listChartNames('', { offset: 1, limit: 1 }), ['b']);
      assert.deepEqual((await s.listVersions('', ['a'])).map((v) => v.version).sort(), ['1.0.0', '2.0.0']);
      assert.equal((await s.listVersions('')).length, 4);
      assert.deepEqual(
        (await s.listRepositories()).map((r) => [r.path, r.charts, r.versions]),
        [['', 3, 4]],
      );
    });

    test('a delete removes the version and its provenance in one step', async (t) => {
      const s = await store(t);
      await s.publish({
        repository: '',
        chart: version('a', '1.0.0'),
        provenance: provenance('a', '1.0.0'),
        overwrite: false,
      });
      const removed = await s.deleteVersion('', 'a', '1.0.0');
      assert.equal(removed?.chart.version, '1.0.0');
      assert.equal(removed?.provenance?.digest, 'e'.repeat(64));
      assert.equal(await s.getVersion('', 'a', '1.0.0'), undefined);
      assert.equal(await s.getProvenance('', 'a', '1.0.0'), undefined);
      assert.equal(await s.deleteVersion('', 'a', '1.0.0'), undefined);
      assert.equal(await s.revision(''), 2);
    });

    test('versions are found by file name and blobs report whether rows refer to them', async (t) => {
      const s = await store(t);
      await s.publish({
        repository: '',
        chart: version('a', '1.0.0-beta-1', '3'.repeat(64)),
        overwrite: false,
      });
      assert.equal((await s.findVersionByFilename('', 'a-1.0.0-beta-1.tgz'))?.version, '1.0.0-beta-1');
      assert.equal(await s.findVersionByFilename('', 'a-9.tgz'), undefined);
      assert.equal(await s.isReferenced('3'.repeat(64)), true);
      assert.equal(await s.isReferenced('4'.repeat(64)), false);
    });

    chartSearchContract(store);
  });
}
