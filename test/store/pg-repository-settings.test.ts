import { createPostgresAuthStore } from '../../src/store/pg-auth-store.js';
import { createPostgresRepositorySettings } from '../../src/store/pg-repository-settings.js';
import { openPostgres } from '../../src/store/postgres.js';
import { freshDatabase } from '../support/engines.js';
import { repositorySettingsContract } from './repository-settings.contract.js';

repositorySettingsContract('postgres', async () => {
  const pool = await openPostgres(await freshDatabase(), { max: 2 });
  const auth = createPostgresAuthStore(pool);
  const settings = createPostgresRepositorySettings(pool);
  return {
    settings,
    createRepository: async (path) =>
      void (await auth.ensureRepository(path, 'public', new Date().toISOString())),
    async close() {
      await settings.close();
      await auth.close();
      await pool.end();
    },
  };
});
