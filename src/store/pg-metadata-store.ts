import type pg from 'pg';
import type { MetadataStore, ProvenanceRecord, PublishRequest, RepositorySummary } from './metadata-store.js';
import { createPgGroupCommit } from './pg-group-commit.js';
import { readIndexBlockRows, refreshIndexBlock } from './pg-index-blocks.js';
import { createPgInventory } from './pg-inventory.js';
import { isPgBlobReferenced, listPgBlobReferences } from './pg-maintenance.js';
import { createPgOciMethods } from './pg-oci-store.js';
import { deleteVersionIn, publishIn } from './pg-publish.js';
import { searchCharts } from './pg-search.js';
import { createPgSearchRows } from './pg-search-rows.js';
import { inSnapshot, inWriteTransaction } from './pg-transaction.js';
import { PROVENANCE_COLUMNS, VERSION_COLUMNS } from './pg-version-rows.js';
import { lazyVersionRecordOf, type VersionRow, versionDetailsOf, versionRecordOf } from './version-rows.js';

/** A row of snapshot(): the repository's columns, and a version's (all null when it has none). */
type SnapshotRow = VersionRow & { revision: number; repository_updated: string; version: string | null };

const IN_REPOSITORY = 'JOIN repositories r ON r.id = v.repository_id WHERE r.path = $1';
const PROVENANCE_IN = 'FROM provenances p JOIN repositories r ON r.id = p.repository_id WHERE r.path = $1';

/**
 * The PostgreSQL MetadataStore (migrations/postgres/001_init.sql). Nothing is remembered between
 * calls: every read asks PostgreSQL, so a write acknowledged by any replica is seen by the next
 * read on every other (the revision is one indexed query, and index.yaml's cache is keyed by it).
 * Every write of a repository takes its row lock first and bumps its revision in the same
 * transaction, so writers of one repository run one after the other and conflicts (CHART_EXISTS,
 * PROVENANCE_EXISTS) are decided by the database. `pool` belongs to the caller (openPostgres):
 * close() leaves it open.
 */
export function createPostgresMetadataStore(pool: pg.Pool): MetadataStore {
  const versions = async (sql: string, params: unknown[]) => (await pool.query<VersionRow>(sql, params)).rows;
  // each chart a batch changed gets its index block rebuilt once, before the batch commits
  let changedCharts = new Map<string, { repositoryId: number; name: string }>();
  const publishTogether = createPgGroupCommit<PublishRequest>(pool, {
    orderKey: (request) => request.repository,
    runOne: async (client, request) => {
      await publishIn(client, request, async (repositoryId, name) => {
        changedCharts.set(`${repositoryId}\0${name}`, { repositoryId, name });
      });
    },
    beforeCommit: async (client) => {
      for (const { repositoryId, name } of changedCharts.values())
        await refreshIndexBlock(client, repositoryId, name);
    },
    reset: () => {
      changedCharts = new Map();
    },
  });

  return {
    ...createPgOciMethods(pool),
    ...createPgInventory(pool),
    async revision(repository) {
      const { rows } = await pool.query<{ revision: number }>(
        'SELECT revision FROM repositories WHERE path = $1',
        [repository],
      );
      return rows[0]?.revision;
    },
    async snapshot(repository) {
      // one statement: the revision and the versions come from the same snapshot
      const { rows } = await pool.query<SnapshotRow>(
        `SELECT r.revision, r.updated AS repository_updated, ${VERSION_COLUMNS}
         FROM repositories r LEFT JOIN chart_versions v ON v.repository_id = r.id WHERE r.path = $1`,
        [repository],
      );
      const first = rows[0];
      if (!first) return undefined;
      return {
        revision: first.revision,
        updated: first.repository_updated,
        versions: rows.filter((row) => row.version !== null).map(lazyVersionRecordOf),
      };
    },
    readIndexBlocks(repository, { bodies }, onBlock) {
      return inSnapshot(pool, async (client) => {
        const { rows } = await client.query<{ id: number; revision: number; updated: string }>(
          'SELECT id, revision, updated FROM repositories WHERE path = $1',
          [repository],
        );
        const repo = rows[0];
        if (!repo) return undefined;
        await readIndexBlockRows(client, repo.id, bodies, onBlock);
        return { revision: repo.revision, updated: repo.updated };
      });
    },
    async listRepositories() {
      const { rows } = await pool.query<RepositorySummary>(`
        SELECT r.path, r.updated, count(DISTINCT v.name) AS charts, count(v.id) AS versions
        FROM repositories r LEFT JOIN chart_versions v ON v.repository_id = r.id
        GROUP BY r.id ORDER BY r.path`);
      return rows;
    },
    async listChartNames(repository, { offset, limit }) {
      const { rows } = await pool.query<{ name: string }>(
        `SELECT s.name FROM chart_search s JOIN repositories r ON r.id = s.repository_id
         WHERE r.path = $1 ORDER BY s.name LIMIT $2 OFFSET $3`,
        [repository, limit ?? null, offset],
      );
      return rows.map((row) => row.name);
    },
    async listVersions(repository, names) {
      const rows = await versions(
        `SELECT ${VERSION_COLUMNS} FROM chart_versions v ${IN_REPOSITORY}
         AND ($2::text[] IS NULL OR v.name = ANY ($2::text[]))
         ORDER BY v.name, v.sort_key DESC`,
        [repository, names ?? null],
      );
      return rows.map(versionRecordOf);
    },
    async listVersionOrder(repository, name, options = {}) {
      // chart_versions_by_order (repository_id, name, sort_key) walked backwards: cost is the rows returned
      const { rows } = await pool.query<{ version: string }>(
        `SELECT v.version FROM chart_versions v ${IN_REPOSITORY} AND v.name = $2
         AND ($3::boolean IS NOT TRUE OR NOT v.prerelease) ORDER BY v.sort_key DESC LIMIT $4`,
        [repository, name, options.releases === true, options.limit ?? null],
      );
      return rows.map((row) => row.version);
    },
    async getVersion(repository, name, version) {
      const [row] = await versions(
        `SELECT ${VERSION_COLUMNS}, v.readme, v.values_yaml FROM chart_versions v ${IN_REPOSITORY}
         AND v.name = $2 AND v.version = $3`,
        [repository, name, version],
      );
      return row && versionDetailsOf(row);
    },
    async findVersionByFilename(repository, filename) {
      const [row] = await versions(
        `SELECT ${VERSION_COLUMNS} FROM chart_versions v ${IN_REPOSITORY} AND v.filename = $2`,
        [repository, filename],
      );
      return row && versionRecordOf(row);
    },
    async getProvenance(repository, name, version) {
      const { rows } = await pool.query<ProvenanceRecord>(
        `SELECT ${PROVENANCE_COLUMNS} ${PROVENANCE_IN} AND p.name = $2 AND p.version = $3`,
        [repository, name, version],
      );
      return rows[0];
    },
    async findProvenanceByFilename(repository, filename) {
      const { rows } = await pool.query<ProvenanceRecord>(
        `SELECT ${PROVENANCE_COLUMNS} ${PROVENANCE_IN} AND p.filename = $2`,
        [repository, filename],
      );
      return rows[0];
    },
    publish: publishTogether,
    async deleteVersion(repository, name, version) {
      const removed = await inWriteTransaction(pool, (client) =>
        deleteVersionIn(client, repository, name, version),
      );
      if (!removed) return undefined;
      const chart = versionDetailsOf(removed.row);
      return removed.provenance ? { chart, provenance: removed.provenance } : { chart };
    },
    isReferenced: (digest) => isPgBlobReferenced(pool, digest),
    listBlobReferences: () => listPgBlobReferences(pool),
    searchCharts: (query) => searchCharts(pool, query),
    ...createPgSearchRows(pool),
    async close() {
      // the pool is the opener's (openPostgres): ending it here would cut off its other users
    },
  };
}
