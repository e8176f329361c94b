// The contract of the OCI half of MetadataStore (store/metadata-store.ts); each backend's test calls it once.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isRegistryError } from '../../src/errors.js';
import type {
  MetadataStore,
  OciChartManifestWrite,
  OciManifestWrite,
  VersionDetails,
} from '../../src/store/metadata-store.js';
import { openedPerTest } from '../store/opened-per-test.js';

const oci = { name: 'team/demo', repository: 'team', chart: 'demo' };
const hex = (c: string) => c.repeat(64);

function version(v: string, digest = hex('1')): VersionDetails {
  return {
    name: 'demo',
    version: v,
    digest,
    size: 10,
    created: '2026-01-01T00:00:00.000Z',
    metadata: { name: 'demo', version: v, apiVersion: 'v2' },
  };
}

function manifest(seed: string, extra: Partial<OciManifestWrite> = {}): OciManifestWrite {
  return {
    digest: `sha256:${hex(seed)}`,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    size: 2,
    bytes: Buffer.from(`{${seed}}`),
    created: '2026-01-01T00:00:00.000Z',
    blobs: [hex('c')],
    ...extra,
  };
}

function chartManifest(seed: string, layer = hex('1'), prov?: string): OciChartManifestWrite {
  return { ...manifest(seed, { blobs: [hex('c'), layer, ...(prov ? [prov] : [])] }), layer, prov };
}

export function ociMetadataStoreContract(name: string, openStore: () => Promise<MetadataStore>): void {
  describe(`${name} OCI metadata store contract`, () => {
    const open = openedPerTest(openStore);

    test('publishOciChart writes the version, its current manifest and the revision together', async (t) => {
      const s = await open(t);
      await s.linkOciBlob(oci.name, hex('c'));
      await s.publishOciChart({
        oci,
        chart: version('1.0.0'),
        overwrite: false,
        manifest: chartManifest('a'),
      });
      assert.equal((await s.getVersion('team', 'demo', '1.0.0'))?.digest, hex('1'));
      assert.equal(await s.revision('team'), 1);
      const current = await s.getChartManifest(oci, '1.0.0');
      assert.equal(current?.digest, `sha256:${hex('a')}`);
      assert.deepEqual(current?.chart, { version: '1.0.0', layer: hex('1'), current: true });
      assert.deepEqual(await s.listOciTags(oci), { tags: [], versions: ['1.0.0'] });
      // the link became a reference: the blob stays visible through the manifest
      assert.deepEqual(await s.ociBlobState(oci, hex('c')), { linked: false, referenced: true });
      assert.deepEqual(await s.ociBlobState(oci, hex('1')), { linked: false, referenced: true });
    });

    test('a publish that fails with CHART_EXISTS stores no manifest', async (t) => {
      const s = await open(t);
      await s.publish({ repository: 'team', chart: version('1.0.0'), overwrite: false });
      await assert.rejects(
        s.publishOciChart({
          oci,
          chart: version('1.0.0', hex('2')),
          overwrite: false,
          manifest: chartManifest('b', hex('2')),
        }),
        (err) => isRegistryError(err, 'CHART_EXISTS'),
      );
      assert.equal(await s.getOciManifest(oci.name, `sha256:${hex('b')}`), undefined);
      assert.equal(await s.revision('team'), 1);
    });

    test('deleting the version removes its manifests; replacing its package does too', async (t) => {
      const s = await open(t);
      await s.publishOciChart({
        oci,
        chart: version('1.0.0'),
        overwrite: false,
        manifest: chartManifest('a'),
      });
      await s.publishOciChart({
        oci,
        chart: version('2.0.0'),
        overwrite: false,
        manifest: chartManifest('b'),
      });
      await s.deleteVersion('team', 'demo', '1.0.0');
      assert.equal(await s.getOciManifest(oci.name, `sha256:${hex('a')}`), undefined);
      await s.publish({ repository: 'team', chart: version('2.0.0', hex('9')), overwrite: true });
      assert.equal(await s.getOciManifest(oci.name, `sha256:${hex('b')}`), undefined);
      assert.equal(await s.getChartManifest(oci, '2.0.0'), undefined);
    });

    test('saveChartManifest keeps alternates beside the current manifest and refuses unknown versions', async (t) => {
      const s = await open(t);
      assert.equal(await s.saveChartManifest(oci, '1.0.0', chartManifest('a'), { current: true }), false);
      await s.publish({ repository: 'team', chart: version('1.0.0'), overwrite: false });
      assert.equal(await s.saveChartManifest(oci, '1.0.0', chartManifest('a'), { current: true }), true);
      await s.saveChartManifest(oci, '1.0.0', chartManifest('b'), { current: false });
      assert.equal((await s.getChartManifest(oci, '1.0.0'))?.digest, `sha256:${hex('a')}`);
      assert.equal((await s.getOciManifest(oci.name, `sha256:${hex('b')}`))?.chart?.current, false);
      await s.saveChartManifest(oci, '1.0.0', chartManifest('b'), { current: true });
      assert.equal((await s.getChartManifest(oci, '1.0.0'))?.digest, `sha256:${hex('b')}`);
      assert.equal(
        await s.deleteOciManifest(oci.name, `sha256:${hex('a')}`),
        false,
        'chart manifests go with their version',
      );
    });

    test('tags point at plain manifests; deleting a manifest removes its tags, and referrers follow subjects', async (t) => {
      const s = await open(t);
      assert.equal(await s.listOciTags(oci), undefined);
      await s.putOciManifest(oci.name, manifest('a'), 'latest');
      await s.putOciManifest(
        oci.name,
        manifest('b', { subject: `sha256:${hex('a')}`, artifactType: 'x/sig' }),
        undefined,
      );
      assert.equal((await s.getOciTag(oci.name, 'latest'))?.digest, `sha256:${hex('a')}`);
      assert.deepEqual(await s.listOciReferrers(oci.name, `sha256:${hex('a')}`), [
        {
          digest: `sha256:${hex('b')}`,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          size: 2,
          artifactType: 'x/sig',
        },
      ]);
      assert.equal(await s.isReferenced(hex('c')), true);
      assert.equal(await s.deleteOciManifest(oci.name, `sha256:${hex('a')}`), true);
      assert.equal(await s.getOciTag(oci.name, 'latest'), undefined);
      assert.deepEqual(await s.listOciTags(oci), { tags: [], versions: [] });
    });

    test('a chart version whose OCI tag names other content is refused, and with overwrite takes the tag', async (t) => {
      const s = await open(t);
      const image = manifest('a', { artifactType: 'application/vnd.oci.image.config.v1+json' });
      await s.putOciManifest(oci.name, image, '1.0.0');
      await assert.rejects(
        s.publish({ repository: 'team', chart: version('1.0.0'), overwrite: false }),
        (err) =>
          isRegistryError(err, 'CHART_EXISTS') &&
          err.message.startsWith('the OCI tag team/demo:1.0.0 already names other content (an image);'),
      );
      assert.equal(await s.getVersion('team', 'demo', '1.0.0'), undefined);
      assert.equal((await s.getOciTag(oci.name, '1.0.0'))?.digest, image.digest);
      await s.publish({ repository: 'team', chart: version('1.0.0'), overwrite: true });
      assert.equal(await s.getOciTag(oci.name, '1.0.0'), undefined);
      assert.equal((await s.getOciManifest(oci.name, image.digest))?.digest, image.digest);
      assert.deepEqual(await s.listOciTags(oci), { tags: [], versions: ['1.0.0'] });
    });

    test('the indexes listing a manifest are found, and an index listing a missing one dangles', async (t) => {
      const s = await open(t);
      const child = manifest('a');
      const indexOf = (seed: string, digests: string[]) => {
        const bytes = Buffer.from(
          JSON.stringify({ schemaVersion: 2, manifests: digests.map((digest) => ({ digest, size: 2 })) }),
        );
        return manifest(seed, { mediaType: 'application/vnd.oci.image.index.v1+json', bytes, blobs: [] });
      };
      const gone = `sha256:${hex('f')}`;
      await s.putOciManifest(oci.name, child, 'amd64');
      await s.putOciManifest(oci.name, indexOf('b', [child.digest]), 'multi');
      await s.putOciManifest(oci.name, indexOf('e', [gone, child.digest]), undefined);
      // the digest only mentioned in an annotation of a plain manifest does not count
      await s.putOciManifest(oci.name, manifest('d', { bytes: Buffer.from(`{"note":"${child.digest}"}`) }));
      assert.deepEqual(await s.ociIndexesListing(oci.name, child.digest), [
        `sha256:${hex('b')}`,
        `sha256:${hex('e')}`,
      ]);
      assert.deepEqual(await s.ociIndexesListing('team/other', child.digest), []);
      assert.deepEqual(await s.findDanglingOciReferences(), [
        { name: oci.name, from: { index: `sha256:${hex('e')}` }, missing: gone },
      ]);
    });

    test('blob links make a blob visible in one repository only, and count for garbage collection', async (t) => {
      const s = await open(t);
      await s.linkOciBlob(oci.name, hex('d'));
      await s.linkOciBlob(oci.name, hex('d'));
      assert.deepEqual(await s.ociBlobState(oci, hex('d')), { linked: true, referenced: false });
      assert.deepEqual(await s.ociBlobState({ ...oci, name: 'team/other', chart: 'other' }, hex('d')), {
        linked: false,
        referenced: false,
      });
      assert.equal(await s.isReferenced(hex('d')), true);
      assert.equal(await s.unlinkOciBlob(oci.name, hex('d')), true);
      assert.equal(await s.unlinkOciBlob(oci.name, hex('d')), false);
      assert.equal(await s.isReferenced(hex('d')), false);
    });
  });
}
