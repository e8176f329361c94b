import type Database from 'better-sqlite3';
import type { ChartSearchRow, MetadataStore, ProvenanceRef } from './metadata-store.js';
import { SEARCH_ROW_SQL, type SearchRowColumns, searchRowOf } from './search-rows.js';

type Methods = Pick<MetadataStore, 'readSearchRows' | 'readVerifications'>;

/** What the in-memory search index reads from SQLite (see MetadataStore.readSearchRows). */
export function prepareSearchRowStatements(db: Database.Database): Methods {
  const q = {
    repository: db.prepare('SELECT id, revision FROM repositories WHERE path = ?'),
    rows: db.prepare(`${SEARCH_ROW_SQL} WHERE s.repository_id = ?`),
    verification: db.prepare(
      `SELECT repository, digest, signer, fingerprint, verified_at AS verifiedAt
       FROM provenance_verifications WHERE repository = ? AND digest = ?`,
    ),
  };
  const read = db.transaction((repository: string) => {
    const repo = q.repository.get(repository) as { id: number; revision: number } | undefined;
    if (!repo) return undefined;
    const charts: ChartSearchRow[] = (q.rows.all(repo.id) as SearchRowColumns[]).map(searchRowOf);
    return { revision: repo.revision, charts };
  });
  return {
    async readSearchRows(repository) {
      return read(repository);
    },
    async readVerifications(refs: readonly ProvenanceRef[]) {
      return refs.flatMap((ref) => {
        const row = q.verification.get(ref.repository, ref.digest);
        return row
          ? [row as ProvenanceRef & { signer: string; fingerprint: string; verifiedAt: string }]
          : [];
      });
    },
  };
}
