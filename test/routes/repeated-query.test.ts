import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addUser, basic } from '../support/auth.js';
import { buildTestApp } from '../support/build-app.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const UPLOAD = '00000000-0000-4000-8000-000000000000';

/**
 * Every route, with the query parameters it reads. Each parameter is repeated in turn, and so is
 * one it does not read (`x`): no route may answer 500, each answers 400 in its surface's envelope.
 */
const routes: Array<{ method: string; url: string; params: string[] }> = [
  { method: 'GET', url: '/health', params: [] },
  { method: 'GET', url: '/info', params: [] },
  { method: 'GET', url: '/index.yaml', params: [] },
  { method: 'GET', url: '/team/index.yaml', params: [] },
  { method: 'GET', url: '/charts/demo-1.0.0.tgz', params: [] },
  { method: 'GET', url: '/charts/demo-1.0.0.tgz.prov', params: [] },
  { method: 'GET', url: '/team/artifacthub-repo.yml', params: [] },
  { method: 'GET', url: '/api/repositories', params: [] },
  { method: 'GET', url: '/api/charts', params: ['offset', 'limit'] },
  { method: 'GET', url: '/api/team/charts/demo', params: [] },
  { method: 'GET', url: '/api/team/charts/demo/1.0.0', params: [] },
  { method: 'POST', url: '/api/charts', params: ['force'] },
  { method: 'POST', url: '/api/team/prov', params: ['force'] },
  { method: 'DELETE', url: '/api/team/charts/demo/1.0.0', params: [] },
  {
    method: 'GET',
    url: '/api/search',
    params: ['q', 'repo', 'prerelease', 'deprecated', 'signed', 'verified', 'limit', 'offset'],
  },
  { method: 'GET', url: '/', params: [] },
  { method: 'GET', url: '/ui/', params: [] },
  { method: 'GET', url: '/ui/charts', params: ['q', 'repo', 'limit', 'offset'] },
  { method: 'GET', url: '/ui/charts/team/demo', params: ['version'] },
  { method: 'GET', url: '/api/admin/users', params: [] },
  { method: 'GET', url: '/api/admin/repositories', params: [] },
  { method: 'GET', url: '/api/admin/repository', params: ['path'] },
  { method: 'PATCH', url: '/api/admin/repository', params: ['path'] },
  { method: 'GET', url: '/api/admin/repository/settings', params: ['path'] },
  { method: 'PUT', url: '/api/admin/repository/immutable', params: ['path'] },
  { method: 'GET', url: '/api/admin/keys', params: ['path', 'global'] },
  { method: 'GET', url: '/v2/', params: [] },
  { method: 'GET', url: '/v2/_catalog', params: ['n', 'last'] },
  { method: 'GET', url: '/v2/team/demo/tags/list', params: ['n', 'last'] },
  { method: 'GET', url: '/v2/team/demo/manifests/1.0.0', params: [] },
  { method: 'GET', url: `/v2/team/demo/referrers/${DIGEST}`, params: ['artifactType'] },
  { method: 'GET', url: `/v2/team/demo/blobs/${DIGEST}`, params: [] },
  { method: 'POST', url: '/v2/pub/demo/blobs/uploads/', params: ['mount', 'from', 'digest'] },
  { method: 'PATCH', url: `/v2/pub/demo/blobs/uploads/${UPLOAD}`, params: [] },
  { method: 'PUT', url: `/v2/pub/demo/blobs/uploads/${UPLOAD}`, params: ['digest'] },
  { method: 'DELETE', url: `/v2/team/demo/manifests/${DIGEST}`, params: [] },
];

const sample: Record<string, string> = { mount: DIGEST, from: 'team/demo', digest: DIGEST, path: 'team' };

test('a repeated query parameter answers 400 naming it on every route, never 500', async (t) => {
  const { http, stores } = await buildTestApp(t, { auth: 'on' });
  await addUser(stores.auth, 'root', 'root-password', true);
  const auth = basic('root', 'root-password');
  let checked = 0;
  for (const route of routes) {
    for (const param of [...route.params, 'x']) {
      const value = sample[param] ?? '1';
      const url = `${route.url}?${param}=${encodeURIComponent(value)}&${param}=${encodeURIComponent(value)}`;
      const json = route.url.startsWith('/api/admin/');
      const res = await http[route.method.toLowerCase() as 'get'](url)
        .set('authorization', auth)
        .set('content-type', json ? 'application/json' : 'application/octet-stream')
        .send(
          route.method === 'GET' || route.method === 'DELETE' ? undefined : json ? '{}' : Buffer.from('x'),
        );
      const where = `${route.method} ${url}`;
      assert.equal(res.status, 400, `${where} answered ${res.status}: ${res.text.slice(0, 200)}`);
      assert.match(res.text, new RegExp(`query parameter (&quot;|\\\\?"|")${param}`), where);
      if (route.url.startsWith('/v2/')) assert.equal(res.body.errors?.[0]?.code, 'UNSUPPORTED', where);
      checked += 1;
    }
  }
  assert.ok(checked > 60, `only ${checked} requests were checked`);
});

test('a parameter given once is still read as before', async (t) => {
  const { http } = await buildTestApp(t);
  const once = await http.get('/api/search?q=demo&limit=5');
  assert.equal(once.status, 200);
  assert.equal(once.body.limit, 5);
  const twice = await http.get('/api/search?q=demo&limit=5&limit=6');
  assert.equal(twice.status, 400);
  assert.deepEqual(twice.body, { error: 'the query parameter "limit" is given 2 times; give it once' });
});
