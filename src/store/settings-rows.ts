import type {
  ArtifactHubMetadata,
  ProxyIndexState,
  ProxyUpstream,
  ProxyView,
  RepositorySettings,
  SettingsChange,
} from '../lifecycle/repository-settings.js';

/** A repository joined with its settings row, as both dialects read it (NULLs when it has none). */
export interface SettingsRow {
  path: string;
  immutable: number | boolean | null;
  keep_last: number | null;
  keep_prereleases: number | null;
  max_age_ms: number | string | null;
  artifacthub: string | null;
  proxy: string | null;
}

/** A proxy_indexes row, as both dialects read it. */
export interface ProxyIndexRow {
  body?: string;
  digest: string;
  etag: string | null;
  last_modified: string | null;
  checked_at: number | string;
}

export function proxyIndexFromRow(row: ProxyIndexRow): ProxyIndexState & { body?: string } {
  return {
    digest: row.digest,
    ...(row.etag !== null && { etag: row.etag }),
    ...(row.last_modified !== null && { lastModified: row.last_modified }),
    checkedAt: Number(row.checked_at),
    ...(row.body !== undefined && { body: row.body }),
  };
}

/** The stored upstream of a proxy repository, or undefined when the column is NULL. */
export function proxyFromColumn(column: string | null): ProxyUpstream | undefined {
  return column === null ? undefined : (JSON.parse(column) as ProxyUpstream);
}

function proxyView(upstream: ProxyUpstream): ProxyView {
  return {
    url: upstream.url,
    ttlMs: upstream.ttlMs,
    authentication: upstream.token ? 'bearer' : upstream.username ? 'basic' : 'none',
    customCa: upstream.ca !== undefined,
  };
}

export function settingsFromRow(row: SettingsRow): RepositorySettings {
  const settings: RepositorySettings = { path: row.path, immutable: Boolean(row.immutable) };
  if (row.keep_last !== null) {
    settings.retention = {
      keepLast: row.keep_last,
      ...(row.keep_prereleases !== null && { keepPrereleases: row.keep_prereleases }),
      ...(row.max_age_ms !== null && { maxAgeMs: Number(row.max_age_ms) }),
    };
  }
  if (row.artifacthub !== null) settings.artifactHub = JSON.parse(row.artifacthub) as ArtifactHubMetadata;
  const proxy = proxyFromColumn(row.proxy ?? null);
  if (proxy) settings.proxy = proxyView(proxy);
  return settings;
}

/**
 * The columns of the settings row once `change` is applied to `current`; `proxy` is the stored
 * upstream column as it is (the view in `current` has no credentials to write back).
 */
export function settingsToColumns(current: RepositorySettings, change: SettingsChange, proxy: string | null) {
  const retention = change.retention === undefined ? current.retention : change.retention;
  const artifactHub = change.artifactHub === undefined ? current.artifactHub : change.artifactHub;
  return {
    immutable: current.immutable || change.immutable === true,
    keep_last: retention?.keepLast ?? null,
    keep_prereleases: retention?.keepPrereleases ?? null,
    max_age_ms: retention?.maxAgeMs ?? null,
    artifacthub: artifactHub ? JSON.stringify(artifactHub) : null,
    proxy: change.proxy === undefined ? proxy : change.proxy && JSON.stringify(change.proxy),
  };
}
