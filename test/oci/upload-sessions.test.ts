import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryUploadSessions } from '../../src/store/memory-upload-sessions.js';
import { createDiskUploadSessions } from '../../src/store/upload-sessions.js';
import { uploadSessionContract } from '../store/upload-sessions.contract.js';

// Disk sessions are shared by processes on one storage directory (`charthouse gc` beside a server).
uploadSessionContract(
  'disk',
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'charthouse-uploads-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const root = join(dir, 'uploads');
    return {
      store: createDiskUploadSessions(root),
      replica: () => createDiskUploadSessions(root),
      files: () => readdir(root),
    };
  },
  { sharedByReplicas: true },
);

uploadSessionContract(
  'memory',
  async () => {
    const store = createMemoryUploadSessions();
    return { store, files: async () => (await store.list()).map((s) => s.id) };
  },
  { sharedByReplicas: false },
);
