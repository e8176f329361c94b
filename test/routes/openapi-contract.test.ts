import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Test } from 'supertest';
import { makeChart } from '../support/make-chart.js';
import { createContract, type OpenApiDocument } from '../support/openapi-contract.js';
import { makeTestKey } from '../support/openpgp-sign.js';
import { makeProv, sha256 } from '../support/provenance.js';
import { adminTestApp, basic, ROOT_PASSWORD } from './admin-fixtures.js';

const ROOT = basic('root', ROOT_PASSWORD);

test('every answer to a request of every documented operation matches the OpenAPI document', async (t) => {
  const { http } = await adminTestApp(t, { auth: 'on' });
  const document = (await http.get('/api/openapi.json').expect(200)).body as OpenApiDocument;
  const contract = createContract(document);
  const failures: string[] = [];

  /** Sends, then holds the answer to the document (every status, errors included). */
  async function call(method: string, url: string, build: (request: Test) => Test = (r) => r) {
    const verb = method.toLowerCase() as 'get' | 'head' | 'post' | 'put' | 'patch' | 'delete';
    const res = await build(http[verb](url).set('authorization', ROOT));
    const text = typeof res.text === 'string' ? res.text : '';
    try {
      contract.check({
        method,
        path: url.split('?')[0] ?? url,
        status: res.status,
        contentType: res.headers['content-type'],
        body: res.body,
        text,
      });
    } catch (err) {
      failures.push((err as Error).message);
    }
    return res;
  }
  const raw = (body: Buffer | string) => (r: Test) =>
    r.set('content-type', 'application/octet-stream').send(body);
  const json = (body: object) => (r: Test) => r.send(body);

  await call('GET', '/health');
  await call('GET', '/info');
  await call('GET', '/ready');
  await call('GET', '/metrics');
  await call('GET', '/api/openapi.json');

  // the ChartMuseum surface, at every repository depth
  for (const repo of ['', 'a', 'a/b', 'a/b/c']) {
    const at = repo ? `/${repo}` : '';
    const tgz = await makeChart({ name: 'demo', version: '1.0.0' });
    await call('POST', `/api${at}/charts`, raw(tgz));
    await call('POST', `/api${at}/charts`, raw(tgz)); // 409
    await call('POST', `/api${at}/prov?force`, raw(makeProv('demo', '1.0.0', tgz)));
    await call('POST', `/api${at}/charts`, raw('not a chart')); // 400
    await call('GET', `/api${at}/charts`);
    await call('GET', `/api${at}/charts?limit=0`); // 400
    const chart = await call('GET', `/api${at}/charts/demo`);
    await call('GET', `/api${at}/charts/demo`, (r) => r.set('if-none-match', String(chart.headers.etag)));
    await call('GET', `/api${at}/charts/missing`); // 404
    await call('GET', `/api${at}/charts/demo/1.0.0`);
    await call('GET', `/api${at}/charts/demo/latest`);
    const index = await call('GET', `${at}/index.yaml`);
    await call('GET', `${at}/index.yaml`, (r) => r.set('if-none-match', String(index.headers.etag)));
    await call('GET', `${at}/charts/demo-1.0.0.tgz`);
    await call('GET', `${at}/charts/demo-1.0.0.tgz.prov`);
    await call('GET', `${at}/charts/nothing-1.0.0.tgz`); // 404
    await call('GET', `${at}/artifacthub-repo.yml`); // 404: no metadata
    await call('DELETE', `/api${at}/charts/demo/1.0.0`);
    await call('DELETE', `/api${at}/charts/demo/1.0.0`); // 404
  }
  await call('GET', '/missing/index.yaml'); // 404
  await call('GET', '/api/repositories');
  await call('GET', '/api/search?q=demo');
  await call('GET', '/api/search?limit=1000'); // 400

  // the admin API
  await call('GET', '/api/admin/users');
  await call('POST', '/api/admin/users', json({ name: 'ci', password: 'a long password 1' }));
  await call('POST', '/api/admin/users', json({ name: 'ci', password: 'a long password 1' })); // 409
  await call('GET', '/api/admin/users/ci');
  await call('PATCH', '/api/admin/users/ci', json({ admin: false }));
  await call('POST', '/api/admin/users/ci/tokens', json({ name: 'deploy', expiresIn: '30d' }));
  await call('GET', '/api/admin/users/ci/tokens');
  await call('DELETE', '/api/admin/users/ci/tokens/deploy');
  await call('POST', '/api/admin/repositories', json({ path: 'team', visibility: 'private' }));
  await call('GET', '/api/admin/repositories');
  await call('GET', '/api/admin/repository?path=team');
  await call('PATCH', '/api/admin/repository?path=team', json({ visibility: 'public' }));
  await call('PUT', '/api/admin/repository/members/ci?path=team', json({ role: 'write' }));
  await call('DELETE', '/api/admin/repository/members/ci?path=team');
  await call('GET', '/api/admin/repository/settings?path=team');
  await call('PUT', '/api/admin/repository/retention?path=team', json({ keepLast: 3, maxAge: '90d' }));
  await call('DELETE', '/api/admin/repository/retention?path=team');
  await call(
    'PUT',
    '/api/admin/repository/artifacthub?path=team',
    json({ repositoryID: crypto.randomUUID() }),
  );
  await call('GET', '/team/artifacthub-repo.yml');
  await call('DELETE', '/api/admin/repository/artifacthub?path=team');
  await call('PUT', '/api/admin/repository/immutable?path=team');
  const key = await makeTestKey('ed25519');
  await call('POST', '/api/admin/keys?path=team', json({ key: key.publicArmored }));
  const keys = await call('GET', '/api/admin/keys?path=team');
  await call('DELETE', `/api/admin/keys/${keys.body.keys?.[0]?.fingerprint}?path=team`);
  await call('GET', '/api/admin/repository/policy?path=team');
  await call('PUT', '/api/admin/repository/policy?path=team', json({ signatures: 'verify' }));
  await call('DELETE', '/api/admin/users/ci');
  await call('DELETE', '/api/admin/users/nobody'); // 404

  // the OCI API
  await call('GET', '/v2/');
  const config = Buffer.from('{}');
  const configDigest = `sha256:${sha256(config)}`;
  await call('POST', `/v2/oci/app/blobs/uploads/?digest=${configDigest}`, raw(config));
  const layer = Buffer.from('layer bytes');
  const layerDigest = `sha256:${sha256(layer)}`;
  const started = await call('POST', '/v2/oci/app/blobs/uploads/');
  const location = String(started.headers.location);
  await call('PATCH', location, raw(layer));
  await call('GET', location);
  await call('PUT', `${location}?digest=${layerDigest}`);
  const cancelled = String((await call('POST', '/v2/oci/app/blobs/uploads/')).headers.location);
  await call('DELETE', cancelled);
  await call('GET', cancelled); // 404
  await call('GET', `/v2/oci/app/blobs/${layerDigest}`);
  await call('GET', `/v2/oci/app/blobs/${layerDigest}`, (r) => r.set('range', 'bytes=0-1'));
  await call('GET', '/v2/oci/app/blobs/sha256:nothex'); // 400
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: configDigest,
        size: config.length,
      },
      layers: [
        { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: layer.length },
      ],
    }),
  );
  const type = 'application/vnd.oci.image.manifest.v1+json';
  await call('PUT', '/v2/oci/app/manifests/v1', (r) => r.set('content-type', type).send(manifest));
  await call('GET', '/v2/oci/app/manifests/v1');
  await call('GET', '/v2/oci/app/manifests/v9'); // 404
  await call('GET', '/v2/oci/app/tags/list?n=1');
  await call('GET', '/v2/oci/app/tags/list?n=x'); // 400
  await call('GET', `/v2/oci/app/referrers/sha256:${sha256(manifest)}`);
  await call('DELETE', '/v2/oci/app/manifests/v1');
  await call('DELETE', `/v2/oci/app/blobs/${layerDigest}`);
  await call('GET', '/v2/oci/nothing/tags/list'); // 404

  assert.deepEqual(failures, [], `answers that break the document:\n${failures.join('\n')}`);
  assert.deepEqual(contract.unexercised(), [], 'documented operations no request went through');
});

test('the contract check refuses an answer that drifts from its schema', async (t) => {
  const { http } = await adminTestApp(t, { auth: 'on' });
  const contract = createContract((await http.get('/api/openapi.json')).body as OpenApiDocument);
  const answer = { method: 'GET', path: '/health', status: 200, contentType: 'application/json', text: '{}' };
  contract.check({ ...answer, body: { healthy: true } });
  assert.throws(() => contract.check({ ...answer, body: { healthy: true, extra: 1 } }), /breaks the schema/);
  assert.throws(() => contract.check({ ...answer, body: { healthy: 'yes' } }), /breaks the schema/);
  assert.throws(() => contract.check({ ...answer, status: 418, body: {} }), /status not documented/);
  assert.throws(() => contract.check({ ...answer, path: '/nowhere', body: {} }), /no such operation/);
});
