import { createPostgresAuthStore } from '../../src/store/pg-auth-store.js';
import { createPostgresUiSessions } from '../../src/store/pg-ui-sessions.js';
import { openPostgres } from '../../src/store/postgres.js';
import { freshDatabase } from '../support/engines.js';
import { uiSessionsContract } from './ui-sessions.contract.js';

uiSessionsContract('postgres', async () => {
  const pool = await openPostgres(await freshDatabase(), { max: 2 });
  const auth = createPostgresAuthStore(pool);
  const sessions = createPostgresUiSessions(pool);
  return {
    sessions,
    auth,
    async close() {
      await sessions.close();
      await auth.close();
      await pool.end();
    },
  };
});
