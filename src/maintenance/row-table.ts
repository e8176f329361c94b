/**
 * How `migrate-store` copies one table: read from the source in pages ordered by a key, and
 * written into the destination matched by its natural key (a repository's path, a version's
 * repository, name and version, a user's name, a token's hash…), never by the source's ids. A row
 * the destination already holds is left as it is: the same row counts as present, a different one
 * is a conflict, reported and never overwritten. So a second run writes nothing, and a run cut
 * short finishes by running again.
 */
import type { Query, Row } from './sql-port.js';

/** What writing one row did. */
export type RowOutcome = 'copied' | 'present' | { skipped: string };

/** The destination as the writers see it, within one of its write transactions. */
export interface RowTarget {
  query: Query;
  dialect: 'sqlite' | 'postgres';
  /** the destination's id of a repository path; undefined when it has none */
  repositoryId(path: string): Promise<number | undefined>;
  /** the destination's id of a user name, undefined when it has none or its row conflicted */
  userId(name: string): Promise<number | undefined>;
  /** users whose row conflicted: their tokens and roles are not given to the other account */
  conflictedUsers: Set<string>;
  /** a chart whose versions changed: its index block is rebuilt and its repository's revision moves */
  touch(repositoryId: number, chart: string): void;
}

export interface RowTable {
  /** for the report: `versions` */
  name: string;
  /** `SELECT … FROM …` on the source, in SQL both dialects read alike; no WHERE or ORDER BY */
  select: string;
  /** the columns that order the pages, as `select` names them, and the fields they come out as */
  key: Array<{ column: string; field: string }>;
  /** More fields for a page of rows, read in the same snapshot (a manifest's blobs). */
  complete?(query: Query, rows: Row[]): Promise<void>;
  /** The blobs (hex digests) the row refers to: copied before the row is written. */
  blobs?(row: Row): string[];
  /** the row, for people: `chart app 1.0.0 in repository "team"` */
  describe(row: Row): string;
  write(target: RowTarget, row: Row): Promise<RowOutcome>;
}

/** `repository "team"`, or `the root repository` for ''. */
export const describePath = (path: unknown) =>
  path === '' ? 'the root repository' : `repository ${JSON.stringify(path)}`;

/** INSERT … ON CONFLICT DO NOTHING RETURNING: true when the row was inserted. */
export async function insertIfAbsent(target: RowTarget, sql: string, params: unknown[]): Promise<boolean> {
  const rows = await target.query(`${sql} ON CONFLICT DO NOTHING RETURNING 1 AS inserted`, params);
  return rows.length > 0;
}

/** Booleans come back as 0/1 from SQLite and as booleans from PostgreSQL. */
export const flag = (value: unknown) => value === true || value === 1;

export const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
