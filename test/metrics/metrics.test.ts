import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { addRepository, addUser, basic } from '../support/auth.js';
import { buildTestApp } from '../support/build-app.js';
import { startTestServer } from '../support/listen.js';
import { makeChart } from '../support/make-chart.js';
import { labelValues, sampleValue, scrape } from './exposition.js';

async function push(
  app: FastifyInstance,
  repository: string,
  name: string,
  version: string,
  authorization?: string,
) {
  const response = await app.inject({
    method: 'POST',
    url: `/api/${repository}/charts`,
    headers: { 'content-type': 'application/gzip', ...(authorization && { authorization }) },
    payload: await makeChart({ name, version }),
  });
  assert.equal(response.statusCode, 201, response.body);
}

test('requests are counted by status, method and route pattern, never by the URL', async (t) => {
  const { app } = await buildTestApp(t);
  await push(app, 'team', 'demo', '1.0.0');
  assert.equal((await app.inject({ url: '/team/charts/demo-1.0.0.tgz' })).statusCode, 200);
  assert.equal((await app.inject({ url: '/team/charts/nothing-9.9.9.tgz' })).statusCode, 404);
  assert.equal((await app.inject({ url: '/no/such/thing/at/all' })).statusCode, 404);
  const { text, samples } = await scrape(app);
  const requests = 'chartmuseum_requests_total';
  assert.equal(sampleValue(samples, requests, { code: '201', method: 'POST', url: '/api/:r1/charts' }), 1);
  assert.equal(sampleValue(samples, requests, { code: '200', method: 'GET', url: '/:r1/charts/:file' }), 1);
  assert.equal(sampleValue(samples, requests, { code: '404', method: 'GET', url: '/:r1/charts/:file' }), 1);
  assert.equal(sampleValue(samples, requests, { code: '404', method: 'GET', url: '(unmatched)' }), 1);
  const histogram = 'chartmuseum_request_duration_seconds_count';
  assert.equal(sampleValue(samples, histogram, { code: '201', method: 'POST', url: '/api/:r1/charts' }), 1);
  assert.ok(!text.includes('nothing-9.9.9'), 'a requested file name became a label');
  assert.ok(!text.includes('such/thing'), 'an unmatched URL became a label');
  assert.match(text, /# TYPE process_cpu_user_seconds_total counter/, 'process metrics');
  assert.match(text, /# TYPE nodejs_eventloop_lag_seconds gauge/, 'event-loop metrics');
});

test('pushes and pulls are counted by protocol and repository; failed ones are not', async (t) => {
  const { app } = await buildTestApp(t);
  await push(app, 'team', 'demo', '1.0.0');
  await push(app, 'team', 'demo', '1.1.0');
  const refused = await app.inject({
    method: 'POST',
    url: '/api/team/charts',
    headers: { 'content-type': 'application/gzip' },
    payload: await makeChart({ name: 'demo', version: '1.0.0' }),
  });
  assert.equal(refused.statusCode, 409);
  await app.inject({ url: '/team/charts/demo-1.0.0.tgz' });
  await app.inject({ url: '/team/charts/demo-1.0.0.tgz' });
  await app.inject({ method: 'HEAD', url: '/team/charts/demo-1.0.0.tgz' });
  const manifest = await app.inject({
    url: '/v2/team/demo/manifests/1.1.0',
    headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
  });
  assert.equal(manifest.statusCode, 200, manifest.body);
  const { samples } = await scrape(app);
  assert.equal(sampleValue(samples, 'charthouse_chart_pushes_total', { protocol: 'http', repo: 'team' }), 2);
  assert.equal(sampleValue(samples, 'charthouse_chart_pulls_total', { protocol: 'http', repo: 'team' }), 2);
  assert.equal(sampleValue(samples, 'charthouse_chart_pulls_total', { protocol: 'oci', repo: 'team' }), 1);
  assert.equal(
    sampleValue(samples, 'chartmuseum_requests_total', {
      method: 'GET',
      url: '/v2/<name>/manifests/<reference>',
    }),
    1,
  );
});

test('the inventory gauges count repositories, charts, versions and distinct blob bytes', async (t) => {
  const { app } = await buildTestApp(t);
  const packages = [
    await makeChart({ name: 'demo', version: '1.0.0' }),
    await makeChart({ name: 'demo', version: '1.1.0' }),
    await makeChart({ name: 'other', version: '0.1.0' }),
  ];
  for (const [repository, payload] of [
    ['team', packages[0]],
    ['team', packages[1]],
    ['team', packages[2]],
    ['apps', packages[0]], // the same bytes again: one blob
  ] as const) {
    const response = await app.inject({
      method: 'POST',
      url: `/api/${repository}/charts`,
      headers: { 'content-type': 'application/gzip' },
      payload,
    });
    assert.equal(response.statusCode, 201);
  }
  const { samples } = await scrape(app);
  assert.equal(sampleValue(samples, 'charthouse_repositories'), 3, 'team, apps and the root repository');
  assert.equal(sampleValue(samples, 'chartmuseum_charts_served_total', { repo: 'team' }), 2);
  assert.equal(sampleValue(samples, 'chartmuseum_chart_versions_served_total', { repo: 'team' }), 3);
  assert.equal(sampleValue(samples, 'chartmuseum_chart_versions_served_total', { repo: 'apps' }), 1);
  assert.equal(sampleValue(samples, 'chartmuseum_chart_versions_served_total', { repo: '/' }), 0);
  const bytes = packages.reduce((sum, p) => sum + (p?.length ?? 0), 0);
  assert.equal(sampleValue(samples, 'charthouse_blob_bytes'), bytes);
});

test('a private repository never shows its name: its pushes, pulls and gauges are summed under (private)', async (t) => {
  const { app, stores } = await buildTestApp(t, { auth: 'on' });
  await addUser(stores.auth, 'dev', 'dev-password');
  await addRepository(stores.auth, 'secret-team', 'private', { dev: 'write' });
  await addRepository(stores.auth, 'hidden-too', 'private', { dev: 'write' });
  await addRepository(stores.auth, 'open', 'public', { dev: 'write' });
  const dev = basic('dev', 'dev-password');
  await push(app, 'secret-team', 'demo', '1.0.0', dev);
  await push(app, 'hidden-too', 'demo', '1.0.0', dev);
  await push(app, 'open', 'demo', '1.0.0', dev);
  const pulled = await app.inject({
    url: '/secret-team/charts/demo-1.0.0.tgz',
    headers: { authorization: dev },
  });
  assert.equal(pulled.statusCode, 200);
  const { text, samples } = await scrape(app);
  assert.ok(!text.includes('secret-team') && !text.includes('hidden-too'), 'a private name reached /metrics');
  assert.equal(sampleValue(samples, 'charthouse_chart_pushes_total', { repo: '(private)' }), 2);
  assert.equal(sampleValue(samples, 'charthouse_chart_pushes_total', { repo: 'open' }), 1);
  assert.equal(sampleValue(samples, 'charthouse_chart_pulls_total', { repo: '(private)' }), 1);
  assert.equal(sampleValue(samples, 'chartmuseum_chart_versions_served_total', { repo: '(private)' }), 2);
  assert.equal(sampleValue(samples, 'chartmuseum_chart_versions_served_total', { repo: 'open' }), 1);
});

test('credentials that do not verify count as failed logins; anonymous requests do not', async (t) => {
  const { app, stores } = await buildTestApp(t, { auth: 'on' });
  await addUser(stores.auth, 'dev', 'dev-password');
  await addRepository(stores.auth, 'team', 'private', { dev: 'read' });
  const wrong = basic('dev', 'wrong-password');
  assert.equal(
    (await app.inject({ url: '/team/index.yaml', headers: { authorization: wrong } })).statusCode,
    401,
  );
  assert.equal((await app.inject({ url: '/v2/', headers: { authorization: wrong } })).statusCode, 401);
  assert.equal((await app.inject({ url: '/team/index.yaml' })).statusCode, 401);
  const right = basic('dev', 'dev-password');
  assert.equal(
    (await app.inject({ url: '/team/index.yaml', headers: { authorization: right } })).statusCode,
    200,
  );
  const { samples } = await scrape(app);
  assert.equal(sampleValue(samples, 'charthouse_failed_logins_total'), 2);
});

test('an index render is timed once per change of the repository, not once per request', async (t) => {
  const { app } = await buildTestApp(t);
  await push(app, 'team', 'demo', '1.0.0');
  const renders = async () =>
    sampleValue((await scrape(app)).samples, 'charthouse_index_render_duration_seconds_count');
  const before = (await renders()) ?? 0;
  for (let i = 0; i < 3; i++) assert.equal((await app.inject({ url: '/team/index.yaml' })).statusCode, 200);
  const once = await renders();
  assert.ok(once !== undefined && once > before, 'the first request rendered');
  for (let i = 0; i < 3; i++) await app.inject({ url: '/team/index.yaml' });
  assert.equal(await renders(), once, 'unchanged: served from the cache');
  await push(app, 'team', 'demo', '1.1.0');
  await app.inject({ url: '/team/index.yaml' });
  assert.ok(((await renders()) ?? 0) > (once ?? 0), 'a push makes the next request render again');
});

test('each app counts in its own registry', async (t) => {
  const first = await buildTestApp(t);
  const second = await buildTestApp(t);
  await push(first.app, 'team', 'demo', '1.0.0');
  const { samples } = await scrape(second.app);
  assert.equal(sampleValue(samples, 'charthouse_chart_pushes_total', { repo: 'team' }), undefined);
  assert.deepEqual(labelValues(samples, 'chartmuseum_requests_total', 'method'), []);
});

test('--metrics=false answers 404 at /metrics and counts nothing', async (t) => {
  const { app } = await buildTestApp(t, { metrics: false });
  const response = await app.inject({ url: '/metrics' });
  assert.equal(response.statusCode, 404);
  assert.deepEqual(JSON.parse(response.body), { error: 'not found' });
});

test('/metrics follows the context path and needs no credentials, even with --auth on', async (t) => {
  const { app } = await buildTestApp(t, { contextPath: '/charts-here', auth: 'on' });
  const { samples } = await scrape(app, '/charts-here/metrics');
  assert.ok(sampleValue(samples, 'charthouse_repositories') !== undefined);
});

test('the upload slot gauges show uploads being received and uploads waiting', async (t) => {
  const server = await startTestServer(t, { maxConcurrentUploads: 1, uploadQueueLength: 4 });
  const { port } = new URL(server.url);
  const sockets: Socket[] = [];
  t.after(() => {
    for (const socket of sockets) socket.destroy();
  });
  const startUpload = () => {
    const socket = connect(Number(port), '127.0.0.1');
    socket.on('error', () => undefined);
    sockets.push(socket);
    socket.write(
      'POST /api/team/charts HTTP/1.1\r\nHost: x\r\nContent-Type: application/gzip\r\nContent-Length: 1000\r\n\r\n',
    );
    socket.write(Buffer.alloc(10));
  };
  const slots = async () => {
    const { samples } = await scrape(server.app);
    return [
      sampleValue(samples, 'charthouse_upload_slots_in_use'),
      sampleValue(samples, 'charthouse_upload_slots_waiting'),
    ];
  };
  assert.deepEqual(await slots(), [0, 0]);
  startUpload();
  startUpload();
  startUpload();
  let seen: Array<number | undefined> = [];
  for (let attempt = 0; attempt < 100; attempt++) {
    seen = await slots();
    if (seen[0] === 1 && seen[1] === 2) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.deepEqual(seen, [1, 2]);
  for (const socket of sockets) socket.destroy();
  for (let attempt = 0; attempt < 100; attempt++) {
    seen = await slots();
    if (seen[0] === 0 && seen[1] === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.deepEqual(seen, [0, 0], 'slots and places in the queue are given back');
});
