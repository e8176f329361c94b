import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDiskBlobStore } from '../../src/store/disk-blob-store.js';
import { blobStoreContract } from './blob-store.contract.js';

blobStoreContract('disk', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-blobs-'));
  return {
    store: createDiskBlobStore(dir),
    leftovers: () => readdir(join(dir, 'blobs', 'tmp')).catch(() => []),
    close: () => rm(dir, { recursive: true, force: true }),
  };
});
