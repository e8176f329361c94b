import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalStores } from '../../src/store/open-stores.js';
import { trustStoreContract } from './trust-store.contract.js';

trustStoreContract('sqlite', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-trust-'));
  const stores = openLocalStores({ storage: dir });
  t.after(async () => {
    await stores.close();
    await rm(dir, { recursive: true, force: true });
  });
  return stores;
});
