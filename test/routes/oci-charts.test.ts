// One store, two protocols: charts pushed over OCI appear in index.yaml, charts uploaded over
// HTTP are pullable over OCI, and deletes and immutability hold across both (reference §10).
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import yaml from 'js-yaml';
import supertest from 'supertest';
import { buildApp } from '../../src/app.js';
import { defaultConfig } from '../../src/config/config.js';
import { helmConfigJson, rfc3339 } from '../../src/oci/manifest.js';
import { mediaTypes } from '../../src/oci/media-types.js';
import { createOciRegistry } from '../../src/oci/oci-registry.js';
import { createRegistry } from '../../src/registry.js';
import { openLocalStores } from '../../src/store/open-stores.js';
import { binary, hexOf, imageManifest, pushBlob, pushChart, putManifest, sha256 } from '../oci/oci-client.js';
import { buildTestApp } from '../support/build-app.js';
import { makeChart } from '../support/make-chart.js';
import { provenanceDocument } from '../support/provenance.js';

type Http = ReturnType<typeof supertest>;
type Index = {
  entries: Record<string, Array<{ version: string; digest: string; urls: string[]; created: string }>>;
};
type Manifest = {
  config: { mediaType: string; digest: string; size: number };
  layers: Array<{ mediaType: string; digest: string; size: number }>;
  annotations: Record<string, string>;
};

const chart = { name: 'mychart', version: '1.2.0' };

async function index(http: Http, repo: string): Promise<Index> {
  const res = await http.get(`/${repo}/index.yaml`).expect(200);
  return yaml.load(res.text) as Index;
}

async function manifestOf(http: Http, name: string, reference: string) {
  const res = await http.get(`/v2/${name}/manifests/${reference}`).expect(200);
  return {
    text: res.text,
    digest: res.headers['docker-content-digest'] as string,
    doc: JSON.parse(res.text) as Manifest,
  };
}

async function blobOf(http: Http, name: string, digest: string): Promise<Buffer> {
  return (await http.get(`/v2/${name}/blobs/${digest}`).buffer(true).parse(binary).expect(200)).body;
}

function errorCode(res: { body: unknown }): string | undefined {
  return (res.body as { errors?: Array<{ code: string }> }).errors?.[0]?.code;
}

/** A provenance file naming the package's digest without the `sha256:` prefix, as some signers write it. */
function provFor(name: string, version: string, tgz: Buffer): string {
  return provenanceDocument(name, version, { [`${name}-${version}.tgz`]: sha256(tgz) });
}

async function uploadHttp(http: Http, repo: string, tgz: Buffer) {
  await http
    .post(`/api/${repo}/charts`)
    .set('content-type', 'application/octet-stream')
    .send(tgz)
    .expect(201);
}

test('a chart pushed over OCI is in index.yaml the moment the push returns, its digest the layer’s', async (t) => {
  const { http } = await buildTestApp(t);
  const tgz = await makeChart(chart);
  const pushed = await pushChart(http, 'team-a/mychart', tgz, chart, { created: '2026-11-20T10:00:00Z' });
  assert.equal(pushed.res.status, 201, pushed.res.text);
  assert.equal(pushed.res.headers['docker-content-digest'], pushed.digest);
  const entry = (await index(http, 'team-a')).entries.mychart?.[0];
  assert.equal(entry?.version, '1.2.0');
  assert.equal(entry?.digest, hexOf(sha256(tgz)));
  assert.deepEqual(entry?.urls, ['charts/mychart-1.2.0.tgz']);
  assert.equal(new Date(entry?.created ?? '').toISOString(), '2026-11-20T10:00:00.000Z');
  const pkg = await http.get('/team-a/charts/mychart-1.2.0.tgz').buffer(true).parse(binary).expect(200);
  assert.deepEqual(pkg.body, tgz);
  assert.deepEqual((await http.get('/v2/team-a/mychart/tags/list').expect(200)).body, {
    name: 'team-a/mychart',
    tags: ['1.2.0'],
  });
  const byTag = await manifestOf(http, 'team-a/mychart', '1.2.0');
  assert.equal(byTag.text, pushed.bytes.toString());
});

test('a chart uploaded over HTTP is pullable by tag, with Helm’s config and the package as its layer', async (t) => {
  const { http } = await buildTestApp(t);
  const tgz = await makeChart({ ...chart, chart: { appVersion: '2.0', home: 'https://example.com' } });
  await uploadHttp(http, 'team-a', tgz);
  const head = await http.head('/v2/team-a/mychart/manifests/1.2.0').expect(200);
  assert.equal(head.headers['content-type'], mediaTypes.ociManifest);
  const { doc, digest, text } = await manifestOf(http, 'team-a/mychart', '1.2.0');
  assert.equal(head.headers['docker-content-digest'], digest);
  assert.equal(head.headers['content-length'], String(Buffer.byteLength(text)));
  assert.equal(digest, sha256(text));
  assert.equal(doc.config.mediaType, mediaTypes.helmConfig);
  assert.deepEqual(doc.layers, [{ mediaType: mediaTypes.helmChart, digest: sha256(tgz), size: tgz.length }]);
  const version = (await http.get('/api/team-a/charts/mychart/1.2.0').expect(200)).body as {
    created: string;
  };
  assert.deepEqual(doc.annotations, {
    'org.opencontainers.image.created': rfc3339(version.created),
    'org.opencontainers.image.description': 'The mychart chart',
    'org.opencontainers.image.title': 'mychart',
    'org.opencontainers.image.url': 'https://example.com',
    'org.opencontainers.image.version': '1.2.0',
  });
  const config = await blobOf(http, 'team-a/mychart', doc.config.digest);
  assert.equal(
    config.toString(),
    helmConfigJson({
      name: 'mychart',
      home: 'https://example.com',
      version: '1.2.0',
      description: 'The mychart chart',
      apiVersion: 'v2',
      appVersion: '2.0',
      type: 'application',
    }),
  );
  assert.deepEqual(await blobOf(http, 'team-a/mychart', sha256(tgz)), tgz);
  assert.deepEqual((await http.get('/v2/team-a/mychart/tags/list').expect(200)).body.tags, ['1.2.0']);
});

test('the generated manifest keeps its digest and bytes across an app restart on the same storage', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-restart-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const open = async () => {
    const config = defaultConfig({ storage: dir, logLevel: 'silent' });
    const stores = openLocalStores(config);
    const registry = createRegistry({ ...stores, config });
    const app = await buildApp({ config, registry, oci: createOciRegistry({ ...stores, config }) });
    await app.ready();
    const close = async () => {
      await app.close();
      await stores.close();
    };
    return { http: supertest(app.server), close };
  };
  const first = await open();
  await uploadHttp(first.http, 'team-a', await makeChart(chart));
  const before = await manifestOf(first.http, 'team-a/mychart', '1.2.0');
  await first.close();
  const second = await open();
  t.after(second.close);
  const after = await manifestOf(second.http, 'team-a/mychart', '1.2.0');
  assert.equal(after.digest, before.digest);
  assert.equal(after.text, before.text);
  await second.http.get(`/v2/team-a/mychart/manifests/${before.digest}`).expect(200);
});

test('a delete over /api removes the manifest and the tag from the OCI view', async (t) => {
  const { http } = await buildTestApp(t);
  const tgz = await makeChart(chart);
  const pushed = await pushChart(http, 'team-a/mychart', tgz, chart);
  assert.equal(pushed.res.status, 201);
  await http.delete('/api/team-a/charts/mychart/1.2.0').expect(200);
  await http.get('/v2/team-a/mychart/manifests/1.2.0').expect(404);
  await http.get(`/v2/team-a/mychart/manifests/${pushed.digest}`).expect(404);
  await http.head(`/v2/team-a/mychart/blobs/${sha256(tgz)}`).expect(404);
  const tags = await http.get('/v2/team-a/mychart/tags/list');
  assert.equal(tags.status, 404);
  assert.equal(errorCode(tags), 'NAME_UNKNOWN');
});

test('a manifest DELETE, by tag or by digest, removes the version from index.yaml', async (t) => {
  const { http } = await buildTestApp(t);
  for (const version of ['1.0.0', '2.0.0', '3.0.0'])
    await uploadHttp(http, 'team-a', await makeChart({ name: 'mychart', version }));
  await http.delete('/v2/team-a/mychart/manifests/1.0.0').expect(202);
  const { digest } = await manifestOf(http, 'team-a/mychart', '2.0.0');
  await http.delete(`/v2/team-a/mychart/manifests/${digest}`).expect(202);
  assert.deepEqual(
    (await index(http, 'team-a')).entries.mychart?.map((e) => e.version),
    ['3.0.0'],
  );
  await http.get('/api/team-a/charts/mychart/1.0.0').expect(404);
  assert.deepEqual((await http.get('/v2/team-a/mychart/tags/list').expect(200)).body.tags, ['3.0.0']);
});

test('Helm 4’s push (PUT by digest, GET by digest, PUT by tag) and an identical re-push all answer 201', async (t) => {
  const { http } = await buildTestApp(t);
  const tgz = await makeChart(chart);
  const pushed = await pushChart(http, 'team-a/mychart', tgz, chart, { byDigest: true });
  assert.equal(pushed.res.status, 201, pushed.res.text);
  assert.equal((await index(http, 'team-a')).entries.mychart?.[0]?.version, '1.2.0');
  await http.get(`/v2/team-a/mychart/manifests/${pushed.digest}`).expect(200);
  await putManifest(http, 'team-a/mychart', '1.2.0', pushed.bytes).expect(201);
  await putManifest(http, 'team-a/mychart', '1.2.0', pushed.bytes).expect(201);
  // the same package repackaged later: another created time, so another manifest digest, which
  // the tag moves to (a 201 always has its effect); the first stays readable by digest
  const again = await pushChart(http, 'team-a/mychart', tgz, chart, { created: '2027-01-01T00:00:00Z' });
  assert.equal(again.res.status, 201, again.res.text);
  assert.notEqual(again.digest, pushed.digest);
  assert.equal((await manifestOf(http, 'team-a/mychart', '1.2.0')).digest, again.digest);
  await http.get(`/v2/team-a/mychart/manifests/${pushed.digest}`).expect(200);
  assert.equal((await index(http, 'team-a')).entries.mychart?.length, 1);
});

test('different chart bytes under an existing version answer 403 DENIED unless overwrite is allowed', async (t) => {
  const { http } = await buildTestApp(t);
  const original = await makeChart(chart);
  const changed = await makeChart({ ...chart, values: 'replicaCount: 3\n' });
  await uploadHttp(http, 'team-a', original);
  const denied = await pushChart(http, 'team-a/mychart', changed, chart);
  assert.equal(denied.res.status, 403);
  assert.equal(errorCode(denied.res), 'DENIED');
  assert.match(denied.res.text, /already exists/);
  assert.equal((await index(http, 'team-a')).entries.mychart?.[0]?.digest, hexOf(sha256(original)));

  const open = await buildTestApp(t, { allowOverwrite: true });
  await uploadHttp(open.http, 'team-a', original);
  const before = await manifestOf(open.http, 'team-a/mychart', '1.2.0');
  const replaced = await pushChart(open.http, 'team-a/mychart', changed, chart);
  assert.equal(replaced.res.status, 201, replaced.res.text);
  assert.equal((await index(open.http, 'team-a')).entries.mychart?.[0]?.digest, hexOf(sha256(changed)));
  assert.equal((await manifestOf(open.http, 'team-a/mychart', '1.2.0')).digest, replaced.digest);
  await open.http.get(`/v2/team-a/mychart/manifests/${before.digest}`).expect(404);
});

test('a chart whose name is not the last path segment answers 400 MANIFEST_INVALID and stores nothing', async (t) => {
  const { http } = await buildTestApp(t);
  const res = (await pushChart(http, 'team-a/other', await makeChart(chart), chart)).res;
  assert.equal(res.status, 400);
  assert.equal(errorCode(res), 'MANIFEST_INVALID');
  assert.match(res.text, /the last path segment must be the chart name/);
  await http.get('/team-a/index.yaml').expect(404);
  await http.get('/v2/team-a/other/manifests/1.2.0').expect(404);
});

test('a tag that is not the chart version answers 400 MANIFEST_INVALID', async (t) => {
  const { http } = await buildTestApp(t);
  const res = (await pushChart(http, 'team-a/mychart', await makeChart(chart), chart, { tag: '1.2.1' })).res;
  assert.equal(res.status, 400);
  assert.equal(errorCode(res), 'MANIFEST_INVALID');
  assert.match(res.text, /does not match the chart version 1\.2\.0/);
  await http.get('/team-a/index.yaml').expect(404);
});

test('an invalid chart layer answers 400 MANIFEST_INVALID with the reason', async (t) => {
  const { http } = await buildTestApp(t);
  const res = (await pushChart(http, 'team-a/mychart', Buffer.from('not a tarball'), chart)).res;
  assert.equal(res.status, 400);
  assert.equal(errorCode(res), 'MANIFEST_INVALID');
  assert.match(res.text, /not a valid Helm chart: the package is not gzip-compressed/);
  const config = await pushChart(http, 'team-a/mychart', await makeChart(chart), chart, {
    config: { name: 'x', version: '1.2.0' },
  });
  assert.equal(config.res.status, 400);
  assert.match(config.res.text, /the chart config names x 1\.2\.0/);
  await http.get('/team-a/index.yaml').expect(404);
});

test('a version with build metadata is tagged with _ and listed in index.yaml with +', async (t) => {
  const { http } = await buildTestApp(t);
  const meta = { name: 'mychart', version: '0.2.0+build.5' };
  const pushed = await pushChart(http, 'team-a/mychart', await makeChart(meta), meta);
  assert.equal(pushed.res.status, 201, pushed.res.text);
  assert.equal((await index(http, 'team-a')).entries.mychart?.[0]?.version, '0.2.0+build.5');
  assert.deepEqual((await http.get('/v2/team-a/mychart/tags/list').expect(200)).body.tags, ['0.2.0_build.5']);
  await http.get('/v2/team-a/mychart/manifests/0.2.0_build.5').expect(200);
});

test('a provenance layer pushed with a chart is the .prov of the classic view', async (t) => {
  const { http } = await buildTestApp(t);
  const tgz = await makeChart(chart);
  const prov = provFor('mychart', '1.2.0', tgz);
  const pushed = await pushChart(http, 'team-a/mychart', tgz, chart, { prov });
  assert.equal(pushed.res.status, 201, pushed.res.text);
  const file = await http.get('/team-a/charts/mychart-1.2.0.tgz.prov').expect(200);
  assert.equal(file.text, prov);
  const wrong = provFor('mychart', '1.2.0', Buffer.from('another package'));
  const refused = await pushChart(http, 'team-b/mychart', tgz, chart, { prov: wrong });
  assert.equal(refused.res.status, 400);
  assert.match(refused.res.text, /does not sign the chart layer/);
});

test('a .prov uploaded over HTTP becomes the provenance layer of the chart’s manifest', async (t) => {
  const { http } = await buildTestApp(t);
  const tgz = await makeChart(chart);
  await uploadHttp(http, 'team-a', tgz);
  const before = await manifestOf(http, 'team-a/mychart', '1.2.0');
  const prov = provFor('mychart', '1.2.0', tgz);
  await http.post('/api/team-a/prov').set('content-type', 'application/octet-stream').send(prov).expect(201);
  const after = await manifestOf(http, 'team-a/mychart', '1.2.0');
  assert.notEqual(after.digest, before.digest);
  assert.deepEqual(after.doc.config, before.doc.config);
  assert.deepEqual(after.doc.annotations, before.doc.annotations);
  const provLayer = after.doc.layers.find((l) => l.mediaType === mediaTypes.helmProvenance);
  assert.equal(provLayer?.digest, sha256(prov));
  assert.equal((await blobOf(http, 'team-a/mychart', sha256(prov))).toString(), prov);
  await http.get(`/v2/team-a/mychart/manifests/${before.digest}`).expect(200);
});

test('with ociChartsOnly a generic manifest answers 405 UNSUPPORTED, while charts are accepted', async (t) => {
  const { http } = await buildTestApp(t, { ociChartsOnly: true });
  const config = await pushBlob(http, 'team-a/image', '{}');
  const res = await putManifest(http, 'team-a/image', 'latest', imageManifest(config, []));
  assert.equal(res.status, 405);
  assert.equal(errorCode(res), 'UNSUPPORTED');
  assert.match(res.text, /Helm charts only/);
  const pushed = await pushChart(http, 'team-a/mychart', await makeChart(chart), chart);
  assert.equal(pushed.res.status, 201);
});

test('generic content never enters index.yaml and cannot take a chart version’s tag', async (t) => {
  const { http } = await buildTestApp(t);
  await pushChart(http, 'team-a/mychart', await makeChart(chart), chart);
  const config = await pushBlob(http, 'team-a/mychart', '{"os":"linux"}');
  const denied = await putManifest(http, 'team-a/mychart', '1.2.0', imageManifest(config, []));
  assert.equal(denied.status, 403);
  assert.equal(errorCode(denied), 'DENIED');
  await putManifest(http, 'team-a/mychart', 'latest', imageManifest(config, [])).expect(201);
  assert.deepEqual((await http.get('/v2/team-a/mychart/tags/list').expect(200)).body.tags, [
    '1.2.0',
    'latest',
  ]);
  assert.deepEqual(
    (await index(http, 'team-a')).entries.mychart?.map((e) => e.version),
    ['1.2.0'],
  );
});

test('eight concurrent blob uploads into one repository all succeed', async (t) => {
  const { http } = await buildTestApp(t);
  const blobs = Array.from({ length: 8 }, (_, i) => Buffer.from(`parallel blob ${i} `.repeat(1000 + i)));
  const pushed = await Promise.all(blobs.map((bytes) => pushBlob(http, 'team-a/mychart', bytes)));
  for (const [i, blob] of pushed.entries()) {
    assert.deepEqual(await blobOf(http, 'team-a/mychart', blob.digest), blobs[i]);
  }
});

test('an expired upload session answers 404 BLOB_UPLOAD_UNKNOWN and its temp file is removed', async (t) => {
  const { http, dir } = await buildTestApp(t);
  const start = await http.post('/v2/team-a/mychart/blobs/uploads/').expect(202);
  const id = start.headers['docker-upload-uuid'] as string;
  await http
    .patch(start.headers.location as string)
    .set('content-type', 'application/octet-stream')
    .send('partial')
    .expect(202);
  assert.deepEqual((await readdir(join(dir, 'uploads'))).sort(), [`${id}.data`, `${id}.json`]);
  const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
  await utimes(join(dir, 'uploads', `${id}.data`), twoHoursAgo, twoHoursAgo);
  const res = await http.get(start.headers.location as string);
  assert.equal(res.status, 404);
  assert.equal(errorCode(res), 'BLOB_UPLOAD_UNKNOWN');
  assert.deepEqual(await readdir(join(dir, 'uploads')), []);
});

test('a chart pushed to a one-segment name belongs to the root repository', async (t) => {
  const { http } = await buildTestApp(t);
  const pushed = await pushChart(http, 'mychart', await makeChart(chart), chart);
  assert.equal(pushed.res.status, 201, pushed.res.text);
  assert.equal((await index(http, '')).entries.mychart?.[0]?.version, '1.2.0');
  await http.get('/charts/mychart-1.2.0.tgz').expect(200);
});

test('two identical pushes of a new version at the same moment both answer 201', async (t) => {
  const { http } = await buildTestApp(t);
  const tgz = await makeChart(chart);
  const [a, b] = await Promise.all([
    pushChart(http, 'team-a/mychart', tgz, chart, { created: '2026-01-01T00:00:00Z' }),
    pushChart(http, 'team-a/mychart', tgz, chart, { created: '2026-01-02T00:00:00Z' }),
  ]);
  assert.equal(a.res.status, 201, a.res.text);
  assert.equal(b.res.status, 201, b.res.text);
  assert.equal((await index(http, 'team-a')).entries.mychart?.length, 1);
  assert.ok([a.digest, b.digest].includes((await manifestOf(http, 'team-a/mychart', '1.2.0')).digest));
});
