import { Readable } from 'node:stream';
import { ociDigest, sha256Hex } from '../charts/digest.js';
import { isRegistryError } from '../errors.js';
import { isOciError, OciError } from '../oci/errors.js';
import { digestHex, isDigestLike, isTag, parseName, versionOfTag } from '../oci/reference.js';
import { describeRepository } from '../repositories.js';
import type { ByteRange } from '../store/blob-store.js';
import type { MetadataStore, OciManifestRecord } from '../store/metadata-store.js';
import { ARTIFACTHUB_TAG, type ArtifactHubArtifact } from './artifacthub-oci.js';
import type { Lifecycle } from './lifecycle.js';

/** The part of the OCI registry this layer wraps (src/oci/oci-registry.ts). */
interface OciManifestsApi {
  statBlob(name: string, digest: string): Promise<{ size: number }>;
  openBlob(name: string, digest: string, range?: ByteRange): Promise<Readable>;
  getManifest(name: string, reference: string): Promise<OciManifestRecord>;
  putManifest(
    name: string,
    reference: string,
    bytes: Buffer,
    contentType: string | undefined,
  ): Promise<{ digest: string; subject?: string }>;
  deleteManifest(name: string, reference: string): Promise<void>;
}

/**
 * /v2 under the repositories' lifecycle settings:
 * - the `artifacthub.io` tag of every OCI name in a repository with Artifact Hub metadata serves
 *   that metadata as Artifact Hub reads it (the artifact and its two blobs are generated, not
 *   stored), and no push may take the tag from it;
 * - in an immutable repository no tag ever moves: a manifest PUT to a tag that names another
 *   manifest is DENIED, and a deleted chart version is remembered (lifecycle.ts removeVersion).
 * Overwrites of chart versions are refused in chart-push.ts, which sees the chart's bytes.
 */
export function ociWithLifecycle<T extends OciManifestsApi>(
  oci: T,
  deps: { lifecycle: Lifecycle; meta: MetadataStore },
): T {
  const { lifecycle, meta } = deps;
  const repositoryOf = (name: string) => parseName(name)?.repository;

  async function artifact(name: string): Promise<ArtifactHubArtifact | undefined> {
    const repository = repositoryOf(name);
    return repository === undefined ? undefined : lifecycle.artifactHubArtifact(repository);
  }

  async function artifactBlob(name: string, digest: string, err: unknown): Promise<Buffer> {
    if (!isOciError(err, 'BLOB_UNKNOWN')) throw err;
    const hex = digestHex(digest);
    const bytes = hex === undefined ? undefined : (await artifact(name))?.blobs.get(hex);
    if (!bytes) throw err;
    return bytes;
  }

  /** The manifest `tag` names now, or undefined when it names nothing. */
  /** A proxy repository takes no push and no delete; OCI answers DENIED with the reason. */
  async function refuseIfProxy(repository: string | undefined): Promise<void> {
    if (repository === undefined) return;
    try {
      await lifecycle.refuseIfProxy(repository);
    } catch (err) {
      if (isRegistryError(err, 'REPOSITORY_READ_ONLY')) throw new OciError('DENIED', err.message);
      throw err;
    }
  }

  async function tagged(name: string, tag: string): Promise<OciManifestRecord | undefined> {
    return oci.getManifest(name, tag).catch((err: unknown) => {
      if (isOciError(err, 'MANIFEST_UNKNOWN')) return undefined;
      throw err;
    });
  }

  return {
    ...oci,
    async statBlob(name, digest) {
      return oci.statBlob(name, digest).catch(async (err: unknown) => ({
        size: (await artifactBlob(name, digest, err)).length,
      }));
    },
    async openBlob(name, digest, range) {
      return oci.openBlob(name, digest, range).catch(async (err: unknown) => {
        const bytes = await artifactBlob(name, digest, err);
        return Readable.from([range ? bytes.subarray(range.start, range.end + 1) : bytes]);
      });
    },
    async getManifest(name, reference) {
      if (reference === ARTIFACTHUB_TAG) {
        const found = await artifact(name);
        if (found) return found.manifest;
      }
      return oci.getManifest(name, reference).catch(async (err: unknown) => {
        if (!isOciError(err, 'MANIFEST_UNKNOWN') || !isDigestLike(reference)) throw err;
        const found = await artifact(name);
        if (found?.manifest.digest !== reference) throw err;
        return found.manifest;
      });
    },
    async putManifest(name, reference, bytes, contentType) {
      const repository = repositoryOf(name);
      await refuseIfProxy(repository);
      if (repository !== undefined && isTag(reference)) {
        if (reference === ARTIFACTHUB_TAG && (await artifact(name))) {
          throw new OciError(
            'DENIED',
            `the tag "${ARTIFACTHUB_TAG}" of ${name} serves the Artifact Hub metadata of ${describeRepository(repository)}: change it with charthouse repo set-artifacthub`,
          );
        }
        if (await lifecycle.isImmutable(repository)) {
          const current = await tagged(name, reference);
          const digest = ociDigest(sha256Hex(bytes));
          if (current && current.digest !== digest) {
            throw new OciError(
              'DENIED',
              `${describeRepository(repository)} is immutable: the tag "${reference}" of ${name} names ${current.digest} and never moves`,
            );
          }
        }
      }
      const stored = await oci.putManifest(name, reference, bytes, contentType);
      // as after an HTTP upload; the push stands even when retention fails (`charthouse retention` catches up)
      const chart = parseName(name);
      if (chart) await lifecycle.afterPush(chart.repository, chart.chart).catch(() => undefined);
      return stored;
    },
    async deleteManifest(name, reference) {
      const parsed = parseName(name);
      await refuseIfProxy(parsed?.repository);
      if (parsed && (await lifecycle.isImmutable(parsed.repository))) {
        const version = isDigestLike(reference)
          ? (await meta.getOciManifest(name, reference).catch(() => undefined))?.chart?.version
          : isTag(reference)
            ? versionOfTag(reference)
            : undefined;
        if (version !== undefined) await lifecycle.retire(parsed.repository, parsed.chart, version);
      }
      return oci.deleteManifest(name, reference);
    },
  };
}
