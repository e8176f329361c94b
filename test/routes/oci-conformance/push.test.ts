// Pushing (distribution-spec conformance, "Push"): streamed, monolithic, chunked and mounted
// blob uploads; manifests and indexes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mediaTypes } from '../../../src/oci/media-types.js';
import {
  binary,
  descriptor,
  imageManifest,
  pushBlob,
  pushImage,
  putManifest,
  sha256,
} from '../../oci/oci-client.js';
import { buildTestApp } from '../../support/build-app.js';
import { assertError, missing } from './support.js';

test('a streamed upload: POST 202 with Location, PATCH of the whole blob 202 with Range, PUT with no body 201', async (t) => {
  const { http } = await buildTestApp(t);
  const bytes = Buffer.from('streamed blob');
  const start = await http.post('/v2/demo/blobs/uploads/').expect(202).expect('range', '0-0');
  assert.ok(start.headers['docker-upload-uuid']);
  assert.equal(start.headers['content-length'], '0');
  const location = start.headers.location as string;
  const patch = await http
    .patch(location)
    .set('content-type', 'application/octet-stream')
    .send(bytes)
    .expect(202);
  assert.equal(patch.headers.range, `0-${bytes.length - 1}`);
  const next = patch.headers.location as string;
  const done = await http.put(`${next}?digest=${sha256(bytes)}`).expect(201);
  assert.equal(done.headers.location, `/v2/demo/blobs/${sha256(bytes)}`);
  assert.equal(done.headers['docker-content-digest'], sha256(bytes));
  await http.head(`/v2/demo/blobs/${sha256(bytes)}`).expect(200);
});

test('a monolithic POST ?digest= with the whole body answers 201 with Location and the digest', async (t) => {
  const { http } = await buildTestApp(t);
  const bytes = Buffer.from('monolithic blob');
  const res = await http
    .post(`/v2/demo/blobs/uploads/?digest=${sha256(bytes)}`)
    .set('content-type', 'application/octet-stream')
    .send(bytes)
    .expect(201)
    .expect('docker-content-digest', sha256(bytes));
  assert.equal(res.headers.location, `/v2/demo/blobs/${sha256(bytes)}`);
  const get = await http
    .get(res.headers.location as string)
    .buffer(true)
    .parse(binary)
    .expect(200);
  assert.deepEqual(get.body, bytes);
});

test('POST then PUT with the body, as Helm pushes, answers 201 and the blob reads back', async (t) => {
  const { http } = await buildTestApp(t);
  const blob = await pushBlob(http, 'team/demo', 'helm-style blob');
  const get = await http.get(`/v2/team/demo/blobs/${blob.digest}`).buffer(true).parse(binary).expect(200);
  assert.equal(get.body.toString(), 'helm-style blob');
});

test('a chunked upload: out-of-order chunks answer 416, status GET answers 204, the last chunk rides the PUT', async (t) => {
  const { http } = await buildTestApp(t);
  const bytes = Buffer.from('chunk-one|chunk-two|chunk-three');
  const [a, b, c] = [bytes.subarray(0, 10), bytes.subarray(10, 20), bytes.subarray(20)];
  const start = await http.post('/v2/demo/blobs/uploads/').expect(202);
  let location = start.headers.location as string;
  await http
    .patch(location)
    .set('content-range', '5-14')
    .set('content-type', 'application/octet-stream')
    .send(b)
    .expect(416);
  const first = await http
    .patch(location)
    .set('content-range', '0-9')
    .set('content-type', 'application/octet-stream')
    .send(a);
  assert.equal(first.status, 202);
  assert.equal(first.headers.range, '0-9');
  location = first.headers.location as string;
  await http
    .patch(location)
    .set('content-range', '0-9')
    .set('content-type', 'application/octet-stream')
    .send(a)
    .expect(416);
  const status = await http.get(location).expect(204);
  assert.equal(status.headers.range, '0-9');
  assert.equal(status.headers.location, location);
  const second = await http
    .patch(location)
    .set('content-range', '10-19')
    .set('content-type', 'application/octet-stream')
    .send(b);
  assert.equal(second.status, 202);
  assert.equal(second.headers.range, '0-19');
  await http
    .put(`${second.headers.location}?digest=${sha256(bytes)}`)
    .set('content-range', `20-${bytes.length - 1}`)
    .set('content-type', 'application/octet-stream')
    .send(c)
    .expect(201);
  const get = await http
    .get(`/v2/demo/blobs/${sha256(bytes)}`)
    .buffer(true)
    .parse(binary)
    .expect(200);
  assert.deepEqual(get.body, bytes);
});

test('a mount of a stored blob from another repository answers 201 with a Location in the target', async (t) => {
  const { http } = await buildTestApp(t);
  const blob = await pushBlob(http, 'team/source', 'mount me');
  const res = await http
    .post(`/v2/team/target/blobs/uploads/?mount=${blob.digest}&from=team/source`)
    .expect(201);
  assert.equal(res.headers.location, `/v2/team/target/blobs/${blob.digest}`);
  assert.equal(res.headers['docker-content-digest'], blob.digest);
  await http.get(`/v2/team/target/blobs/${blob.digest}`).expect(200);
});

test('a mount of an unknown blob, or without from, starts an upload instead (202)', async (t) => {
  const { http } = await buildTestApp(t);
  const blob = await pushBlob(http, 'team/source', 'mount me');
  await http.post(`/v2/team/target/blobs/uploads/?mount=${missing}&from=team/source`).expect(202);
  await http.post(`/v2/team/target/blobs/uploads/?mount=${blob.digest}&from=team/other`).expect(202);
  const auto = await http.post(`/v2/team/target/blobs/uploads/?mount=${blob.digest}`);
  assert.ok([201, 202].includes(auto.status));
});

test('a manifest PUT by tag answers 201 with Location and digest, and reads back by digest', async (t) => {
  const { http } = await buildTestApp(t);
  await http.get('/v2/demo/manifests/v1').expect(404);
  const config = await pushBlob(http, 'demo', '{}');
  const layer = await pushBlob(http, 'demo', 'layer');
  const bytes = imageManifest(config, [layer]);
  const res = await putManifest(http, 'demo', 'v1', bytes).expect(201);
  assert.equal(res.headers.location, `/v2/demo/manifests/${sha256(bytes)}`);
  assert.equal(res.headers['docker-content-digest'], sha256(bytes));
  const get = await http.get(`/v2/demo/manifests/${sha256(bytes)}`).expect(200);
  assert.equal(get.text, bytes.toString());
});

test('a manifest with zero layers, or a Docker schema 2 manifest by digest, is stored as it came', async (t) => {
  const { http } = await buildTestApp(t);
  const config = await pushBlob(http, 'demo', '{"empty":true}');
  await putManifest(http, 'demo', 'empty', imageManifest(config, [])).expect(201);
  const docker = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: mediaTypes.dockerManifest,
      config: descriptor('application/vnd.docker.container.image.v1+json', config),
      layers: [],
    }),
  );
  await putManifest(http, 'demo', sha256(docker), docker, mediaTypes.dockerManifest).expect(201);
  await http
    .get(`/v2/demo/manifests/${sha256(docker)}`)
    .expect(200)
    .expect('content-type', mediaTypes.dockerManifest);
});

test('an index of stored manifests is accepted; one naming an unknown manifest is MANIFEST_BLOB_UNKNOWN', async (t) => {
  const { http } = await buildTestApp(t);
  const image = await pushImage(http, 'demo', 'amd64');
  const index = (digest: string) =>
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: mediaTypes.ociIndex,
        manifests: [{ mediaType: mediaTypes.ociManifest, digest, size: image.bytes.length }],
      }),
    );
  await putManifest(http, 'demo', 'multi', index(image.digest), mediaTypes.ociIndex).expect(201);
  await http.get('/v2/demo/manifests/multi').expect(200).expect('content-type', mediaTypes.ociIndex);
  assertError(
    await putManifest(http, 'demo', 'broken', index(missing), mediaTypes.ociIndex),
    400,
    'MANIFEST_BLOB_UNKNOWN',
  );
});
