import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createLifecycle } from '../../src/lifecycle/lifecycle.js';
import { migrateStore } from '../../src/maintenance/migrate-store.js';
import { openStores, type StoreConfig } from '../../src/store/open-stores.js';
import { buildTestApp, type TestContext } from '../support/build-app.js';
import { freshDatabase } from '../support/engines.js';
import { makeChart } from '../support/make-chart.js';

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-migrate-settings-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function settingsIn(store: StoreConfig) {
  const stores = await openStores(store);
  try {
    return {
      team: await stores.settings.get('team'),
      other: await stores.settings.get('other'),
      retired: await stores.settings.retiredDigest('team', 'web', '1.0.0'),
    };
  } finally {
    await stores.close();
  }
}

test('migrate-store carries each repository’s settings and retired versions to PostgreSQL and back', async (t) => {
  const live = await buildTestApp(t);
  const tgz = await makeChart({ name: 'web', version: '1.0.0' });
  for (const repo of ['team', 'other']) {
    await live.http
      .post(`/api/${repo}/charts`)
      .set('content-type', 'application/octet-stream')
      .send(tgz)
      .expect(201);
  }
  const lifecycle = createLifecycle(live.stores);
  await lifecycle.setImmutable('team');
  await lifecycle.setRetention('team', { keepLast: 4, maxAgeMs: 3_600_000 });
  await lifecycle.setArtifactHub('other', { owners: [{ email: 'ops@example.com' }] });
  await lifecycle.removeVersion('team', 'web', '1.0.0');
  const before = await settingsIn({ storage: live.dir });
  assert.equal(before.retired?.length, 64);

  const shared = { storage: await tempDir(t), database: await freshDatabase() };
  const up = await migrateStore({ from: { storage: live.dir }, to: shared });
  assert.deepEqual(up.problems, []);
  assert.equal(up.rows['repository settings']?.copied, 2);
  assert.equal(up.rows['retired versions']?.copied, 1);
  assert.deepEqual(await settingsIn(shared), before);
  const again = await migrateStore({ from: { storage: live.dir }, to: shared });
  assert.equal(again.rows['repository settings']?.present, 2);

  const down = { storage: join(await tempDir(t), 'storage') };
  const back = await migrateStore({ from: shared, to: down });
  assert.deepEqual(back.problems, []);
  assert.deepEqual(await settingsIn(down), before);
});
