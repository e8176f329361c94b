import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStores } from '../../src/store/open-stores.js';
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
  const stores = openStores({ storage: dir });
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
