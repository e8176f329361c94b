import type Database from 'better-sqlite3';

export type { VersionRow } from './version-rows.js';

const VERSION_COLUMNS = 'name, version, digest, size, created, metadata';
const ORDERED_VERSION_COLUMNS = 'v.name, v.version, v.digest, v.size, v.created, v.metadata';
const PROVENANCE_COLUMNS = 'name, version, digest, size, created';

/** Every statement the SQLite store runs, prepared once when the store opens. */
export function prepareStatements(db: Database.Database) {
  return {
    repository: db.prepare('SELECT id, revision, updated FROM repositories WHERE path = ?'),
    repositoryId: db.prepare('SELECT id FROM repositories WHERE path = ?'),
    /** remembered by the store (read-memo.ts): one column, no row object */
    revision: db.prepare('SELECT revision FROM repositories WHERE path = ?').pluck(),
    allRevisions: db.prepare('SELECT path, revision FROM repositories ORDER BY path'),
    /** moves when another connection commits (read-memo.ts) */
    dataVersion: db.prepare('PRAGMA data_version').pluck(),
    ensureRepository: db.prepare(
      'INSERT INTO repositories (path, created, updated) VALUES (?, ?, ?) ON CONFLICT (path) DO NOTHING',
    ),
    bumpRevision: db.prepare('UPDATE repositories SET revision = revision + 1, updated = ? WHERE id = ?'),
    listRepositories: db.prepare(`
      SELECT r.path AS path, r.updated AS updated,
             COUNT(DISTINCT v.name) AS charts, COUNT(v.id) AS versions
      FROM repositories r LEFT JOIN chart_versions v ON v.repository_id = r.id
      GROUP BY r.id ORDER BY r.path`),
    // chart_search has one row per chart (migration 003): a page costs its own rows, not a scan of
    // every version as DISTINCT over chart_versions did
    listChartNames: db.prepare(
      'SELECT name FROM chart_search WHERE repository_id = ? ORDER BY name LIMIT ? OFFSET ?',
    ),
    listAllVersions: db.prepare(`SELECT ${VERSION_COLUMNS} FROM chart_versions WHERE repository_id = ?`),
    /** newest first by the sort key migration 003 keeps per version (chart_version_order) */
    listAllVersionsInOrder: db.prepare(`
      SELECT ${ORDERED_VERSION_COLUMNS} FROM chart_version_order o JOIN chart_versions v ON v.id = o.version_id
      WHERE o.repository_id = ? ORDER BY o.name, o.sort_key DESC`),
    listChartVersions: db.prepare(`
      SELECT ${ORDERED_VERSION_COLUMNS} FROM chart_version_order o JOIN chart_versions v ON v.id = o.version_id
      WHERE o.repository_id = ? AND o.name = ? ORDER BY o.sort_key DESC`),
    /** version strings newest first; prerelease is 0 or 1, so `prerelease <= ?` with 0 keeps releases only */
    versionOrder: db
      .prepare(`
      SELECT v.version FROM chart_version_order o JOIN chart_versions v ON v.id = o.version_id
      WHERE o.repository_id = ? AND o.name = ? AND o.prerelease <= ? ORDER BY o.sort_key DESC LIMIT ?`)
      .pluck(),
    getVersion: db.prepare(
      `SELECT ${VERSION_COLUMNS}, readme, values_yaml FROM chart_versions
       WHERE repository_id = ? AND name = ? AND version = ?`,
    ),
    versionByFilename: db.prepare(
      `SELECT ${VERSION_COLUMNS} FROM chart_versions WHERE repository_id = ? AND filename = ? LIMIT 1`,
    ),
    upsertVersion: db.prepare(`
      INSERT INTO chart_versions
        (repository_id, name, version, filename, digest, size, created, metadata, readme, values_yaml)
      VALUES
        (@repository_id, @name, @version, @filename, @digest, @size, @created, @metadata, @readme, @values_yaml)
      ON CONFLICT (repository_id, name, version) DO UPDATE SET
        digest = excluded.digest, size = excluded.size, created = excluded.created,
        metadata = excluded.metadata, readme = excluded.readme, values_yaml = excluded.values_yaml`),
    deleteVersion: db.prepare(
      'DELETE FROM chart_versions WHERE repository_id = ? AND name = ? AND version = ?',
    ),
    getProvenance: db.prepare(
      `SELECT ${PROVENANCE_COLUMNS} FROM provenances WHERE repository_id = ? AND name = ? AND version = ?`,
    ),
    provenanceByFilename: db.prepare(
      `SELECT ${PROVENANCE_COLUMNS} FROM provenances WHERE repository_id = ? AND filename = ? LIMIT 1`,
    ),
    upsertProvenance: db.prepare(`
      INSERT INTO provenances (repository_id, name, version, filename, digest, size, created)
      VALUES (@repository_id, @name, @version, @filename, @digest, @size, @created)
      ON CONFLICT (repository_id, name, version) DO UPDATE SET
        digest = excluded.digest, size = excluded.size, created = excluded.created`),
    deleteProvenance: db.prepare(
      'DELETE FROM provenances WHERE repository_id = ? AND name = ? AND version = ?',
    ),
    isReferenced: db.prepare(
      'SELECT 1 FROM chart_versions WHERE digest = ? UNION ALL SELECT 1 FROM provenances WHERE digest = ? LIMIT 1',
    ),
  };
}
