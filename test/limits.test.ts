import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { defaultConfig, loadConfig } from '../src/config/config.js';
import { buildTestApp } from './support/build-app.js';
import { startTestServer } from './support/listen.js';
import { gzipTar, makeChart } from './support/make-chart.js';

/**
 * Every size limit at its edge: exactly at the limit is accepted, one byte over is refused with
 * the limit's own error. (Concurrency and time limits: limits-runtime.test.ts; upload-session
 * lifetime: limits-upload-sessions.test.ts.)
 */
const post = (http: Awaited<ReturnType<typeof buildTestApp>>['http'], tgz: Buffer) =>
  http.post('/api/charts').set('content-type', 'application/octet-stream').send(tgz);

test('--max-upload-size: a body of exactly the limit is stored, one byte more answers 413', async (t) => {
  const tgz = await makeChart({ name: 'edge', version: '1.0.0' });
  const atLimit = await buildTestApp(t, { maxUploadSize: tgz.length });
  await post(atLimit.http, tgz).expect(201);
  const overLimit = await buildTestApp(t, { maxUploadSize: tgz.length - 1 });
  const res = await post(overLimit.http, tgz).expect(413);
  assert.equal(res.body.error, `request too large: the limit is ${tgz.length - 1} bytes`);
});

test('--max-upload-size: without a Content-Length, the body is cut off at the limit with 413', async (t) => {
  const tgz = await makeChart({ name: 'edge', version: '1.0.0' });
  const server = await startTestServer(t, { maxUploadSize: tgz.length - 1 });
  const chunked = (bytes: Buffer) =>
    fetch(`${server.url}/api/charts`, {
      method: 'POST',
      body: Readable.toWeb(Readable.from([bytes.subarray(0, 100), bytes.subarray(100)])),
      headers: { 'content-type': 'application/octet-stream' },
      duplex: 'half',
    } as RequestInit);
  const res = await chunked(tgz);
  assert.equal(res.status, 413);
  assert.match(
    ((await res.json()) as { error: string }).error,
    new RegExp(`larger than the ${tgz.length - 1}-byte limit`),
  );
  const fits = await makeChart({ name: 'edge', version: '1.0.0', values: '' });
  assert.ok(fits.length <= tgz.length - 1);
  assert.equal((await chunked(fits)).status, 201);
});

test('--max-decompressed-size: a chart of exactly the limit unpacked is stored, one byte more answers 400', async (t) => {
  const tgz = await makeChart({ name: 'edge', version: '1.0.0' });
  const unpacked = gunzipSync(tgz).length;
  await post((await buildTestApp(t, { maxDecompressedSize: unpacked })).http, tgz).expect(201);
  const res = await post((await buildTestApp(t, { maxDecompressedSize: unpacked - 1 })).http, tgz).expect(
    400,
  );
  assert.equal(res.body.error, `the chart is larger than ${unpacked - 1} bytes when decompressed`);
});

test('--max-file-size: a file of exactly the limit is stored, one byte more answers 400', async (t) => {
  const chart = (size: number) =>
    gzipTar([
      { name: 'edge/Chart.yaml', body: 'apiVersion: v2\nname: edge\nversion: 1.0.0\n' },
      { name: 'edge/files/big.bin', body: Buffer.alloc(size, 0x61) },
    ]);
  await post((await buildTestApp(t, { maxFileSize: 1000 })).http, await chart(1000)).expect(201);
  const res = await post((await buildTestApp(t, { maxFileSize: 1000 })).http, await chart(1001)).expect(400);
  assert.equal(res.body.error, 'edge/files/big.bin is larger than the 1000-byte limit for one file');
});

async function manifestEdge(t: Parameters<typeof buildTestApp>[0], limit: number, overrides = {}) {
  const { http } = await buildTestApp(t, overrides);
  const config = Buffer.from('{}');
  const start = await http.post('/v2/edge/app/blobs/uploads/').expect(202);
  const digest = `sha256:${createHash('sha256').update(config).digest('hex')}`;
  await http
    .put(`${start.headers.location}?digest=${digest}`)
    .set('content-type', 'application/octet-stream')
    .send(config)
    .expect(201);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest, size: config.length },
    layers: [],
  });
  const padded = (size: number) => manifest + ' '.repeat(size - manifest.length);
  const put = (tag: string, body: string) =>
    http
      .put(`/v2/edge/app/manifests/${tag}`)
      .set('content-type', 'application/vnd.oci.image.manifest.v1+json')
      .send(body);
  await put('at', padded(limit)).expect(201);
  const res = await put('over', padded(limit + 1)).expect(413);
  assert.equal(res.body.errors[0].message, `the manifest is larger than the ${limit}-byte limit`);
}

test('--max-manifest-size: a manifest of exactly the limit is stored, one byte more answers 413', async (t) => {
  await manifestEdge(t, 2000, { maxManifestSize: 2000 });
});

test('--max-manifest-size: the default is 4 MiB, at its edge too', async (t) => {
  await manifestEdge(t, 4 * 1024 * 1024);
});

test('--max-concurrent-uploads, the upload queue and --request-timeout: defaults, parsing and their errors', () => {
  const config = defaultConfig();
  assert.equal(config.maxConcurrentUploads, Math.max(4, 2 * availableParallelism()));
  assert.deepEqual([config.uploadQueueLength, config.uploadQueueTimeout], [512, 60_000]);
  assert.equal(
    loadConfig(['--max-concurrent-uploads', 'AUTO'], {}).maxConcurrentUploads,
    config.maxConcurrentUploads,
  );
  assert.equal(loadConfig(['--upload-queue-length', '0'], {}).uploadQueueLength, 0);
  assert.throws(
    () => loadConfig(['--max-concurrent-uploads', 'many'], {}),
    /--max-concurrent-uploads: "many" is neither auto nor a whole number of at least 1/,
  );
  assert.throws(
    () => loadConfig(['--upload-queue-length', '-1'], {}),
    /--upload-queue-length: "-1" is not a whole number \(0 or more\)/,
  );
  assert.throws(() => loadConfig(['--upload-queue-timeout', '0'], {}), /--upload-queue-timeout: "0"/);
  assert.equal(config.requestTimeout, 300_000);
  const parsed = loadConfig(['--max-concurrent-uploads', '1', '--request-timeout', '1500ms'], {});
  assert.deepEqual([parsed.maxConcurrentUploads, parsed.requestTimeout], [1, 1500]);
  assert.equal(loadConfig([], { CHARTHOUSE_REQUEST_TIMEOUT: '0' }).requestTimeout, 0);
  assert.equal(loadConfig(['--request-timeout=2h'], {}).requestTimeout, 7_200_000);
  assert.throws(
    () => loadConfig(['--max-concurrent-uploads', '0'], {}),
    /--max-concurrent-uploads: "0" is neither auto nor a whole number of at least 1/,
  );
  assert.throws(
    () => loadConfig(['--request-timeout', 'soon'], {}),
    /--request-timeout: "soon" is not a duration/,
  );
});

test('--max-upload-size: an OCI blob of exactly the limit is stored, one byte more answers 413 SIZE_INVALID', async (t) => {
  const { http, dir } = await buildTestApp(t, { maxUploadSize: 1000 });
  const digestOf = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  const atLimit = Buffer.alloc(1000, 0x61);
  const over = Buffer.alloc(1001, 0x62);
  const monolithic = (bytes: Buffer) =>
    http
      .post(`/v2/edge/app/blobs/uploads/?digest=${digestOf(bytes)}`)
      .set('content-type', 'application/octet-stream')
      .send(bytes);
  await monolithic(atLimit).expect(201);
  const refused = await monolithic(over).expect(413);
  assert.deepEqual(refused.body.errors[0], {
    code: 'SIZE_INVALID',
    message: 'the blob is larger than the 1000-byte limit',
    detail: null,
  });

  // In chunks, the limit is on the whole blob: 600 + 400 bytes fit, one more byte does not.
  const start = await http.post('/v2/edge/app/blobs/uploads/').expect(202);
  const location = start.headers.location as string;
  const patch = (bytes: Buffer) =>
    http.patch(location).set('content-type', 'application/octet-stream').send(bytes);
  await patch(over.subarray(0, 600)).expect(202);
  await patch(over.subarray(600, 1000)).expect(202).expect('range', '0-999');
  const chunk = await patch(over.subarray(1000)).expect(413);
  assert.equal(chunk.body.errors[0].code, 'SIZE_INVALID');
  await http.get(location).expect(204).expect('range', '0-999');
  assert.deepEqual(await readdir(`${dir}/blobs/tmp`).catch(() => []), [], 'nothing staged is left');
});
