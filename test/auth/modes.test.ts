import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeAccessMode } from '../../src/auth/access-control.js';
import { createServices } from '../../src/services.js';
import { pushChart } from '../oci/oci-client.js';
import { addRepository, addToken, addUser, basic } from '../support/auth.js';
import { buildTestApp, type TestApp } from '../support/build-app.js';
import { makeChart } from '../support/make-chart.js';

async function upload(h: TestApp, repository: string, version: string, authorization?: string) {
  return h.app.inject({
    method: 'POST',
    url: `/api/${repository}/charts`,
    headers: { 'content-type': 'application/gzip', ...(authorization && { authorization }) },
    payload: await makeChart({ name: 'demo', version }),
  });
}

/** Polls `GET /v2/` (which changes nothing) until it answers `status`, for at most 5 s. */
async function waitForV2(h: TestApp, status: number): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    if ((await h.app.inject({ url: '/v2/' })).statusCode === status) return;
    assert.ok(Date.now() < deadline, `GET /v2/ did not answer ${status} within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('--auth auto is open before the first server admin exists, and enforced within a second of it without a restart', async (t) => {
  const h = await buildTestApp(t, { auth: 'auto', anonymousRead: false });
  assert.equal((await upload(h, 'team', '1.0.0')).statusCode, 201, 'anyone may push while there is no admin');
  assert.equal((await h.app.inject({ url: '/v2/' })).statusCode, 200);
  await addUser(h.stores.auth, 'dev', 'dev-password');
  assert.equal((await upload(h, 'team', '1.0.1')).statusCode, 201, 'a user who is not admin changes nothing');

  await addUser(h.stores.auth, 'root', 'root-password', true);
  // auto re-checks for a first admin at most once a second, then never again
  await waitForV2(h, 401);
  assert.equal((await upload(h, 'team', '1.0.2')).statusCode, 401);
  assert.equal(
    (await h.app.inject({ url: '/team/index.yaml' })).statusCode,
    401,
    'team was stored private at its first push',
  );
  assert.equal((await h.app.inject({ url: '/v2/' })).statusCode, 401);
  assert.equal((await upload(h, 'team', '1.0.2', basic('root', 'root-password'))).statusCode, 201);
  assert.equal((await h.app.inject({ url: '/health' })).statusCode, 200, '/health stays open');
});

test('--auth off allows everything even with admins and private repositories', async (t) => {
  const h = await buildTestApp(t, { auth: 'off' });
  await addUser(h.stores.auth, 'root', 'root-password', true);
  assert.equal((await upload(h, 'team', '1.0.0')).statusCode, 201);
  await addRepository(h.stores.auth, 'team', 'private');
  assert.equal((await h.app.inject({ url: '/team/index.yaml' })).statusCode, 200);
  assert.equal(
    (await h.app.inject({ method: 'DELETE', url: '/api/team/charts/demo/1.0.0' })).statusCode,
    200,
  );
  assert.equal((await h.app.inject({ url: '/v2/' })).statusCode, 200);
});

test('a new repository stores the --anonymous-read default of its first push', async (t) => {
  const h = await buildTestApp(t, { auth: 'on', anonymousRead: true });
  await addUser(h.stores.auth, 'root', 'root-password', true);
  await upload(h, 'opened', '1.0.0', basic('root', 'root-password'));
  assert.equal((await h.stores.auth.getRepositoryAccess('opened'))?.visibility, 'public');
  assert.equal((await h.app.inject({ url: '/opened/index.yaml' })).statusCode, 200);
  const refused = await upload(h, 'never', '1.0.0', basic('root', 'wrong-password'));
  assert.equal(refused.statusCode, 401);
  assert.equal(await h.stores.auth.getRepositoryAccess('never'), undefined, 'a refused push creates nothing');
});

test('only a server admin may create a repository by pushing to it', async (t) => {
  const h = await buildTestApp(t, { auth: 'on' });
  await addUser(h.stores.auth, 'root', 'root-password', true);
  await addUser(h.stores.auth, 'dev', 'dev-password');
  const res = await upload(h, 'fresh', '1.0.0', basic('dev', 'dev-password'));
  assert.equal(res.statusCode, 404);
  assert.equal(res.json().error, 'repository "fresh" does not exist');
  const oci = await h.app.inject({
    method: 'POST',
    url: '/v2/fresh/demo/blobs/uploads/',
    headers: { authorization: basic('dev', 'dev-password') },
  });
  assert.equal(oci.statusCode, 404);
  assert.equal(oci.json().errors[0].code, 'NAME_UNKNOWN');
  assert.equal((await upload(h, 'fresh', '1.0.0', basic('root', 'root-password'))).statusCode, 201);
});

test('wrong credentials are 401 even where anonymous reading is allowed', async (t) => {
  const h = await buildTestApp(t, { auth: 'on' });
  await addUser(h.stores.auth, 'root', 'root-password', true);
  assert.equal((await h.app.inject({ url: '/index.yaml' })).statusCode, 200);
  const res = await h.app.inject({ url: '/index.yaml', headers: { authorization: basic('root', 'typo') } });
  assert.equal(res.statusCode, 401);
  assert.equal(res.headers['www-authenticate'], 'Basic realm="Charthouse"');
});

test('a Bearer token pushes and reads like its user (helm cm-push --access-token)', async (t) => {
  const h = await buildTestApp(t, { auth: 'on' });
  await addUser(h.stores.auth, 'root', 'root-password', true);
  await addUser(h.stores.auth, 'ci', 'ci-password');
  assert.equal((await upload(h, 'team', '1.0.0', basic('root', 'root-password'))).statusCode, 201);
  await addRepository(h.stores.auth, 'team', 'private', { ci: 'write' });
  const bearer = `Bearer ${await addToken(h.stores.auth, 'ci', 'deploy')}`;
  assert.equal((await upload(h, 'team', '1.0.1', bearer)).statusCode, 201);
  const index = await h.app.inject({ url: '/team/index.yaml', headers: { authorization: bearer } });
  assert.equal(index.statusCode, 200);
  assert.match(index.body, /version: 1\.0\.1/);
  const deleted = await h.app.inject({
    method: 'DELETE',
    url: '/api/team/charts/demo/1.0.0',
    headers: { authorization: bearer },
  });
  assert.equal(deleted.statusCode, 403, 'deleting needs the repository admin role');
});

test('the start-up description names the mode and warns while anyone can push', async (t) => {
  const h = await buildTestApp(t, { auth: 'auto' });
  const describe = (auth: 'off' | 'on' | 'auto') =>
    describeAccessMode(createServices(h.stores, { ...h.config, auth }).access, { auth, anonymousRead: true });
  assert.match((await describe('off')).warning ?? '', /anyone may read, push and delete/);
  assert.match((await describe('auto')).mode, /not enforced yet/);
  assert.match((await describe('auto')).warning ?? '', /user add <name> --admin/);
  assert.deepEqual(await describe('on'), {
    mode: 'access control is enforced (--auth on); new repositories are public',
  });
  await addUser(h.stores.auth, 'root', 'root-password', true);
  assert.equal((await describe('auto')).warning, undefined);
  assert.match((await describe('auto')).mode, /enforced \(--auth auto\)/);
});

test('an OCI push that creates a repository stores the --anonymous-read default too', async (t) => {
  const h = await buildTestApp(t, { auth: 'auto', anonymousRead: false });
  const tgz = await makeChart({ name: 'demo', version: '1.0.0' });
  await pushChart(h.http, 'fresh/demo', tgz, { name: 'demo', version: '1.0.0' });
  assert.equal((await h.stores.auth.getRepositoryAccess('fresh'))?.visibility, 'private');
});

test('credentials are checked before the body is read: an anonymous oversized push is 401, not 413', async (t) => {
  const h = await buildTestApp(t, { auth: 'on', maxUploadSize: 1024 });
  await addUser(h.stores.auth, 'root', 'root-password', true);
  const body = Buffer.alloc(64 * 1024, 1);
  const chartApi = await h.app.inject({
    method: 'POST',
    url: '/api/team/charts',
    headers: { 'content-type': 'application/gzip' },
    payload: body,
  });
  assert.equal(chartApi.statusCode, 401);
  const oci = await h.app.inject({
    method: 'POST',
    url: '/v2/team/demo/blobs/uploads/?digest=sha256:0000000000000000000000000000000000000000000000000000000000000000',
    headers: { 'content-type': 'application/octet-stream' },
    payload: body,
  });
  assert.equal(oci.statusCode, 401);
});
