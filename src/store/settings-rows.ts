import type {
  ArtifactHubMetadata,
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
  return settings;
}

/** The columns of the settings row once `change` is applied to `current`. */
export function settingsToColumns(current: RepositorySettings, change: SettingsChange) {
  const retention = change.retention === undefined ? current.retention : change.retention;
  const artifactHub = change.artifactHub === undefined ? current.artifactHub : change.artifactHub;
  return {
    immutable: current.immutable || change.immutable === true,
    keep_last: retention?.keepLast ?? null,
    keep_prereleases: retention?.keepPrereleases ?? null,
    max_age_ms: retention?.maxAgeMs ?? null,
    artifacthub: artifactHub ? JSON.stringify(artifactHub) : null,
  };
}
