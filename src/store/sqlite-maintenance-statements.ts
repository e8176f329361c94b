import type Database from 'better-sqlite3';
import { describeRepository } from '../repositories.js';
import type { BlobReference } from './metadata-store.js';

/** Rows per page: small enough that no page holds the database for long. */
const PAGE = 500;

interface ChartRow {
  id: number;
  digest: string;
  size: number;
  repository: string;
  name: string;
  version: string;
}

interface OciRow {
  /** the page key: the manifest id, or the OCI repository name of a blob link */
  k: number | string;
  digest: string;
  name: string;
  manifest: string | null;
}

const versionPage = (table: string) => `
  SELECT t.id, t.digest, t.size, r.path AS repository, t.name, t.version
  FROM ${table} t JOIN repositories r ON r.id = t.repository_id
  WHERE t.id > ? ORDER BY t.id LIMIT ${PAGE}`;

/** The OCI tables come with migration 002; a database without them has no OCI rows to list. */
const manifestBlobPage = `
  SELECT b.manifest_id AS k, b.digest, m.name, m.digest AS manifest
  FROM oci_manifest_blobs b JOIN oci_manifests m ON m.id = b.manifest_id
  WHERE (b.manifest_id, b.digest) > (?, ?) ORDER BY b.manifest_id, b.digest LIMIT ${PAGE}`;
const blobLinkPage = `
  SELECT name AS k, digest, name, NULL AS manifest FROM oci_blob_links
  WHERE (name, digest) > (?, ?) ORDER BY name, digest LIMIT ${PAGE}`;

/**
 * listBlobReferences for the SQLite store: keyset pages over chart_versions, provenances,
 * oci_manifest_blobs and oci_blob_links, each page read with `.all()` so that no statement stays
 * open while the caller works between pages.
 */
export function prepareMaintenanceStatements(db: Database.Database) {
  const tables = new Set(
    (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map(
      (row) => row.name,
    ),
  );
  const versions = db.prepare(versionPage('chart_versions'));
  const provenances = db.prepare(versionPage('provenances'));
  const manifestBlobs = tables.has('oci_manifest_blobs') ? db.prepare(manifestBlobPage) : undefined;
  const blobLinks = tables.has('oci_blob_links') ? db.prepare(blobLinkPage) : undefined;

  async function* listVersionRefs(statement: Database.Statement, kind: 'chart' | 'provenance') {
    const what = kind === 'chart' ? 'chart' : 'provenance of';
    let after = 0;
    for (;;) {
      const rows = statement.all(after) as ChartRow[];
      for (const row of rows) {
        const owner = `${what} ${row.name} ${row.version} in ${describeRepository(row.repository)}`;
        yield { digest: row.digest, size: row.size, kind, owner } satisfies BlobReference;
      }
      const last = rows.at(-1);
      if (!last || rows.length < PAGE) return;
      after = last.id;
    }
  }

  async function* listOciRefs(statement: Database.Statement | undefined, kind: 'oci-manifest' | 'oci-link') {
    if (!statement) return;
    let after: [number | string, string] = [kind === 'oci-manifest' ? -1 : '', ''];
    for (;;) {
      const rows = statement.all(...after) as OciRow[];
      for (const row of rows) {
        const owner =
          kind === 'oci-manifest'
            ? `OCI manifest ${row.name}@${row.manifest}`
            : `OCI blob link in ${row.name}`;
        yield { digest: row.digest, kind, owner } satisfies BlobReference;
      }
      const last = rows.at(-1);
      if (!last || rows.length < PAGE) return;
      after = [last.k, last.digest];
    }
  }

  return {
    async *listBlobReferences(): AsyncIterable<BlobReference> {
      yield* listVersionRefs(versions, 'chart');
      yield* listVersionRefs(provenances, 'provenance');
      yield* listOciRefs(manifestBlobs, 'oci-manifest');
      yield* listOciRefs(blobLinks, 'oci-link');
    },
  };
}
