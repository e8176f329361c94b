import type pg from 'pg';
import type { MetadataStore, ProvenanceRef } from './metadata-store.js';
import { inSnapshot } from './pg-transaction.js';
import { SEARCH_ROW_SQL, type SearchRowColumns, searchRowOf } from './search-rows.js';

type Methods = Pick<MetadataStore, 'repositoryRevisions' | 'readSearchRows' | 'readVerifications'>;

/**
 * What the in-memory search index reads from PostgreSQL (see MetadataStore.readSearchRows).
 * repositoryRevisions is asked on every search and remembered nowhere: a write acknowledged by
 * another replica moves a revision this replica sees at its next search.
 */
export function createPgSearchRows(pool: pg.Pool): Methods {
  return {
    async repositoryRevisions() {
      const { rows } = await pool.query<{ path: string; revision: number }>(
        'SELECT path, revision FROM repositories ORDER BY path',
      );
      return rows.map((row) => ({ path: row.path, revision: Number(row.revision) }));
    },
    readSearchRows(repository) {
      return inSnapshot(pool, async (client) => {
        const { rows: repos } = await client.query<{ id: number; revision: number }>(
          'SELECT id, revision FROM repositories WHERE path = $1',
          [repository],
        );
        const repo = repos[0];
        if (!repo) return undefined;
        const { rows } = await client.query<SearchRowColumns>(
          `${SEARCH_ROW_SQL} WHERE s.repository_id = $1`,
          [repo.id],
        );
        return { revision: Number(repo.revision), charts: rows.map(searchRowOf) };
      });
    },
    async readVerifications(refs: readonly ProvenanceRef[]) {
      if (refs.length === 0) return [];
      const { rows } = await pool.query<
        ProvenanceRef & { signer: string; fingerprint: string; verifiedAt: string }
      >(
        `SELECT v.repository, v.digest, v.signer, v.fingerprint, v.verified_at AS "verifiedAt"
         FROM provenance_verifications v
         JOIN unnest($1::text[], $2::text[]) AS wanted (repository, digest)
           ON wanted.repository = v.repository AND wanted.digest = v.digest`,
        [refs.map((ref) => ref.repository), refs.map((ref) => ref.digest)],
      );
      return rows;
    },
  };
}
