import type pg from 'pg';
import type { ChartMetadata } from '../charts/metadata.js';
import {
  buildChartBlock,
  type ChartBlock,
  inflatePiece,
  versionFragments,
} from '../repo-index/chart-block.js';

interface EntryRow {
  id: number;
  fragment: Buffer | null;
  name: string;
  version: string;
  digest: string;
  size: number;
  created: string;
  /** only where the fragment is missing */
  metadata: string | null;
}

interface BlockRow {
  name: string;
  length: number | null;
  crc32: number;
  sha256: Buffer;
  deflated: Buffer;
  body?: string;
}

/** Blocks fetched per round trip: bounded memory however large the index. */
const FETCH = 256;

const ENTRIES = `
  SELECT v.id, e.fragment, v.name, v.version, v.digest, v.size, v.created,
         CASE WHEN e.fragment IS NULL THEN v.metadata::text END AS metadata
  FROM chart_versions v LEFT JOIN chart_index_entries e ON e.version_id = v.id
  WHERE v.repository_id = $1 AND v.name = $2
  ORDER BY v.sort_key DESC`;

/** The chart's block from its entries, with the entries it had to render (ids and fragments). */
async function build(
  client: pg.ClientBase,
  repositoryId: number,
  name: string,
): Promise<{ block: Required<ChartBlock>; ids: number[]; fragments: Buffer[] } | undefined> {
  const { rows } = await client.query<EntryRow>(ENTRIES, [repositoryId, name]);
  if (rows.length === 0) return undefined;
  const absent = rows.filter((row) => row.fragment === null);
  const rendered = versionFragments(
    absent.map((row) => ({ ...row, metadata: JSON.parse(row.metadata as string) as ChartMetadata })),
  );
  absent.forEach((row, i) => {
    row.fragment = rendered[i] as Buffer;
  });
  const block = buildChartBlock(
    name,
    rows.map((row) => row.fragment as Buffer),
  );
  return { block, ids: absent.map((row) => row.id), fragments: rendered };
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
    [repositoryId, name, length, crc32, sha256, deflated, built.ids, built.fragments],
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
        if (bodies) withLazyBody(row);
        onBlock(row as ChartBlock);
      }
    }
    if (rows.length < FETCH) break;
  }
  await client.query('CLOSE index_blocks');
}

function withLazyBody(row: BlockRow): void {
  let body: string | undefined;
  Object.defineProperty(row, 'body', {
    get: () => {
      body ??= inflatePiece(row.deflated);
      return body;
    },
    enumerable: true,
  });
}
