import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adminTestApp, expectError } from './admin-fixtures.js';

test('repositories: list, create, get and change visibility by path in the query', async (t) => {
  const { root } = await adminTestApp(t, { anonymousRead: false });
  const created = await root.post('/api/admin/repositories', { path: 'team/apps', visibility: 'public' });
  assert.equal(created.status, 201);
  assert.deepEqual(created.body.repository, {
    path: 'team/apps',
    visibility: 'public',
    visibilityIsDefault: false,
    members: [],
  });
  assert.equal(
    (await root.post('/api/admin/repositories', { path: 'internal' })).body.repository.visibility,
    'private',
  );

  const listed = await root.get('/api/admin/repositories');
  assert.equal(listed.status, 200);
  assert.deepEqual(
    listed.body.repositories.map(
      (repo: { path: string; visibility: string }) => `${repo.path}:${repo.visibility}`,
    ),
    [':private', 'internal:private', 'team/apps:public'],
  );
  const one = await root.get('/api/admin/repository?path=team/apps');
  assert.deepEqual(one.body, created.body);
  assert.equal((await root.get('/api/admin/repository?path=%2F')).body.repository.path, '');

  const changed = await root.patch('/api/admin/repository?path=team/apps', { visibility: 'private' });
  assert.equal(changed.status, 200);
  assert.equal(changed.body.repository.visibility, 'private');
  assert.equal(
    (await root.get('/api/admin/repository?path=team/apps')).body.repository.visibility,
    'private',
  );
});

test('repositories: every refusal has its status and a message', async (t) => {
  const { root } = await adminTestApp(t);
  await root.post('/api/admin/repositories', { path: 'team' });
  expectError(
    await root.post('/api/admin/repositories', { path: 'team' }),
    409,
    'repository "team" already exists',
  );
  expectError(
    await root.post('/api/admin/repositories', { path: 'Team' }),
    400,
    /repository "Team" is not valid/,
  );
  expectError(await root.post('/api/admin/repositories', { path: 'a/charts' }), 400, /reserved word/);
  expectError(
    await root.post('/api/admin/repositories', { path: 'x', visibility: 'secret' }),
    400,
    'invalid request: body/visibility must be one of public, private',
  );
  expectError(await root.get('/api/admin/repository'), 400, /querystring must have required property 'path'/);
  expectError(await root.get('/api/admin/repository?path=nowhere'), 404, 'no repository "nowhere"');
  expectError(await root.patch('/api/admin/repository?path=nowhere', { visibility: 'public' }), 404);
  expectError(
    await root.patch('/api/admin/repository?path=team', { visibility: 'open' }),
    400,
    /public, private/,
  );
  expectError(
    await root.patch('/api/admin/repository?path=team', { visibility: 'public', visibilty: 'public' }),
    400,
    /unknown property "visibilty"/,
  );
});

test('members: granted, replaced and revoked by a server admin', async (t) => {
  const { root } = await adminTestApp(t);
  await root.post('/api/admin/repositories', { path: 'team/apps' });
  const granted = await root.put('/api/admin/repository/members/dev?path=team/apps', { role: 'read' });
  assert.equal(granted.status, 200);
  assert.deepEqual(granted.body.repository.members, [{ user: 'dev', role: 'read' }]);
  const replaced = await root.put('/api/admin/repository/members/dev?path=team/apps', { role: 'write' });
  assert.deepEqual(replaced.body.repository.members, [{ user: 'dev', role: 'write' }]);
  const revoked = await root.delete('/api/admin/repository/members/dev?path=team/apps');
  assert.deepEqual([revoked.status, revoked.body.repository.members], [200, []]);

  expectError(await root.delete('/api/admin/repository/members/dev?path=team/apps'), 404, /has no role/);
  expectError(
    await root.put('/api/admin/repository/members/nobody?path=team/apps', { role: 'read' }),
    404,
    /no user/,
  );
  expectError(
    await root.put('/api/admin/repository/members/dev?path=nowhere', { role: 'read' }),
    404,
    /no repository/,
  );
  expectError(
    await root.put('/api/admin/repository/members/dev?path=team/apps', { role: 'owner' }),
    400,
    /read, write, admin/,
  );
  expectError(await root.put('/api/admin/repository/members/dev?path=team/apps', {}), 400, /role/);
});

test('members: a repository admin manages the members of their repository and nothing else', async (t) => {
  const { root, dev, accounts } = await adminTestApp(t);
  await accounts.addUser('carol', 'carol password');
  await accounts.createRepository('team', 'private');
  await accounts.createRepository('other', 'private');
  await accounts.grant('team', 'dev', 'admin');
  await accounts.grant('other', 'dev', 'write');

  assert.equal(
    (await dev.put('/api/admin/repository/members/carol?path=team', { role: 'write' })).status,
    200,
  );
  const afterRevoke = await dev.delete('/api/admin/repository/members/carol?path=team');
  assert.deepEqual(afterRevoke.body.repository.members, [{ user: 'dev', role: 'admin' }]);

  // a write role is not enough; a repository that does not exist answers the same 403
  expectError(
    await dev.put('/api/admin/repository/members/carol?path=other', { role: 'read' }),
    403,
    'forbidden',
  );
  expectError(
    await dev.put('/api/admin/repository/members/carol?path=ghost', { role: 'read' }),
    403,
    'forbidden',
  );
  expectError(await dev.delete('/api/admin/repository/members/dev?path=other'), 403);
  assert.deepEqual((await dev.get('/api/admin/repository?path=team')).body.repository.members, [
    { user: 'dev', role: 'admin' },
  ]);
  expectError(await dev.get('/api/admin/repository?path=other'), 403);
  expectError(await dev.get('/api/admin/repository?path=ghost'), 403);
  expectError(await dev.patch('/api/admin/repository?path=team', { visibility: 'public' }), 403);
  assert.deepEqual((await root.get('/api/admin/repository?path=other')).body.repository.members, [
    { user: 'dev', role: 'write' },
  ]);
});

test('a repository named "admin" keeps its chart API', async (t) => {
  const { root } = await adminTestApp(t);
  await root.post('/api/admin/repositories', { path: 'admin' });
  const charts = await root.get('/api/admin/charts');
  assert.equal(charts.status, 200);
  assert.deepEqual(charts.body, {});
});
