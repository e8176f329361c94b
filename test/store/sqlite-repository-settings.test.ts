import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteAuthStore } from '../../src/store/sqlite-auth-store.js';
import { createSqliteRepositorySettings } from '../../src/store/sqlite-repository-settings.js';
import { repositorySettingsContract } from './repository-settings.contract.js';

repositorySettingsContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-settings-'));
  const file = join(dir, 'charthouse.db');
  const auth = createSqliteAuthStore(file);
  const settings = createSqliteRepositorySettings(file);
  return {
    settings,
    createRepository: async (path) =>
      void (await auth.ensureRepository(path, 'public', new Date().toISOString())),
    async close() {
      await settings.close();
      await auth.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
