// Content discovery (distribution-spec conformance, "Content Discovery"): tags/list with
// pagination, and the referrers API.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mediaTypes } from '../../../src/oci/media-types.js';
import { descriptor, pushBlob, pushImage, putManifest, sha256 } from '../../oci/oci-client.js';
import { buildTestApp } from '../../support/build-app.js';
import { assertError, missing } from './support.js';

test('tags/list lists every tag in lexical order', async (t) => {
  const { http } = await buildTestApp(t);
  for (const tag of ['v2', 'latest', 'v10', 'alpha']) await pushImage(http, 'team/demo', tag);
  const res = await http
    .get('/v2/team/demo/tags/list')
    .expect(200)
    .expect('content-type', /^application\/json/);
  assert.deepEqual(res.body, { name: 'team/demo', tags: ['alpha', 'latest', 'v10', 'v2'] });
  assert.equal(res.headers.link, undefined);
});

test('n and last page through the tags with a Link to the next page; n=0 is empty without a Link', async (t) => {
  const { http } = await buildTestApp(t);
  for (const tag of ['a', 'b', 'c', 'd', 'e']) await pushImage(http, 'demo', tag);
  const first = await http.get('/v2/demo/tags/list?n=2').expect(200);
  assert.deepEqual(first.body.tags, ['a', 'b']);
  assert.equal(first.headers.link, '</v2/demo/tags/list?n=2&last=b>; rel="next"');
  const second = await http.get('/v2/demo/tags/list?n=2&last=b').expect(200);
  assert.deepEqual(second.body.tags, ['c', 'd']);
  const third = await http.get('/v2/demo/tags/list?n=2&last=d').expect(200);
  assert.deepEqual(third.body.tags, ['e']);
  assert.equal(third.headers.link, undefined);
  const none = await http.get('/v2/demo/tags/list?n=0').expect(200);
  assert.deepEqual(none.body.tags, []);
  assert.equal(none.headers.link, undefined);
  assertError(await http.get('/v2/demo/tags/list?n=x'), 400, 'PAGINATION_NUMBER_INVALID');
});

test('tags/list of an unknown repository answers 404 NAME_UNKNOWN', async (t) => {
  const { http } = await buildTestApp(t);
  assertError(await http.get('/v2/charts0/nope/tags/list'), 404, 'NAME_UNKNOWN');
});

test('referrers of a digest nothing refers to is an empty image index', async (t) => {
  const { http } = await buildTestApp(t);
  const res = await http
    .get(`/v2/demo/referrers/${missing}`)
    .expect(200)
    .expect('content-type', mediaTypes.ociIndex);
  assert.deepEqual(JSON.parse(res.text), { schemaVersion: 2, mediaType: mediaTypes.ociIndex, manifests: [] });
  assertError(await http.get('/v2/demo/referrers/sha256:zz'), 400, 'DIGEST_INVALID');
});

test('referrers list the manifests whose subject is the digest, filtered by artifactType', async (t) => {
  const { http } = await buildTestApp(t);
  const image = await pushImage(http, 'demo', 'v1');
  const empty = await pushBlob(http, 'demo', '{}');
  const subject = { mediaType: mediaTypes.ociManifest, digest: image.digest, size: image.bytes.length };
  const referrer = (artifactType: string) =>
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: mediaTypes.ociManifest,
        artifactType,
        config: descriptor('application/vnd.oci.empty.v1+json', empty),
        layers: [],
        subject,
        annotations: { kind: artifactType },
      }),
    );
  const signature = referrer('application/vnd.dev.cosign.artifact.sig.v1+json');
  const sbom = referrer('application/spdx+json');
  const put = await putManifest(http, 'demo', sha256(signature), signature).expect(201);
  assert.equal(put.headers['oci-subject'], image.digest);
  await putManifest(http, 'demo', sha256(sbom), sbom).expect(201);
  const all = JSON.parse((await http.get(`/v2/demo/referrers/${image.digest}`).expect(200)).text);
  assert.deepEqual(
    all.manifests.map((m: { digest: string; artifactType: string; size: number }) => [
      m.digest,
      m.artifactType,
      m.size,
    ]),
    [
      [sha256(signature), 'application/vnd.dev.cosign.artifact.sig.v1+json', signature.length],
      [sha256(sbom), 'application/spdx+json', sbom.length],
    ],
  );
  const filtered = await http
    .get(`/v2/demo/referrers/${image.digest}?artifactType=application/spdx%2Bjson`)
    .expect(200)
    .expect('oci-filters-applied', 'artifactType');
  assert.deepEqual(
    JSON.parse(filtered.text).manifests.map((m: { digest: string }) => m.digest),
    [sha256(sbom)],
  );
});
