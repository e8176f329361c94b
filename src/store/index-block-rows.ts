/**
 * What the SQLite and PostgreSQL index-block stores share: the rows they read, how a chart's block
 * is built from its stored entries (rendering the ones a row lacks), and how a stored block gets
 * its YAML only when a plain document asks for it.
 */
import type { ChartMetadata } from '../charts/metadata.js';
import {
  buildChartBlock,
  type ChartBlock,
  inflatePiece,
  versionFragments,
} from '../repo-index/chart-block.js';

/** One version of a chart, newest first, with its stored index entry when it has one. */
export interface EntryRow {
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

/** A chart's stored block; every column null when the block is missing and must be built. */
export interface BlockRow {
  name: string;
  length: number | null;
  crc32: number;
  sha256: Buffer;
  deflated: Buffer;
  body?: string;
}

/**
 * The block of a chart from its entries (newest first), and the entries that had to be rendered
 * because no fragment was stored for them; the caller decides whether to store those.
 */
export function blockFromEntries(
  name: string,
  rows: EntryRow[],
): { block: Required<ChartBlock>; rendered: Array<{ id: number; fragment: Buffer }> } | undefined {
  if (rows.length === 0) return undefined;
  const absent = rows.filter((row) => row.fragment === null);
  const fragments = versionFragments(
    absent.map((row) => ({ ...row, metadata: JSON.parse(row.metadata as string) as ChartMetadata })),
  );
  absent.forEach((row, i) => {
    row.fragment = fragments[i] as Buffer;
  });
  const block = buildChartBlock(
    name,
    rows.map((row) => row.fragment as Buffer),
  );
  return { block, rendered: absent.map((row) => ({ id: row.id, fragment: row.fragment as Buffer })) };
}

/** A block as a read without bodies gives it: the digests and the deflate stream. */
export function withoutBody({ name, length, crc32, sha256, deflated }: ChartBlock): ChartBlock {
  return { name, length, crc32, sha256, deflated };
}

/** Inflated when read: with --chart-url, blocks rewritten before are not. */
export function withLazyBody(row: BlockRow): ChartBlock {
  let body: string | undefined;
  Object.defineProperty(row, 'body', {
    get: () => {
      body ??= inflatePiece(row.deflated);
      return body;
    },
    enumerable: true,
  });
  return row as ChartBlock;
}
