import assert from 'node:assert/strict';
import { test } from 'node:test';
import { verifyPassword } from '../../src/auth/passwords.js';
import { hashToken, looksLikeToken } from '../../src/auth/tokens.js';
import { adminTestApp, basic, DEV_PASSWORD, expectError, ROOT_PASSWORD } from './admin-fixtures.js';

test('users: list, create, get, change, delete', async (t) => {
  const { root, stores, as } = await adminTestApp(t);
  const listed = await root.get('/api/admin/users');
  assert.equal(listed.status, 200);
  assert.deepEqual(
    listed.body.users.map((user: { name: string; admin: boolean }) => [user.name, user.admin]),
    [
      ['dev', false],
      ['root', true],
    ],
  );

  const created = await root.post('/api/admin/users', { name: 'ops', password: 'ops password', admin: true });
  assert.equal(created.status, 201);
  assert.deepEqual(Object.keys(created.body.user).sort(), ['admin', 'created', 'name']);
  assert.equal(created.body.user.admin, true);
  assert.equal((await as(basic('ops', 'ops password')).get('/api/admin/users')).status, 200);
  assert.deepEqual((await root.get('/api/admin/users/ops')).body.user, created.body.user);

  const changed = await root.patch('/api/admin/users/dev', { password: 'a new password', admin: true });
  assert.equal(changed.status, 200);
  assert.equal(changed.body.user.admin, true);
  const dev = await stores.auth.getUser('dev');
  assert.ok(dev && (await verifyPassword('a new password', dev.passwordHash)));
  expectError(await as(basic('dev', DEV_PASSWORD)).get('/api/admin/users'), 401);
  assert.equal((await as(basic('dev', 'a new password')).get('/api/admin/users')).status, 200);
  assert.equal((await root.patch('/api/admin/users/dev', { admin: false })).body.user.admin, false);

  const deleted = await root.delete('/api/admin/users/ops');
  assert.equal(deleted.status, 200);
  assert.deepEqual(deleted.body, { deleted: true });
  assert.equal(await stores.auth.getUser('ops'), undefined);
});

test('users: every refusal has its status and a message', async (t) => {
  const { root, accounts, as } = await adminTestApp(t);
  expectError(
    await root.post('/api/admin/users', { name: 'dev', password: 'long enough' }),
    409,
    /already exists/,
  );
  expectError(
    await root.post('/api/admin/users', { name: 'Eve', password: 'long enough' }),
    400,
    /user name "Eve"/,
  );
  expectError(await root.post('/api/admin/users', { name: 'eve', password: 'short' }), 400, /at least 8/);
  expectError(await root.post('/api/admin/users', { name: 'eve' }), 400, /invalid request: .*password/);
  expectError(
    await root.post('/api/admin/users', { name: 'eve', password: 'long enough', admn: true }),
    400,
    /invalid request/,
  );
  expectError(
    await root.post('/api/admin/users', { name: 'eve', password: 'long enough', admin: 'maybe' }),
    400,
    /boolean/,
  );
  expectError(await root.patch('/api/admin/users/dev', {}), 400, /invalid request/);
  expectError(
    await root.patch('/api/admin/users/dev', { password: 'short', admin: true }),
    400,
    /at least 8/,
  );
  assert.equal((await accounts.getUser('dev')).admin, false, 'a refused password changes nothing');
  expectError(await root.get('/api/admin/users/nobody'), 404, 'no user "nobody"');
  expectError(await root.patch('/api/admin/users/nobody', { admin: true }), 404);
  expectError(await root.delete('/api/admin/users/nobody'), 404);
  expectError(await root.patch('/api/admin/users/root', { admin: false }), 409, /last server admin/);
  // refused as a whole: the new password of a refused change does not count either
  expectError(await root.patch('/api/admin/users/root', { password: 'never applied', admin: false }), 409);
  expectError(await as(basic('root', 'never applied')).get('/api/admin/users'), 401);
  expectError(await root.delete('/api/admin/users/root'), 409, /last server admin/);
  assert.equal((await root.post('/api/admin/users', { name: 'eve', password: ROOT_PASSWORD })).status, 201);
});

test('tokens: the secret is answered once, works, and stops working when revoked', async (t) => {
  const { root, stores, as } = await adminTestApp(t);
  const created = await root.post('/api/admin/users/dev/tokens', { name: 'ci', expiresIn: '30d' });
  assert.equal(created.status, 201);
  const { secret, token } = created.body;
  assert.ok(looksLikeToken(secret));
  assert.equal(token.name, 'ci');
  assert.equal(token.status, 'active');
  assert.ok(Date.parse(token.expires) - Date.now() > 29 * 86_400_000);
  assert.equal((await stores.auth.findToken(hashToken(secret)))?.user, 'dev');
  const dated = await root.post('/api/admin/users/dev/tokens', { name: 'dated', expires: '2099-01-31' });
  assert.equal(dated.body.token.expires, '2099-01-31T00:00:00.000Z');

  const listed = await root.get('/api/admin/users/dev/tokens');
  assert.equal(listed.status, 200);
  assert.deepEqual(
    listed.body.tokens.map((entry: { name: string; status: string }) => `${entry.name}:${entry.status}`),
    ['ci:active', 'dated:active'],
  );
  // dev is no server admin: the token authenticates (403, not 401)
  expectError(await as(`Bearer ${secret}`).get('/api/admin/users'), 403);

  const revoked = await root.delete('/api/admin/users/dev/tokens/ci');
  assert.deepEqual([revoked.status, revoked.body], [200, { revoked: true }]);
  expectError(await as(`Bearer ${secret}`).get('/api/admin/users'), 401);
  assert.equal((await root.get('/api/admin/users/dev/tokens')).body.tokens[0].status, 'revoked');
});

test('tokens: every refusal has its status and a message', async (t) => {
  const { root } = await adminTestApp(t);
  await root.post('/api/admin/users/dev/tokens', { name: 'ci' });
  expectError(await root.post('/api/admin/users/dev/tokens', { name: 'ci' }), 409, /already has a token/);
  expectError(await root.post('/api/admin/users/nobody/tokens', { name: 'ci' }), 404, /no user/);
  expectError(await root.post('/api/admin/users/dev/tokens', { name: 'a b' }), 400, /token name/);
  expectError(
    await root.post('/api/admin/users/dev/tokens', { name: 'x', expiresIn: 'soon' }),
    400,
    /duration/,
  );
  expectError(
    await root.post('/api/admin/users/dev/tokens', { name: 'x', expires: '2001-01-01' }),
    400,
    /future/,
  );
  expectError(
    await root.post('/api/admin/users/dev/tokens', { name: 'x', expires: '2099-01-01', expiresIn: '1d' }),
    400,
    /not both/,
  );
  expectError(await root.post('/api/admin/users/dev/tokens', {}), 400, /invalid request/);
  expectError(await root.get('/api/admin/users/nobody/tokens'), 404);
  expectError(
    await root.delete('/api/admin/users/dev/tokens/missing'),
    404,
    'user "dev" has no token "missing"',
  );
  expectError(await root.delete('/api/admin/users/nobody/tokens/ci'), 404, /no user/);
});
