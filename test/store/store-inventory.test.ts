import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStores, type Stores } from '../../src/store/open-stores.js';
import type { TestContext } from '../support/build-app.js';
import { freshDatabase } from '../support/engines.js';

const version = (name: string, v: string, digest: string, size: number) => ({
  name,
  version: v,
  digest,
  size,
  created: '2026-01-01T00:00:00.000Z',
  metadata: { apiVersion: 'v2', name, version: v },
});

async function storesOn(t: TestContext, database: string): Promise<Stores> {
  const storage = await mkdtemp(join(tmpdir(), 'charthouse-inventory-'));
  const stores = await openStores(database ? { storage, database } : { storage });
  t.after(async () => {
    await stores.close();
    await rm(storage, { recursive: true, force: true });
  });
  return stores;
}

for (const backend of ['SQLite', 'PostgreSQL'] as const) {
  test(`${backend}: the schema is current, the change stamp moves with every write, bytes count each blob once`, async (t) => {
    const { meta } = await storesOn(t, backend === 'SQLite' ? '' : await freshDatabase());
    const { applied, known } = await meta.schemaStatus();
    assert.ok(known > 0);
    assert.equal(applied, known);
    assert.equal(await meta.storedBytes(), 0);
    const stamps = [await meta.changeStamp()];
    const a = 'a'.repeat(64);
    const b = 'b'.repeat(64);
    await meta.publish({ repository: 'team', chart: version('demo', '1.0.0', a, 100), overwrite: false });
    stamps.push(await meta.changeStamp());
    await meta.publish({ repository: 'team', chart: version('demo', '1.1.0', b, 50), overwrite: false });
    stamps.push(await meta.changeStamp());
    // the same package in another repository is the same blob
    await meta.publish({ repository: 'apps', chart: version('demo', '1.0.0', a, 100), overwrite: false });
    stamps.push(await meta.changeStamp());
    assert.equal(await meta.storedBytes(), 150);
    assert.equal(await meta.changeStamp(), stamps.at(-1), 'no write, no change');
    await meta.deleteVersion('team', 'demo', '1.1.0');
    stamps.push(await meta.changeStamp());
    assert.equal(new Set(stamps).size, stamps.length, `every write moved the stamp: ${stamps.join(' ')}`);
    assert.equal(await meta.storedBytes(), 100);
  });
}
