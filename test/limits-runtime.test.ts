import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { buildApp } from '../src/app.js';
import { defaultConfig } from '../src/config/config.js';
import { serverOptions } from '../src/config/server-options.js';
import { createRegistry } from '../src/registry.js';
import { openLocalStores } from '../src/store/open-stores.js';
import { sha256 } from './oci/oci-client.js';
import { buildTestApp } from './support/build-app.js';
import { startTestServer } from './support/listen.js';
import { makeChart } from './support/make-chart.js';

/** An upload whose body is held open until `finish` is called. */
function heldUpload(url: string, tgz: Buffer, method = 'POST') {
  const body = new TransformStream<Uint8Array, Uint8Array>();
  const writer = body.writable.getWriter();
  const response = fetch(url.includes('/v2/') ? url : `${url}/api/charts`, {
    method,
    body: body.readable,
    headers: { 'content-type': 'application/octet-stream' },
    duplex: 'half',
  } as RequestInit);
  const started = writer.write(tgz.subarray(0, 10));
  return {
    response,
    started,
    async finish() {
      await writer.write(tgz.subarray(10));
      await writer.close();
      return response;
    },
    /** ends a body that was never finished, so that a failed test does not hold the server open */
    abort() {
      writer.abort().catch(() => undefined);
      response.catch(() => undefined);
    },
  };
}

/** Waits until the held uploads hold every slot: a probe (not a chart) is then refused with 429. */
async function untilSlotsTaken(url: string): Promise<void> {
  // The held bodies reach the server soon; a limit that never fills is a failure, not a hang.
  for (let probes = 0; probes < 100; probes++) {
    const probe = await fetch(`${url}/api/charts`, { method: 'POST', body: 'probe' });
    await probe.arrayBuffer();
    if (probe.status === 429) return;
    assert.equal(probe.status, 400, 'a probe that finds a slot is refused as not a chart');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail('the held uploads never took every slot');
}

test('--max-concurrent-uploads with --upload-queue-length 0: uploads up to the limit run together; one more answers 429 with Retry-After', async (t) => {
  const server = await startTestServer(t, { maxConcurrentUploads: 2, uploadQueueLength: 0 });
  const charts = await Promise.all([1, 2, 3, 4].map((i) => makeChart({ name: 'busy', version: `1.0.${i}` })));
  const first = heldUpload(server.url, charts[0] as Buffer);
  const second = heldUpload(server.url, charts[1] as Buffer);
  await Promise.all([first.started, second.started]);
  await untilSlotsTaken(server.url);
  const third = await fetch(`${server.url}/api/charts`, {
    method: 'POST',
    body: new Uint8Array(charts[2] as Buffer),
    headers: { 'content-type': 'application/octet-stream' },
  });
  assert.equal(third.status, 429);
  assert.equal(third.headers.get('retry-after'), '1');
  assert.deepEqual(await third.json(), {
    error: 'the server is handling 2 uploads and 0 more are waiting; retry in a moment',
  });
  // Reads are never counted.
  assert.equal((await fetch(`${server.url}/health`)).status, 200);

  assert.equal((await first.finish()).status, 201);
  assert.equal((await second.finish()).status, 201);
  const later = await fetch(`${server.url}/api/charts`, {
    method: 'POST',
    body: new Uint8Array(charts[3] as Buffer),
    headers: { 'content-type': 'application/octet-stream' },
  });
  assert.equal(later.status, 201, 'slots are released when uploads finish');
});

test('--max-concurrent-uploads: OCI blob uploads and manifest PUTs share the limit and answer 429 TOOMANYREQUESTS', async (t) => {
  const server = await startTestServer(t, { maxConcurrentUploads: 2, uploadQueueLength: 0 });
  const origin = new URL(server.url).origin;
  const blob = Buffer.from('a blob sent in one long PATCH');
  const started = await fetch(`${origin}/v2/team/app/blobs/uploads/`, { method: 'POST' });
  assert.equal(started.status, 202, 'opening a session takes a slot and gives it back');
  const location = `${origin}${started.headers.get('location')}`;
  // One OCI chunk and one chart upload in flight: the two slots.
  const chunk = heldUpload(location, blob, 'PATCH');
  const chart = heldUpload(server.url, await makeChart({ name: 'busy', version: '1.0.0' }));
  await Promise.all([chunk.started, chart.started]);
  await untilSlotsTaken(server.url).catch((err: unknown) => {
    // before the server's own clean-up, which would wait for the held bodies
    chunk.abort();
    chart.abort();
    throw err;
  });

  const refusals = {
    'POST uploads/': fetch(`${origin}/v2/team/app/blobs/uploads/`, { method: 'POST' }),
    'POST ?digest=': fetch(`${origin}/v2/team/app/blobs/uploads/?digest=${sha256(blob)}`, {
      method: 'POST',
      body: blob,
    }),
    'PUT manifest': fetch(`${origin}/v2/team/app/manifests/v1`, {
      method: 'PUT',
      body: '{}',
      headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    }),
  };
  for (const [what, pending] of Object.entries(refusals)) {
    const res = await pending;
    assert.equal(res.status, 429, what);
    assert.equal(res.headers.get('retry-after'), '1', what);
    assert.equal(res.headers.get('docker-distribution-api-version'), 'registry/2.0', what);
    assert.deepEqual(
      await res.json(),
      {
        errors: [
          {
            code: 'TOOMANYREQUESTS',
            message: 'the server is handling 2 uploads and 0 more are waiting; retry in a moment',
            detail: null,
          },
        ],
      },
      what,
    );
  }
  // Pulls and status reads are never counted.
  assert.equal((await fetch(`${origin}/v2/`)).status, 200);
  assert.equal((await fetch(`${origin}/v2/team/app/tags/list`)).status, 404);

  const patched = await chunk.finish();
  assert.equal(patched.status, 202);
  assert.equal(patched.headers.get('range'), `0-${blob.length - 1}`);
  assert.equal((await chart.finish()).status, 201);
  const closed = await fetch(`${location}?digest=${sha256(blob)}`, { method: 'PUT' });
  assert.equal(closed.status, 201, 'slots are released when uploads finish');
});

test('--max-concurrent-uploads: a refused or aborted upload gives its slot back', async (t) => {
  const { http } = await buildTestApp(t, { maxConcurrentUploads: 1, uploadQueueLength: 0 });
  for (let i = 0; i < 3; i++) {
    await http
      .post('/api/charts')
      .set('content-type', 'application/octet-stream')
      .send(Buffer.from('not a chart'))
      .expect(400);
  }
  await http
    .post('/api/charts')
    .set('content-type', 'application/octet-stream')
    .send(await makeChart({ name: 'after', version: '1.0.0' }))
    .expect(201);
});

test('--request-timeout: a request that arrives in time is served; one that stalls past it answers 408', async (t) => {
  const config = defaultConfig({
    storage: (await buildTestApp(t)).dir,
    logLevel: 'silent',
    requestTimeout: 1000,
  });
  const stores = openLocalStores({ storage: `${config.storage}/timeout` });
  const app = await buildApp({
    config,
    registry: createRegistry({ ...stores, config }),
    server: serverOptions(config),
  });
  t.after(async () => {
    await app.close();
    await stores.close();
  });
  assert.deepEqual([app.server.requestTimeout, app.server.headersTimeout], [1000, 1000]);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };

  const tgz = await makeChart({ name: 'prompt', version: '1.0.0' });
  const inTime = await fetch(`http://127.0.0.1:${port}/api/charts`, {
    method: 'POST',
    body: new Uint8Array(tgz),
  });
  assert.equal(inTime.status, 201);

  // Headers and half the body, then nothing: the server answers 408 on its own and closes.
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
    socket.write(
      `POST /api/charts HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: ${tgz.length}\r\n\r\n`,
    );
    socket.write(tgz.subarray(0, 50));
  });
  assert.match(answer, /^HTTP\/1\.1 408 Request Timeout\r\n/);
});
