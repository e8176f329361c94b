import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AuthStore } from '../../src/auth/auth-store.js';
import { isRegistryError } from '../../src/errors.js';
import { openedPerTest } from './opened-per-test.js';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-02-01T00:00:00.000Z';

const user = (name: string, admin = false) => ({
  name,
  passwordHash: `scrypt$hash-of-${name}`,
  admin,
  created: T0,
});

/** The behaviour every AuthStore implementation promises; a backend's test calls this once. */
export function authStoreContract(name: string, open: () => Promise<AuthStore>): void {
  describe(`${name} AuthStore contract`, () => {
    const store = openedPerTest(open);

    test('users are created, read with their hash, listed without it, and names are unique', async (t) => {
      const s = await store(t);
      await s.createUser(user('bob'));
      await s.createUser(user('alice', true));
      assert.deepEqual(await s.getUser('alice'), {
        name: 'alice',
        admin: true,
        created: T0,
        passwordHash: 'scrypt$hash-of-alice',
      });
      assert.equal(await s.getUser('carol'), undefined);
      assert.deepEqual(await s.listUsers(), [
        { name: 'alice', admin: true, created: T0 },
        { name: 'bob', admin: false, created: T0 },
      ]);
      await assert.rejects(s.createUser(user('bob')), (err) => isRegistryError(err, 'USER_EXISTS'));
    });

    test('countAdmins follows creation, promotion, demotion and removal', async (t) => {
      const s = await store(t);
      assert.equal(await s.countAdmins(), 0);
      await s.createUser(user('bob'));
      assert.equal(await s.countAdmins(), 0);
      assert.equal(await s.setAdmin('bob', true), true);
      assert.equal(await s.countAdmins(), 1);
      await s.createUser(user('alice', true));
      assert.equal(await s.countAdmins(), 2);
      assert.equal(await s.setAdmin('bob', false), true);
      assert.equal(await s.removeUser('alice'), true);
      assert.equal(await s.countAdmins(), 0);
      assert.equal(await s.setAdmin('nobody', true), false);
      assert.equal(await s.removeUser('alice'), false);
    });

    test('setPassword replaces the stored hash, and is false for an unknown user', async (t) => {
      const s = await store(t);
      await s.createUser(user('bob'));
      assert.equal(await s.setPassword('bob', 'scrypt$new'), true);
      assert.equal((await s.getUser('bob'))?.passwordHash, 'scrypt$new');
      assert.equal(await s.setPassword('nobody', 'scrypt$new'), false);
    });

    test('a token is found by its hash with its owner, expiry, revocation and last use', async (t) => {
      const s = await store(t);
      await s.createUser(user('bob'));
      const created = await s.createToken({ user: 'bob', name: 'ci', hash: 'h1', created: T0, expires: T1 });
      assert.deepEqual(created, { id: created.id, user: 'bob', name: 'ci', created: T0, expires: T1 });
      assert.deepEqual(await s.findToken('h1'), created);
      assert.equal(await s.findToken('h2'), undefined);
      await s.touchToken(created.id, T1);
      assert.equal((await s.findToken('h1'))?.lastUsed, T1);
      assert.equal(await s.revokeToken('bob', 'ci', T1), true);
      assert.equal(await s.revokeToken('bob', 'ci', '2026-03-01T00:00:00.000Z'), true);
      assert.equal((await s.findToken('h1'))?.revoked, T1, 'the first revocation time stays');
      assert.equal(await s.revokeToken('bob', 'other', T1), false);
      assert.equal(await s.revokeToken('alice', 'ci', T1), false);
    });

    test('token names are unique per user, and an unknown user has no tokens', async (t) => {
      const s = await store(t);
      await s.createUser(user('bob'));
      await s.createUser(user('alice'));
      await s.createToken({ user: 'bob', name: 'ci', hash: 'h1', created: T0 });
      await s.createToken({ user: 'alice', name: 'ci', hash: 'h2', created: T0 });
      await assert.rejects(s.createToken({ user: 'bob', name: 'ci', hash: 'h3', created: T0 }), (err) =>
        isRegistryError(err, 'TOKEN_EXISTS'),
      );
      await assert.rejects(s.createToken({ user: 'carol', name: 'ci', hash: 'h4', created: T0 }), (err) =>
        isRegistryError(err, 'USER_NOT_FOUND'),
      );
      assert.deepEqual(
        (await s.listTokens()).map((tok) => `${tok.user}/${tok.name}`),
        ['alice/ci', 'bob/ci'],
      );
      assert.deepEqual(
        (await s.listTokens('bob')).map((tok) => tok.name),
        ['ci'],
      );
      assert.deepEqual(await s.listTokens('carol'), []);
    });

    test('removing a user removes their tokens and memberships', async (t) => {
      const s = await store(t);
      await s.createUser(user('bob'));
      await s.createToken({ user: 'bob', name: 'ci', hash: 'h1', created: T0 });
      await s.ensureRepository('team', 'private', T0);
      await s.grant('team', 'bob', 'write');
      assert.equal(await s.removeUser('bob'), true);
      assert.equal(await s.findToken('h1'), undefined);
      assert.deepEqual((await s.getRepositoryAccess('team'))?.members, []);
      await s.createUser(user('bob'));
      assert.equal(await s.roleOf('team', 'bob'), undefined, 'a new user of the same name inherits nothing');
    });

    test('ensureRepository creates a repository once and keeps the first visibility set', async (t) => {
      const s = await store(t);
      assert.equal(await s.getRepositoryAccess('team'), undefined);
      assert.equal(await s.ensureRepository('team', 'private', T0), 'private');
      assert.equal(await s.ensureRepository('team', 'public', T0), 'private');
      assert.deepEqual(await s.getRepositoryAccess('team'), {
        path: 'team',
        visibility: 'private',
        members: [],
      });
      assert.equal(await s.setVisibility('team', 'public'), true);
      assert.equal((await s.getRepositoryAccess('team'))?.visibility, 'public');
      assert.equal(await s.setVisibility('nowhere', 'public'), false);
    });

    test('the root repository exists with no visibility until one is set', async (t) => {
      const s = await store(t);
      assert.deepEqual(await s.getRepositoryAccess(''), { path: '', members: [] });
      assert.deepEqual(await s.accessOf(''), {});
      assert.equal(await s.ensureRepository('', 'public', T0), 'public');
    });

    test('grant sets or replaces one role, revoke removes it, and both name what is missing', async (t) => {
      const s = await store(t);
      await s.createUser(user('bob'));
      await s.createUser(user('alice'));
      await s.ensureRepository('team', 'private', T0);
      await s.grant('team', 'bob', 'read');
      await s.grant('team', 'bob', 'admin');
      await s.grant('team', 'alice', 'write');
      assert.equal(await s.roleOf('team', 'bob'), 'admin');
      assert.deepEqual((await s.getRepositoryAccess('team'))?.members, [
        { user: 'alice', role: 'write' },
        { user: 'bob', role: 'admin' },
      ]);
      await assert.rejects(s.grant('team', 'carol', 'read'), (err) => isRegistryError(err, 'USER_NOT_FOUND'));
      await assert.rejects(s.grant('other', 'bob', 'read'), (err) =>
        isRegistryError(err, 'REPOSITORY_NOT_FOUND'),
      );
      assert.equal(await s.revoke('team', 'bob'), true);
      assert.equal(await s.revoke('team', 'bob'), false);
      assert.equal(await s.roleOf('team', 'bob'), undefined);
    });

    test("accessOf reads visibility and one user's role, and is undefined for a missing repository", async (t) => {
      const s = await store(t);
      await s.createUser(user('bob'));
      await s.ensureRepository('team', 'private', T0);
      await s.grant('team', 'bob', 'write');
      assert.deepEqual(await s.accessOf('team', 'bob'), { visibility: 'private', role: 'write' });
      assert.deepEqual(await s.accessOf('team', 'alice'), { visibility: 'private' });
      assert.deepEqual(await s.accessOf('team'), { visibility: 'private' });
      assert.equal(await s.accessOf('nowhere', 'bob'), undefined);
    });

    test('listRepositoryAccess lists every repository with its members, in path order', async (t) => {
      const s = await store(t);
      await s.createUser(user('bob'));
      await s.ensureRepository('team/b', 'public', T0);
      await s.ensureRepository('team/a', 'private', T0);
      await s.grant('team/a', 'bob', 'read');
      assert.deepEqual(await s.listRepositoryAccess(), [
        { path: '', members: [] },
        { path: 'team/a', visibility: 'private', members: [{ user: 'bob', role: 'read' }] },
        { path: 'team/b', visibility: 'public', members: [] },
      ]);
    });
  });
}
