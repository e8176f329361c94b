/**
 * Repositories, chart versions and provenance files, as migrate-store copies them. What each
 * database derives from a version (PostgreSQL: the sort key, the prerelease flag and the search
 * document; both: chart_search through their triggers, index entries and blocks rebuilt after the
 * copy) is computed by the destination, never copied.
 */
import type { ChartMetadata } from '../charts/metadata.js';
import { isPrerelease } from '../charts/versions.js';
import { documentParams, documentSql } from '../store/pg-search.js';
import { versionSortKey } from '../store/pg-version-order.js';
import { describePath, insertIfAbsent, type RowTable, text } from './row-table.js';
import type { Row } from './sql-port.js';

const repositories: RowTable = {
  name: 'repositories',
  select: 'SELECT r.id, r.path, r.created, r.updated, r.visibility FROM repositories r',
  key: [{ column: 'r.id', field: 'id' }],
  describe: (row) => describePath(row.path),
  async write(target, row) {
    const inserted = await insertIfAbsent(
      target,
      'INSERT INTO repositories (path, created, updated, visibility) VALUES (?, ?, ?, ?)',
      [row.path, row.created, row.updated, text(row.visibility)],
    );
    if (inserted) return 'copied';
    const [there] = await target.query<{ visibility: string | null }>(
      'SELECT visibility FROM repositories WHERE path = ?',
      [row.path],
    );
    if (row.visibility === null || row.visibility === there?.visibility) return 'present';
    // the root repository exists in every new database, with its visibility not set yet
    if (there?.visibility === null) {
      await target.query('UPDATE repositories SET visibility = ? WHERE path = ?', [row.visibility, row.path]);
      return 'copied';
    }
    return { skipped: `the destination's is ${there?.visibility}, the source's ${String(row.visibility)}` };
  },
};

const VERSION_COLUMNS =
  'repository_id, name, version, filename, digest, size, created, metadata, readme, values_yaml';

function versionInsert(dialect: 'sqlite' | 'postgres', repositoryId: number, row: Row): [string, unknown[]] {
  const common = [
    repositoryId,
    row.name,
    row.version,
    row.filename,
    row.digest,
    row.size,
    row.created,
    row.metadata,
  ];
  const tail = [text(row.readme), text(row.values_yaml)];
  if (dialect === 'sqlite') {
    return [
      `INSERT INTO chart_versions (${VERSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [...common, ...tail],
    ];
  }
  const version = String(row.version);
  const metadata = JSON.parse(String(row.metadata)) as ChartMetadata;
  return [
    `INSERT INTO chart_versions (${VERSION_COLUMNS}, sort_key, prerelease, search_document)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${documentSql('?', '?', '?')})`,
    [...common, ...tail, versionSortKey(version), isPrerelease(version), ...documentParams(metadata)],
  ];
}

const versions: RowTable = {
  name: 'versions',
  select: `SELECT v.id, r.path AS repository, v.name, v.version, v.filename, v.digest, v.size, v.created,
             CAST(v.metadata AS text) AS metadata, v.readme, v.values_yaml
           FROM chart_versions v JOIN repositories r ON r.id = v.repository_id`,
  key: [{ column: 'v.id', field: 'id' }],
  blobs: (row) => [String(row.digest)],
  describe: (row) => `chart ${row.name} ${row.version} in ${describePath(row.repository)}`,
  async write(target, row) {
    const repositoryId = (await target.repositoryId(String(row.repository))) as number;
    const [sql, params] = versionInsert(target.dialect, repositoryId, row);
    if (await insertIfAbsent(target, sql, params)) {
      target.touch(repositoryId, String(row.name));
      return 'copied';
    }
    const [there] = await target.query<{ digest: string }>(
      'SELECT digest FROM chart_versions WHERE repository_id = ? AND name = ? AND version = ?',
      [repositoryId, row.name, row.version],
    );
    if (there?.digest === row.digest) return 'present';
    return {
      skipped: there
        ? `the destination holds another package for it (sha256 ${there.digest})`
        : `another version of the destination has the file name ${row.filename}`,
    };
  },
};

const provenances: RowTable = {
  name: 'provenances',
  select: `SELECT p.id, r.path AS repository, p.name, p.version, p.filename, p.digest, p.size, p.created
           FROM provenances p JOIN repositories r ON r.id = p.repository_id`,
  key: [{ column: 'p.id', field: 'id' }],
  blobs: (row) => [String(row.digest)],
  describe: (row) => `provenance of ${row.name} ${row.version} in ${describePath(row.repository)}`,
  async write(target, row) {
    const repositoryId = (await target.repositoryId(String(row.repository))) as number;
    const inserted = await insertIfAbsent(
      target,
      `INSERT INTO provenances (repository_id, name, version, filename, digest, size, created)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [repositoryId, row.name, row.version, row.filename, row.digest, row.size, row.created],
    );
    if (inserted) {
      target.touch(repositoryId, String(row.name));
      return 'copied';
    }
    const [there] = await target.query<{ digest: string }>(
      'SELECT digest FROM provenances WHERE repository_id = ? AND name = ? AND version = ?',
      [repositoryId, row.name, row.version],
    );
    if (there?.digest === row.digest) return 'present';
    return { skipped: `the destination holds another provenance file for it (sha256 ${there?.digest})` };
  },
};

export const chartTables = [repositories, versions, provenances];
