import { Readable } from 'node:stream';
import { ociDigest, sha256Hex } from '../charts/digest.js';
import type { BlobStore } from '../store/blob-store.js';
import type {
  MetadataStore,
  OciChartManifestWrite,
  OciManifestRecord,
  ProvenanceRecord,
  VersionDetails,
} from '../store/metadata-store.js';
import { chartManifestJson, type Descriptor, helmAnnotations, helmConfigJson, rfc3339 } from './manifest.js';
import { mediaTypes } from './media-types.js';
import type { OciName } from './reference.js';

interface ManifestBase {
  config: Descriptor;
  annotations: Record<string, string>;
}

/**
 * The manifest a chart version's tag resolves to. A version uploaded over HTTP gets one generated
 * on first OCI access, as Helm would have pushed it, and stored: its bytes (and so its digest)
 * never change afterwards, across restarts and re-renders. When the provenance file changes (a
 * `.prov` uploaded over HTTP), a new manifest with the same config and annotations and the new
 * provenance layer takes the tag; the old one stays readable by digest.
 */
export function createChartView(deps: { meta: MetadataStore; blobs: BlobStore; now: () => number }) {
  const { meta, blobs } = deps;

  async function generatedBase(version: VersionDetails): Promise<ManifestBase> {
    const config = Buffer.from(helmConfigJson(version.metadata));
    const staged = await blobs.stage(Readable.from([config]));
    await staged.commit();
    return {
      config: { mediaType: mediaTypes.helmConfig, digest: ociDigest(staged.digest), size: staged.size },
      annotations: helmAnnotations(version.metadata, rfc3339(version.created)),
    };
  }

  function reusedBase(stored: OciManifestRecord): ManifestBase | undefined {
    try {
      const doc = JSON.parse(stored.bytes.toString('utf8')) as {
        config: Descriptor;
        annotations?: Record<string, string>;
      };
      const { mediaType, digest, size } = doc.config;
      return { config: { mediaType, digest, size }, annotations: doc.annotations ?? {} };
    } catch {
      return undefined;
    }
  }

  async function current(oci: OciName, version: VersionDetails): Promise<OciManifestRecord> {
    const prov = await meta.getProvenance(oci.repository, oci.chart, version.version);
    const stored = await meta.getChartManifest(oci, version.version);
    const sameLayer = stored?.chart?.layer === version.digest;
    if (stored && sameLayer && stored.chart?.prov === prov?.digest) return stored;
    const base = (stored && sameLayer ? reusedBase(stored) : undefined) ?? (await generatedBase(version));
    const write = manifestFor(version, prov, base, new Date(deps.now()).toISOString());
    await meta.saveChartManifest(oci, version.version, write, { current: true });
    return (await meta.getChartManifest(oci, version.version)) ?? recordOf(write, version.version);
  }

  return { current };
}

export type ChartView = ReturnType<typeof createChartView>;

function manifestFor(
  version: VersionDetails,
  prov: ProvenanceRecord | undefined,
  base: ManifestBase,
  created: string,
): OciChartManifestWrite {
  const layers: Descriptor[] = [
    { mediaType: mediaTypes.helmChart, digest: ociDigest(version.digest), size: version.size },
  ];
  if (prov)
    layers.push({ mediaType: mediaTypes.helmProvenance, digest: ociDigest(prov.digest), size: prov.size });
  const bytes = Buffer.from(
    chartManifestJson({ config: base.config, layers, annotations: base.annotations }),
  );
  const configHex = base.config.digest.slice('sha256:'.length);
  return {
    digest: ociDigest(sha256Hex(bytes)),
    mediaType: mediaTypes.ociManifest,
    size: bytes.length,
    bytes,
    artifactType: mediaTypes.helmConfig,
    annotations: base.annotations,
    created,
    blobs: [configHex, version.digest, ...(prov ? [prov.digest] : [])],
    layer: version.digest,
    prov: prov?.digest,
  };
}

function recordOf(write: OciChartManifestWrite, version: string): OciManifestRecord {
  const chart = { version, layer: write.layer, current: true, ...(write.prov ? { prov: write.prov } : {}) };
  return { ...write, chart };
}
