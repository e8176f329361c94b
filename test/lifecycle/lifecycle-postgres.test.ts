// The lifecycle end to end on PostgreSQL metadata: the same rules as on SQLite (retention.test.ts,
// immutable.test.ts, artifacthub.test.ts), through the server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import yaml from 'js-yaml';
import { createLifecycle } from '../../src/lifecycle/lifecycle.js';
import { pushChart } from '../oci/oci-client.js';
import { buildTestApp } from '../support/build-app.js';
import { freshDatabase } from '../support/engines.js';
import { makeChart } from '../support/make-chart.js';

test('on PostgreSQL: retention after a push, an immutable repository’s refusals, and the Artifact Hub file', async (t) => {
  const { http, stores } = await buildTestApp(t, { database: await freshDatabase(), allowOverwrite: true });
  const lifecycle = createLifecycle(stores);
  const upload = (repo: string, tgz: Buffer, query = '') =>
    http.post(`/api/${repo}/charts${query}`).set('content-type', 'application/octet-stream').send(tgz);
  for (const v of ['1.0.0', '1.1.0'])
    await upload('team', await makeChart({ name: 'web', version: v })).expect(201);
  await lifecycle.setRetention('team', { keepLast: 1 });
  const pushed = await pushChart(http, 'team/web', await makeChart({ name: 'web', version: '2.0.0' }), {
    name: 'web',
    version: '2.0.0',
  });
  assert.equal(pushed.res.status, 201, pushed.res.text);
  const index = yaml.load((await http.get('/team/index.yaml').expect(200)).text) as {
    entries: Record<string, Array<{ version: string }>>;
  };
  assert.deepEqual(
    index.entries.web?.map((e) => e.version),
    ['2.0.0'],
  );
  assert.deepEqual((await http.get('/v2/team/web/tags/list').expect(200)).body.tags, ['2.0.0']);

  await lifecycle.setImmutable('team');
  const other = await makeChart({ name: 'web', version: '2.0.0', chart: { description: 'other' } });
  const refused = await upload('team', other, '?force');
  assert.equal(refused.status, 409);
  assert.match(refused.body.error, /the repository is immutable/);
  const removed = await http.delete('/api/team/charts/web/2.0.0');
  assert.equal(removed.status, 401);
  assert.equal(removed.body.error, 'repository "team" is immutable: only a server admin may delete from it');
  assert.equal(
    (await http.get('/team/charts/web-2.0.0.tgz').expect(200)).headers['cache-control'],
    'public, max-age=31536000, immutable',
  );

  await lifecycle.setArtifactHub('team', { repositoryID: 'c4b5b1a2-9f55-4c2c-8d1e-0a7b5e9f1234' });
  const file = await http.get('/team/artifacthub-repo.yml').expect(200);
  assert.equal(file.text, 'repositoryID: c4b5b1a2-9f55-4c2c-8d1e-0a7b5e9f1234\n');
  await http.get('/v2/team/web/manifests/artifacthub.io').expect(200);
});
