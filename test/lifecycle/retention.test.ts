// Retention over both protocols: a rule removes nothing by itself; a push applies it to the pushed
// chart; `charthouse retention` applies it everywhere; removals show on index.yaml and /v2 at once,
// and the packages stay in the blob store for gc.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import yaml from 'js-yaml';
import type supertest from 'supertest';
import { createLifecycle } from '../../src/lifecycle/lifecycle.js';
import { runRetentionCommand } from '../../src/lifecycle/retention-command.js';
import { RECHECK_OTHER_WRITERS_MS } from '../../src/store/read-memo.js';
import { hexOf, pushChart, sha256 } from '../oci/oci-client.js';
import { adminTestApp, expectError } from '../routes/admin-fixtures.js';
import { buildTestApp } from '../support/build-app.js';
import { makeChart } from '../support/make-chart.js';

type Http = ReturnType<typeof supertest>;

async function versions(http: Http, repo: string, chart: string): Promise<string[]> {
  const doc = yaml.load((await http.get(`/${repo}/index.yaml`).expect(200)).text) as {
    entries: Record<string, Array<{ version: string }>>;
  };
  return (doc.entries[chart] ?? []).map((e) => e.version);
}

async function upload(http: Http, repo: string, name: string, version: string): Promise<Buffer> {
  const tgz = await makeChart({ name, version });
  const res = await http
    .post(`/api/${repo}/charts`)
    .set('content-type', 'application/octet-stream')
    .send(tgz);
  assert.equal(res.status, 201, res.text);
  return tgz;
}

async function tags(http: Http, name: string): Promise<string[]> {
  return (await http.get(`/v2/${name}/tags/list`).expect(200)).body.tags;
}

test('setting a rule removes nothing; the next push of a chart removes its versions beyond the rule, on both protocols', async (t) => {
  const { http, stores } = await buildTestApp(t);
  const lifecycle = createLifecycle(stores);
  const old = await upload(http, 'team', 'web', '1.0.0');
  await upload(http, 'team', 'web', '1.1.0');
  for (const v of ['0.1.0', '0.2.0', '0.3.0']) await upload(http, 'team', 'db', v);
  await lifecycle.setRetention('team', { keepLast: 1 });
  assert.deepEqual(await versions(http, 'team', 'web'), ['1.1.0', '1.0.0']);
  assert.deepEqual(await tags(http, 'team/web'), ['1.0.0', '1.1.0']);

  const tgz = await makeChart({ name: 'web', version: '2.0.0' });
  const pushed = await pushChart(http, 'team/web', tgz, { name: 'web', version: '2.0.0' });
  assert.equal(pushed.res.status, 201, pushed.res.text);
  assert.deepEqual(await versions(http, 'team', 'web'), ['2.0.0']);
  assert.deepEqual(await tags(http, 'team/web'), ['2.0.0']);
  await http.get('/v2/team/web/manifests/1.0.0').expect(404);
  await http.get('/team/charts/web-1.0.0.tgz').expect(404);
  // another chart of the repository is not touched by a push of web
  assert.deepEqual(await versions(http, 'team', 'db'), ['0.3.0', '0.2.0', '0.1.0']);
  // the removed package is left to gc
  assert.ok(await stores.blobs.stat(hexOf(sha256(old))));
});

test('an HTTP upload applies the rule too, releases and prereleases counted apart', async (t) => {
  const { http, stores } = await buildTestApp(t);
  await upload(http, 'team', 'web', '1.0.0');
  await createLifecycle(stores).setRetention('team', { keepLast: 1, keepPrereleases: 1 });
  await upload(http, 'team', 'web', '1.1.0-rc.1');
  await upload(http, 'team', 'web', '1.1.0-rc.2');
  assert.deepEqual(await versions(http, 'team', 'web'), ['1.1.0-rc.2', '1.0.0']);
  // a version lower than the ones kept goes at once: the rule keeps the highest by SemVer
  await upload(http, 'team', 'web', '0.9.0');
  assert.deepEqual(await versions(http, 'team', 'web'), ['1.1.0-rc.2', '1.0.0']);
  await upload(http, 'team', 'web', '1.1.0');
  assert.deepEqual(await versions(http, 'team', 'web'), ['1.1.0', '1.1.0-rc.2']);
});

test('charthouse retention --dry-run lists what would go and removes nothing; without it, removes them', async (t) => {
  const { http, stores, dir } = await buildTestApp(t);
  for (const v of ['1.0.0', '1.1.0', '1.2.0']) await upload(http, 'team', 'web', v);
  for (const v of ['1.0.0', '2.0.0']) await upload(http, '', 'top', v);
  await upload(http, 'norule', 'web', '1.0.0');
  await upload(http, 'norule', 'web', '2.0.0');
  const lifecycle = createLifecycle(stores);
  await lifecycle.setRetention('team', { keepLast: 1 });
  await lifecycle.setRetention('', { keepLast: 1 });
  const run = async (args: string[]) => {
    let stdout = '';
    const io = { env: {}, stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true } };
    const code = await runRetentionCommand([...args, '--storage', dir], io);
    return { code, stdout };
  };
  const dry = await run(['--dry-run']);
  assert.equal(dry.code, 0);
  assert.equal(
    dry.stdout,
    'would remove top 1.0.0 from the root repository\n' +
      'would remove web 1.1.0 from repository "team"\n' +
      'would remove web 1.0.0 from repository "team"\n' +
      'would remove 3 version(s)\n',
  );
  assert.deepEqual(await versions(http, 'team', 'web'), ['1.2.0', '1.1.0', '1.0.0']);
  const real = await run(['--json']);
  assert.equal(real.code, 0);
  assert.deepEqual(JSON.parse(real.stdout), {
    dryRun: false,
    removed: [
      { repository: '', name: 'top', version: '1.0.0' },
      { repository: 'team', name: 'web', version: '1.1.0' },
      { repository: 'team', name: 'web', version: '1.0.0' },
    ],
  });
  // the command wrote through its own connection: the server sees it within RECHECK_OTHER_WRITERS_MS
  await sleep(RECHECK_OTHER_WRITERS_MS + 50);
  assert.deepEqual(await versions(http, 'team', 'web'), ['1.2.0']);
  assert.deepEqual(await versions(http, '', 'top'), ['2.0.0']);
  assert.deepEqual(await versions(http, 'norule', 'web'), ['2.0.0', '1.0.0']);
  assert.equal((await run([])).stdout, 'retention: nothing to remove\n');
});

test('the admin API sets, shows and clears a rule, refusing bad ones and anyone but a server admin', async (t) => {
  const { root, dev, anonymous } = await adminTestApp(t, { auth: 'on' });
  await root.post('/api/admin/repositories', { path: 'team' }).expect(201);
  const url = '/api/admin/repository/retention?path=team';
  const set = await root.put(url, { keepLast: 3, maxAge: '90d' }).expect(200);
  assert.deepEqual(set.body, {
    settings: { path: 'team', immutable: false, retention: { keepLast: 3, maxAge: '90d' } },
  });
  assert.deepEqual((await root.get('/api/admin/repository/settings?path=team').expect(200)).body, set.body);
  expectError(
    await root.put(url, { keepLast: 0 }),
    400,
    '--keep-last must be a whole number from 1 to 100000, not 0',
  );
  expectError(
    await root.put(url, { keepLast: 1, maxAge: 'later' }),
    400,
    '--max-age must be a duration such as 90d, 12h or 30m, not "later"',
  );
  expectError(
    await root.put(url, { keepLast: 1, keep: 2 }),
    400,
    'invalid request: body has an unknown property "keep"',
  );
  expectError(await root.put(url, {}), 400, "invalid request: body must have required property 'keepLast'");
  expectError(await dev.put(url, { keepLast: 1 }), 403, 'forbidden');
  expectError(await anonymous.put(url, { keepLast: 1 }), 401);
  expectError(
    await root.put('/api/admin/repository/retention?path=ghost', { keepLast: 1 }),
    404,
    'repository "ghost" does not exist',
  );
  assert.deepEqual((await root.delete(url).expect(200)).body, {
    settings: { path: 'team', immutable: false },
  });
});
