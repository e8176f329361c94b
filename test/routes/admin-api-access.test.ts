import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuthMode } from '../../src/auth/access-control.js';
import { createLoginLimiter } from '../../src/auth/login-limiter.js';
import { adminTestApp, basic, expectError } from './admin-fixtures.js';

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
const serverAdminRoutes: Array<[Method, string, object?]> = [
  ['get', '/api/admin/users'],
  ['post', '/api/admin/users', { name: 'eve', password: 'eve password' }],
  ['get', '/api/admin/users/dev'],
  ['patch', '/api/admin/users/dev', { admin: true }],
  ['delete', '/api/admin/users/dev'],
  ['get', '/api/admin/users/dev/tokens'],
  ['post', '/api/admin/users/dev/tokens', { name: 'mine' }],
  ['delete', '/api/admin/users/root/tokens/ci'],
  ['get', '/api/admin/repositories'],
  ['post', '/api/admin/repositories', { path: 'mine' }],
  ['patch', '/api/admin/repository?path=team', { visibility: 'public' }],
];
const repositoryAdminRoutes: Array<[Method, string, object?]> = [
  ['get', '/api/admin/repository?path=team'],
  ['put', '/api/admin/repository/members/dev?path=team', { role: 'admin' }],
  ['delete', '/api/admin/repository/members/root?path=team'],
];

function send(
  client: Record<Method, (url: string, body: object) => PromiseLike<import('supertest').Response>>,
  [method, url, body]: [Method, string, object?],
) {
  return client[method](url, body ?? {});
}

for (const mode of ['off', 'auto', 'on'] as AuthMode[]) {
  test(`--auth ${mode}: without credentials every admin route answers 401 with the challenge`, async (t) => {
    const app = await adminTestApp(t, { auth: mode });
    for (const route of [...serverAdminRoutes, ...repositoryAdminRoutes]) {
      const response = await send(app.anonymous, route);
      expectError(response, 401, 'unauthorized');
      assert.equal(response.headers['www-authenticate'], 'Basic realm="Charthouse"', route[1]);
    }
    // credentials are checked before the body: a bad body from nobody is still 401
    expectError(await app.anonymous.post('/api/admin/users', { nonsense: true }), 401);
    expectError(await app.as(basic('root', 'wrong password')).get('/api/admin/users'), 401, 'unauthorized');
    expectError(await app.as(basic('nobody', 'whatever1')).get('/api/admin/users'), 401);
    assert.deepEqual(
      (await app.accounts.listUsers()).map((user) => `${user.name}:${user.admin}`),
      ['dev:false', 'root:true'],
    );
  });
}

test('a user who is not a server admin gets 403 and changes nothing', async (t) => {
  const app = await adminTestApp(t);
  await app.accounts.createRepository('team', 'private');
  await app.accounts.grant('team', 'dev', 'write');
  await app.accounts.grant('team', 'root', 'read');
  await app.accounts.createToken('root', 'ci');
  const devToken = await app.accounts.createToken('dev', 'laptop');
  for (const client of [
    app.dev,
    app.as(`Bearer ${devToken.secret}`),
    app.as(basic('dev', devToken.secret)),
  ]) {
    for (const route of [...serverAdminRoutes, ...repositoryAdminRoutes]) {
      expectError(await send(client, route), 403, 'forbidden');
    }
  }
  assert.deepEqual((await app.accounts.getRepository('team')).members, [
    { user: 'dev', role: 'write' },
    { user: 'root', role: 'read' },
  ]);
  assert.equal((await app.accounts.getUser('dev')).admin, false);
  assert.equal((await app.accounts.listTokens('root'))[0]?.status, 'active');
});

test('a server admin may use a token as well as the password', async (t) => {
  const app = await adminTestApp(t);
  const { secret } = await app.accounts.createToken('root', 'automation');
  for (const client of [app.root, app.as(`Bearer ${secret}`), app.as(basic('root', secret))]) {
    const response = await client.get('/api/admin/users');
    assert.equal(response.status, 200);
    assert.deepEqual(
      response.body.users.map((user: { name: string }) => user.name),
      ['dev', 'root'],
    );
  }
  await app.accounts.revokeToken('root', 'automation');
  expectError(await app.as(`Bearer ${secret}`).get('/api/admin/users'), 401);
});

test('--disable-api removes the admin API; a context path prefixes it', async (t) => {
  const disabled = await adminTestApp(t, { disableApi: true });
  expectError(await disabled.root.get('/api/admin/users'), 404, 'not found');
  const prefixed = await adminTestApp(t, { contextPath: '/charts-here' });
  assert.equal((await prefixed.root.get('/charts-here/api/admin/users')).status, 200);
  expectError(await prefixed.root.get('/api/admin/users'), 404);
});

test('failed logins on the admin API are throttled like everywhere else', async (t) => {
  const limiter = createLoginLimiter({ maxFailures: 2 });
  const app = await adminTestApp(t, {}, { authenticator: { limiter } });
  const guesser = app.as(basic('root', 'guess number 1'));
  expectError(await guesser.get('/api/admin/users'), 401);
  expectError(await guesser.get('/api/admin/users'), 401);
  const throttled = await app.root.get('/api/admin/users');
  expectError(throttled, 429, /too many failed logins/);
  assert.match(String(throttled.headers['retry-after']), /^[1-9]\d*$/);
});
