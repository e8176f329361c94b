import type Database from 'better-sqlite3';
import { chartFilename, provFilename } from '../charts/filename.js';
import { RegistryError } from '../errors.js';
import type { DocumentOptions } from '../repo-index/index-document.js';
import { describeRepository } from '../repositories.js';
import { openDatabase } from './database.js';
import type {
  ChartBlock,
  MetadataStore,
  ProvenanceRecord,
  PublishRequest,
  RepositoryRevision,
} from './metadata-store.js';
import { createReadMemo } from './read-memo.js';
import { renderIndexInWorker } from './run-index-worker.js';
import { createGroupCommit } from './sqlite-group-commit.js';
import { createSqliteIndexBlocks } from './sqlite-index-blocks.js';
import { createSqliteInventory } from './sqlite-inventory.js';
import { prepareMaintenanceStatements } from './sqlite-maintenance-statements.js';
import { createSqliteOciMethods } from './sqlite-oci-store.js';
import { prepareSearchRowStatements } from './sqlite-search-rows.js';
import { prepareSearchStatements } from './sqlite-search-statements.js';
import { prepareStatements, type VersionRow } from './sqlite-statements.js';
import { createSqliteTagGuard } from './sqlite-tag-guard.js';
import { lazyVersionRecordOf, versionDetailsOf } from './version-rows.js';

const now = () => new Date().toISOString();

export function createSqliteMetadataStore(file: string): MetadataStore & { db: Database.Database } {
  const db = openDatabase(file);
  const q = prepareStatements(db);
  const search = prepareSearchStatements(db);
  const maintenance = prepareMaintenanceStatements(db);
  const indexBlocks = createSqliteIndexBlocks(db);
  const guardChartTag = createSqliteTagGuard(db);
  // Versions stored before migration 005 (or by a writer that does not build blocks) get theirs now.
  indexBlocks.repairAll();
  const revisions = createReadMemo(() => q.dataVersion.get() as number);
  const bumpRevision = (time: string, repositoryId: number) => {
    q.bumpRevision.run(time, repositoryId);
    revisions.forget();
  };

  const publish = db.transaction((req: PublishRequest) => {
    const time = now();
    q.ensureRepository.run(req.repository, time, time);
    const repo = q.repositoryId.get(req.repository) as { id: number };
    const { chart, provenance } = req;
    if (chart && !req.overwrite && q.getVersion.get(repo.id, chart.name, chart.version)) {
      throw new RegistryError(
        'CHART_EXISTS',
        `${chart.name} ${chart.version} already exists in ${describeRepository(req.repository)}`,
      );
    }
    if (provenance && !req.overwrite && q.getProvenance.get(repo.id, provenance.name, provenance.version)) {
      throw new RegistryError(
        'PROVENANCE_EXISTS',
        `a provenance file for ${provenance.name} ${provenance.version} already exists in ${describeRepository(req.repository)}`,
      );
    }
    if (chart) guardChartTag(req.repository, chart, req.overwrite);
    if (chart) {
      const previous = q.getVersion.get(repo.id, chart.name, chart.version) as VersionRow | undefined;
      // A provenance file signs one package: replacing the package retires the old signature.
      if (previous && previous.digest !== chart.digest && !provenance) {
        q.deleteProvenance.run(repo.id, chart.name, chart.version);
      }
      q.upsertVersion.run({
        repository_id: repo.id,
        name: chart.name,
        version: chart.version,
        filename: chartFilename(chart.name, chart.version),
        digest: chart.digest,
        size: chart.size,
        created: chart.created,
        metadata: JSON.stringify(chart.metadata),
        readme: chart.readme ?? null,
        values_yaml: chart.values ?? null,
      });
    }
    if (chart) indexBlocks.markStale(repo.id, chart.name);
    if (provenance) {
      q.upsertProvenance.run({
        repository_id: repo.id,
        ...provenance,
        filename: provFilename(provenance.name, provenance.version),
      });
    }
    bumpRevision(time, repo.id);
  });

  const publishTogether = createGroupCommit(db, publishMappingErrors);

  function publishMappingErrors(request: PublishRequest): void {
    try {
      publish(request);
    } catch (err) {
      // The unique file-name index: another version already owns <name>-<version>.tgz.
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new RegistryError(
          'CHART_EXISTS',
          'another version of the repository already has that file name',
        );
      }
      throw err;
    }
  }

  const deleteVersion = db.transaction((repository: string, name: string, version: string) => {
    const repo = q.repositoryId.get(repository) as { id: number } | undefined;
    if (!repo) return undefined;
    const row = q.getVersion.get(repo.id, name, version) as VersionRow | undefined;
    if (!row) return undefined;
    const prov = q.getProvenance.get(repo.id, name, version) as ProvenanceRecord | undefined;
    q.deleteVersion.run(repo.id, name, version);
    q.deleteProvenance.run(repo.id, name, version);
    indexBlocks.refresh(repo.id, name);
    bumpRevision(now(), repo.id);
    return prov ? { chart: versionDetailsOf(row), provenance: prov } : { chart: versionDetailsOf(row) };
  });

  const snapshot = db.transaction((repository: string) => {
    const repo = q.repository.get(repository) as
      | { id: number; revision: number; updated: string }
      | undefined;
    if (!repo) return undefined;
    const rows = q.listAllVersions.all(repo.id) as VersionRow[];
    return { revision: repo.revision, updated: repo.updated, versions: rows.map(lazyVersionRecordOf) };
  });

  const readIndexBlocks = db.transaction(
    (repository: string, bodies: boolean, onBlock: (block: ChartBlock) => void) => {
      const repo = q.repository.get(repository) as
        | { id: number; revision: number; updated: string }
        | undefined;
      if (!repo) return undefined;
      indexBlocks.read(repo.id, bodies, onBlock);
      return { revision: repo.revision, updated: repo.updated };
    },
  );

  const { isBlobReferenced, ...oci } = createSqliteOciMethods(db, publish);

  const repoId = (repository: string) => (q.repositoryId.get(repository) as { id: number } | undefined)?.id;

  return {
    db,
    ...oci,
    ...createSqliteInventory(db),
    async revision(repository) {
      return revisions.get(repository, () => q.revision.get(repository) as number | undefined);
    },
    async snapshot(repository) {
      return snapshot(repository);
    },
    async readIndexBlocks(repository, { bodies }, onBlock) {
      return readIndexBlocks(repository, bodies, onBlock);
    },
    ...(file !== ':memory:' && {
      renderLargeIndex: (repository: string, options: DocumentOptions) =>
        renderIndexInWorker(file, repository, options),
    }),
    async listRepositories() {
      return q.listRepositories.all() as Awaited<ReturnType<MetadataStore['listRepositories']>>;
    },
    async listChartNames(repository, { offset, limit }) {
      const id = repoId(repository);
      if (id === undefined) return [];
      const rows = q.listChartNames.all(id, limit ?? -1, offset) as Array<{ name: string }>;
      return rows.map((r) => r.name);
    },
    async listVersions(repository, names) {
      const id = repoId(repository);
      if (id === undefined) return [];
      const rows = names
        ? [...names].sort().flatMap((n) => q.listChartVersions.all(id, n) as VersionRow[])
        : (q.listAllVersionsInOrder.all(id) as VersionRow[]);
      return rows.map(versionDetailsOf);
    },
    async listVersionOrder(repository, name, options = {}) {
      const id = repoId(repository);
      if (id === undefined) return [];
      return q.versionOrder.all(id, name, options.releases ? 0 : 1, options.limit ?? -1) as string[];
    },
    async getVersion(repository, name, version) {
      const id = repoId(repository);
      const row =
        id === undefined ? undefined : (q.getVersion.get(id, name, version) as VersionRow | undefined);
      return row ? versionDetailsOf(row) : undefined;
    },
    async findVersionByFilename(repository, filename) {
      const id = repoId(repository);
      const row =
        id === undefined ? undefined : (q.versionByFilename.get(id, filename) as VersionRow | undefined);
      return row ? versionDetailsOf(row) : undefined;
    },
    async getProvenance(repository, name, version) {
      const id = repoId(repository);
      return id === undefined
        ? undefined
        : (q.getProvenance.get(id, name, version) as ProvenanceRecord | undefined);
    },
    async findProvenanceByFilename(repository, filename) {
      const id = repoId(repository);
      return id === undefined
        ? undefined
        : (q.provenanceByFilename.get(id, filename) as ProvenanceRecord | undefined);
    },
    publish: publishTogether,
    async deleteVersion(repository, name, version) {
      return deleteVersion(repository, name, version);
    },
    async isReferenced(digest) {
      return q.isReferenced.get(digest, digest) !== undefined || isBlobReferenced(digest);
    },
    listBlobReferences: () => maintenance.listBlobReferences(),
    async searchCharts(query) {
      return search.search(query);
    },
    ...prepareSearchRowStatements(db),
    async repositoryRevisions() {
      // remembered like revision(): the memo forgets on every write, and rechecks data_version
      return revisions.get('\0every repository', () => q.allRevisions.all() as RepositoryRevision[]) ?? [];
    },
    async close() {
      indexBlocks.flushStale();
      if (db.open) db.close();
    },
  };
}
