import type { ChartSearchRow } from './metadata-store.js';
import { lazyVersionRecordOf, type VersionRow } from './version-rows.js';

/**
 * A chart_search row joined to its highest version (`l_` columns) and, when that is not the same
 * version, its highest release (`r_` columns), as both SQL stores select it.
 */
export interface SearchRowColumns {
  chart: string;
  versions: number;
  updated: string;
  has_release: number | boolean;
  l_version: string;
  l_digest: string;
  l_size: number;
  l_created: string;
  l_metadata: string;
  l_prov: string | null;
  r_version: string | null;
  r_digest: string | null;
  r_size: number | null;
  r_created: string | null;
  r_metadata: string | null;
  r_prov: string | null;
}

/** The select list and joins over `chart_search s`, the same text in both dialects (json read as text). */
export const SEARCH_ROW_SQL = `SELECT s.name AS chart, s.versions AS versions, s.updated AS updated,
    s.release_id IS NOT NULL AS has_release,
    l.version AS l_version, l.digest AS l_digest, l.size AS l_size, l.created AS l_created,
    CAST(l.metadata AS text) AS l_metadata, lp.digest AS l_prov,
    r.version AS r_version, r.digest AS r_digest, r.size AS r_size, r.created AS r_created,
    CAST(r.metadata AS text) AS r_metadata, rp.digest AS r_prov
  FROM chart_search s JOIN chart_versions l ON l.id = s.latest_id
  LEFT JOIN chart_versions r ON r.id = s.release_id AND s.release_id <> s.latest_id
  LEFT JOIN provenances lp ON lp.repository_id = s.repository_id AND lp.name = l.name AND lp.version = l.version
  LEFT JOIN provenances rp ON rp.repository_id = s.repository_id AND rp.name = r.name AND rp.version = r.version`;

function version(name: string, row: SearchRowColumns, side: 'l' | 'r'): VersionRow {
  const at = (column: string) => row[`${side}_${column}` as keyof SearchRowColumns];
  return {
    name,
    version: at('version') as string,
    digest: at('digest') as string,
    size: Number(at('size')),
    created: at('created') as string,
    metadata: at('metadata') as string,
  };
}

/**
 * The row as the search index takes it; a release that is the highest version shares its record.
 * Metadata is parsed when first read: the index keeps the words of charts that did not change.
 */
export function searchRowOf(row: SearchRowColumns): ChartSearchRow {
  const latest = lazyVersionRecordOf(version(row.chart, row, 'l'));
  const result: ChartSearchRow = {
    name: row.chart,
    versions: Number(row.versions),
    updated: row.updated,
    latest,
  };
  if (row.l_prov !== null) result.latestProvenance = row.l_prov;
  if (!row.has_release) return result;
  if (row.r_version === null) {
    result.release = latest;
    if (row.l_prov !== null) result.releaseProvenance = row.l_prov;
  } else {
    result.release = lazyVersionRecordOf(version(row.chart, row, 'r'));
    if (row.r_prov !== null) result.releaseProvenance = row.r_prov;
  }
  return result;
}
