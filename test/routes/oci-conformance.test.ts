// Our port of the distribution-spec conformance workflows (reference §9): pull, push, content
// discovery and content management, with generic image manifests. Chart manifests and the
// cross-protocol cases are in oci-charts.test.ts.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { mediaTypes } from '../../src/oci/media-types.js';
import {
  binary,
  descriptor,
  imageManifest,
  pushBlob,
  pushImage,
  putManifest,
  sha256,
} from '../oci/oci-client.js';
import { buildTestApp } from '../support/build-app.js';

type Res = { status: number; headers: Record<string, string>; body: unknown; text: string };

function assertError(res: Res, status: number, code: string) {
  assert.equal(res.status, status, res.text);
  const body = res.body as { errors: Array<{ code: string; message: string }> };
  assert.equal(body.errors[0]?.code, code, res.text);
  assert.ok((body.errors[0]?.message ?? '').length > 0);
  assert.match(res.headers['content-type'] ?? '', /^application\/json/);
}

const missing = `sha256:${'0'.repeat(64)}`;

// --- pull ---

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

// --- push ---

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

// --- failure cases ---

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

// --- content discovery ---

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

// --- content management ---

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
