import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAccounts } from '../../src/auth/accounts.js';
import { verifyPassword } from '../../src/auth/passwords.js';
import { hashToken, looksLikeToken } from '../../src/auth/tokens.js';
import { type ErrorCode, isRegistryError } from '../../src/errors.js';
import { createSqliteAuthStore } from '../../src/store/sqlite-auth-store.js';

const START = new Date('2026-11-23T12:00:00.000Z');

function setUp(t: { after(fn: () => unknown): void }, anonymousRead = true) {
  const store = createSqliteAuthStore(':memory:');
  t.after(() => store.db.close());
  let clock = START;
  const accounts = createAccounts({ store, anonymousRead, now: () => clock });
  return { store, accounts, advance: (ms: number) => (clock = new Date(clock.getTime() + ms)) };
}

const refusedWith = (code: ErrorCode, message?: RegExp) => (err: unknown) => {
  assert.ok(isRegistryError(err, code), `expected ${code}, got ${String(err)}`);
  if (message) assert.match(err.message, message);
  return true;
};

const PASSWORD = 'correct horse battery';

test('users are added with a hashed password and listed without it', async (t) => {
  const { store, accounts } = setUp(t);
  assert.deepEqual(await accounts.addUser('alice', PASSWORD, { admin: true }), {
    name: 'alice',
    admin: true,
    created: START.toISOString(),
  });
  await accounts.addUser('bob', PASSWORD);
  assert.deepEqual(
    (await accounts.listUsers()).map((user) => [user.name, user.admin, Object.keys(user).sort().join()]),
    [
      ['alice', true, 'admin,created,name'],
      ['bob', false, 'admin,created,name'],
    ],
  );
  const stored = await store.getUser('alice');
  assert.ok(
    stored && stored.passwordHash !== PASSWORD && (await verifyPassword(PASSWORD, stored.passwordHash)),
  );
  assert.equal(await store.countAdmins(), 1);
});

test('bad user names, short passwords and taken names are refused', async (t) => {
  const { accounts } = setUp(t);
  for (const name of ['', 'Alice', 'al:ice', '-alice', 'a'.repeat(65), 'al ice']) {
    await assert.rejects(accounts.addUser(name, PASSWORD), refusedWith('USER_INVALID', /user name/), name);
  }
  await assert.rejects(accounts.addUser('alice', 'short'), refusedWith('USER_INVALID', /at least 8/));
  await accounts.addUser('alice', PASSWORD);
  await assert.rejects(accounts.addUser('alice', PASSWORD), refusedWith('USER_EXISTS'));
});

test('passwords change, admins are promoted and demoted, but the last admin stays', async (t) => {
  const { store, accounts } = setUp(t);
  await accounts.addUser('root', PASSWORD, { admin: true });
  await accounts.addUser('bob', PASSWORD);
  await accounts.setPassword('bob', 'another password');
  const bob = await store.getUser('bob');
  assert.ok(bob && (await verifyPassword('another password', bob.passwordHash)));
  await assert.rejects(accounts.setPassword('bob', 'short'), refusedWith('USER_INVALID'));
  await assert.rejects(accounts.setPassword('nobody', PASSWORD), refusedWith('USER_NOT_FOUND', /"nobody"/));

  await assert.rejects(accounts.setAdmin('root', false), refusedWith('LAST_ADMIN', /last server admin/));
  await assert.rejects(accounts.removeUser('root'), refusedWith('LAST_ADMIN'));
  assert.equal((await accounts.setAdmin('bob', true)).admin, true);
  assert.equal((await accounts.setAdmin('root', false)).admin, false);
  await accounts.removeUser('root');
  assert.deepEqual(
    (await accounts.listUsers()).map((user) => user.name),
    ['bob'],
  );
  await assert.rejects(accounts.removeUser('root'), refusedWith('USER_NOT_FOUND'));
});

test('a token is returned once, stored as a hash, and belongs to its user', async (t) => {
  const { store, accounts } = setUp(t);
  await accounts.addUser('ci', PASSWORD);
  const { token, secret } = await accounts.createToken('ci', 'deploy', { expiresIn: '30d' });
  assert.ok(looksLikeToken(secret));
  assert.deepEqual(token, {
    user: 'ci',
    name: 'deploy',
    created: START.toISOString(),
    expires: '2026-12-23T12:00:00.000Z',
    status: 'active',
  });
  const found = await store.findToken(hashToken(secret));
  assert.equal(found?.user, 'ci');
  assert.equal(found?.name, 'deploy');
  assert.doesNotMatch(JSON.stringify(await accounts.listTokens()), new RegExp(secret));
  await assert.rejects(accounts.createToken('ci', 'deploy'), refusedWith('TOKEN_EXISTS'));
  await assert.rejects(accounts.createToken('nobody', 'deploy'), refusedWith('USER_NOT_FOUND'));
});

test('token names and expiries are checked', async (t) => {
  const { accounts } = setUp(t);
  await accounts.addUser('ci', PASSWORD);
  const dated = await accounts.createToken('ci', 'dated', { expires: '2027-01-31' });
  assert.equal(dated.token.expires, '2027-01-31T00:00:00.000Z');
  const forever = await accounts.createToken('ci', 'forever');
  assert.equal(forever.token.expires, undefined);
  const refusals: Array<[string, Parameters<typeof accounts.createToken>[2], RegExp]> = [
    ['bad name!', {}, /token name/],
    ['a', { expiresIn: 'soon' }, /is not a duration/],
    ['a', { expiresIn: '0' }, /future/],
    ['a', { expires: '2020-01-01' }, /future/],
    ['a', { expires: 'next tuesday' }, /ISO date/],
    ['a', { expires: '2027-02-31T00:00:00Z' }, /ISO date|future/],
    ['a', { expires: '2027-01-01', expiresIn: '1d' }, /not both/],
  ];
  for (const [name, expiry, message] of refusals) {
    await assert.rejects(
      accounts.createToken('ci', name, expiry),
      refusedWith('TOKEN_INVALID', message),
      name,
    );
  }
});

test('token list shows expired and revoked tokens as such; revoking is per user', async (t) => {
  const { accounts, advance } = setUp(t);
  await accounts.addUser('ci', PASSWORD);
  await accounts.addUser('dev', PASSWORD);
  await accounts.createToken('ci', 'short', { expiresIn: '1h' });
  await accounts.createToken('ci', 'kept');
  await accounts.createToken('dev', 'kept');
  await accounts.revokeToken('ci', 'kept');
  await assert.rejects(
    accounts.revokeToken('ci', 'missing'),
    refusedWith('TOKEN_NOT_FOUND', /"ci" has no token/),
  );
  await assert.rejects(accounts.listTokens('nobody'), refusedWith('USER_NOT_FOUND'));
  advance(2 * 3_600_000);
  assert.deepEqual(
    (await accounts.listTokens()).map((token) => `${token.user}/${token.name}:${token.status}`),
    ['ci/kept:revoked', 'ci/short:expired', 'dev/kept:active'],
  );
  assert.deepEqual(
    (await accounts.listTokens('dev')).map((token) => token.name),
    ['kept'],
  );
});

test('repositories are created with a visibility, which falls back to the server default', async (t) => {
  const { accounts } = setUp(t, false);
  const created = await accounts.createRepository('/team/apps/', 'public');
  assert.deepEqual(created, {
    path: 'team/apps',
    visibility: 'public',
    visibilityIsDefault: false,
    members: [],
  });
  assert.equal((await accounts.createRepository('internal')).visibility, 'private');
  await assert.rejects(accounts.createRepository('team/apps'), refusedWith('REPOSITORY_EXISTS'));
  await assert.rejects(accounts.createRepository('/'), refusedWith('REPOSITORY_EXISTS', /root repository/));
  await assert.rejects(accounts.createRepository('Team'), refusedWith('REPOSITORY_INVALID'));
  await assert.rejects(accounts.createRepository('a/b/c/d'), refusedWith('REPOSITORY_INVALID'));
  await assert.rejects(
    accounts.createRepository('x', 'secret'),
    refusedWith('PERMISSION_INVALID', /public, private/),
  );
  const listed = await accounts.listRepositories();
  assert.deepEqual(
    listed.map((repo) => [repo.path, repo.visibility, repo.visibilityIsDefault]),
    [
      ['', 'private', true],
      ['internal', 'private', false],
      ['team/apps', 'public', false],
    ],
  );
  assert.equal((await accounts.setVisibility('team/apps', 'private')).visibility, 'private');
  assert.equal((await accounts.setVisibility('/', 'public')).visibilityIsDefault, false);
  await assert.rejects(accounts.setVisibility('nowhere', 'public'), refusedWith('REPOSITORY_NOT_FOUND'));
  await assert.rejects(accounts.setVisibility('internal', 'open'), refusedWith('PERMISSION_INVALID'));
});

test('members are granted one role, replaced, revoked, and removed with their user', async (t) => {
  const { accounts } = setUp(t);
  await accounts.addUser('alice', PASSWORD);
  await accounts.addUser('bob', PASSWORD);
  await accounts.createRepository('team');
  await accounts.grant('team', 'alice', 'read');
  const replaced = await accounts.grant('team', 'alice', 'admin');
  await accounts.grant('team', 'bob', 'write');
  assert.deepEqual((await accounts.getRepository('team')).members, [
    { user: 'alice', role: 'admin' },
    { user: 'bob', role: 'write' },
  ]);
  assert.deepEqual(replaced.members, [{ user: 'alice', role: 'admin' }]);
  assert.equal(await accounts.roleOf('team', 'alice'), 'admin');
  await assert.rejects(
    accounts.grant('team', 'alice', 'owner'),
    refusedWith('PERMISSION_INVALID', /read, write, admin/),
  );
  await assert.rejects(accounts.grant('team', 'carol', 'read'), refusedWith('USER_NOT_FOUND'));
  await assert.rejects(accounts.grant('nowhere', 'alice', 'read'), refusedWith('REPOSITORY_NOT_FOUND'));
  assert.deepEqual((await accounts.revoke('team', 'bob')).members, [{ user: 'alice', role: 'admin' }]);
  await assert.rejects(accounts.revoke('team', 'bob'), refusedWith('USER_NOT_FOUND', /no role/));
  await accounts.removeUser('alice');
  assert.deepEqual((await accounts.getRepository('team')).members, []);
});
