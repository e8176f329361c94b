/**
 * What the operations surface reads from the metadata store: whether the schema is current (for
 * /ready) and what is stored (for the /metrics gauges). Every method is one small query, never a
 * write, and reads the database every time it is called: callers decide how often.
 */
export interface StoreInventory {
  /**
   * The newest migration the database has applied and the newest this build knows. Answering at
   * all says the database is reachable; `applied < known` is a schema this build would still
   * migrate, `applied > known` one a newer build migrated past it.
   */
  schemaStatus(): Promise<{ applied: number; known: number }>;
  /**
   * A value that differs whenever a repository is created or removed or any repository's revision
   * moves (every publish and delete bumps one). Reads the repositories table only, never versions.
   */
  changeStamp(): Promise<string>;
  /**
   * Bytes of the chart packages and provenance files the rows refer to, each distinct blob counted
   * once however many versions or repositories share it.
   */
  storedBytes(): Promise<number>;
}

/** The change stamp's query: the same on SQLite and PostgreSQL. */
export const CHANGE_STAMP_SQL = `
  SELECT count(*) AS repositories, coalesce(sum(revision), 0) AS revisions, coalesce(max(updated), '') AS updated
  FROM repositories`;

/** Each digest once: a package shared by two repositories is one blob in the store. */
export const STORED_BYTES_SQL = `
  SELECT coalesce(sum(size), 0) AS bytes FROM (
    SELECT digest, max(size) AS size FROM (
      SELECT digest, size FROM chart_versions UNION ALL SELECT digest, size FROM provenances
    ) AS referenced GROUP BY digest
  ) AS distinct_blobs`;

export interface ChangeStampRow {
  repositories: number | string;
  revisions: number | string;
  updated: string;
}

export const changeStampOf = (row: ChangeStampRow | undefined): string =>
  row ? `${row.repositories}:${row.revisions}:${row.updated}` : '';
