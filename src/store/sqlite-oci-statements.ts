import type Database from 'better-sqlite3';

export interface OciManifestRow {
  id: number;
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
  current: number;
  chart_version: string | null;
}

const MANIFEST_COLUMNS = `m.id, m.digest, m.media_type, m.bytes, m.size, m.artifact_type, m.subject,
  m.annotations, m.created, m.chart_layer, m.prov_layer, m.current, v.version AS chart_version`;
const WITH_VERSION = 'LEFT JOIN chart_versions v ON v.id = m.chart_version_id';
const VERSION_OF = `SELECT v.id FROM chart_versions v JOIN repositories r ON r.id = v.repository_id
  WHERE r.path = ? AND v.name = ? AND v.version = ?`;
const INSERT_MANIFEST = `INSERT INTO oci_manifests
  (name, digest, media_type, bytes, size, artifact_type, subject, annotations, created,
   chart_version_id, chart_layer, prov_layer, current)
  VALUES (@name, @digest, @media_type, @bytes, @size, @artifact_type, @subject, @annotations, @created,
   @chart_version_id, @chart_layer, @prov_layer, @current)`;

/** Every statement of the OCI view (migrations/002_oci.sql), prepared once when the store opens. */
export function prepareOciStatements(db: Database.Database) {
  return {
    manifest: db.prepare(`SELECT ${MANIFEST_COLUMNS} FROM oci_manifests m ${WITH_VERSION}
      WHERE m.name = ? AND m.digest = ?`),
    taggedManifest: db.prepare(`SELECT ${MANIFEST_COLUMNS} FROM oci_tags t
      JOIN oci_manifests m ON m.id = t.manifest_id ${WITH_VERSION} WHERE t.name = ? AND t.tag = ?`),
    currentManifest: db.prepare(`SELECT ${MANIFEST_COLUMNS} FROM oci_manifests m ${WITH_VERSION}
      WHERE m.chart_version_id = ? AND m.current = 1`),
    manifestId: db.prepare('SELECT id FROM oci_manifests WHERE name = ? AND digest = ?'),
    versionId: db.prepare(VERSION_OF),
    listTags: db.prepare('SELECT tag FROM oci_tags WHERE name = ?'),
    listVersions: db.prepare(`SELECT v.version FROM chart_versions v
      JOIN repositories r ON r.id = v.repository_id WHERE r.path = ? AND v.name = ?`),
    holdsContent: db.prepare(`SELECT 1 FROM oci_manifests WHERE name = ?
      UNION ALL SELECT 1 FROM oci_blob_links WHERE name = ? LIMIT 1`),
    insertManifest: db.prepare(`${INSERT_MANIFEST} ON CONFLICT (name, digest) DO NOTHING`),
    upsertChartManifest: db.prepare(`${INSERT_MANIFEST} ON CONFLICT (name, digest) DO UPDATE SET
      chart_version_id = excluded.chart_version_id, chart_layer = excluded.chart_layer,
      prov_layer = excluded.prov_layer, current = MAX(current, excluded.current)`),
    clearCurrent: db.prepare(
      'UPDATE oci_manifests SET current = 0 WHERE chart_version_id = ? AND current = 1',
    ),
    insertManifestBlob: db.prepare(
      'INSERT INTO oci_manifest_blobs (manifest_id, digest) VALUES (?, ?) ON CONFLICT DO NOTHING',
    ),
    upsertTag: db.prepare(`INSERT INTO oci_tags (name, tag, manifest_id, updated) VALUES (?, ?, ?, ?)
      ON CONFLICT (name, tag) DO UPDATE SET manifest_id = excluded.manifest_id, updated = excluded.updated`),
    deleteTag: db.prepare('DELETE FROM oci_tags WHERE name = ? AND tag = ?'),
    deleteManifest: db.prepare(
      'DELETE FROM oci_manifests WHERE name = ? AND digest = ? AND chart_version_id IS NULL',
    ),
    referrers: db.prepare(`SELECT digest, media_type, size, artifact_type, annotations FROM oci_manifests
      WHERE name = ? AND subject = ? ORDER BY id`),
    linkBlob: db.prepare(
      'INSERT INTO oci_blob_links (name, digest, created) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    unlinkBlob: db.prepare('DELETE FROM oci_blob_links WHERE name = ? AND digest = ?'),
    isLinked: db.prepare('SELECT 1 FROM oci_blob_links WHERE name = ? AND digest = ?'),
    isReferencedIn: db.prepare(`
      SELECT 1 FROM oci_manifest_blobs b JOIN oci_manifests m ON m.id = b.manifest_id
        WHERE m.name = @name AND b.digest = @digest
      UNION ALL
      SELECT 1 FROM chart_versions v JOIN repositories r ON r.id = v.repository_id
        WHERE r.path = @repository AND v.name = @chart AND v.digest = @digest
      UNION ALL
      SELECT 1 FROM provenances p JOIN repositories r ON r.id = p.repository_id
        WHERE r.path = @repository AND p.name = @chart AND p.digest = @digest
      LIMIT 1`),
    // the digest as text inside the JSON: a cheap filter, confirmed by parsing (tag-owner.ts)
    indexesMentioning: db.prepare(`SELECT digest, bytes FROM oci_manifests
      WHERE name = ? AND media_type IN (SELECT value FROM json_each(?)) AND instr(CAST(bytes AS TEXT), ?) > 0
      ORDER BY id`),
    allIndexes: db.prepare(`SELECT name, digest, bytes FROM oci_manifests
      WHERE media_type IN (SELECT value FROM json_each(?)) ORDER BY id`),
    danglingTags: db.prepare(`SELECT t.name, t.tag, t.manifest_id FROM oci_tags t
      LEFT JOIN oci_manifests m ON m.id = t.manifest_id WHERE m.id IS NULL ORDER BY t.name, t.tag`),
    isBlobReferenced: db.prepare(`SELECT 1 FROM oci_manifest_blobs WHERE digest = ?
      UNION ALL SELECT 1 FROM oci_blob_links WHERE digest = ? LIMIT 1`),
  };
}

export type OciStatements = ReturnType<typeof prepareOciStatements>;
