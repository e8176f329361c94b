import { refreshIndexBlock } from '../store/pg-index-blocks.js';
import { inTransaction } from '../store/postgres.js';
import { createSqliteIndexBlocks } from '../store/sqlite-index-blocks.js';
import type { StoreSide } from './store-side.js';

/**
 * After rows were copied into `side`: builds the index.yaml blocks of every chart they changed (so
 * the first read renders nothing) and moves each such repository's revision, so that a server
 * already running on the destination drops what it cached. chart_search is kept by the databases'
 * own triggers as the rows land.
 */
export async function rebuildDerived(side: StoreSide, touched: Map<number, Set<string>>): Promise<void> {
  const bump = 'UPDATE repositories SET revision = revision + 1 WHERE id = ';
  if (side.pool) {
    for (const [repositoryId, charts] of touched) {
      await inTransaction(side.pool, async (client) => {
        // the lock every writer of the repository takes first (pg-publish.ts)
        await client.query('SELECT id FROM repositories WHERE id = $1 FOR UPDATE', [repositoryId]);
        for (const chart of charts) await refreshIndexBlock(client, repositoryId, chart);
        await client.query(`${bump}$1`, [repositoryId]);
      });
    }
    return;
  }
  const db = side.db;
  if (!db) return;
  const blocks = createSqliteIndexBlocks(db);
  const bumpStatement = db.prepare(`${bump}?`);
  db.transaction(() => {
    for (const [repositoryId, charts] of touched) {
      for (const chart of charts) blocks.refresh(repositoryId, chart);
      bumpStatement.run(repositoryId);
    }
  })();
}
