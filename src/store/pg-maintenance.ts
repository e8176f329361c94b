import type pg from 'pg';
import { describeRepository } from '../repositories.js';
import type { BlobReference } from './metadata-store.js';

/** Rows per page: each page is one short query, so nothing is held while the caller works. */
const PAGE = 500;

const versionPage = (table: string) => `
  SELECT t.id, t.digest, t.size, r.path AS repository, t.name, t.version
  FROM ${table} t JOIN repositories r ON r.id = t.repository_id
  WHERE t.id > $1 ORDER BY t.id LIMIT ${PAGE}`;
const MANIFEST_BLOB_PAGE = `
  SELECT b.manifest_id AS k, b.digest, m.name, m.digest AS manifest
  FROM oci_manifest_blobs b JOIN oci_manifests m ON m.id = b.manifest_id
  WHERE (b.manifest_id, b.digest) > ($1::bigint, $2::text) ORDER BY b.manifest_id, b.digest LIMIT ${PAGE}`;
const BLOB_LINK_PAGE = `
  SELECT name AS k, digest, name, NULL AS manifest FROM oci_blob_links
  WHERE (name, digest) > ($1::text, $2::text) ORDER BY name, digest LIMIT ${PAGE}`;

interface ChartRow {
  id: number;
  digest: string;
  size: number;
  repository: string;
  name: string;
  version: string;
}

interface OciRow {
  k: number | string;
  digest: string;
  name: string;
  manifest: string | null;
}

async function* versionRefs(pool: pg.Pool, kind: 'chart' | 'provenance'): AsyncIterable<BlobReference> {
  const statement = versionPage(kind === 'chart' ? 'chart_versions' : 'provenances');
  const what = kind === 'chart' ? 'chart' : 'provenance of';
  let after = 0;
  for (;;) {
    const { rows } = await pool.query<ChartRow>(statement, [after]);
    for (const row of rows) {
      const owner = `${what} ${row.name} ${row.version} in ${describeRepository(row.repository)}`;
      yield { digest: row.digest, size: row.size, kind, owner };
    }
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) return;
    after = last.id;
  }
}

async function* ociRefs(pool: pg.Pool, kind: 'oci-manifest' | 'oci-link'): AsyncIterable<BlobReference> {
  const statement = kind === 'oci-manifest' ? MANIFEST_BLOB_PAGE : BLOB_LINK_PAGE;
  let after: [number | string, string] = [kind === 'oci-manifest' ? -1 : '', ''];
  for (;;) {
    const { rows } = await pool.query<OciRow>(statement, after);
    for (const row of rows) {
      const owner =
        kind === 'oci-manifest' ? `OCI manifest ${row.name}@${row.manifest}` : `OCI blob link in ${row.name}`;
      yield { digest: row.digest, kind, owner };
    }
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) return;
    after = [last.k, last.digest];
  }
}

/**
 * listBlobReferences for the PostgreSQL store: keyset pages over chart_versions, provenances,
 * oci_manifest_blobs and oci_blob_links, in the order the SQLite store lists them.
 */
export async function* listPgBlobReferences(pool: pg.Pool): AsyncIterable<BlobReference> {
  yield* versionRefs(pool, 'chart');
  yield* versionRefs(pool, 'provenance');
  yield* ociRefs(pool, 'oci-manifest');
  yield* ociRefs(pool, 'oci-link');
}

/** isReferenced: any row of any table that names the blob. */
export async function isPgBlobReferenced(pool: pg.Pool, digest: string): Promise<boolean> {
  const { rowCount } = await pool.query(
    `SELECT 1 WHERE EXISTS (SELECT 1 FROM chart_versions WHERE digest = $1)
       OR EXISTS (SELECT 1 FROM provenances WHERE digest = $1)
       OR EXISTS (SELECT 1 FROM oci_manifest_blobs WHERE digest = $1)
       OR EXISTS (SELECT 1 FROM oci_blob_links WHERE digest = $1)`,
    [digest],
  );
  return rowCount === 1;
}
