/**
 * The OCI view as migrate-store copies it: manifests with their bytes exactly as stored and the
 * blobs each refers to (written in one step, so a manifest never lands without its blob rows),
 * tags of non-chart content, and blob links. A chart manifest joins the destination's version of
 * the same package, or is not copied.
 */
import { flag, insertIfAbsent, type RowTable, text } from './row-table.js';
import type { Query, Row } from './sql-port.js';

const blobDigests = (row: Row) => (row.blob_digests as string[] | undefined) ?? [];

async function chartVersionId(target: Parameters<RowTable['write']>[0], row: Row) {
  if (row.chart_name === null) return { id: null };
  const repositoryId = await target.repositoryId(String(row.chart_repository));
  const [version] = await target.query<{ id: number; digest: string }>(
    'SELECT id, digest FROM chart_versions WHERE repository_id = ? AND name = ? AND version = ?',
    [repositoryId ?? -1, row.chart_name, row.chart_version],
  );
  return version && version.digest === row.chart_layer ? { id: version.id } : undefined;
}

const manifests: RowTable = {
  name: 'manifests',
  select: `SELECT m.id, m.name, m.digest, m.media_type, m.bytes, m.size, m.artifact_type, m.subject,
             CAST(m.annotations AS text) AS annotations, m.created, r.path AS chart_repository,
             v.name AS chart_name, v.version AS chart_version, m.chart_layer, m.prov_layer, m.current
           FROM oci_manifests m LEFT JOIN chart_versions v ON v.id = m.chart_version_id
           LEFT JOIN repositories r ON r.id = v.repository_id`,
  key: [{ column: 'm.id', field: 'id' }],
  async complete(query: Query, rows: Row[]) {
    if (rows.length === 0) return;
    const ids = rows.map((row) => row.id);
    const links = await query<{ manifest_id: number; digest: string }>(
      `SELECT manifest_id, digest FROM oci_manifest_blobs WHERE manifest_id IN (${ids.map(() => '?').join(', ')})`,
      ids,
    );
    const byId = new Map(rows.map((row) => [row.id, [] as string[]]));
    for (const link of links) byId.get(link.manifest_id)?.push(link.digest);
    for (const row of rows) row.blob_digests = byId.get(row.id);
  },
  blobs: blobDigests,
  describe: (row) => `OCI manifest ${row.name}@${row.digest}`,
  async write(target, row) {
    const version = await chartVersionId(target, row);
    if (!version)
      return { skipped: `its chart version ${row.chart_name} ${row.chart_version} was not copied` };
    const [inserted] = await target.query<{ id: number }>(
      `INSERT INTO oci_manifests (name, digest, media_type, bytes, size, artifact_type, subject, annotations,
         created, chart_version_id, chart_layer, prov_layer, current)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
      [
        row.name,
        row.digest,
        row.media_type,
        row.bytes,
        row.size,
        text(row.artifact_type),
        text(row.subject),
        text(row.annotations),
        row.created,
        version.id,
        text(row.chart_layer),
        text(row.prov_layer),
        flag(row.current),
      ],
    );
    if (!inserted) {
      const [there] = await target.query('SELECT 1 FROM oci_manifests WHERE name = ? AND digest = ?', [
        row.name,
        row.digest,
      ]);
      return there ? 'present' : { skipped: 'another manifest is the current one of its chart version' };
    }
    for (const digest of blobDigests(row)) {
      await target.query('INSERT INTO oci_manifest_blobs (manifest_id, digest) VALUES (?, ?)', [
        inserted.id,
        digest,
      ]);
    }
    return 'copied';
  },
};

const tags: RowTable = {
  name: 'tags',
  select: `SELECT t.name, t.tag, t.updated, m.digest AS manifest_digest
           FROM oci_tags t JOIN oci_manifests m ON m.id = t.manifest_id`,
  key: [
    { column: 't.name', field: 'name' },
    { column: 't.tag', field: 'tag' },
  ],
  describe: (row) => `OCI tag ${row.name}:${row.tag}`,
  async write(target, row) {
    const [manifest] = await target.query<{ id: number }>(
      'SELECT id FROM oci_manifests WHERE name = ? AND digest = ?',
      [row.name, row.manifest_digest],
    );
    if (!manifest) return { skipped: `its manifest ${row.manifest_digest} was not copied` };
    const inserted = await insertIfAbsent(
      target,
      'INSERT INTO oci_tags (name, tag, manifest_id, updated) VALUES (?, ?, ?, ?)',
      [row.name, row.tag, manifest.id, row.updated],
    );
    if (inserted) return 'copied';
    const [there] = await target.query<{ manifest_id: number }>(
      'SELECT manifest_id FROM oci_tags WHERE name = ? AND tag = ?',
      [row.name, row.tag],
    );
    return there?.manifest_id === manifest.id
      ? 'present'
      : { skipped: 'the destination tags another manifest' };
  },
};

const blobLinks: RowTable = {
  name: 'blob links',
  select: 'SELECT l.name, l.digest, l.created FROM oci_blob_links l',
  key: [
    { column: 'l.name', field: 'name' },
    { column: 'l.digest', field: 'digest' },
  ],
  blobs: (row) => [String(row.digest)],
  describe: (row) => `OCI blob link ${row.name}@sha256:${row.digest}`,
  async write(target, row) {
    const inserted = await insertIfAbsent(
      target,
      'INSERT INTO oci_blob_links (name, digest, created) VALUES (?, ?, ?)',
      [row.name, row.digest, row.created],
    );
    return inserted ? 'copied' : 'present';
  },
};

export const ociTables = [manifests, tags, blobLinks];
