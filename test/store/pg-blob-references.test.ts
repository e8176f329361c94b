import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BlobReference, MetadataStore, VersionDetails } from '../../src/store/metadata-store.js';
import { openedPerTest } from './opened-per-test.js';
import { openFreshPgStore } from './pg-fresh-store.js';

const hex = (n: number) => n.toString(16).padStart(64, '0');
const open = openedPerTest(openFreshPgStore);

function version(name: string, v: string, digest: string, size = 100): VersionDetails {
  return {
    name,
    version: v,
    digest,
    size,
    created: '2026-01-01T00:00:00.000Z',
    metadata: { name, version: v, apiVersion: 'v2' },
  };
}

async function collect(store: MetadataStore): Promise<BlobReference[]> {
  const out: BlobReference[] = [];
  for await (const ref of store.listBlobReferences()) out.push(ref);
  return out;
}

test('listBlobReferences yields every package and provenance row once, with its size and owner', async (t) => {
  const store = await open(t);
  assert.deepEqual(await collect(store), []);
  await store.publish({
    repository: 'team',
    chart: version('app', '1.0.0', hex(1), 123),
    provenance: {
      name: 'app',
      version: '1.0.0',
      digest: hex(2),
      size: 45,
      created: '2026-01-01T00:00:00.000Z',
    },
    overwrite: false,
  });
  await store.publish({ repository: '', chart: version('app', '1.0.0', hex(1), 123), overwrite: false });
  assert.deepEqual(
    (await collect(store)).map((r) => [r.kind, r.digest, r.size, r.owner]),
    [
      ['chart', hex(1), 123, 'chart app 1.0.0 in repository "team"'],
      ['chart', hex(1), 123, 'chart app 1.0.0 in the root repository'],
      ['provenance', hex(2), 45, 'provenance of app 1.0.0 in repository "team"'],
    ],
  );
  await store.deleteVersion('team', 'app', '1.0.0');
  assert.deepEqual(
    (await collect(store)).map((r) => r.owner),
    ['chart app 1.0.0 in the root repository'],
  );
});

test('listBlobReferences pages through more rows than one page holds, each exactly once, and lets writes run between pages', async (t) => {
  const store = await open(t);
  for (let i = 0; i < 1234; i++) {
    await store.publish({ repository: '', chart: version('many', `1.0.${i}`, hex(i)), overwrite: false });
  }
  const digests: string[] = [];
  for await (const ref of store.listBlobReferences()) {
    if (digests.length === 0) {
      await store.publish({ repository: '', chart: version('many', '2.0.0', hex(9999)), overwrite: false });
    }
    digests.push(ref.digest);
  }
  assert.ok(digests.length === 1234 || digests.length === 1235);
  assert.equal(new Set(digests).size, digests.length);
});

test('listBlobReferences includes the blobs of OCI manifests and OCI blob links', async (t) => {
  const store = await open(t);
  await store.linkOciBlob('team/image', hex(10));
  const manifest = Buffer.from('{}');
  await store.putOciManifest(
    'team/image',
    {
      digest: `sha256:${hex(20)}`,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      size: manifest.length,
      bytes: manifest,
      created: '2026-01-01T00:00:00.000Z',
      blobs: [hex(11), hex(12)],
    },
    'v1',
  );
  const refs = (await collect(store)).map((r) => [r.kind, r.digest, r.size, r.owner]);
  assert.deepEqual(refs, [
    ['oci-manifest', hex(11), undefined, `OCI manifest team/image@sha256:${hex(20)}`],
    ['oci-manifest', hex(12), undefined, `OCI manifest team/image@sha256:${hex(20)}`],
    ['oci-link', hex(10), undefined, 'OCI blob link in team/image'],
  ]);
  for (const [, digest] of refs) assert.equal(await store.isReferenced(String(digest)), true);
});
