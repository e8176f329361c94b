import type pg from 'pg';
import type { ChartBlock } from '../repo-index/chart-block.js';
import { type BlockRow, blockFromEntries, type EntryRow, withLazyBody } from './index-block-rows.js';

/** Blocks fetched per round trip: bounded memory however large the index. */
const FETCH = 256;

const ENTRIES = `
  SELECT v.id, e.fragment, v.name, v.version, v.digest, v.size, v.created,
         CASE WHEN e.fragment IS NULL THEN v.metadata::text END AS metadata
  FROM chart_versions v LEFT JOIN chart_index_entries e ON e.version_id = v.id
  WHERE v.repository_id = $1 AND v.name = $2
  ORDER BY v.sort_key DESC`;

/** The chart's block from its entries, with the entries it had to render (ids and fragments). */
async function build(client: pg.ClientBase, repositoryId: number, name: string) {
  const { rows } = await client.query<EntryRow>(ENTRIES, [repositoryId, name]);
  return blockFromEntries(name, rows);
}

/**
 * Rebuilds the stored block of one chart (SQLite migration 005's layout, see migration 001); call
 * inside the transaction that changed the chart, after the change, holding the repository's lock.
 */
export async function refreshIndexBlock(client: pg.ClientBase, repositoryId: number, name: string) {
  const built = await build(client, repositoryId, name);
  if (!built) {
    await client.query('DELETE FROM chart_index_blocks WHERE repository_id = $1 AND name = $2', [
      repositoryId,
      name,
    ]);
    return;
  }
  const { length, crc32, sha256, deflated } = built.block;
  await client.query(
    `WITH entries AS (
       INSERT INTO chart_index_entries (version_id, fragment) SELECT * FROM unnest($7::bigint[], $8::bytea[])
       ON CONFLICT (version_id) DO UPDATE SET fragment = excluded.fragment)
     INSERT INTO chart_index_blocks (repository_id, name, length, crc32, sha256, deflated)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (repository_id, name) DO UPDATE SET length = excluded.length, crc32 = excluded.crc32,
       sha256 = excluded.sha256, deflated = excluded.deflated`,
    [
      repositoryId,
      name,
      length,
      crc32,
      sha256,
      deflated,
      built.rendered.map((entry) => entry.id),
      built.rendered.map((entry) => entry.fragment),
    ],
  );
}

/**
 * Every chart's block in name order through a cursor, so that no more than FETCH blocks are held
 * at once; call inside the snapshot that read the revision. chart_search has one row per chart,
 * so a block that a foreign writer dropped shows up as nulls, and is built from the entries.
 */
export async function readIndexBlockRows(
  client: pg.ClientBase,
  repositoryId: number,
  bodies: boolean,
  onBlock: (block: ChartBlock) => void,
): Promise<void> {
  await client.query(
    `DECLARE index_blocks NO SCROLL CURSOR FOR
     SELECT s.name, b.length, b.crc32, b.sha256, b.deflated FROM chart_search s
     LEFT JOIN chart_index_blocks b ON b.repository_id = s.repository_id AND b.name = s.name
     WHERE s.repository_id = $1 ORDER BY s.name`,
    [repositoryId],
  );
  for (;;) {
    const { rows } = await client.query<BlockRow>(`FETCH ${FETCH} FROM index_blocks`);
    for (const row of rows) {
      if (row.length === null) {
        const built = await build(client, repositoryId, row.name);
        if (built) onBlock(built.block);
      } else {
        onBlock(bodies ? withLazyBody(row) : (row as ChartBlock));
      }
    }
    if (rows.length < FETCH) break;
  }
  await client.query('CLOSE index_blocks');
}
