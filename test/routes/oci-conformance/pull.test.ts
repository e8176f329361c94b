// Pulling (distribution-spec conformance, "Pull"): blobs and manifests by digest and tag,
// ranges, and which repositories see a blob.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mediaTypes } from '../../../src/oci/media-types.js';
import { binary, pushBlob, pushImage, putManifest } from '../../oci/oci-client.js';
import { buildTestApp } from '../../support/build-app.js';
import { assertError, missing } from './support.js';

test('GET /v2/ answers 200 {} and every answer names the API version', async (t) => {
  const { http } = await buildTestApp(t);
  const ping = await http.get('/v2/').expect(200).expect('docker-distribution-api-version', 'registry/2.0');
  assert.deepEqual(ping.body, {});
  await http.get('/v2/x/tags/list').expect(404).expect('docker-distribution-api-version', 'registry/2.0');
});

test('HEAD and GET of a blob that does not exist answer 404, GET with BLOB_UNKNOWN', async (t) => {
  const { http } = await buildTestApp(t);
  await http.head(`/v2/demo/blobs/${missing}`).expect(404);
  assertError(await http.get(`/v2/demo/blobs/${missing}`), 404, 'BLOB_UNKNOWN');
});

test('a stored blob answers HEAD with its length and digest, and GET with the exact bytes, uncompressed', async (t) => {
  const { http } = await buildTestApp(t);
  const bytes = Buffer.from('x'.repeat(5000));
  const blob = await pushBlob(http, 'demo', bytes);
  const head = await http.head(`/v2/demo/blobs/${blob.digest}`).expect(200);
  assert.equal(head.headers['content-length'], '5000');
  assert.equal(head.headers['docker-content-digest'], blob.digest);
  assert.equal(head.headers['accept-ranges'], 'bytes');
  const get = await http
    .get(`/v2/demo/blobs/${blob.digest}`)
    .set('accept-encoding', 'gzip')
    .buffer(true)
    .parse(binary)
    .expect(200)
    .expect('content-type', 'application/octet-stream');
  assert.equal(get.headers['content-encoding'], undefined);
  assert.equal(get.headers['content-length'], '5000');
  assert.deepEqual(get.body, bytes);
});

test('a Range read answers 206 with Content-Range, and a range past the end answers 416', async (t) => {
  const { http } = await buildTestApp(t);
  const blob = await pushBlob(http, 'demo', '0123456789');
  const part = await http
    .get(`/v2/demo/blobs/${blob.digest}`)
    .set('range', 'bytes=2-5')
    .buffer(true)
    .parse(binary)
    .expect(206)
    .expect('content-range', 'bytes 2-5/10');
  assert.equal(part.body.toString(), '2345');
  const past = await http.get(`/v2/demo/blobs/${blob.digest}`).set('range', 'bytes=10-');
  assert.equal(past.status, 416);
  assert.equal(past.headers['content-range'], 'bytes */10');
});

test('HEAD and GET of a manifest that does not exist answer 404 MANIFEST_UNKNOWN', async (t) => {
  const { http } = await buildTestApp(t);
  await pushImage(http, 'demo', 'v1');
  await http.head('/v2/demo/manifests/v2').expect(404);
  assertError(await http.get('/v2/demo/manifests/v2'), 404, 'MANIFEST_UNKNOWN');
  assertError(await http.get(`/v2/demo/manifests/${missing}`), 404, 'MANIFEST_UNKNOWN');
  assertError(await http.get('/v2/demo/manifests/sha256:zz'), 400, 'DIGEST_INVALID');
});

test('a manifest reads back by digest and by tag with its stored type, length, digest and exact bytes', async (t) => {
  const { http } = await buildTestApp(t);
  const image = await pushImage(http, 'team/demo', 'v1');
  for (const reference of ['v1', image.digest]) {
    const head = await http.head(`/v2/team/demo/manifests/${reference}`).expect(200);
    assert.equal(head.headers['content-type'], mediaTypes.ociManifest);
    assert.equal(head.headers['content-length'], String(image.bytes.length));
    assert.equal(head.headers['docker-content-digest'], image.digest);
    const get = await http.get(`/v2/team/demo/manifests/${reference}`).expect(200);
    assert.equal(get.text, image.bytes.toString());
    assert.equal(get.headers['docker-content-digest'], image.digest);
  }
});

test('PUT of an invalid manifest to sha256:totallywrong answers 400 with a spec code', async (t) => {
  const { http } = await buildTestApp(t);
  const res = await putManifest(http, 'demo', 'sha256:totallywrong', Buffer.from('{"not":"a manifest"}'));
  assert.equal(res.status, 400);
  const code = (res.body as { errors: Array<{ code: string }> }).errors[0]?.code;
  assert.ok(['DIGEST_INVALID', 'MANIFEST_INVALID'].includes(code ?? ''), code);
});

test('a blob is visible only in the repositories it was pushed or mounted to', async (t) => {
  const { http } = await buildTestApp(t);
  const blob = await pushBlob(http, 'team/one', 'scoped bytes');
  await http.head(`/v2/team/one/blobs/${blob.digest}`).expect(200);
  await http.head(`/v2/team/two/blobs/${blob.digest}`).expect(404);
  assertError(await http.get(`/v2/team/two/blobs/${blob.digest}`), 404, 'BLOB_UNKNOWN');
});
