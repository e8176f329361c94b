// Pushes and pulls that must fail (distribution-spec conformance, "Push" and "Pull" error
// cases), each with its spec code and nothing left behind.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { imageManifest, pushBlob, putManifest, sha256 } from '../../oci/oci-client.js';
import { buildTestApp } from '../../support/build-app.js';
import { assertError, missing } from './support.js';

test('a wrong ?digest answers 400 DIGEST_INVALID and leaves nothing behind', async (t) => {
  const { http, dir } = await buildTestApp(t);
  const start = await http.post('/v2/demo/blobs/uploads/').expect(202);
  const location = start.headers.location as string;
  const bytes = Buffer.from('these bytes');
  const wrong = sha256('other bytes');
  assertError(
    await http.put(`${location}?digest=${wrong}`).set('content-type', 'application/octet-stream').send(bytes),
    400,
    'DIGEST_INVALID',
  );
  await http.head(`/v2/demo/blobs/${sha256(bytes)}`).expect(404);
  await http.head(`/v2/demo/blobs/${wrong}`).expect(404);
  await http.get(location).expect(404);
  assert.deepEqual(await readdir(join(dir, 'uploads')), []);
  assert.deepEqual(await readdir(join(dir, 'blobs', 'tmp')).catch(() => []), []);
  assert.deepEqual(await readdir(join(dir, 'blobs', 'sha256')).catch(() => []), []);
  assertError(
    await http
      .post(`/v2/demo/blobs/uploads/?digest=${wrong}`)
      .set('content-type', 'application/octet-stream')
      .send(bytes),
    400,
    'DIGEST_INVALID',
  );
});

test('PATCH, PUT and GET of an unknown upload answer 404 BLOB_UPLOAD_UNKNOWN', async (t) => {
  const { http } = await buildTestApp(t);
  const url = '/v2/demo/blobs/uploads/0b7c4fd0-1111-4222-8333-944455556666';
  assertError(
    await http.patch(url).set('content-type', 'application/octet-stream').send('x'),
    404,
    'BLOB_UPLOAD_UNKNOWN',
  );
  assertError(await http.put(`${url}?digest=${sha256('x')}`), 404, 'BLOB_UPLOAD_UNKNOWN');
  assertError(await http.get(url), 404, 'BLOB_UPLOAD_UNKNOWN');
  assertError(await http.get('/v2/demo/blobs/uploads/not-a-uuid'), 404, 'BLOB_UPLOAD_UNKNOWN');
});

test('an upload belongs to its repository: its URL under another name is unknown', async (t) => {
  const { http } = await buildTestApp(t);
  const start = await http.post('/v2/team/one/blobs/uploads/').expect(202);
  const id = start.headers['docker-upload-uuid'] as string;
  assertError(await http.get(`/v2/team/two/blobs/uploads/${id}`), 404, 'BLOB_UPLOAD_UNKNOWN');
  await http.get(start.headers.location as string).expect(204);
});

test('a cancelled upload answers 204, and its URL then answers 404', async (t) => {
  const { http } = await buildTestApp(t);
  const start = await http.post('/v2/demo/blobs/uploads/').expect(202);
  const location = start.headers.location as string;
  await http.delete(location).expect(204);
  assertError(await http.get(location), 404, 'BLOB_UPLOAD_UNKNOWN');
});

test('a manifest referencing a missing blob answers 400 MANIFEST_BLOB_UNKNOWN, and a wrong size MANIFEST_INVALID', async (t) => {
  const { http } = await buildTestApp(t);
  const config = await pushBlob(http, 'demo', '{}');
  const ghost = { digest: missing, size: 3 };
  assertError(
    await putManifest(http, 'demo', 'v1', imageManifest(config, [ghost])),
    400,
    'MANIFEST_BLOB_UNKNOWN',
  );
  assertError(
    await putManifest(http, 'demo', 'v1', imageManifest({ ...config, size: config.size + 1 }, [])),
    400,
    'MANIFEST_INVALID',
  );
  await http.get('/v2/demo/manifests/v1').expect(404);
});

test('a PUT by digest whose body hashes differently answers 400 DIGEST_INVALID', async (t) => {
  const { http } = await buildTestApp(t);
  const config = await pushBlob(http, 'demo', '{}');
  assertError(await putManifest(http, 'demo', missing, imageManifest(config, [])), 400, 'DIGEST_INVALID');
});

test('an invalid repository name answers 400 NAME_INVALID', async (t) => {
  const { http } = await buildTestApp(t);
  for (const name of ['Demo', 'api/demo', 'a/b/c/d/e', 'team/-x']) {
    assertError(await http.get(`/v2/${name}/tags/list`), 400, 'NAME_INVALID');
  }
  assertError(await http.post('/v2/Upper/blobs/uploads/'), 400, 'NAME_INVALID');
});

test('a manifest over 4 MiB answers 413 SIZE_INVALID', async (t) => {
  const { http } = await buildTestApp(t);
  const huge = Buffer.alloc(4 * 1024 * 1024 + 1, 0x20);
  assertError(await putManifest(http, 'demo', 'big', huge), 413, 'SIZE_INVALID');
});

test('unknown endpoints and unsupported methods answer in the OCI envelope', async (t) => {
  const { http } = await buildTestApp(t);
  assertError(await http.get('/v2/demo/nothing/here'), 404, 'UNSUPPORTED');
  assertError(await http.post('/v2/demo/tags/list'), 405, 'UNSUPPORTED');
  assertError(await http.options('/v2/demo/tags/list'), 404, 'UNSUPPORTED');
});
