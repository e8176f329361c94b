import type pg from 'pg';
import { tagOfVersion } from '../oci/reference.js';
import { indexMediaTypes, listedManifests } from '../oci/tag-owner.js';
import type {
  DanglingOciReference,
  OciChartManifestWrite,
  OciDescriptorRecord,
  OciManifestRecord,
  OciManifestWrite,
  OciMetadataStore,
  OciRepositoryName,
} from './metadata-store.js';
import { lockRepository, publishIn } from './pg-publish.js';
import { inWriteTransaction } from './pg-transaction.js';

interface ManifestRow {
  digest: string;
  media_type: string;
  bytes: Buffer;
  size: number;
  artifact_type: string | null;
  subject: string | null;
  annotations: string | null;
  created: string;
  chart_layer: string | null;
  prov_layer: string | null;
  current: boolean;
  chart_version: string | null;
}

const now = () => new Date().toISOString();

const MANIFEST = `SELECT m.digest, m.media_type, m.bytes, m.size, m.artifact_type, m.subject,
  m.annotations::text AS annotations, m.created, m.chart_layer, m.prov_layer, m.current,
  v.version AS chart_version`;
const WITH_VERSION = 'LEFT JOIN chart_versions v ON v.id = m.chart_version_id';
const VERSION_OF = `SELECT v.id FROM chart_versions v JOIN repositories r ON r.id = v.repository_id
  WHERE r.path = $1 AND v.name = $2 AND v.version = $3`;

/**
 * Stores a manifest and its blob rows; resolves to its id. ON CONFLICT DO UPDATE (of nothing that
 * changes a plain manifest) rather than DO NOTHING: it locks and returns the row that is there,
 * where a DO NOTHING followed by a SELECT could miss a row deleted between the two.
 */
async function insertManifest(
  client: pg.ClientBase,
  name: string,
  m: OciManifestWrite,
  chart?: { versionId: number; current: boolean },
): Promise<number> {
  const chartManifest = m as Partial<OciChartManifestWrite>;
  const onConflict = chart
    ? `chart_version_id = excluded.chart_version_id, chart_layer = excluded.chart_layer,
       prov_layer = excluded.prov_layer, current = oci_manifests.current OR excluded.current`
    : 'name = excluded.name';
  const { rows } = await client.query<{ id: number }>(
    `INSERT INTO oci_manifests (name, digest, media_type, bytes, size, artifact_type, subject, annotations,
       created, chart_version_id, chart_layer, prov_layer, current)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (name, digest) DO UPDATE SET ${onConflict} RETURNING id`,
    [
      name,
      m.digest,
      m.mediaType,
      m.bytes,
      m.size,
      m.artifactType ?? null,
      m.subject ?? null,
      m.annotations ? JSON.stringify(m.annotations) : null,
      m.created,
      chart?.versionId ?? null,
      chart ? (chartManifest.layer ?? null) : null,
      chart ? (chartManifest.prov ?? null) : null,
      chart?.current ?? false,
    ],
  );
  const id = (rows[0] as { id: number }).id;
  await client.query(
    `INSERT INTO oci_manifest_blobs (manifest_id, digest) SELECT $1, unnest($2::text[])
     ON CONFLICT DO NOTHING`,
    [id, m.blobs],
  );
  return id;
}

/**
 * The chart version's row, locked after its repository's (the order every chart write takes);
 * `repositoryLocked` where the transaction already holds the repository's lock.
 */
async function lockVersion(
  client: pg.ClientBase,
  oci: OciRepositoryName,
  version: string,
  repositoryLocked = false,
) {
  if (!repositoryLocked && (await lockRepository(client, oci.repository)) === undefined) return undefined;
  const { rows } = await client.query<{ id: number }>(`${VERSION_OF} FOR UPDATE OF v`, [
    oci.repository,
    oci.chart,
    version,
  ]);
  return rows[0]?.id;
}

async function saveChart(
  client: pg.ClientBase,
  name: string,
  versionId: number,
  manifest: OciChartManifestWrite,
  current: boolean,
) {
  if (current) {
    await client.query('UPDATE oci_manifests SET current = false WHERE chart_version_id = $1 AND current', [
      versionId,
    ]);
  }
  await insertManifest(client, name, manifest, { versionId, current });
}

/** The OCI half of the PostgreSQL MetadataStore; chart pushes reuse the store's publish transaction. */
export function createPgOciMethods(pool: pg.Pool): OciMetadataStore {
  const one = async (sql: string, params: unknown[]) =>
    toRecord((await pool.query<ManifestRow>(sql, params)).rows[0]);

  return {
    getOciManifest: (name, digest) =>
      one(`${MANIFEST} FROM oci_manifests m ${WITH_VERSION} WHERE m.name = $1 AND m.digest = $2`, [
        name,
        digest,
      ]),
    getOciTag: (name, tag) =>
      one(
        `${MANIFEST} FROM oci_tags t JOIN oci_manifests m ON m.id = t.manifest_id ${WITH_VERSION}
         WHERE t.name = $1 AND t.tag = $2`,
        [name, tag],
      ),
    async listOciTags(oci) {
      // one statement, so the three answers agree with each other
      const { rows } = await pool.query<{ tags: string[]; versions: string[]; holds: boolean }>(
        `SELECT ARRAY(SELECT tag FROM oci_tags WHERE name = $1) AS tags,
           ARRAY(SELECT v.version FROM chart_versions v JOIN repositories r ON r.id = v.repository_id
                 WHERE r.path = $2 AND v.name = $3) AS versions,
           EXISTS (SELECT 1 FROM oci_manifests WHERE name = $1)
             OR EXISTS (SELECT 1 FROM oci_blob_links WHERE name = $1) AS holds`,
        [oci.name, oci.repository, oci.chart],
      );
      const { tags, versions, holds } = rows[0] as { tags: string[]; versions: string[]; holds: boolean };
      if (tags.length === 0 && versions.length === 0 && !holds) return undefined;
      return { tags, versions };
    },
    async putOciManifest(name, manifest, tag) {
      await inWriteTransaction(pool, async (client) => {
        const id = await insertManifest(client, name, manifest);
        if (tag === undefined) return;
        await client.query(
          `INSERT INTO oci_tags (name, tag, manifest_id, updated) VALUES ($1, $2, $3, $4)
           ON CONFLICT (name, tag) DO UPDATE SET manifest_id = excluded.manifest_id, updated = excluded.updated`,
          [name, tag, id, now()],
        );
      });
    },
    async publishOciChart(req) {
      const { oci, chart, manifest } = req;
      await inWriteTransaction(pool, async (client) => {
        await publishIn(client, {
          repository: oci.repository,
          chart,
          provenance: req.provenance,
          overwrite: req.overwrite,
        });
        const id = await lockVersion(client, oci, chart.version, true);
        if (id === undefined)
          throw new Error(`chart version ${chart.name} ${chart.version} vanished while publishing`);
        await saveChart(client, oci.name, id, manifest, true);
        await client.query('DELETE FROM oci_tags WHERE name = $1 AND tag = $2', [
          oci.name,
          tagOfVersion(chart.version),
        ]);
        await client.query('DELETE FROM oci_blob_links WHERE name = $1 AND digest = ANY ($2::text[])', [
          oci.name,
          manifest.blobs,
        ]);
      });
    },
    getChartManifest: (oci, version) =>
      one(
        `${MANIFEST} FROM oci_manifests m JOIN chart_versions v ON v.id = m.chart_version_id
         JOIN repositories r ON r.id = v.repository_id
         WHERE r.path = $1 AND v.name = $2 AND v.version = $3 AND m.current`,
        [oci.repository, oci.chart, version],
      ),
    saveChartManifest: (oci, version, manifest, { current }) =>
      inWriteTransaction(pool, async (client) => {
        const id = await lockVersion(client, oci, version);
        if (id === undefined) return false;
        await saveChart(client, oci.name, id, manifest, current);
        return true;
      }),
    async deleteOciManifest(name, digest) {
      const { rowCount } = await pool.query(
        'DELETE FROM oci_manifests WHERE name = $1 AND digest = $2 AND chart_version_id IS NULL',
        [name, digest],
      );
      return rowCount === 1;
    },
    async ociIndexesListing(name, digest) {
      // the digest as text inside the JSON: a cheap filter, confirmed by parsing (tag-owner.ts)
      const { rows } = await pool.query<{ digest: string; bytes: Buffer }>(
        `SELECT digest, bytes FROM oci_manifests WHERE name = $1 AND media_type = ANY ($2::text[])
           AND position(convert_to($3, 'UTF8') IN bytes) > 0 ORDER BY id`,
        [name, indexMediaTypes, digest],
      );
      return rows.filter((r) => listedManifests(r.bytes).includes(digest)).map((r) => r.digest);
    },
    async findDanglingOciReferences() {
      const found: DanglingOciReference[] = [];
      const indexes = await pool.query<{ name: string; digest: string; bytes: Buffer }>(
        'SELECT name, digest, bytes FROM oci_manifests WHERE media_type = ANY ($1::text[]) ORDER BY id',
        [indexMediaTypes],
      );
      for (const index of indexes.rows) {
        const children = listedManifests(index.bytes);
        const { rows } = await pool.query<{ digest: string }>(
          'SELECT digest FROM oci_manifests WHERE name = $1 AND digest = ANY ($2::text[])',
          [index.name, children],
        );
        const stored = new Set(rows.map((r) => r.digest));
        for (const child of children)
          if (!stored.has(child))
            found.push({ name: index.name, from: { index: index.digest }, missing: child });
      }
      const tags = await pool.query<{ name: string; tag: string; manifest_id: number }>(
        `SELECT t.name, t.tag, t.manifest_id FROM oci_tags t LEFT JOIN oci_manifests m ON m.id = t.manifest_id
         WHERE m.id IS NULL ORDER BY t.name, t.tag`,
      );
      for (const t of tags.rows)
        found.push({ name: t.name, from: { tag: t.tag }, missing: `manifest row ${t.manifest_id}` });
      return found;
    },
    async deleteOciTag(name, tag) {
      const { rowCount } = await pool.query('DELETE FROM oci_tags WHERE name = $1 AND tag = $2', [name, tag]);
      return rowCount === 1;
    },
    async listOciReferrers(name, digest) {
      const { rows } = await pool.query<ManifestRow>(
        `SELECT digest, media_type, size, artifact_type, annotations::text AS annotations FROM oci_manifests
         WHERE name = $1 AND subject = $2 ORDER BY id`,
        [name, digest],
      );
      return rows.map(toDescriptor);
    },
    async linkOciBlob(name, digest) {
      await pool.query(
        'INSERT INTO oci_blob_links (name, digest, created) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [name, digest, now()],
      );
    },
    async unlinkOciBlob(name, digest) {
      const { rowCount } = await pool.query('DELETE FROM oci_blob_links WHERE name = $1 AND digest = $2', [
        name,
        digest,
      ]);
      return rowCount === 1;
    },
    async ociBlobState(oci, digest) {
      const { rows } = await pool.query<{ linked: boolean; referenced: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM oci_blob_links WHERE name = $1 AND digest = $2) AS linked,
           EXISTS (SELECT 1 FROM oci_manifest_blobs b JOIN oci_manifests m ON m.id = b.manifest_id
                   WHERE m.name = $1 AND b.digest = $2)
           OR EXISTS (SELECT 1 FROM chart_versions v JOIN repositories r ON r.id = v.repository_id
                      WHERE r.path = $3 AND v.name = $4 AND v.digest = $2)
           OR EXISTS (SELECT 1 FROM provenances p JOIN repositories r ON r.id = p.repository_id
                      WHERE r.path = $3 AND p.name = $4 AND p.digest = $2) AS referenced`,
        [oci.name, digest, oci.repository, oci.chart],
      );
      return rows[0] as { linked: boolean; referenced: boolean };
    },
  };
}

function toDescriptor(
  row: Pick<ManifestRow, 'digest' | 'media_type' | 'size' | 'artifact_type' | 'annotations'>,
): OciDescriptorRecord {
  const out: OciDescriptorRecord = { digest: row.digest, mediaType: row.media_type, size: row.size };
  if (row.artifact_type !== null) out.artifactType = row.artifact_type;
  if (row.annotations !== null) out.annotations = JSON.parse(row.annotations) as Record<string, string>;
  return out;
}

function toRecord(row: ManifestRow | undefined): OciManifestRecord | undefined {
  if (!row) return undefined;
  const record: OciManifestRecord = { ...toDescriptor(row), bytes: row.bytes, created: row.created };
  if (row.subject !== null) record.subject = row.subject;
  if (row.chart_version !== null && row.chart_layer !== null) {
    record.chart = { version: row.chart_version, layer: row.chart_layer, current: row.current };
    if (row.prov_layer !== null) record.chart.prov = row.prov_layer;
  }
  return record;
}
