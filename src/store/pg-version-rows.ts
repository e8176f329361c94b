import type { ChartMetadata } from '../charts/metadata.js';
import type { ProvenanceRecord, VersionDetails, VersionRecord } from './metadata-store.js';

/** A chart_versions row as the PG store selects it: metadata as its JSON text, parsed here. */
export interface PgVersionRow {
  name: string;
  version: string;
  digest: string;
  size: number;
  created: string;
  metadata: string;
  readme?: string | null;
  values_yaml?: string | null;
}

/** Selected as text: the json type would be parsed by the driver whether it is read or not. */
export const VERSION_COLUMNS = 'v.name, v.version, v.digest, v.size, v.created, v.metadata::text AS metadata';
export const PROVENANCE_COLUMNS = 'p.name, p.version, p.digest, p.size, p.created';

export function versionRecordOfRow(row: PgVersionRow): VersionRecord {
  return {
    name: row.name,
    version: row.version,
    digest: row.digest,
    size: row.size,
    created: row.created,
    metadata: JSON.parse(row.metadata) as ChartMetadata,
  };
}

export function versionDetailsOfRow(row: PgVersionRow): VersionDetails {
  const record: VersionDetails = versionRecordOfRow(row);
  if (row.readme != null) record.readme = row.readme;
  if (row.values_yaml != null) record.values = row.values_yaml;
  return record;
}

/**
 * A snapshot record whose metadata is parsed when first read (as the SQLite store's snapshot
 * does): the index renderer reuses entries it rendered before and never reads their metadata.
 */
export function lazyVersionRecordOfRow(row: PgVersionRow): VersionRecord {
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

export type { ProvenanceRecord };
