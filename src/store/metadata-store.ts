import type { ChartBlock } from '../repo-index/chart-block.js';
import type { VersionRecord } from '../repo-index/entry.js';
import type { DocumentOptions, RenderedIndex } from '../repo-index/index-document.js';
import type { ProvenanceView } from '../trust/provenance-view.js';
import type { Verification } from '../trust/verify-provenance.js';
import type { OciMetadataStore } from './oci-metadata-store.js';
import type { StoreInventory } from './store-inventory.js';

export type * from './oci-metadata-store.js';
export type { ChartBlock, VersionRecord };

/** One row's reference to a blob, as listBlobReferences yields it. */
export interface BlobReference {
  /** lowercase hex sha256 */
  digest: string;
  /** the size the row records; undefined where the row does not record one (OCI blob rows) */
  size?: number;
  /** `chart` rows are packages that must still load as charts */
  kind: 'chart' | 'provenance' | 'oci-manifest' | 'oci-link';
  /** which row, for people: `chart mychart 1.0.0 in repository "team"`, `OCI manifest team/app@sha256:…` */
  owner: string;
}

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
export interface MetadataStore extends OciMetadataStore, StoreInventory {
  /** The repository's current revision, or undefined when it does not exist. */
  revision(repository: string): Promise<number | undefined>;
  /** Every version of a repository with the revision they were read at, in one transaction. */
  snapshot(repository: string): Promise<RepositorySnapshot | undefined>;
  /**
   * index.yaml's stored pieces: `onBlock` receives every chart's block (see ChartBlock) in chart
   * name order, each equal to what `versionFragments` and `buildChartBlock` give for the chart's
   * versions as stored, and all read in one transaction with the revision and update time that
   * resolve. `body` is set only when `bodies` is true. Undefined when the repository does not exist.
   * Blocks are kept current by every write, so reading them renders nothing.
   */
  readIndexBlocks(
    repository: string,
    options: { bodies: boolean },
    onBlock: (block: ChartBlock) => void,
  ): Promise<{ revision: number; updated: string } | undefined>;
  /**
   * Optional: what `renderDocument` gives over readIndexBlocks with bodies, computed away from the
   * event loop and the server's heap (SQLite: a worker thread with its own connection), for
   * indexes too large to assemble in place. Callers without it use readIndexBlocks.
   */
  renderLargeIndex?(repository: string, options: DocumentOptions): Promise<RenderedIndex | undefined>;
  listRepositories(): Promise<RepositorySummary[]>;
  /** Chart names of a repository in name order, `limit` of them from `offset` (all when limit is undefined). */
  listChartNames(repository: string, page: { offset: number; limit?: number }): Promise<string[]>;
  /**
   * The versions of the named charts (every chart when names is undefined), charts in name order
   * and each chart's versions newest first (SemVer precedence, as compareVersionsDesc orders).
   */
  listVersions(repository: string, names?: string[]): Promise<VersionRecord[]>;
  /**
   * The version strings of one chart, newest first (SemVer precedence), read in the stored order
   * (never a parse of every version): `limit` of them, prereleases left out with `releases`. So
   * `{ releases: true, limit: 1 }` is what `latest` resolves to. Empty when there is no such chart.
   */
  listVersionOrder(
    repository: string,
    name: string,
    options?: { releases?: boolean; limit?: number },
  ): Promise<string[]>;
  getVersion(repository: string, name: string, version: string): Promise<VersionDetails | undefined>;
  findVersionByFilename(repository: string, filename: string): Promise<VersionRecord | undefined>;
  getProvenance(repository: string, name: string, version: string): Promise<ProvenanceRecord | undefined>;
  findProvenanceByFilename(repository: string, filename: string): Promise<ProvenanceRecord | undefined>;
  /**
   * Records a chart version and/or a provenance file in one transaction, creating the repository
   * on its first publish. Rejects with CHART_EXISTS or PROVENANCE_EXISTS, writing nothing, when
   * either already exists and `overwrite` is false. The chart version's OCI tag is part of it: a
   * tag row of that name (other content) rejects it with CHART_EXISTS too, or, with `overwrite`,
   * is dropped in the same transaction so that the tag names the chart.
   */
  publish(request: PublishRequest): Promise<void>;
  /** Removes a version and its provenance in one transaction; undefined when there was no such version. */
  deleteVersion(
    repository: string,
    name: string,
    version: string,
  ): Promise<{ chart: VersionRecord; provenance?: ProvenanceRecord } | undefined>;
  /** True when any row still refers to the blob (OCI manifests and blob links included). */
  isReferenced(digest: string): Promise<boolean>;
  /**
   * Every reference a row makes to a blob, once per row: chart packages, provenance files, and
   * the blobs of OCI manifests and OCI blob links, for `charthouse check` and `backup`. Read in
   * pages, not as one snapshot, and never holding the database while the caller awaits: rows
   * written meanwhile may or may not appear, so a caller that deletes blobs re-asks isReferenced
   * for each one first.
   */
  listBlobReferences(): AsyncIterable<BlobReference>;
  /**
   * One page of charts, one hit per chart (repository + name), read from an index kept in the
   * same transaction as every publish and delete (never a scan of every version). With `text`,
   * every word must begin a word of the chart's name, description or keywords, and the best
   * matches come first (an exact name first of all); without it, hits are in name order, then
   * repository order. `total` counts every hit of the query, not only the page.
   */
  searchCharts(query: ChartSearchQuery): Promise<ChartSearchPage>;
  /**
   * The revision of every repository, in path order. The in-memory search index (src/search/) is
   * checked against it on every search, so what a push or delete wrote is found by the next one.
   */
  repositoryRevisions(): Promise<RepositoryRevision[]>;
  /**
   * One row per chart of a repository (from chart_search, never a scan of every version), read in
   * one transaction with the revision it belongs to; undefined when the repository does not exist.
   */
  readSearchRows(repository: string): Promise<{ revision: number; charts: ChartSearchRow[] } | undefined>;
  /**
   * The recorded verifications of these provenance files, read fresh on every call: a verification
   * is written by the trust store and moves no revision.
   */
  readVerifications(refs: readonly ProvenanceRef[]): Promise<Array<ProvenanceRef & Verification>>;
  close(): Promise<void>;
}

export interface RepositoryRevision {
  path: string;
  revision: number;
}

/** A provenance file by repository and package digest, as provenance_verifications keys it. */
export interface ProvenanceRef {
  repository: string;
  digest: string;
}

/** A chart as the search index holds it: its highest version and its highest release. */
export interface ChartSearchRow {
  name: string;
  /** how many versions the chart has, prereleases included */
  versions: number;
  /** the newest `created` of its versions */
  updated: string;
  /** the highest version, prerelease or not, and its provenance file's digest when it has one */
  latest: VersionRecord;
  latestProvenance?: string;
  /** the highest release; undefined when the chart has prereleases only */
  release?: VersionRecord;
  releaseProvenance?: string;
}

/** What `searchCharts` looks for. */
export interface ChartSearchQuery {
  /** free text; words are split at anything that is not a letter or a digit */
  text?: string;
  /** only charts of this repository ('' is the root); every repository when undefined */
  repository?: string;
  /** only charts of these repositories (the ones the caller may read); every one when undefined */
  readable?: readonly string[];
  /**
   * When false, a chart's latest version is its highest release, and charts with prereleases
   * only are left out; when true, its highest version, prerelease or not.
   */
  prerelease: boolean;
  /** keep charts whose latest version (by the rule above) is deprecated */
  deprecated: boolean;
  /** only charts whose latest version has a provenance file (`signed`), or one that verified */
  signature?: 'signed' | 'verified';
  offset: number;
  limit: number;
}

export interface ChartSearchHit {
  repository: string;
  /** the chart's latest version under the query's prerelease rule (its name is the chart's) */
  latest: VersionRecord;
  /** how many versions the chart has, prereleases included */
  versions: number;
  /** the newest `created` of its versions */
  updated: string;
  /** whether the latest version is signed, and by whom when its provenance file verified */
  provenance: ProvenanceView;
}

export interface ChartSearchPage {
  total: number;
  hits: ChartSearchHit[];
}
