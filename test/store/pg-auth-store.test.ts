import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { isRegistryError } from '../../src/errors.js';
import { createPostgresAuthStore } from '../../src/store/pg-auth-store.js';
import { RECHECK_OTHER_REPLICAS_MS } from '../../src/store/polled-read-memo.js';
import { openPostgres } from '../../src/store/postgres.js';
import { freshDatabase } from '../support/engines.js';
import { authStoreContract } from './auth-store.contract.js';

authStoreContract('postgres', async () => {
  const pool = await openPostgres(await freshDatabase(), { max: 2 });
  const store = createPostgresAuthStore(pool);
  return {
    ...store,
    async close() {
      await store.close();
      await pool.end();
    },
  };
});

const T0 = '2026-01-01T00:00:00.000Z';
const HASH = 'a'.repeat(64);

/** Two replicas: one database, a pool and a store each, as two processes would have. */
async function twoReplicas(t: { after(fn: () => Promise<void>): void }) {
  const url = await freshDatabase();
  const pools = [await openPostgres(url, { max: 2 }), await openPostgres(url, { max: 2 })] as const;
  for (const pool of pools) t.after(() => pool.end());
  const [one, two] = pools.map((pool) => createPostgresAuthStore(pool));
  assert.ok(one && two);
  return { one, two, pools };
}

test('close() leaves the pool open: the opener owns it', async (t) => {
  const { one, pools } = await twoReplicas(t);
  await one.close();
  assert.equal((await pools[0].query('SELECT 1 AS n')).rows[0]?.n, 1);
});

test('a user created on one replica is found on the other at once', async (t) => {
  const { one, two } = await twoReplicas(t);
  assert.equal(await two.getUser('alice'), undefined);
  await one.createUser({ name: 'alice', passwordHash: 'h1', admin: false, created: T0 });
  assert.equal((await two.getUser('alice'))?.passwordHash, 'h1');
  await assert.rejects(two.createUser({ name: 'alice', passwordHash: 'h2', admin: false, created: T0 }), {
    code: 'USER_EXISTS',
  });
});

test('a token revoked, a user removed or a grant changed on one replica counts on the other within 1 s', async (t) => {
  assert.ok(RECHECK_OTHER_REPLICAS_MS < 1000);
  const { one, two } = await twoReplicas(t);
  await one.createUser({ name: 'alice', passwordHash: 'h1', admin: false, created: T0 });
  await one.createUser({ name: 'bob', passwordHash: 'h1', admin: false, created: T0 });
  await one.ensureRepository('team', 'private', T0);
  await one.grant('team', 'bob', 'read');
  await one.createToken({ user: 'alice', name: 'ci', hash: HASH, created: T0 });
  // the other replica reads, and so remembers, the state before the changes
  assert.equal((await two.findToken(HASH))?.revoked, undefined);
  assert.deepEqual(await two.accessOf('team', 'bob'), { visibility: 'private', role: 'read' });
  assert.equal((await two.getUser('bob'))?.admin, false);

  await one.revokeToken('alice', 'ci', T0);
  await one.grant('team', 'bob', 'write');
  await one.setAdmin('bob', true);
  await sleep(RECHECK_OTHER_REPLICAS_MS + 50);
  assert.equal((await two.findToken(HASH))?.revoked, T0, 'the revoked token is refused');
  assert.deepEqual(await two.accessOf('team', 'bob'), { visibility: 'private', role: 'write' });
  assert.equal((await two.getUser('bob'))?.admin, true);

  await one.removeUser('alice');
  await one.setVisibility('team', 'public');
  await sleep(RECHECK_OTHER_REPLICAS_MS + 50);
  assert.equal(await two.getUser('alice'), undefined, 'the removed user is gone');
  assert.equal(await two.findToken(HASH), undefined, 'and their tokens with them');
  assert.deepEqual(await two.accessOf('team', 'bob'), { visibility: 'public', role: 'write' });
});

test("a replica's own writes count at its very next read", async (t) => {
  const { one } = await twoReplicas(t);
  await one.createUser({ name: 'alice', passwordHash: 'h1', admin: false, created: T0 });
  await one.ensureRepository('team', 'private', T0);
  await one.createToken({ user: 'alice', name: 'ci', hash: HASH, created: T0 });
  assert.equal((await one.findToken(HASH))?.revoked, undefined);
  assert.equal((await one.accessOf('team', 'alice'))?.role, undefined);
  assert.equal((await one.getUser('alice'))?.passwordHash, 'h1');
  await one.revokeToken('alice', 'ci', T0);
  await one.grant('team', 'alice', 'write');
  await one.setPassword('alice', 'h2');
  assert.equal((await one.findToken(HASH))?.revoked, T0);
  assert.equal((await one.accessOf('team', 'alice'))?.role, 'write');
  assert.equal((await one.getUser('alice'))?.passwordHash, 'h2');
});

test('remembered records are frozen: no caller can change what the next request reads', async (t) => {
  const { one } = await twoReplicas(t);
  await one.createUser({ name: 'alice', passwordHash: 'h1', admin: false, created: T0 });
  const user = await one.getUser('alice');
  assert.ok(user && Object.isFrozen(user));
  assert.throws(() => {
    (user as { admin: boolean }).admin = true;
  }, TypeError);
  assert.equal((await one.getUser('alice'))?.admin, false);
});

test('the same token name created on two replicas at once: one succeeds, the other gets TOKEN_EXISTS', async (t) => {
  const { one, two } = await twoReplicas(t);
  await one.createUser({ name: 'alice', passwordHash: 'h1', admin: false, created: T0 });
  const results = await Promise.allSettled([
    one.createToken({ user: 'alice', name: 'ci', hash: 'b'.repeat(64), created: T0 }),
    two.createToken({ user: 'alice', name: 'ci', hash: 'c'.repeat(64), created: T0 }),
  ]);
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  const rejected = results.find((r) => r.status === 'rejected');
  assert.ok(rejected && isRegistryError(rejected.reason, 'TOKEN_EXISTS'));
  assert.equal((await one.listTokens('alice')).length, 1);
});

test('ensureRepository on two replicas at once: both answer the one visibility that stays', async (t) => {
  const { one, two } = await twoReplicas(t);
  const answers = await Promise.all([
    one.ensureRepository('team', 'private', T0),
    two.ensureRepository('team', 'public', T0),
  ]);
  const stored = (await one.getRepositoryAccess('team'))?.visibility;
  assert.ok(stored);
  assert.deepEqual(answers, [stored, stored]);
});
