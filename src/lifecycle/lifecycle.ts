import { RegistryError } from '../errors.js';
import { describeRepository, repositoryNotFound } from '../repositories.js';
import type { MetadataStore } from '../store/metadata-store.js';
import { renderArtifactHubFile } from './artifacthub-metadata.js';
import { type ArtifactHubArtifact, artifactHubArtifact } from './artifacthub-oci.js';
import type {
  ArtifactHubMetadata,
  ProxyUpstream,
  RepositorySettings,
  RepositorySettingsStore,
  RetentionRule,
} from './repository-settings.js';
import { planRetention } from './retention-plan.js';

export interface RemovedVersion {
  repository: string;
  name: string;
  version: string;
}

export interface RetentionReport {
  dryRun: boolean;
  /** what went (or, with dryRun, would go), in repository, chart and version order */
  removed: RemovedVersion[];
}

/** Why an overwrite is refused whatever the options say; appended to CHART_EXISTS messages. */
export const IMMUTABLE_REASON =
  'the repository is immutable: nothing stored in it is ever overwritten, whatever --allow-overwrite or ?force say';

/** Why a provenance file cannot join a stored version of an immutable repository. */
export const provenanceLater = (name: string, version: string, where: string) =>
  `${name} ${version} is stored in ${where} without a provenance file, and the repository is immutable: a provenance file comes only with its chart, as adding one later would move the version's OCI tag`;

/**
 * Per-repository lifecycle: immutability, retention and Artifact Hub metadata. No HTTP in here;
 * the chart API, /v2 and the CLI call these.
 */
export function createLifecycle(deps: {
  meta: MetadataStore;
  settings: RepositorySettingsStore;
  now?: () => number;
}) {
  const { meta, settings } = deps;
  const now = deps.now ?? Date.now;
  const stamp = () => new Date(now()).toISOString();

  async function settingsOf(path: string): Promise<RepositorySettings> {
    const found = await settings.get(path);
    if (!found) throw repositoryNotFound(path);
    return found;
  }

  async function change(path: string, what: Parameters<RepositorySettingsStore['update']>[1]) {
    const updated = await settings.update(path, what, stamp());
    if (!updated) throw repositoryNotFound(path);
    return updated;
  }

  const isImmutable = async (path: string) => (await settings.get(path))?.immutable ?? false;

  /** Refuses a push or delete to a proxy repository (src/proxy/), which only mirrors its upstream. */
  async function refuseIfProxy(path: string): Promise<void> {
    const proxy = (await settings.get(path))?.proxy;
    if (proxy) {
      throw new RegistryError(
        'REPOSITORY_READ_ONLY',
        `${describeRepository(path)} is a read-only proxy of ${proxy.url}: push to the upstream, or to another repository`,
      );
    }
  }

  /**
   * Remembers the package a version has before it is deleted from an immutable repository (first,
   * so that a crash between the two leaves a record of a version still there, which is harmless).
   */
  async function retire(path: string, name: string, version: string): Promise<void> {
    const stored = await meta.getVersion(path, name, version);
    if (stored) await settings.retire(path, name, version, stored.digest, stamp());
  }

  /** Deletes a version; in an immutable repository its package digest is remembered first. */
  async function removeVersion(path: string, name: string, version: string, immutable?: boolean) {
    if (immutable ?? (await isImmutable(path))) await retire(path, name, version);
    return meta.deleteVersion(path, name, version);
  }

  async function prune(path: string, rule: RetentionRule, names: string[] | undefined, dryRun: boolean) {
    const plan = planRetention(await meta.listVersions(path, names), rule, now());
    const immutable = await isImmutable(path);
    const removed: RemovedVersion[] = [];
    for (const v of plan) {
      if (dryRun || (await removeVersion(path, v.name, v.version, immutable))) {
        removed.push({ repository: path, name: v.name, version: v.version });
      }
    }
    return removed;
  }

  return {
    settingsOf,
    isImmutable,
    refuseIfProxy,
    /** Makes a repository a proxy of `upstream` (`repo create --proxy`). */
    setProxy: (path: string, upstream: ProxyUpstream) => change(path, { proxy: upstream }),
    removeVersion,
    retire,
    /** Whether the version is stored without a provenance file (one a provenance-only upload would join). */
    storedUnsigned: async (path: string, v: { name: string; version: string }) =>
      (await meta.getVersion(path, v.name, v.version)) !== undefined &&
      (await meta.getProvenance(path, v.name, v.version)) === undefined,
    setRetention: (path: string, rule: RetentionRule) => change(path, { retention: rule }),
    clearRetention: (path: string) => change(path, { retention: null }),
    setImmutable: (path: string) => change(path, { immutable: true }),
    setArtifactHub: (path: string, metadata: ArtifactHubMetadata) => change(path, { artifactHub: metadata }),
    clearArtifactHub: (path: string) => change(path, { artifactHub: null }),

    /**
     * Refuses, with the reason, a publish an immutable repository cannot take: the version was
     * deleted once, and these are other bytes than its package had. Resolves whether the
     * repository is immutable, so the caller refuses overwrites too.
     */
    async checkPublish(path: string, name: string, version: string, digest?: string): Promise<boolean> {
      if (!(await isImmutable(path))) return false;
      const retired = digest === undefined ? undefined : await settings.retiredDigest(path, name, version);
      if (retired !== undefined && retired !== digest) {
        throw new RegistryError(
          'CHART_EXISTS',
          `${name} ${version} was deleted from ${describeRepository(path)}, which is immutable: the version can only come back with the package it had`,
        );
      }
      return true;
    },

    /** Applies the repository's rule to one chart after a push; nothing when there is no rule. */
    async afterPush(path: string, name: string): Promise<RemovedVersion[]> {
      const rule = (await settings.get(path))?.retention;
      return rule ? prune(path, rule, [name], false) : [];
    },

    /** Applies every repository's rule to all its charts (`charthouse retention`). */
    async runRetention(options: { dryRun: boolean }): Promise<RetentionReport> {
      const removed: RemovedVersion[] = [];
      for (const { path, retention } of await settings.listRetention()) {
        removed.push(...(await prune(path, retention, undefined, options.dryRun)));
      }
      return { dryRun: options.dryRun, removed };
    },

    /** `<repo>/artifacthub-repo.yml`, or undefined when the repository has no metadata. */
    async artifactHubFile(path: string): Promise<string | undefined> {
      const metadata = (await settingsOf(path)).artifactHub;
      return metadata && renderArtifactHubFile(metadata);
    },

    /** The `artifacthub.io` OCI artifact, or undefined when the repository has no metadata. */
    async artifactHubArtifact(path: string): Promise<ArtifactHubArtifact | undefined> {
      const metadata = (await settings.get(path))?.artifactHub;
      return metadata && artifactHubArtifact(metadata, stamp());
    },
  };
}

export type Lifecycle = ReturnType<typeof createLifecycle>;
