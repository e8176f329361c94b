import { createMemoryBlobStore } from '../support/memory-blob-store.js';
import { blobStoreContract } from './blob-store.contract.js';

blobStoreContract('memory', async () => {
  const store = createMemoryBlobStore();
  return {
    store,
    leftovers: async () => (store.staged > 0 ? [`${store.staged} staged blob(s)`] : []),
    close: async () => undefined,
  };
});
