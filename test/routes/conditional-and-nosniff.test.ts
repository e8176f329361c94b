import assert from 'node:assert/strict';
import { test } from 'node:test';
import { notModified } from '../../src/routes/conditional-get.js';
import { buildTestApp } from '../support/build-app.js';
import { makeChart } from '../support/make-chart.js';

async function appWithChart(t: Parameters<typeof buildTestApp>[0]) {
  const built = await buildTestApp(t);
  const tgz = await makeChart({ name: 'demo', version: '1.0.0' });
  const res = await built.http.post('/api/charts').set('content-type', 'application/octet-stream').send(tgz);
  assert.equal(res.status, 201, res.text);
  return built;
}

test('index.yaml answers 304 to an If-Modified-Since at or after its Last-Modified', async (t) => {
  const { http } = await appWithChart(t);
  const first = await http.get('/index.yaml');
  assert.equal(first.status, 200);
  const lastModified = String(first.headers['last-modified']);
  const later = new Date(Date.parse(lastModified) + 60_000).toUTCString();
  for (const since of [lastModified, later]) {
    const res = await http.get('/index.yaml').set('if-modified-since', since);
    assert.equal(res.status, 304, `If-Modified-Since: ${since}`);
    assert.equal(res.text, '');
    assert.equal(res.headers['last-modified'], lastModified);
  }
});

test('index.yaml is sent whole to an If-Modified-Since before its Last-Modified, or unreadable', async (t) => {
  const { http } = await appWithChart(t);
  const first = await http.get('/index.yaml');
  const earlier = new Date(Date.parse(String(first.headers['last-modified'])) - 1000).toUTCString();
  for (const since of [earlier, 'yesterday-ish']) {
    const res = await http.get('/index.yaml').set('if-modified-since', since);
    assert.equal(res.status, 200, `If-Modified-Since: ${since}`);
    assert.match(res.text, /demo/);
  }
});

test('a push after the date makes If-Modified-Since stale again', async (t) => {
  const { http } = await appWithChart(t);
  const first = await http.get('/index.yaml');
  const since = String(first.headers['last-modified']);
  // Last-Modified has whole seconds: wait for the next one, so the push is strictly later
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const tgz = await makeChart({ name: 'demo', version: '2.0.0' });
  await http.post('/api/charts').set('content-type', 'application/octet-stream').send(tgz).expect(201);
  const res = await http.get('/index.yaml').set('if-modified-since', since);
  assert.equal(res.status, 200);
  assert.match(res.text, /2\.0\.0/);
});

test('If-None-Match decides over If-Modified-Since (RFC 9110 13.2.2)', async (t) => {
  const { http } = await appWithChart(t);
  const first = await http.get('/index.yaml');
  const res = await http
    .get('/index.yaml')
    .set('if-none-match', '"not-the-etag"')
    .set('if-modified-since', String(first.headers['last-modified']));
  assert.equal(res.status, 200);
  assert.equal(
    notModified({ 'if-none-match': String(first.headers.etag) }, String(first.headers.etag), 'x'),
    true,
  );
});

test('JSON answers carry X-Content-Type-Options: nosniff, on every surface and for errors', async (t) => {
  const { http } = await appWithChart(t);
  const paths = [
    '/api/charts',
    '/api/charts/demo/1.0.0',
    '/api/charts/missing',
    '/health',
    '/nowhere',
    '/v2/',
    '/v2/demo/tags/list',
    '/v2/demo/manifests/1.0.0',
    '/v2/nothing/here',
  ];
  for (const path of paths) {
    const res = await http.get(path);
    assert.match(String(res.headers['content-type']), /json/, path);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', `${path} → ${res.status}`);
  }
  const index = await http.get('/index.yaml');
  assert.equal(index.headers['x-content-type-options'], undefined, 'YAML is not JSON');
});
