import type { ChartMetadata } from '../charts/metadata.js';
import type { VersionDetails, VersionRecord } from './metadata-store.js';

/** A chart_versions row as both SQL stores select it: the metadata as its JSON text. */
export interface VersionRow {
  name: string;
  version: string;
  digest: string;
  size: number;
  created: string;
  metadata: string;
  readme?: string | null;
  values_yaml?: string | null;
}

/** A version row as callers see it: the stored Chart.yaml metadata parsed from its JSON. */
export function versionRecordOf(row: VersionRow): VersionRecord {
  return {
    name: row.name,
    version: row.version,
    digest: row.digest,
    size: row.size,
    created: row.created,
    metadata: JSON.parse(row.metadata) as ChartMetadata,
  };
}

/** The record with its README and values, where the row has them. */
export function versionDetailsOf(row: VersionRow): VersionDetails {
  const record: VersionDetails = versionRecordOf(row);
  if (row.readme != null) record.readme = row.readme;
  if (row.values_yaml != null) record.values = row.values_yaml;
  return record;
}

/**
 * A snapshot record whose metadata is parsed when first read. The JSON is read in the snapshot's
 * transaction like every other column; only JSON.parse waits, because the index renderer reuses
 * the entries of versions it rendered before and never reads their metadata (at 100,000 versions,
 * parsing all of it took 0.4 s of every render).
 */
export function lazyVersionRecordOf(row: VersionRow): VersionRecord {
  let metadata: ChartMetadata | undefined;
  return {
    name: row.name,
    version: row.version,
    digest: row.digest,
    size: row.size,
    created: row.created,
    get metadata() {
      metadata ??= JSON.parse(row.metadata) as ChartMetadata;
      return metadata;
    },
  };
}
