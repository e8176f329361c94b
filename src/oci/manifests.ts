import { ociDigest, sha256Hex } from '../charts/digest.js';
import type { Config } from '../config/config.js';
import { isRegistryError } from '../errors.js';
import type { Lifecycle } from '../lifecycle/lifecycle.js';
import type { BlobStore } from '../store/blob-store.js';
import type { MetadataStore, OciManifestRecord, OciManifestWrite } from '../store/metadata-store.js';
import type { Signatures } from '../trust/signatures.js';
import { createChartPush } from './chart-push.js';
import { createChartView } from './chart-view.js';
import { OciError } from './errors.js';
import { mediaTypes } from './media-types.js';
import { type ManifestDescriptor, type ParsedManifest, parseManifest } from './parse-manifest.js';
import { digestHex, digestProblem, isDigestLike, isTag, type OciName, versionOfTag } from './reference.js';

type ManifestConfig = Pick<
  Config,
  'maxDecompressedSize' | 'maxFileSize' | 'allowOverwrite' | 'ociChartsOnly' | 'maxManifestSize'
>;

/**
 * Manifests by tag and by digest. A tag is first read as a chart version (`_` for `+`), then as
 * the tag of other OCI content; chart manifests go through chart validation and into the classic
 * view, anything else is stored as plain OCI content that never enters index.yaml.
 */
export function createOciManifests(deps: {
  meta: MetadataStore;
  blobs: BlobStore;
  config: ManifestConfig;
  now: () => number;
  signatures?: Signatures;
  lifecycle?: Pick<Lifecycle, 'checkPublish'>;
  /** stores a proxy repository's version on its first pull (src/proxy/); absent elsewhere */
  prepareVersion?: (repository: string, name: string, version: string) => Promise<void>;
}) {
  const { meta, blobs, config } = deps;
  const charts = createChartView(deps);
  const pushChart = createChartPush(deps);

  async function get(oci: OciName, reference: string): Promise<OciManifestRecord> {
    if (isDigestLike(reference)) {
      const found = await meta.getOciManifest(oci.name, checkedDigest(reference));
      if (found) return found;
      throw new OciError('MANIFEST_UNKNOWN', `manifest ${reference} is not in ${oci.name}`, {
        Digest: reference,
      });
    }
    if (isTag(reference)) {
      const version =
        (await meta.getVersion(oci.repository, oci.chart, versionOfTag(reference))) ??
        (await firstPull(oci, versionOfTag(reference)));
      if (version) return charts.current(oci, version);
      const tagged = await meta.getOciTag(oci.name, reference);
      if (tagged) return tagged;
    }
    throw new OciError('MANIFEST_UNKNOWN', `${oci.name} has no tag "${reference}"`, { Tag: reference });
  }

  /** A proxy repository's version not stored yet: fetched from upstream, then read as stored. */
  async function firstPull(oci: OciName, version: string) {
    if (!deps.prepareVersion) return undefined;
    try {
      await deps.prepareVersion(oci.repository, oci.chart, version);
    } catch (err) {
      // upstream has no such version: the tag is unknown, as for any repository
      if (isRegistryError(err, 'FILE_NOT_FOUND')) return undefined;
      throw err;
    }
    return meta.getVersion(oci.repository, oci.chart, version);
  }

  async function checkBlob(oci: OciName, d: ManifestDescriptor): Promise<string> {
    const hex = digestHex(d.digest) ?? '';
    const state = await meta.ociBlobState(oci, hex);
    const stored = state.linked || state.referenced ? await blobs.stat(hex) : undefined;
    if (!stored) {
      throw new OciError(
        'MANIFEST_BLOB_UNKNOWN',
        `the manifest references blob ${d.digest}, which is not in ${oci.name}`,
        d.digest,
      );
    }
    if (stored.size !== d.size) {
      throw new OciError(
        'MANIFEST_INVALID',
        `the manifest gives blob ${d.digest} a size of ${d.size}, but it holds ${stored.size} bytes`,
      );
    }
    return hex;
  }

  async function checkReferences(oci: OciName, parsed: ParsedManifest): Promise<string[]> {
    for (const child of parsed.manifests) {
      if (!(await meta.getOciManifest(oci.name, child.digest))) {
        throw new OciError(
          'MANIFEST_BLOB_UNKNOWN',
          `the index references manifest ${child.digest}, which is not in ${oci.name}`,
          child.digest,
        );
      }
    }
    const blobRefs = parsed.config ? [parsed.config, ...parsed.layers] : parsed.layers;
    const hexes: string[] = [];
    for (const d of blobRefs) hexes.push(await checkBlob(oci, d));
    return [...new Set(hexes)];
  }

  async function put(oci: OciName, reference: string, bytes: Buffer, contentType: string | undefined) {
    const limit = deps.config.maxManifestSize;
    if (bytes.length > limit) {
      throw new OciError('TOO_LARGE', `the manifest is larger than the ${limit}-byte limit`);
    }
    const digest = ociDigest(sha256Hex(bytes));
    let tag: string | undefined;
    if (isDigestLike(reference)) {
      if (checkedDigest(reference) !== digest) {
        throw new OciError('DIGEST_INVALID', `the manifest hashes to ${digest}, not ${reference}`, {
          Digest: reference,
        });
      }
    } else if (isTag(reference)) tag = reference;
    else throw new OciError('MANIFEST_INVALID', `"${reference}" is neither a valid tag nor a digest`);
    const parsed = parseManifest(bytes, contentType);
    if (!parsed.isChart && config.ociChartsOnly) {
      throw new OciError(
        'UNSUPPORTED',
        `this server stores Helm charts only: the manifest's config is not ${mediaTypes.helmConfig}`,
      );
    }
    const write: OciManifestWrite = {
      digest,
      mediaType: parsed.mediaType,
      size: bytes.length,
      bytes,
      artifactType: parsed.artifactType,
      subject: parsed.subject?.digest,
      annotations: parsed.annotations,
      created: new Date(deps.now()).toISOString(),
      blobs: await checkReferences(oci, parsed),
    };
    if (parsed.isChart) await pushChart(oci, parsed, write, tag);
    else {
      if (tag !== undefined && (await meta.getVersion(oci.repository, oci.chart, versionOfTag(tag)))) {
        throw new OciError(
          'DENIED',
          `the tag "${tag}" is a version of chart ${oci.chart} and cannot point at other content`,
        );
      }
      await meta.putOciManifest(oci.name, write, tag);
    }
    return { digest, subject: parsed.subject?.digest };
  }

  /**
   * Refuses to delete a manifest an image index of the repository still lists, as blob deletes are
   * refused while a manifest needs the blob: the index would dangle and `copy --all` of it fail.
   */
  async function refuseIfListed(oci: OciName, digest: string): Promise<void> {
    const [index, ...more] = await meta.ociIndexesListing(oci.name, digest);
    if (index === undefined) return;
    const others = more.length > 0 ? ` (and ${more.length} more)` : '';
    throw new OciError(
      'UNSUPPORTED',
      `manifest ${digest} is still listed by the image index ${index}${others} in ${oci.name}: delete the index first`,
      { Digest: digest, listedBy: [index, ...more] },
    );
  }

  /** Deletes a manifest; a chart manifest (by digest or by its version's tag) deletes the chart version. */
  async function remove(oci: OciName, reference: string): Promise<void> {
    if (isDigestLike(reference)) {
      const found = await meta.getOciManifest(oci.name, checkedDigest(reference));
      if (found) await refuseIfListed(oci, found.digest);
      if (found?.chart) {
        await meta.deleteVersion(oci.repository, oci.chart, found.chart.version);
        return;
      }
      if (found && (await meta.deleteOciManifest(oci.name, found.digest))) return;
      throw new OciError('MANIFEST_UNKNOWN', `manifest ${reference} is not in ${oci.name}`, {
        Digest: reference,
      });
    }
    if (isTag(reference)) {
      const version = versionOfTag(reference);
      const current = await meta.getChartManifest(oci, version);
      if (current) await refuseIfListed(oci, current.digest);
      if (await meta.deleteVersion(oci.repository, oci.chart, version)) return;
      if (await meta.deleteOciTag(oci.name, reference)) return;
    }
    throw new OciError('MANIFEST_UNKNOWN', `${oci.name} has no tag "${reference}"`, { Tag: reference });
  }

  return { get, put, remove };
}

function checkedDigest(reference: string): string {
  const problem = digestProblem(reference);
  if (problem) throw new OciError('DIGEST_INVALID', problem, { Digest: reference });
  return reference;
}
