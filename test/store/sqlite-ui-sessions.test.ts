import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteAuthStore } from '../../src/store/sqlite-auth-store.js';
import { createSqliteUiSessions } from '../../src/store/sqlite-ui-sessions.js';
import { uiSessionsContract } from './ui-sessions.contract.js';

uiSessionsContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-ui-sessions-'));
  const file = join(dir, 'charthouse.db');
  const auth = createSqliteAuthStore(file);
  const sessions = createSqliteUiSessions(file);
  return {
    sessions,
    auth,
    async close() {
      await sessions.close();
      await auth.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
