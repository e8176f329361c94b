/**
 * The synthetic store copied into PostgreSQL and a Ceph bucket, for the PostgreSQL + Ceph rows: a
 * bench-only loader, not migrate-store. Going through the server's publish would take each
 * repository's row lock once per version and rebuild the chart's index block every time (minutes
 * at 100,000 versions); instead the rows the SQLite store holds are written as they are, in pages
 * of multi-row INSERTs, with the columns PostgreSQL derives (sort key, prerelease flag, search
 * document) computed by the store's own helpers. Index entries and blocks are byte-for-byte those
 * SQLite built (both dialects store migration 005's layout), and the bench checks that the two
 * servers answer the same index.yaml before it measures anything. Triggers are off during the copy
 * (session_replication_role = replica) and chart_search is filled afterwards by the migration's own
 * chart_search_refresh, once per chart.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import Database from 'better-sqlite3';
import type pg from 'pg';
import type { ChartMetadata } from '../src/charts/metadata.js';
import { isPrerelease } from '../src/charts/versions.js';
import { documentParams, documentSql } from '../src/store/pg-search.js';
import { versionSortKey } from '../src/store/pg-version-order.js';
import { inTransaction, openPostgres } from '../src/store/postgres.js';
import type { BenchEngines } from './shared-engines.js';
import type { SyntheticStore } from './synthetic-store.js';

const PAGE = 2000;
const UPLOADS_IN_FLIGHT = 32;
const BLOB_PREFIX = 'bench';

export interface SharedStore {
  database: string;
  /** s3://<bucket>/<prefix> */
  blobStore: string;
  /** seconds to copy the rows and upload the blobs */
  loadSeconds: number;
  /** blobs in the bucket: every one, or those the read scenarios fetch (see loadSharedStore) */
  blobsUploaded: number;
  blobsInStore: number;
  /** pg_database_size after the copy, and each table with its indexes and TOAST (bytes) */
  databaseBytes: number;
  tableBytes: Record<string, number>;
}

interface VersionRow {
  id: number;
  name: string;
  version: string;
  filename: string;
  digest: string;
  size: number;
  created: string;
  metadata: string;
  readme: string | null;
  values_yaml: string | null;
}

/**
 * Copies `store` (SQLite + disk) into a new database and bucket named `name`. `allBlobs: false`
 * uploads only the sample version's package, the one blob the read scenarios fetch: Ceph here takes
 * about 200 PUTs/s, so 100,000 blobs would add eight minutes to every run and change no figure (a
 * GET by key does not depend on how many keys the bucket holds).
 */
export async function loadSharedStore(options: {
  store: SyntheticStore;
  engines: BenchEngines;
  name: string;
  allBlobs: boolean;
}): Promise<SharedStore> {
  const started = performance.now();
  const { store, engines, name } = options;
  const database = await engines.createDatabase(name);
  await engines.createBucket(name);
  const sqlite = new Database(join(store.storage, 'charthouse.db'), { readonly: true });
  const pool = await openPostgres(database, { max: 2 });
  try {
    for (const table of ['provenances', 'oci_manifests', 'oci_tags', 'users']) {
      const { n } = sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number };
      if (n > 0) throw new Error(`the bench loader copies no ${table}, and the synthetic store has ${n}`);
    }
    const digests = (
      sqlite.prepare('SELECT DISTINCT digest FROM chart_versions').pluck().all() as string[]
    ).sort();
    const wanted = options.allBlobs ? digests : [store.sample.digest];
    const [, uploaded] = await Promise.all([
      copyRows(sqlite, pool, store.repository),
      uploadBlobs(store, engines, name, wanted),
    ]);
    const { rows: tables } = await pool.query<{ name: string; bytes: number }>(
      `SELECT relname AS name, pg_total_relation_size(oid) AS bytes FROM pg_class
       WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY bytes DESC`,
    );
    const { rows: db } = await pool.query<{ bytes: number }>(
      'SELECT pg_database_size(current_database()) AS bytes',
    );
    return {
      databaseBytes: Number(db[0]?.bytes),
      tableBytes: Object.fromEntries(tables.map((t) => [t.name, Number(t.bytes)])),
      database,
      blobStore: `s3://${name}/${BLOB_PREFIX}`,
      loadSeconds: (performance.now() - started) / 1000,
      blobsUploaded: uploaded,
      blobsInStore: digests.length,
    };
  } finally {
    sqlite.close();
    await pool.end();
  }
}

async function copyRows(sqlite: Database.Database, pool: pg.Pool, repository: string): Promise<void> {
  const repo = sqlite
    .prepare('SELECT id, path, created, updated, revision, visibility FROM repositories WHERE path = ?')
    .get(repository) as
    | {
        id: number;
        path: string;
        created: string;
        updated: string;
        revision: number;
        visibility: string | null;
      }
    | undefined;
  if (!repo) throw new Error(`the synthetic store has no repository "${repository}"`);
  await inTransaction(pool, async (client) => {
    await client.query('SET LOCAL session_replication_role = replica');
    // the same ids as in SQLite, so that entries and blocks keep pointing at their versions
    await client.query(
      `INSERT INTO repositories (id, path, created, updated, revision, visibility) OVERRIDING SYSTEM VALUE
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [repo.id, repo.path, repo.created, repo.updated, repo.revision, repo.visibility],
    );
    const versions = sqlite.prepare(
      `SELECT id, name, version, filename, digest, size, created, metadata, readme, values_yaml
       FROM chart_versions WHERE repository_id = ? AND id > ? ORDER BY id LIMIT ${PAGE}`,
    );
    for (let after = 0; ; ) {
      const rows = versions.all(repo.id, after) as VersionRow[];
      if (rows.length === 0) break;
      await insertVersions(client, repo.id, rows);
      after = (rows.at(-1) as VersionRow).id;
    }
    const entries = sqlite.prepare(
      `SELECT e.version_id, e.fragment FROM chart_index_entries e JOIN chart_versions v ON v.id = e.version_id
       WHERE v.repository_id = ? AND e.version_id > ? ORDER BY e.version_id LIMIT ${PAGE}`,
    );
    for (let after = 0; ; ) {
      const rows = entries.all(repo.id, after) as Array<{ version_id: number; fragment: Buffer }>;
      if (rows.length === 0) break;
      await client.query(
        'INSERT INTO chart_index_entries (version_id, fragment) SELECT * FROM unnest($1::bigint[], $2::bytea[])',
        [rows.map((r) => r.version_id), rows.map((r) => r.fragment)],
      );
      after = (rows.at(-1) as { version_id: number }).version_id;
    }
    const blocks = sqlite
      .prepare('SELECT name, length, crc32, sha256, deflated FROM chart_index_blocks WHERE repository_id = ?')
      .all(repo.id) as Array<{
      name: string;
      length: number;
      crc32: number;
      sha256: Buffer;
      deflated: Buffer;
    }>;
    for (let i = 0; i < blocks.length; i += PAGE) {
      const page = blocks.slice(i, i + PAGE);
      await client.query(
        `INSERT INTO chart_index_blocks (repository_id, name, length, crc32, sha256, deflated)
         SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::bytea[], $6::bytea[])`,
        [
          repo.id,
          ...(['name', 'length', 'crc32', 'sha256', 'deflated'] as const).map((k) => page.map((b) => b[k])),
        ],
      );
    }
    await client.query(
      'SELECT chart_search_refresh($1, name) FROM (SELECT DISTINCT name FROM chart_versions WHERE repository_id = $1) AS charts',
      [repo.id],
    );
    for (const table of ['repositories', 'chart_versions']) {
      await client.query(
        `SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`,
      );
    }
  });
  await pool.query('ANALYZE');
}

async function insertVersions(
  client: pg.ClientBase,
  repositoryId: number,
  rows: VersionRow[],
): Promise<void> {
  const documents = rows.map((row) => documentParams(JSON.parse(row.metadata) as ChartMetadata));
  const column = <K extends keyof VersionRow>(key: K) => rows.map((row) => row[key]);
  await client.query(
    `INSERT INTO chart_versions (id, repository_id, name, version, filename, digest, size, created,
       metadata, readme, values_yaml, sort_key, prerelease, search_document) OVERRIDING SYSTEM VALUE
     SELECT id, $1, name, version, filename, digest, size, created, metadata::json, readme, values_yaml,
       sort_key, prerelease, ${documentSql('a', 'b', 'd')}
     FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[],
       $9::text[], $10::text[], $11::text[], $12::text[], $13::boolean[], $14::text[], $15::text[], $16::text[])
       AS t(id, name, version, filename, digest, size, created, metadata, readme, values_yaml, sort_key,
         prerelease, a, b, d)`,
    [
      repositoryId,
      column('id'),
      column('name'),
      column('version'),
      column('filename'),
      column('digest'),
      column('size'),
      column('created'),
      column('metadata'),
      column('readme'),
      column('values_yaml'),
      rows.map((row) => versionSortKey(row.version)),
      rows.map((row) => isPrerelease(row.version)),
      documents.map((d) => d[0]),
      documents.map((d) => d[1]),
      documents.map((d) => d[2]),
    ],
  );
}

/** PUTs of the blobs under the key layout of s3-blob-store.ts; the bench reads them back. */
async function uploadBlobs(
  store: SyntheticStore,
  engines: BenchEngines,
  bucket: string,
  digests: string[],
): Promise<number> {
  const client = engines.s3Client();
  let next = 0;
  const worker = async () => {
    for (let digest = digests[next++]; digest; digest = digests[next++]) {
      const body = await readFile(join(store.storage, 'blobs', 'sha256', digest.slice(0, 2), digest));
      const key = `${BLOB_PREFIX}/blobs/sha256/${digest.slice(0, 2)}/${digest}`;
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    }
  };
  try {
    await Promise.all(Array.from({ length: UPLOADS_IN_FLIGHT }, worker));
    return digests.length;
  } finally {
    client.destroy();
  }
}
