import type { VersionRecord } from '../repo-index/entry.js';

export type { VersionRecord };

export interface RepositorySummary {
  path: string;
  charts: number;
  versions: number;
  updated: string;
}

export interface RepositorySnapshot {
  revision: number;
  updated: string;
  versions: VersionRecord[];
}

export interface VersionDetails extends VersionRecord {
  readme?: string;
  values?: string;
}

export interface ProvenanceRecord {
  name: string;
  version: string;
  digest: string;
  size: number;
  created: string;
}

export interface PublishRequest {
  repository: string;
  chart?: VersionDetails;
  provenance?: ProvenanceRecord;
  /** replace an existing version or provenance instead of failing */
  overwrite: boolean;
}

/**
 * Names, versions and metadata of everything stored. Async even where the SQLite driver is
 * synchronous, so a PostgreSQL implementation fits behind it without touching callers.
 * Every write is one transaction, and bumps the revision of the repository it changes.
 */
export interface MetadataStore {
  /** The repository's current revision, or undefined when it does not exist. */
  revision(repository: string): Promise<number | undefined>;
  /** Every version of a repository with the revision they were read at, in one transaction. */
  snapshot(repository: string): Promise<RepositorySnapshot | undefined>;
  listRepositories(): Promise<RepositorySummary[]>;
  /** Chart names of a repository in name order, `limit` of them from `offset` (all when limit is undefined). */
  listChartNames(repository: string, page: { offset: number; limit?: number }): Promise<string[]>;
  /** The versions of the named charts (every chart when names is undefined). */
  listVersions(repository: string, names?: string[]): Promise<VersionRecord[]>;
  getVersion(repository: string, name: string, version: string): Promise<VersionDetails | undefined>;
  findVersionByFilename(repository: string, filename: string): Promise<VersionRecord | undefined>;
  getProvenance(repository: string, name: string, version: string): Promise<ProvenanceRecord | undefined>;
  findProvenanceByFilename(repository: string, filename: string): Promise<ProvenanceRecord | undefined>;
  /**
   * Records a chart version and/or a provenance file in one transaction, creating the repository
   * on its first publish. Rejects with CHART_EXISTS or PROVENANCE_EXISTS, writing nothing, when
   * either already exists and `overwrite` is false.
   */
  publish(request: PublishRequest): Promise<void>;
  /** Removes a version and its provenance in one transaction; undefined when there was no such version. */
  deleteVersion(
    repository: string,
    name: string,
    version: string,
  ): Promise<{ chart: VersionRecord; provenance?: ProvenanceRecord } | undefined>;
  /** True when any row still refers to the blob. */
  isReferenced(digest: string): Promise<boolean>;
  close(): Promise<void>;
}
