import type Database from 'better-sqlite3';
import { provenanceView } from '../trust/provenance-view.js';
import type { ChartSearchPage, ChartSearchQuery } from './metadata-store.js';
import { type VersionRow, versionRecordOf } from './version-rows.js';

/*
 * Chart search over migrations/003_search.sql: chart_search has one row per chart with its
 * latest version and latest release, chart_search_fts one document per chart. A page is one
 * FTS5 match (or one walk of chart_search in name order) joined to the version it shows.
 */

interface HitRow extends VersionRow {
  repository: string;
  versions: number;
  updated: string;
  prov_digest: string | null;
  signer: string | null;
  fingerprint: string | null;
  verified_at: string | null;
}

const COLUMNS = `r.path AS repository, s.name AS name, s.versions AS versions, s.updated AS updated,
  v.version AS version, v.digest AS digest, v.size AS size, v.created AS created, v.metadata AS metadata,
  p.digest AS prov_digest, pv.signer AS signer, pv.fingerprint AS fingerprint, pv.verified_at AS verified_at`;
const JOINS = `JOIN repositories r ON r.id = s.repository_id
  JOIN chart_versions v ON v.id = CASE WHEN :prerelease THEN s.latest_id ELSE s.release_id END
  LEFT JOIN provenances p ON p.repository_id = s.repository_id AND p.name = v.name AND p.version = v.version
  LEFT JOIN provenance_verifications pv ON pv.repository = r.path AND pv.digest = p.digest`;
const FILTERS = `(:repository IS NULL OR r.path = :repository)
  AND (:readable IS NULL OR r.path IN (SELECT value FROM json_each(:readable)))
  AND (:deprecated OR NOT CASE WHEN :prerelease THEN s.latest_deprecated ELSE s.release_deprecated END)
  AND (:signature IS NULL OR (:signature = 'signed' AND p.digest IS NOT NULL)
       OR (:signature = 'verified' AND pv.digest IS NOT NULL))`;
const MATCHED = `FROM chart_search_fts JOIN chart_search s ON s.id = chart_search_fts.rowid ${JOINS}
  WHERE chart_search_fts MATCH :match AND ${FILTERS}`;
const ALL = `FROM chart_search s ${JOINS} WHERE ${FILTERS}`;
// Column weights for bm25: name, description, keywords.
const RANK = 'bm25(chart_search_fts, 10.0, 1.0, 4.0)';

/** The search statements, prepared once when the store opens; `search` runs one query. */
export function prepareSearchStatements(db: Database.Database) {
  const q = {
    countMatched: db.prepare(`SELECT count(*) AS total ${MATCHED}`),
    pageMatched: db.prepare(`SELECT ${COLUMNS} ${MATCHED}
      ORDER BY lower(s.name) = :exact DESC, ${RANK}, s.name, r.path LIMIT :limit OFFSET :offset`),
    countAll: db.prepare(`SELECT count(*) AS total ${ALL}`),
    pageAll: db.prepare(`SELECT ${COLUMNS} ${ALL} ORDER BY s.name, r.path LIMIT :limit OFFSET :offset`),
  };

  const read = db.transaction((query: ChartSearchQuery): ChartSearchPage => {
    const match = ftsQuery(query.text ?? '');
    const filters = {
      repository: query.repository ?? null,
      readable: query.readable ? JSON.stringify(query.readable) : null,
      prerelease: query.prerelease ? 1 : 0,
      deprecated: query.deprecated ? 1 : 0,
      signature: query.signature ?? null,
    };
    const page = { limit: query.limit, offset: query.offset };
    const [count, rows] = match
      ? [
          q.countMatched.get({ ...filters, match }),
          q.pageMatched.all({ ...filters, ...page, match, exact: (query.text ?? '').trim().toLowerCase() }),
        ]
      : [q.countAll.get(filters), q.pageAll.all({ ...filters, ...page })];
    return {
      total: (count as { total: number }).total,
      hits: (rows as HitRow[]).map((row) => ({
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
  return { search: (query: ChartSearchQuery) => read(query) };
}

const MAX_WORDS = 16;

/**
 * Free text as an FTS5 query: each word quoted (so no operator or column filter gets through)
 * and matched as a prefix, all of them required. Empty when the text has no word at all.
 */
export function ftsQuery(text: string): string {
  return text
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '')
    .slice(0, MAX_WORDS)
    .map((word) => `"${word}"*`)
    .join(' ');
}
