// Immutable repositories over both protocols: no overwrite whatever the options say, no tag that
// moves, deletes for server admins only, a deleted version never back with other bytes, and
// packages by name cached forever.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type supertest from 'supertest';
import { createLifecycle } from '../../src/lifecycle/lifecycle.js';
import { pushChart, pushImage, putManifest, sha256 } from '../oci/oci-client.js';
import { adminTestApp, basic, DEV_PASSWORD, expectError, ROOT_PASSWORD } from '../routes/admin-fixtures.js';
import { buildTestApp } from '../support/build-app.js';
import { makeChart } from '../support/make-chart.js';
import { provenanceDocument } from '../support/provenance.js';

type Http = ReturnType<typeof supertest>;
const ROOT = basic('root', ROOT_PASSWORD);
const DEV = basic('dev', DEV_PASSWORD);
const REASON =
  'the repository is immutable: nothing stored in it is ever overwritten, whatever --allow-overwrite or ?force say';

/** The client with every request signed in, for the OCI helpers that take a plain client. */
function withAuth(http: Http, auth: string): Http {
  const authed = { ...http } as Http;
  for (const method of ['post', 'put', 'patch', 'get', 'head'] as const) {
    (authed as unknown as Record<string, unknown>)[method] = (url: string) =>
      http[method](url).set('authorization', auth);
  }
  return authed;
}

function ociError(res: { body: unknown }) {
  return (res.body as { errors?: Array<{ code: string; message: string }> }).errors?.[0];
}

function upload(http: Http, repo: string, tgz: Buffer, auth = ROOT, query = '') {
  return http
    .post(`/api/${repo}/charts${query}`)
    .set('authorization', auth)
    .set('content-type', 'application/octet-stream')
    .send(tgz);
}

/** `--auth on --allow-overwrite`, repository `team` with web 1.0.0, made immutable; dev is its admin. */
async function immutableTeam(t: Parameters<typeof adminTestApp>[0]) {
  const app = await adminTestApp(t, { auth: 'on', allowOverwrite: true });
  const first = await makeChart({ name: 'web', version: '1.0.0' });
  assert.equal((await upload(app.http, 'team', first)).status, 201);
  await app.accounts.grant('team', 'dev', 'admin');
  const set = await app.root.put('/api/admin/repository/immutable?path=team', {}).expect(200);
  assert.equal(set.body.settings.immutable, true);
  const other = await makeChart({ name: 'web', version: '1.0.0', chart: { description: 'other bytes' } });
  return { ...app, first, other };
}

test('an immutable repository refuses an overwrite over HTTP with 409 and the reason, --allow-overwrite and ?force notwithstanding', async (t) => {
  const { http, other, first } = await immutableTeam(t);
  for (const query of ['', '?force']) {
    expectError(
      await upload(http, 'team', other, ROOT, query),
      409,
      `web 1.0.0 already exists in repository "team": ${REASON}`,
    );
  }
  const pkg = await http.get('/team/charts/web-1.0.0.tgz').set('authorization', ROOT).expect(200);
  assert.equal(pkg.headers.etag, `"${sha256(first).slice(7)}"`);
});

test('an immutable repository refuses an overwrite over OCI, by tag and by digest, and its chart tags never move', async (t) => {
  const { http, other, first } = await immutableTeam(t);
  const auth = (r: ReturnType<Http['get']>) => r.set('authorization', ROOT);
  const before = (await auth(http.get('/v2/team/web/manifests/1.0.0')).expect(200)).headers[
    'docker-content-digest'
  ];
  const authed = withAuth(http, ROOT);
  const byTag = await pushChart(authed, 'team/web', other, { name: 'web', version: '1.0.0' });
  assert.equal(byTag.res.status, 403, byTag.res.text);
  assert.deepEqual(ociError(byTag.res), {
    code: 'DENIED',
    message: `repository "team" is immutable: the tag "1.0.0" of team/web names ${before} and never moves`,
    detail: null,
  });
  const byDigest = await pushChart(
    authed,
    'team/web',
    other,
    { name: 'web', version: '1.0.0' },
    { byDigest: true },
  );
  assert.equal(byDigest.res.status, 403);
  assert.equal(
    ociError(byDigest.res)?.message,
    `web 1.0.0 already exists in repository "team" with different content, and versions cannot be overwritten: ${REASON}`,
  );
  // the same package with another manifest (another created time) does not take the tag either
  const again = await pushChart(
    authed,
    'team/web',
    first,
    { name: 'web', version: '1.0.0' },
    { created: '2030-01-01T00:00:00Z' },
  );
  assert.equal(again.res.status, 403);
  assert.equal(
    (await auth(http.get('/v2/team/web/manifests/1.0.0')).expect(200)).headers['docker-content-digest'],
    before,
  );
  // the manifest the tag names may be pushed again: nothing moves
  const current = (await auth(http.get('/v2/team/web/manifests/1.0.0')).expect(200)).text;
  const same = await putManifest(authed, 'team/web', '1.0.0', Buffer.from(current));
  assert.equal(same.status, 201, same.text);
});

test('the tag of other OCI content never moves in an immutable repository', async (t) => {
  const { http, stores } = await buildTestApp(t);
  // other OCI content alone makes no repository row: the repository is created first, as `repo create` does
  await stores.auth.ensureRepository('team', 'public', new Date().toISOString());
  const image = await pushImage(http, 'team/app', 'stable', 'one');
  await createLifecycle(stores).setImmutable('team');
  const config = await http.get(`/v2/team/app/manifests/stable`).expect(200);
  assert.equal(config.headers['docker-content-digest'], image.digest);
  const res = await putManifest(
    http,
    'team/app',
    'stable',
    Buffer.from(JSON.stringify({ ...JSON.parse(image.bytes.toString()), annotations: { a: 'b' } })),
  );
  assert.equal(res.status, 403);
  assert.equal(
    ociError(res)?.message,
    `repository "team" is immutable: the tag "stable" of team/app names ${image.digest} and never moves`,
  );
  // a new tag is fine
  await pushImage(http, 'team/app', 'next', 'two');
});

test('only a server admin deletes from an immutable repository, over either protocol; others get 403 with the reason', async (t) => {
  const { http, root } = await immutableTeam(t);
  const why = 'repository "team" is immutable: only a server admin may delete from it';
  // dev administers the repository, which would let them delete anywhere else
  expectError(await http.delete('/api/team/charts/web/1.0.0').set('authorization', DEV), 403, why);
  const oci = await http.delete('/v2/team/web/manifests/1.0.0').set('authorization', DEV);
  assert.equal(oci.status, 403);
  assert.deepEqual(ociError(oci), { code: 'DENIED', message: why, detail: null });
  await root.get('/team/charts/web-1.0.0.tgz').expect(200);
  assert.deepEqual((await root.delete('/api/team/charts/web/1.0.0').expect(200)).body, { deleted: true });
  await root.get('/team/charts/web-1.0.0.tgz').expect(404);
});

test('with --auth off, a delete from an immutable repository asks for a server admin’s credentials', async (t) => {
  const { http, stores } = await adminTestApp(t, { auth: 'off' });
  await upload(http, 'team', await makeChart({ name: 'web', version: '1.0.0' })).expect(201);
  await createLifecycle(stores).setImmutable('team');
  const why = 'repository "team" is immutable: only a server admin may delete from it';
  const anonymous = await http.delete('/api/team/charts/web/1.0.0');
  expectError(anonymous, 401, why);
  assert.match(String(anonymous.headers['www-authenticate']), /^Basic/);
  expectError(await http.delete('/api/team/charts/web/1.0.0').set('authorization', DEV), 403, why);
  await http.delete('/v2/team/web/manifests/1.0.0').set('authorization', ROOT).expect(202);
});

test('a version deleted from an immutable repository comes back only with the package it had', async (t) => {
  const { http, root, first, other } = await immutableTeam(t);
  await root.delete('/api/team/charts/web/1.0.0').expect(200);
  const message =
    'web 1.0.0 was deleted from repository "team", which is immutable: the version can only come back with the package it had';
  expectError(await upload(http, 'team', other), 409, message);
  const authed = withAuth(http, ROOT);
  const oci = await pushChart(authed, 'team/web', other, { name: 'web', version: '1.0.0' });
  assert.equal(oci.res.status, 403);
  assert.equal(ociError(oci.res)?.message, message);
  assert.equal((await upload(http, 'team', first)).status, 201);
  // deleted over OCI, the same holds
  await http.delete('/v2/team/web/manifests/1.0.0').set('authorization', ROOT).expect(202);
  expectError(await upload(http, 'team', other), 409, message);
});

test('packages by name of an immutable repository are cached forever; elsewhere they are revalidated', async (t) => {
  const { http, stores } = await buildTestApp(t);
  const tgz = await makeChart({ name: 'web', version: '1.0.0' });
  for (const repo of ['frozen', 'open']) await upload(http, repo, tgz).expect(201);
  await createLifecycle(stores).setImmutable('frozen');
  const frozen = await http.get('/frozen/charts/web-1.0.0.tgz').expect(200);
  assert.equal(frozen.headers['cache-control'], 'public, max-age=31536000, immutable');
  const open = await http.get('/open/charts/web-1.0.0.tgz').expect(200);
  assert.equal(open.headers['cache-control'], 'no-cache');
});

test('immutability is one-way: the admin API has no way back, and sets it only for server admins', async (t) => {
  const { root, dev } = await adminTestApp(t, { auth: 'on' });
  await root.post('/api/admin/repositories', { path: 'team' }).expect(201);
  expectError(await dev.put('/api/admin/repository/immutable?path=team', {}), 403, 'forbidden');
  await root.put('/api/admin/repository/immutable?path=team', {}).expect(200);
  expectError(await root.delete('/api/admin/repository/immutable?path=team'), 404);
  assert.equal(
    (await root.get('/api/admin/repository/settings?path=team').expect(200)).body.settings.immutable,
    true,
  );
  expectError(
    await root.put('/api/admin/repository/immutable?path=nope', {}),
    404,
    'repository "nope" does not exist',
  );
});

test('a provenance file cannot join a stored version of an immutable repository later, over either protocol', async (t) => {
  const { http, first } = await immutableTeam(t);
  const message =
    'web 1.0.0 is stored in repository "team" without a provenance file, and the repository is immutable: a provenance file comes only with its chart, as adding one later would move the version\'s OCI tag';
  const prov = provenanceDocument('web', '1.0.0', { 'web-1.0.0.tgz': sha256(first) });
  const alone = await http
    .post('/api/team/prov')
    .set('authorization', ROOT)
    .set('content-type', 'application/octet-stream')
    .send(prov);
  expectError(alone, 409, message);
  const authed = withAuth(http, ROOT);
  const oci = await pushChart(
    authed,
    'team/web',
    first,
    { name: 'web', version: '1.0.0' },
    { byDigest: true, prov },
  );
  assert.equal(oci.res.status, 403, oci.res.text);
  assert.equal(ociError(oci.res)?.message, message);
  await http.get('/team/charts/web-1.0.0.tgz.prov').set('authorization', ROOT).expect(404);
});
