import type pg from 'pg';
import type { ChartMetadata } from '../charts/metadata.js';
import { searchWords } from '../search/words.js';
import { provenanceView } from '../trust/provenance-view.js';
import type { ChartSearchPage, ChartSearchQuery } from './metadata-store.js';
import { inSnapshot } from './pg-transaction.js';
import { type VersionRow, versionRecordOf } from './version-rows.js';

/*
 * Chart search with PostgreSQL's own full-text search. Words are cut and folded here, not by a
 * text search configuration: split at anything that is not a letter or a digit, lowercased, with
 * diacritics removed, as SQLite's unicode61 tokenizer does (remove_diacritics 2), and joined by
 * spaces for the 'simple' configuration, which stems nothing and drops no stop word ("or", "not"
 * are words like any other). chart_search.document (migration 001) is kept by a trigger; a query
 * is every word as a prefix (`'word':*`), all of them required, ranked by ts_rank with the weights
 * SQLite's bm25 gives the columns: name 10, keywords 4, description 1.
 */

const MAX_WORDS = 16;

/** The SQL of a version's search document from the three parameters documentParams gives. */
export const documentSql = (name: string, keywords: string, description: string) =>
  `setweight(to_tsvector('simple', ${name}), 'A') || setweight(to_tsvector('simple', ${keywords}), 'B')
   || setweight(to_tsvector('simple', ${description}), 'D')`;

export function documentParams(metadata: ChartMetadata): [string, string, string] {
  const join = (text: string) => searchWords(text).join(' ');
  return [join(metadata.name), join((metadata.keywords ?? []).join(' ')), join(metadata.description ?? '')];
}

/** Free text as a tsquery: each word (letters and digits only, so nothing to escape) as a prefix. */
export function tsQuery(text: string): string {
  return searchWords(text)
    .slice(0, MAX_WORDS)
    .map((word) => `'${word}':*`)
    .join(' & ');
}

interface HitRow extends VersionRow {
  repository: string;
  versions: number;
  updated: string;
  prov_digest: string | null;
  signer: string | null;
  fingerprint: string | null;
  verified_at: string | null;
}

/** The signature filter as SQL: one of three constants, never text from the query. */
const SIGNATURE_FILTERS = { signed: ' AND p.digest IS NOT NULL', verified: ' AND pv.digest IS NOT NULL' };

// $1 repository, $2 readable, $3 prerelease, $4 deprecated; $5 the tsquery where there is one
const FROM_ALL = `FROM chart_search s JOIN repositories r ON r.id = s.repository_id
  JOIN chart_versions v ON v.id = CASE WHEN $3::boolean THEN s.latest_id ELSE s.release_id END
  LEFT JOIN provenances p ON p.repository_id = s.repository_id AND p.name = v.name AND p.version = v.version
  LEFT JOIN provenance_verifications pv ON pv.repository = r.path AND pv.digest = p.digest
  WHERE ($1::text IS NULL OR r.path = $1)
    AND ($2::text[] IS NULL OR r.path = ANY ($2::text[]))
    AND ($4::boolean OR NOT CASE WHEN $3::boolean THEN s.latest_deprecated ELSE s.release_deprecated END)`;
const COLUMNS = `r.path AS repository, s.name, s.versions, s.updated,
  v.version, v.digest, v.size, v.created, v.metadata::text AS metadata,
  p.digest AS prov_digest, pv.signer, pv.fingerprint, pv.verified_at`;
// ts_rank's weights are given {D, C, B, A}
const RANK = `ts_rank('{0.1, 0, 0.4, 1.0}', s.document, to_tsquery('simple', $5))`;

/** searchCharts: the count and the page read in one snapshot. */
export function searchCharts(pool: pg.Pool, query: ChartSearchQuery): Promise<ChartSearchPage> {
  const match = tsQuery(query.text ?? '');
  const signature = query.signature ? SIGNATURE_FILTERS[query.signature] : '';
  const FROM = `${FROM_ALL}${signature}`;
  const MATCHED = `${FROM} AND s.document @@ to_tsquery('simple', $5)`;
  const filters = [query.repository ?? null, query.readable ?? null, query.prerelease, query.deprecated];
  return inSnapshot(pool, async (client) => {
    const [count, page] = match
      ? [
          await client.query<{ total: number }>(`SELECT count(*) AS total ${MATCHED}`, [...filters, match]),
          await client.query<HitRow>(
            `SELECT ${COLUMNS} ${MATCHED}
             ORDER BY lower(s.name) = $6 DESC, ${RANK} DESC, s.name, r.path LIMIT $7 OFFSET $8`,
            [...filters, match, (query.text ?? '').trim().toLowerCase(), query.limit, query.offset],
          ),
        ]
      : [
          await client.query<{ total: number }>(`SELECT count(*) AS total ${FROM}`, filters),
          await client.query<HitRow>(`SELECT ${COLUMNS} ${FROM} ORDER BY s.name, r.path LIMIT $5 OFFSET $6`, [
            ...filters,
            query.limit,
            query.offset,
          ]),
        ];
    return {
      total: count.rows[0]?.total ?? 0,
      hits: page.rows.map((row) => ({
        repository: row.repository,
        versions: row.versions,
        updated: row.updated,
        latest: versionRecordOf(row),
        provenance: provenanceView(
          row.prov_digest !== null,
          row.signer === null
            ? undefined
            : { signer: row.signer, fingerprint: row.fingerprint ?? '', verifiedAt: row.verified_at ?? '' },
        ),
      })),
    };
  });
}
