import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { buildTestApp } from '../support/build-app.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('GET /health answers 200 {"healthy":true} as JSON', async (t) => {
  const { http } = await buildTestApp(t);
  const res = await http.get('/health');
  assert.equal(res.status, 200);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  assert.deepEqual(res.body, { healthy: true });
});

test('GET /info answers the version in package.json', async (t) => {
  const { http } = await buildTestApp(t);
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
  const res = await http.get('/info');
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { version: pkg.version });
});

test('/health and /info answer even with the API disabled', async (t) => {
  const { http } = await buildTestApp(t, { disableApi: true });
  assert.deepEqual((await http.get('/health')).body, { healthy: true });
  assert.equal((await http.get('/info')).status, 200);
});

test('an unknown route answers 404 {"error":"not found"} as JSON', async (t) => {
  const { http } = await buildTestApp(t);
  for (const path of ['/nope', '/bad-url', '/api', '/api/nope/nope', '/a/b/c/d/e/f']) {
    const res = await http.get(path);
    assert.equal(res.status, 404, path);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.deepEqual(res.body, { error: 'not found' }, path);
  }
});

test('an unknown method on a known path answers 404 JSON, never 405', async (t) => {
  const { http } = await buildTestApp(t);
  for (const res of [
    await http.put('/index.yaml'),
    await http.patch('/health'),
    await http.delete('/info'),
  ]) {
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { error: 'not found' });
  }
});

test('every response carries a generated X-Request-Id, different for each request', async (t) => {
  const { http } = await buildTestApp(t);
  const ids = [];
  for (const path of ['/health', '/info', '/nope', '/index.yaml']) {
    const res = await http.get(path);
    const id = String(res.headers['x-request-id']);
    assert.match(id, UUID, `${path}: ${id}`);
    ids.push(id);
  }
  assert.equal(new Set(ids).size, ids.length);
});

test('an incoming X-Request-Id is echoed on success and on errors', async (t) => {
  const { http } = await buildTestApp(t);
  const ok = await http.get('/health').set('X-Request-Id', 'trace-42');
  assert.equal(ok.headers['x-request-id'], 'trace-42');
  const missing = await http.get('/nope').set('X-Request-Id', 'trace-43');
  assert.equal(missing.status, 404);
  assert.equal(missing.headers['x-request-id'], 'trace-43');
  const bad = await http
    .post('/api/charts')
    .set('X-Request-Id', 'trace-44')
    .set('content-type', 'application/octet-stream')
    .send(Buffer.from('not a chart'));
  assert.equal(bad.status, 400);
  assert.equal(bad.headers['x-request-id'], 'trace-44');
});

test('with contextPath /cm, /cm/health and /cm/info answer and /health is 404', async (t) => {
  const { http } = await buildTestApp(t, { contextPath: '/cm' });
  assert.deepEqual((await http.get('/cm/health')).body, { healthy: true });
  assert.equal((await http.get('/cm/info')).status, 200);
  const outside = await http.get('/health');
  assert.equal(outside.status, 404);
  assert.deepEqual(outside.body, { error: 'not found' });
});
