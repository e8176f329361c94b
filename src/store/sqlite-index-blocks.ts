import type Database from 'better-sqlite3';
import type { ChartBlock } from '../repo-index/chart-block.js';
import {
  type BlockRow,
  blockFromEntries,
  type EntryRow,
  withLazyBody,
  withoutBody,
} from './index-block-rows.js';

/** `chart_index_blocks.body` (NOT NULL in migration 005) is no longer written; see refresh. */
const NOT_STORED = Buffer.alloc(0);
const BLOCK_COLUMNS = 'b.length, b.crc32, b.sha256, b.deflated';
/** How long a chart's block may stay missing after a write: rebuilds are at most this frequent. */
const STALE_BLOCK_DELAY_MS = 250;

/**
 * The stored pieces of index.yaml (migration 005): builds a chart's block in the transaction that
 * changed the chart, fills what older rows lack, and reads a repository's blocks in name order.
 */
export function createSqliteIndexBlocks(db: Database.Database) {
  const entries = db.prepare(`
    SELECT v.id, e.fragment, v.name, v.version, v.digest, v.size, v.created,
           CASE WHEN e.fragment IS NULL THEN v.metadata END AS metadata
    FROM chart_version_order o
    JOIN chart_versions v ON v.id = o.version_id
    LEFT JOIN chart_index_entries e ON e.version_id = o.version_id
    WHERE o.repository_id = ? AND o.name = ?
    ORDER BY o.sort_key DESC`);
  const saveEntry = db.prepare(
    'INSERT OR REPLACE INTO chart_index_entries (version_id, fragment) VALUES (?, ?)',
  );
  const saveBlock = db.prepare(`
    INSERT OR REPLACE INTO chart_index_blocks (repository_id, name, length, crc32, sha256, deflated, body)
    VALUES (@repository_id, @name, @length, @crc32, @sha256, @deflated, @body)`);
  const deleteBlock = db.prepare('DELETE FROM chart_index_blocks WHERE repository_id = ? AND name = ?');
  const missing = db.prepare(`
    SELECT s.repository_id, s.name FROM chart_search s
    LEFT JOIN chart_index_blocks b ON b.repository_id = s.repository_id AND b.name = s.name
    WHERE b.id IS NULL`);
  // chart_search has one row per chart, so a block a foreign writer dropped shows up as nulls here
  const summaries = db.prepare(`
      SELECT s.name, ${BLOCK_COLUMNS} FROM chart_search s
      LEFT JOIN chart_index_blocks b ON b.repository_id = s.repository_id AND b.name = s.name
      WHERE s.repository_id = ? ORDER BY s.name`);

  /** The chart's block from its entries, rendering (and, when `save`, storing) the missing ones. */
  function build(repositoryId: number, name: string, save: boolean): Required<ChartBlock> | undefined {
    const built = blockFromEntries(name, entries.all(repositoryId, name) as EntryRow[]);
    if (save) for (const entry of built?.rendered ?? []) saveEntry.run(entry.id, entry.fragment);
    return built?.block;
  }

  /** Rebuilds the stored block of one chart; call inside the transaction that changed it. */
  function refresh(repositoryId: number, name: string): void {
    const block = build(repositoryId, name, true);
    if (!block) {
      deleteBlock.run(repositoryId, name);
      return;
    }
    // the YAML itself is not stored: it is the deflate stream's content, inflated when a plain
    // document is asked for; writing it too made every push write its chart's YAML twice over
    const { length, crc32, sha256, deflated } = block;
    saveBlock.run({ repository_id: repositoryId, name, length, crc32, sha256, deflated, body: NOT_STORED });
  }

  // Charts whose stored block a write dropped, rebuilt together a moment later (see markStale).
  const stale = new Map<string, { repositoryId: number; name: string }>();
  let timer: NodeJS.Timeout | undefined;
  const rebuildStale = db.transaction(() => {
    for (const { repositoryId, name } of stale.values()) refresh(repositoryId, name);
  });
  function flushStale(): void {
    clearTimeout(timer);
    timer = undefined;
    if (stale.size === 0 || !db.open) return;
    try {
      rebuildStale();
      stale.clear();
    } catch {
      // busy (another process writing) or failing: the blocks stay missing, which every read
      // handles; try again later, and at the next open (repairAll) at the latest
      schedule();
    }
  }
  function schedule(): void {
    timer ??= setTimeout(flushStale, STALE_BLOCK_DELAY_MS).unref();
  }

  return {
    refresh,

    /**
     * Drops the stored block of a chart a write changed, inside that write's transaction, and
     * rebuilds it in a transaction of its own STALE_BLOCK_DELAY_MS later. A rebuild reads every
     * version of the chart: done in the write, it made a push cost its chart's history (16 clients
     * pushing one chart got half the pushes/s of 16 pushing fifty). Until the rebuild, a read
     * builds the missing block from the entries (read below), so every answer is current at once;
     * a crash before it leaves the block missing, and the next open builds it (repairAll).
     */
    markStale(repositoryId: number, name: string): void {
      deleteBlock.run(repositoryId, name);
      stale.set(`${repositoryId}\0${name}`, { repositoryId, name });
      schedule();
    },

    /** Rebuilds the stale blocks now (before the database closes). */
    flushStale,

    /** Builds every block that is missing: all of them right after migration 005. */
    repairAll: db.transaction(() => {
      for (const row of missing.all() as Array<{ repository_id: number; name: string }>) {
        refresh(row.repository_id, row.name);
      }
    }),

    /** Every chart's block in name order; call inside the transaction that read the revision. */
    read(repositoryId: number, bodies: boolean, onBlock: (block: ChartBlock) => void): void {
      for (const row of summaries.iterate(repositoryId) as Iterable<BlockRow>) {
        if (row.length === null) {
          const block = build(repositoryId, row.name, false);
          if (block) onBlock(bodies ? block : withoutBody(block));
        } else {
          onBlock(bodies ? withLazyBody(row) : (row as ChartBlock));
        }
      }
    },
  };
}
