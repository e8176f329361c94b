import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { openLocalStores } from '../../src/store/open-stores.js';
import { RECHECK_OTHER_WRITERS_MS } from '../../src/store/read-memo.js';
import { createSqliteAuthStore } from '../../src/store/sqlite-auth-store.js';
import { authStoreContract } from './auth-store.contract.js';

authStoreContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-auth-'));
  const store = createSqliteAuthStore(join(dir, 'charthouse.db'));
  return {
    ...store,
    async close() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

test('the auth store shares charthouse.db with the metadata store: a repository made by a publish is visible to it', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-auth-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const stores = openLocalStores({ storage: dir });
  t.after(() => stores.close());
  await stores.meta.publish({
    repository: 'team',
    overwrite: false,
    chart: {
      name: 'demo',
      version: '1.0.0',
      digest: 'd'.repeat(64),
      size: 1,
      created: '2026-01-01T00:00:00.000Z',
      metadata: { name: 'demo', version: '1.0.0', apiVersion: 'v2' },
    },
  });
  assert.deepEqual(await stores.auth.accessOf('team'), {});
  await stores.auth.ensureRepository('fresh', 'private', '2026-01-01T00:00:00.000Z');
  assert.equal(
    await stores.meta.revision('fresh'),
    0,
    'a created repository is an empty one to the metadata store',
  );
});

async function twoConnections(t: { after(fn: () => Promise<void>): void }) {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-auth-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'charthouse.db');
  const server = createSqliteAuthStore(file);
  t.after(() => server.close());
  const cli = createSqliteAuthStore(file);
  t.after(() => cli.close());
  const created = '2026-01-01T00:00:00.000Z';
  await server.createUser({ name: 'alice', passwordHash: 'h1', admin: false, created });
  await server.ensureRepository('team', 'private', created);
  const token = await server.createToken({ user: 'alice', name: 'ci', hash: 'a'.repeat(64), created });
  return { server, cli, token, created };
}

test("remembered reads: the store's own writes count at the very next read", async (t) => {
  const { server, token } = await twoConnections(t);
  assert.equal((await server.findToken('a'.repeat(64)))?.revoked, undefined);
  assert.equal(await server.accessOf('team', 'alice').then((a) => a?.role), undefined);
  await server.revokeToken('alice', 'ci', '2026-02-01T00:00:00.000Z');
  await server.grant('team', 'alice', 'write');
  await server.setPassword('alice', 'h2');
  assert.equal((await server.findToken('a'.repeat(64)))?.revoked, '2026-02-01T00:00:00.000Z');
  assert.equal((await server.accessOf('team', 'alice'))?.role, 'write');
  assert.equal((await server.getUser('alice'))?.passwordHash, 'h2');
  assert.equal(token.user, 'alice');
});

test('remembered reads: a revocation or grant by another process counts within the recheck interval', async (t) => {
  const { server, cli } = await twoConnections(t);
  assert.equal((await server.findToken('a'.repeat(64)))?.revoked, undefined);
  assert.equal(await server.accessOf('team', 'alice').then((a) => a?.role), undefined);
  await cli.revokeToken('alice', 'ci', '2026-02-01T00:00:00.000Z');
  await cli.grant('team', 'alice', 'read');
  await cli.removeUser('alice');
  await sleep(RECHECK_OTHER_WRITERS_MS + 20);
  assert.equal(await server.getUser('alice'), undefined, 'the removed user is gone');
  assert.equal(await server.findToken('a'.repeat(64)), undefined, 'and its tokens with it');
  assert.equal((await server.accessOf('team', 'alice'))?.role, undefined);
});

test('remembered records are frozen: no caller can change what the next request reads', async (t) => {
  const { server } = await twoConnections(t);
  const user = await server.getUser('alice');
  assert.ok(user && Object.isFrozen(user));
  assert.throws(() => {
    (user as { admin: boolean }).admin = true;
  }, TypeError);
  assert.equal((await server.getUser('alice'))?.admin, false);
});
