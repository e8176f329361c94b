import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { defaultConfig } from '../../src/config/config.js';
import { isOciError } from '../../src/oci/errors.js';
import { mediaTypes } from '../../src/oci/media-types.js';
import { createOciRegistry } from '../../src/oci/oci-registry.js';
import { createMemoryUploadSessions } from '../../src/store/memory-upload-sessions.js';
import type { MetadataStore } from '../../src/store/metadata-store.js';
import { createSqliteMetadataStore } from '../../src/store/sqlite-metadata-store.js';
import { makeChart } from '../support/make-chart.js';
import { createMemoryBlobStore } from '../support/memory-blob-store.js';
import { hexOf, sha256 } from './oci-client.js';

/** A registry whose store misses the version on its first read, as when another push wins a race. */
async function racingSetup(t: { after(fn: () => unknown): void }) {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-race-'));
  const real = createSqliteMetadataStore(join(dir, 'charthouse.db'));
  t.after(async () => {
    await real.close();
    await rm(dir, { recursive: true, force: true });
  });
  let stale = true;
  const meta: MetadataStore = {
    ...real,
    async getVersion(repository, name, version) {
      if (stale) {
        stale = false;
        return undefined;
      }
      return real.getVersion(repository, name, version);
    },
  };
  const config = defaultConfig({ storage: dir });
  const oci = createOciRegistry({
    meta,
    blobs: createMemoryBlobStore(),
    config,
    sessions: createMemoryUploadSessions(),
  });
  return { oci, real };
}

async function chartManifest(oci: ReturnType<typeof createOciRegistry>, tgz: Buffer, version: string) {
  const config = Buffer.from(JSON.stringify({ name: 'mychart', version, apiVersion: 'v2' }));
  await oci.uploadBlob('team/mychart', sha256(config), Readable.from([config]));
  await oci.uploadBlob('team/mychart', sha256(tgz), Readable.from([tgz]));
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      config: { mediaType: mediaTypes.helmConfig, digest: sha256(config), size: config.length },
      layers: [{ mediaType: mediaTypes.helmChart, digest: sha256(tgz), size: tgz.length }],
    }),
  );
}

test('a push that loses the race to an identical push is decided again and succeeds', async (t) => {
  const { oci, real } = await racingSetup(t);
  const tgz = await makeChart({ name: 'mychart', version: '1.0.0' });
  const bytes = await chartManifest(oci, tgz, '1.0.0');
  const other = { name: 'mychart', version: '1.0.0', digest: hexOf(sha256(tgz)), size: tgz.length };
  const details = { ...other, created: '2026-01-01T00:00:00.000Z', metadata: { ...other, apiVersion: 'v2' } };
  await real.publish({ repository: 'team', chart: details, overwrite: false });
  const { digest } = await oci.putManifest('team/mychart', '1.0.0', bytes, mediaTypes.ociManifest);
  assert.equal(digest, sha256(bytes));
  assert.equal(
    (await real.getChartManifest({ name: 'team/mychart', repository: 'team', chart: 'mychart' }, '1.0.0'))
      ?.digest,
    digest,
  );
});

test('a push that loses the race to other bytes is DENIED', async (t) => {
  const { oci, real } = await racingSetup(t);
  const tgz = await makeChart({ name: 'mychart', version: '1.0.0' });
  const bytes = await chartManifest(oci, tgz, '1.0.0');
  const metadata = { name: 'mychart', version: '1.0.0', apiVersion: 'v2' };
  const chart = {
    ...metadata,
    digest: 'f'.repeat(64),
    size: 1,
    created: '2026-01-01T00:00:00.000Z',
    metadata,
  };
  await real.publish({ repository: 'team', chart, overwrite: false });
  await assert.rejects(oci.putManifest('team/mychart', '1.0.0', bytes, mediaTypes.ociManifest), (err) =>
    isOciError(err, 'DENIED'),
  );
  assert.equal((await real.getVersion('team', 'mychart', '1.0.0'))?.digest, 'f'.repeat(64));
});
