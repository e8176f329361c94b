import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { test } from 'node:test';
import { buildApp } from '../src/app.js';
import { defaultConfig } from '../src/config/config.js';
import { serverOptions } from '../src/config/server-options.js';
import { queueWait } from '../src/routes/upload-slots.js';
import { createServices } from '../src/services.js';
import { openLocalStores } from '../src/store/open-stores.js';
import { sha256 } from './oci/oci-client.js';
import { buildTestApp } from './support/build-app.js';
import { startTestServer } from './support/listen.js';
import { makeChart } from './support/make-chart.js';

/** An upload on its own socket: the headers and a first piece of the body, the rest on `finish`. */
function rawUpload(port: number, body: Buffer, path = '/api/charts') {
  const socket = connect(port, '127.0.0.1');
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(answer)));
  socket.write(
    `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
  );
  socket.write(body.subarray(0, 10));
  return {
    socket,
    /** the whole answer, once the server closes */
    answered: closed,
    finish(): Promise<string> {
      socket.write(body.subarray(10));
      return closed;
    },
  };
}

function probe(url: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${url}/api/charts`, { method: 'POST', body: 'not a chart', signal });
}

/**
 * A probe that the server neither answers nor refuses within a moment: it waits in the queue.
 * (Wrapped, as an async function returning a promise would wait for it.)
 */
async function queuedProbe(url: string): Promise<{ pending: Promise<Response> } | undefined> {
  const pending = probe(url);
  const settled = await Promise.race([
    pending,
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 300)),
  ]);
  if (settled) {
    await settled.text();
    return undefined;
  }
  return { pending };
}

/** Polls until a probe is refused at once: every slot is taken and the queue is full. */
async function untilQueueFull(url: string): Promise<Response> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const res = await probe(url, AbortSignal.timeout(300)).catch(() => undefined);
    if (res?.status === 429) return res;
    await res?.text();
  }
  assert.fail('the slots and the queue never filled');
}

test('64 concurrent pushes with the default settings all answer 201, over the chart API and OCI', async (t) => {
  const server = await startTestServer(t);
  assert.ok(server.config.maxConcurrentUploads < 64, 'more pushes than slots, or the queue is not used');
  const charts = await Promise.all(
    Array.from({ length: 64 }, (_, i) => makeChart({ name: 'burst', version: `1.0.${i}` })),
  );
  const statuses = await Promise.all(
    charts.map(async (tgz) => {
      const res = await fetch(`${server.url}/api/charts`, { method: 'POST', body: new Uint8Array(tgz) });
      await res.text();
      return res.status;
    }),
  );
  assert.deepEqual(
    statuses,
    charts.map(() => 201),
  );
  const listed = await (await fetch(`${server.url}/api/charts/burst`)).json();
  assert.equal((listed as unknown[]).length, 64);

  const blobs = charts.map((tgz, i) => Buffer.concat([tgz, Buffer.from(`blob ${i}`)]));
  const pushed = await Promise.all(
    blobs.map(async (blob) => {
      const res = await fetch(`${server.url}/v2/burst/app/blobs/uploads/?digest=${sha256(blob)}`, {
        method: 'POST',
        body: blob,
      });
      await res.text();
      return res.status;
    }),
  );
  assert.deepEqual(
    pushed,
    blobs.map(() => 201),
  );
});

test('--upload-queue-timeout: an upload that waits longer answers 429 with Retry-After, in each envelope', async (t) => {
  const server = await startTestServer(t, { maxConcurrentUploads: 1, uploadQueueTimeout: 300 });
  const port = Number(new URL(server.url).port);
  const tgz = await makeChart({ name: 'held', version: '1.0.0' });
  const held = rawUpload(port, tgz);
  let refused: Response | undefined;
  for (let attempt = 0; attempt < 100 && !refused; attempt++) {
    const res = await probe(server.url);
    if (res.status === 429) refused = res;
    else assert.equal(res.status, 400, 'a probe that finds the slot free is refused as not a chart');
    await res.text();
  }
  assert.ok(refused, 'the held upload never took the slot');
  assert.equal(refused.headers.get('retry-after'), '1');

  const chartApi = await probe(server.url);
  assert.equal(chartApi.status, 429);
  assert.equal(chartApi.headers.get('retry-after'), '1');
  assert.deepEqual(await chartApi.json(), {
    error: 'no upload slot came free within 300 ms (1 uploads at once); retry in a moment',
  });
  const oci = await fetch(`${server.url}/v2/held/app/blobs/uploads/`, { method: 'POST' });
  assert.equal(oci.status, 429);
  assert.equal(oci.headers.get('retry-after'), '1');
  assert.equal(((await oci.json()) as { errors: { code: string }[] }).errors[0]?.code, 'TOOMANYREQUESTS');

  assert.match(await held.finish(), /^HTTP\/1\.1 201 /);
  const after = await probe(server.url);
  assert.equal(after.status, 400, 'the slot is free again');
  await after.text();
});

test('a queued client that disconnects leaves the queue, and no slot is lost', async (t) => {
  const server = await startTestServer(t, { maxConcurrentUploads: 1, uploadQueueLength: 1 });
  const port = Number(new URL(server.url).port);
  const holder = rawUpload(port, await makeChart({ name: 'holder', version: '1.0.0' }));
  const leaver = rawUpload(port, await makeChart({ name: 'leaver', version: '1.0.0' }));
  const full = await untilQueueFull(server.url);
  assert.match(await full.text(), /the server is handling 1 uploads and 1 more are waiting/);

  leaver.socket.destroy();
  let waiting: { pending: Promise<Response> } | undefined;
  for (let attempt = 0; attempt < 50 && !waiting; attempt++) waiting = await queuedProbe(server.url);
  assert.ok(waiting, 'the place of the client that left was never freed');

  assert.match(await holder.finish(), /^HTTP\/1\.1 201 /);
  const served = await waiting.pending;
  assert.equal(served.status, 400, 'the waiting probe got the slot and was read');
  await served.text();
  assert.equal((await fetch(`${server.url}/api/charts/leaver`)).status, 404);
  const last = await fetch(`${server.url}/api/charts`, {
    method: 'POST',
    body: new Uint8Array(await makeChart({ name: 'last', version: '1.0.0' })),
  });
  assert.equal(last.status, 201, 'the slot came back');
});

test('a client that disconnects while its OCI blob upload waits leaves the queue', async (t) => {
  const server = await startTestServer(t, { maxConcurrentUploads: 1, uploadQueueLength: 1 });
  const port = Number(new URL(server.url).port);
  const blob = Buffer.from('an OCI blob that waits for its slot');
  const holder = rawUpload(port, blob, `/v2/q/app/blobs/uploads/?digest=${sha256(blob)}`);
  const leaver: Socket = rawUpload(port, blob, `/v2/q/app/blobs/uploads/?digest=${sha256(blob)}`).socket;
  await untilQueueFull(server.url).then((res) => res.text());
  leaver.destroy();
  let waiting: { pending: Promise<Response> } | undefined;
  for (let attempt = 0; attempt < 50 && !waiting; attempt++) waiting = await queuedProbe(server.url);
  assert.ok(waiting, 'the place of the client that left was never freed');
  assert.match(await holder.finish(), /^HTTP\/1\.1 201 /);
  assert.equal((await waiting.pending).status, 400);
});

test('the queue wait is at most half of --request-timeout: a waiting upload gets 429, not a cut connection', async (t) => {
  assert.equal(queueWait({ ...defaultConfig(), requestTimeout: 0 }), 60_000);
  assert.equal(queueWait({ ...defaultConfig(), requestTimeout: 30_000 }), 15_000);
  assert.equal(queueWait({ ...defaultConfig(), requestTimeout: 600_000 }), 60_000);

  const config = defaultConfig({
    storage: (await buildTestApp(t)).dir,
    logLevel: 'silent',
    requestTimeout: 4000,
    maxConcurrentUploads: 1,
  });
  const stores = openLocalStores(config);
  const app = await buildApp({ config, ...createServices(stores, config), server: serverOptions(config) });
  t.after(async () => {
    await app.close();
    await stores.close();
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  const url = `http://127.0.0.1:${port}`;
  // Holds the slot until the server's own 408 ends it.
  const holder = rawUpload(port, await makeChart({ name: 'slow', version: '1.0.0' }));
  let refused: { res: Response; body: string } | undefined;
  for (let attempt = 0; attempt < 100 && !refused; attempt++) {
    const res = await probe(url);
    const body = await res.text();
    if (res.status === 429) refused = { res, body };
  }
  assert.ok(refused, 'the probe was never queued');
  assert.equal(refused.res.headers.get('retry-after'), '1');
  assert.match(refused.body, /no upload slot came free within 2 s/);
  assert.match(await holder.answered, /^HTTP\/1\.1 408 /);
});
