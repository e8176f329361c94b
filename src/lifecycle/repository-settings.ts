/**
 * Lifecycle settings of one repository: whether it is immutable, how many versions it keeps, and
 * what it tells Artifact Hub. Set by server admins (CLI and admin API); read on every push, delete
 * and package download of the repository.
 */

/** Which versions of each chart survive retention (retention-plan.ts states the rule). */
export interface RetentionRule {
  /** the highest releases (by SemVer) kept of each chart; at least 1 */
  keepLast: number;
  /** the highest prereleases kept of each chart; keepLast when unset */
  keepPrereleases?: number;
  /** versions beyond the counts go only once older than this (ms); at once when unset */
  maxAgeMs?: number;
}

/** Artifact Hub's artifacthub-repo.yml, the fields it reads (artifacthub/hub docs/metadata). */
export interface ArtifactHubMetadata {
  repositoryID?: string;
  owners?: Array<{ name?: string; email: string }>;
  ignore?: Array<{ name: string; version?: string }>;
}

export interface RepositorySettings {
  path: string;
  /** one-way: nothing stored under a name ever changes, and only server admins delete */
  immutable: boolean;
  retention?: RetentionRule;
  artifactHub?: ArtifactHubMetadata;
  /** set when the repository is a read-only proxy of an upstream Helm repository (src/proxy/) */
  proxy?: ProxyView;
}

/**
 * The upstream a proxy repository reads from, as `repo create --proxy` stores it. The credentials
 * leave the store only in requests to the upstream: never logged, never in a ProxyView.
 */
export interface ProxyUpstream {
  /** the upstream repository's URL (its index.yaml is `<url>/index.yaml`) */
  url: string;
  /** how long a fetched index is served before upstream is asked again (ms) */
  ttlMs: number;
  username?: string;
  password?: string;
  token?: string;
  /** PEM certificates trusted for the upstream besides the system's */
  ca?: string;
}

/** What may be shown of a proxy's upstream: everything but the credentials and the CA itself. */
export interface ProxyView {
  url: string;
  ttlMs: number;
  authentication: 'none' | 'basic' | 'bearer';
  customCa: boolean;
}

/** The last index.yaml fetched from a proxy's upstream, shared by every process on the store. */
export interface ProxyIndexState {
  /** hex sha256 of the body */
  digest: string;
  etag?: string;
  lastModified?: string;
  /** when upstream last answered for it (ms since the epoch), 200 or 304 */
  checkedAt: number;
}

/** What one update changes; `null` clears a setting, an absent key leaves it as it is. */
export interface SettingsChange {
  /** only `true`: immutability cannot be undone */
  immutable?: true;
  retention?: RetentionRule | null;
  artifactHub?: ArtifactHubMetadata | null;
  proxy?: ProxyUpstream | null;
}

/**
 * Where the settings live: beside the metadata, in the same database (SQLite or PostgreSQL).
 * Every method that takes a path answers undefined when no such repository exists.
 */
export interface RepositorySettingsStore {
  /** The repository's settings (defaults when none were ever set). */
  get(path: string): Promise<RepositorySettings | undefined>;
  /** Applies the change in one transaction and returns the settings as they now stand. */
  update(path: string, change: SettingsChange, updated: string): Promise<RepositorySettings | undefined>;
  /** Every repository with a retention rule, in path order. */
  listRetention(): Promise<Array<{ path: string; retention: RetentionRule }>>;
  /**
   * Remembers that `name` `version` with package `digest` was deleted from the repository; a
   * second record of the same version keeps the first digest.
   */
  retire(path: string, name: string, version: string, digest: string, retired: string): Promise<void>;
  /** The digest of the package a deleted version had, when it was retired. */
  retiredDigest(path: string, name: string, version: string): Promise<string | undefined>;
  /** The upstream of a proxy repository, credentials included; undefined when it is no proxy. */
  proxyUpstream(path: string): Promise<ProxyUpstream | undefined>;
  /** The proxy's last fetched index: its state, and with `body` its text as well. */
  proxyIndex(
    path: string,
    options: { body: boolean },
  ): Promise<(ProxyIndexState & { body?: string }) | undefined>;
  /** Replaces the proxy's fetched index (upstream answered 200). */
  saveProxyIndex(path: string, state: ProxyIndexState & { body: string }): Promise<void>;
  /** Upstream answered 304: the stored index is current as of `checkedAt`. */
  touchProxyIndex(path: string, checkedAt: number): Promise<void>;
  close(): Promise<void>;
}
