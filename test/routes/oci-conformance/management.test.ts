// Content management (distribution-spec conformance, "Content Management"): deleting tags,
// manifests and blobs, and the switches that forbid it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pushImage } from '../../oci/oci-client.js';
import { buildTestApp } from '../../support/build-app.js';
import { assertError } from './support.js';

test('DELETE of a tag answers 202 and the tag leaves the list, while the manifest stays readable by digest', async (t) => {
  const { http } = await buildTestApp(t);
  const image = await pushImage(http, 'demo', 'v1');
  await pushImage(http, 'demo', 'v2');
  await http.delete('/v2/demo/manifests/v1').expect(202);
  assert.deepEqual((await http.get('/v2/demo/tags/list').expect(200)).body.tags, ['v2']);
  await http.get(`/v2/demo/manifests/${image.digest}`).expect(200);
});

test('DELETE of a manifest by digest answers 202, then GET answers 404 and its tags are gone', async (t) => {
  const { http } = await buildTestApp(t);
  const image = await pushImage(http, 'demo', 'v1');
  await http.delete(`/v2/demo/manifests/${image.digest}`).expect(202);
  await http.get(`/v2/demo/manifests/${image.digest}`).expect(404);
  await http.get('/v2/demo/manifests/v1').expect(404);
  assertError(await http.delete(`/v2/demo/manifests/${image.digest}`), 404, 'MANIFEST_UNKNOWN');
});

test('DELETE of a blob answers 202 and then GET 404; a blob a manifest still uses is refused with 405', async (t) => {
  const { http } = await buildTestApp(t);
  const image = await pushImage(http, 'demo', 'v1');
  assertError(await http.delete(`/v2/demo/blobs/${image.layer.digest}`), 405, 'UNSUPPORTED');
  await http.delete(`/v2/demo/manifests/${image.digest}`).expect(202);
  await http.delete(`/v2/demo/blobs/${image.layer.digest}`).expect(202);
  await http.get(`/v2/demo/blobs/${image.layer.digest}`).expect(404);
  assertError(await http.delete(`/v2/demo/blobs/${image.layer.digest}`), 404, 'BLOB_UNKNOWN');
});

test('with --disable-delete, DELETE answers 405 UNSUPPORTED and removes nothing', async (t) => {
  const { http } = await buildTestApp(t, { disableDelete: true });
  const image = await pushImage(http, 'demo', 'v1');
  assertError(await http.delete('/v2/demo/manifests/v1'), 405, 'UNSUPPORTED');
  assertError(await http.delete(`/v2/demo/blobs/${image.layer.digest}`), 405, 'UNSUPPORTED');
  await http.get('/v2/demo/manifests/v1').expect(200);
});

test('with --disable-api, the OCI surface is read-only', async (t) => {
  const { http } = await buildTestApp(t, { disableApi: true });
  await http.get('/v2/').expect(200);
  assertError(await http.post('/v2/demo/blobs/uploads/'), 405, 'UNSUPPORTED');
});
