import type pg from 'pg';
import { chartFilename, provFilename } from '../charts/filename.js';
import { isPrerelease } from '../charts/versions.js';
import { RegistryError } from '../errors.js';
import { describeRepository } from '../repositories.js';
import type { ProvenanceRecord, PublishRequest, VersionDetails } from './metadata-store.js';
import { refreshIndexBlock } from './pg-index-blocks.js';
import { documentParams, documentSql } from './pg-search.js';
import { guardChartTag } from './pg-tag-guard.js';
import { violatedUnique } from './pg-transaction.js';
import { versionSortKey } from './pg-version-order.js';
import { PROVENANCE_COLUMNS, VERSION_COLUMNS } from './pg-version-rows.js';
import type { VersionRow } from './version-rows.js';

const now = () => new Date().toISOString();

/**
 * Takes the repository's row lock: every writer of a repository goes through here (or through
 * bumpRepository), so its writes run one after the other, and each statement after this one (READ
 * COMMITTED) sees every write committed before it. Undefined when the repository does not exist.
 */
export async function lockRepository(client: pg.ClientBase, repository: string): Promise<number | undefined> {
  const { rows } = await client.query<{ id: number }>(
    'SELECT id FROM repositories WHERE path = $1 FOR UPDATE',
    [repository],
  );
  return rows[0]?.id;
}

/**
 * lockRepository for a write that will change the repository, in one statement: creates the
 * repository on its first write and bumps its revision (index.yaml's ETag on every replica). A
 * write that fails rolls the bump back with everything else.
 */
async function bumpRepository(client: pg.ClientBase, repository: string): Promise<number> {
  const { rows } = await client.query<{ id: number }>(
    `INSERT INTO repositories (path, created, updated, revision) VALUES ($1, $2, $2, 1)
     ON CONFLICT (path) DO UPDATE SET revision = repositories.revision + 1, updated = excluded.updated
     RETURNING id`,
    [repository, now()],
  );
  return (rows[0] as { id: number }).id;
}

/** The change is visible: index.yaml's ETag moves on every replica. */
export async function bumpRevision(client: pg.ClientBase, repositoryId: number): Promise<void> {
  await client.query('UPDATE repositories SET revision = revision + 1, updated = $2 WHERE id = $1', [
    repositoryId,
    now(),
  ]);
}

const exists = (chart: { name: string; version: string }, repository: string) =>
  new RegistryError(
    'CHART_EXISTS',
    `${chart.name} ${chart.version} already exists in ${describeRepository(repository)}`,
  );

/**
 * MetadataStore.publish inside the caller's transaction; also the first step of publishOciChart.
 * `refreshBlock` rebuilds the chart's index block; a group commit passes one that defers it to the
 * end of its batch.
 */
export async function publishIn(
  client: pg.ClientBase,
  req: PublishRequest,
  refreshBlock: (repositoryId: number, name: string) => Promise<void> = (id, name) =>
    refreshIndexBlock(client, id, name),
): Promise<number> {
  const repositoryId = await bumpRepository(client, req.repository);
  const { chart, provenance } = req;
  const { rows } = await client.query<{ id: number | null; digest: string | null; signed: boolean }>(
    `SELECT v.id, v.digest, EXISTS (SELECT 1 FROM provenances
       WHERE repository_id = $1 AND name = $4 AND version = $5) AS signed
     FROM (VALUES (1)) AS one LEFT JOIN chart_versions v
       ON v.repository_id = $1 AND v.name = $2 AND v.version = $3`,
    [
      repositoryId,
      chart?.name ?? null,
      chart?.version ?? null,
      provenance?.name ?? null,
      provenance?.version ?? null,
    ],
  );
  const found = rows[0];
  const previous = found?.id != null ? { id: found.id, digest: found.digest as string } : undefined;
  if (chart && previous && !req.overwrite) throw exists(chart, req.repository);
  if (provenance && found?.signed && !req.overwrite) {
    throw new RegistryError(
      'PROVENANCE_EXISTS',
      `a provenance file for ${provenance.name} ${provenance.version} already exists in ${describeRepository(req.repository)}`,
    );
  }
  if (chart) await guardChartTag(client, req.repository, chart, req.overwrite);
  if (chart) {
    // A provenance file signs one package: replacing the package retires the old signature.
    if (previous && previous.digest !== chart.digest && !provenance) {
      await client.query('DELETE FROM provenances WHERE repository_id = $1 AND name = $2 AND version = $3', [
        repositoryId,
        chart.name,
        chart.version,
      ]);
    }
    if (previous) await replaceVersion(client, previous, chart, req.repository);
    else await insertVersion(client, repositoryId, chart, req.repository);
    await refreshBlock(repositoryId, chart.name);
  }
  if (provenance) await upsertProvenance(client, repositoryId, provenance);
  return repositoryId;
}

function versionParams(chart: VersionDetails) {
  return [
    chart.digest,
    chart.size,
    chart.created,
    JSON.stringify(chart.metadata),
    chart.readme ?? null,
    chart.values ?? null,
    versionSortKey(chart.version),
    ...documentParams(chart.metadata),
  ];
}

async function insertVersion(
  client: pg.ClientBase,
  repositoryId: number,
  chart: VersionDetails,
  repository: string,
) {
  try {
    await client.query(
      `INSERT INTO chart_versions (digest, size, created, metadata, readme, values_yaml, sort_key,
         search_document, prerelease, repository_id, name, version, filename)
       VALUES ($1, $2, $3, $4, $5, $6, $7, ${documentSql('$8', '$9', '$10')}, $11, $12, $13, $14, $15)`,
      [
        ...versionParams(chart),
        isPrerelease(chart.version),
        repositoryId,
        chart.name,
        chart.version,
        chartFilename(chart.name, chart.version),
      ],
    );
  } catch (err) {
    // the file name index: another version already owns <name>-<version>.tgz
    if (violatedUnique(err) === 'chart_versions_by_filename') {
      throw new RegistryError('CHART_EXISTS', 'another version of the repository already has that file name');
    }
    if (violatedUnique(err) === 'chart_versions_unique') throw exists(chart, repository);
    throw err;
  }
}

/** Overwrite as a compare-and-swap: only the package this transaction read is replaced. */
async function replaceVersion(
  client: pg.ClientBase,
  previous: { id: number; digest: string },
  chart: VersionDetails,
  repository: string,
) {
  const { rowCount } = await client.query(
    `UPDATE chart_versions SET digest = $1, size = $2, created = $3, metadata = $4, readme = $5,
       values_yaml = $6, sort_key = $7, search_document = ${documentSql('$8', '$9', '$10')}
     WHERE id = $11 AND digest = $12`,
    [...versionParams(chart), previous.id, previous.digest],
  );
  if (rowCount !== 1) throw exists(chart, repository);
}

async function upsertProvenance(client: pg.ClientBase, repositoryId: number, p: ProvenanceRecord) {
  await client.query(
    `INSERT INTO provenances (repository_id, name, version, filename, digest, size, created)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (repository_id, name, version) DO UPDATE SET
       digest = excluded.digest, size = excluded.size, created = excluded.created`,
    [repositoryId, p.name, p.version, provFilename(p.name, p.version), p.digest, p.size, p.created],
  );
}

/** MetadataStore.deleteVersion inside the caller's transaction. */
export async function deleteVersionIn(
  client: pg.ClientBase,
  repository: string,
  name: string,
  version: string,
) {
  const repositoryId = await lockRepository(client, repository);
  if (repositoryId === undefined) return undefined;
  const args = [repositoryId, name, version];
  const { rows } = await client.query<VersionRow>(
    `DELETE FROM chart_versions v WHERE repository_id = $1 AND name = $2 AND version = $3
     RETURNING ${VERSION_COLUMNS}, v.readme, v.values_yaml`,
    args,
  );
  const row = rows[0];
  if (!row) return undefined;
  const prov = await client.query<ProvenanceRecord>(
    `DELETE FROM provenances p WHERE repository_id = $1 AND name = $2 AND version = $3
     RETURNING ${PROVENANCE_COLUMNS}`,
    args,
  );
  await refreshIndexBlock(client, repositoryId, name);
  await bumpRevision(client, repositoryId);
  return { row, provenance: prov.rows[0] };
}
