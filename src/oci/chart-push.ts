import type { Readable } from 'node:stream';
import { chartFilename } from '../charts/filename.js';
import { type LoadedChart, loadChart } from '../charts/load-chart.js';
import { MAX_PROVENANCE_SIZE, parseProvenance } from '../charts/provenance.js';
import type { Config } from '../config/config.js';
import { isRegistryError } from '../errors.js';
import { IMMUTABLE_REASON, type Lifecycle, provenanceLater } from '../lifecycle/lifecycle.js';
import { describeRepository } from '../repositories.js';
import type { BlobStore } from '../store/blob-store.js';
import type {
  MetadataStore,
  OciChartManifestWrite,
  OciManifestWrite,
  ProvenanceRecord,
  VersionDetails,
} from '../store/metadata-store.js';
import type { Signatures } from '../trust/signatures.js';
import { chartLayers, createdOf, hexOf, invalid } from './chart-manifest-rules.js';
import { OciError } from './errors.js';
import type { ManifestDescriptor, ParsedManifest } from './parse-manifest.js';
import { type OciName, tagOfVersion, versionOfTag } from './reference.js';
import { describeOciContent, tagTakenMessage } from './tag-owner.js';

const MAX_CONFIG_SIZE = 1024 * 1024;

type Limits = Pick<Config, 'maxDecompressedSize' | 'maxFileSize' | 'allowOverwrite'>;

/**
 * A chart pushed over OCI: its chart layer passes the same validation as an HTTP upload, its
 * name must be the last path segment and its version the tag; then it is published to the
 * classic view in the same transaction as its manifest. Versions are immutable unless overwrite
 * is allowed, but the same chart bytes may always be pushed again (Helm 4 re-PUTs every tag): by
 * tag, the tag then moves to the pushed manifest. A tag that names other content (an image) is
 * taken only when overwrite is allowed.
 */
export function createChartPush(deps: {
  meta: MetadataStore;
  blobs: BlobStore;
  config: Limits;
  now: () => number;
  /** the repository's signature policy and keys; without them provenance layers are not verified */
  signatures?: Signatures;
  /** the repository's lifecycle (src/lifecycle/): an immutable one refuses overwrites whatever the options say */
  lifecycle?: Pick<Lifecycle, 'checkPublish'>;
}) {
  const { meta, blobs, config } = deps;

  async function open(d: ManifestDescriptor): Promise<Readable> {
    const stream = await blobs.open(hexOf(d));
    if (!stream) throw new OciError('MANIFEST_BLOB_UNKNOWN', `blob ${d.digest} is not stored`, d.digest);
    return stream;
  }

  async function readSmall(d: ManifestDescriptor, max: number, what: string): Promise<Buffer> {
    if (d.size > max) throw invalid(`the ${what} is larger than ${max} bytes`);
    const chunks: Buffer[] = [];
    for await (const chunk of await open(d)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async function loadLayer(d: ManifestDescriptor): Promise<LoadedChart> {
    try {
      return await loadChart(await open(d), config);
    } catch (err) {
      if (isRegistryError(err)) throw invalid(`the chart layer is not a valid Helm chart: ${err.message}`);
      throw err;
    }
  }

  async function readConfig(d: ManifestDescriptor, chart: LoadedChart['metadata']): Promise<void> {
    let doc: unknown;
    try {
      doc = JSON.parse((await readSmall(d, MAX_CONFIG_SIZE, 'chart config')).toString('utf8'));
    } catch (err) {
      if (err instanceof OciError) throw err;
      throw invalid('the chart config blob is not valid JSON');
    }
    const { name, version } = (typeof doc === 'object' && doc !== null ? doc : {}) as Record<string, unknown>;
    if (name !== chart.name || version !== chart.version) {
      throw invalid(
        `the chart config names ${String(name)} ${String(version)}, but the chart layer holds ${chart.name} ${chart.version}`,
      );
    }
  }

  async function readProvenance(d: ManifestDescriptor, chart: LoadedChart['metadata'], chartHex: string) {
    let text: string;
    let prov: ReturnType<typeof parseProvenance>;
    try {
      text = (await readSmall(d, MAX_PROVENANCE_SIZE, 'provenance layer')).toString('utf8');
      prov = parseProvenance(text);
    } catch (err) {
      if (err instanceof OciError) throw err;
      throw invalid(`the provenance layer is not valid: ${err instanceof Error ? err.message : String(err)}`);
    }
    const file = chartFilename(chart.name, chart.version);
    if (prov.name !== chart.name || prov.version !== chart.version) {
      throw invalid(
        `the provenance layer is for ${prov.name} ${prov.version}, but the chart is ${chart.name} ${chart.version}`,
      );
    }
    if (prov.files[file] !== chartHex)
      throw invalid(`the provenance layer does not sign the chart layer as ${file}`);
    return text;
  }

  /** The repository's signature policy, as an HTTP upload meets it; refusals are MANIFEST_INVALID (400). */
  async function checkSignature(
    oci: OciName,
    chart: LoadedChart['metadata'],
    chartHex: string,
    prov: { text: string; digest: string } | undefined,
  ): Promise<void> {
    const { signatures } = deps;
    if (!signatures) return;
    try {
      const policy = await signatures.policy(oci.repository);
      if (!prov) {
        // pushing the stored package again changes nothing, whatever the policy says now
        const stored = await meta.getVersion(oci.repository, chart.name, chart.version);
        if (stored?.digest !== chartHex) signatures.requireSigned(policy);
        return;
      }
      await signatures.check(
        oci.repository,
        policy,
        { ...prov, name: chart.name, version: chart.version },
        { metadata: chart, digest: chartHex },
      );
    } catch (err) {
      if (isRegistryError(err, 'SIGNATURE_REQUIRED') || isRegistryError(err, 'PROVENANCE_UNVERIFIED'))
        throw invalid(err.message);
      throw err;
    }
  }

  return async function pushChart(
    oci: OciName,
    parsed: ParsedManifest,
    write: OciManifestWrite,
    tag?: string,
  ) {
    const { chartLayer, provLayer } = chartLayers(parsed);
    const chart = await loadLayer(chartLayer);
    const { name, version } = chart.metadata;
    if (name !== oci.chart) {
      throw invalid(
        `the chart is named "${name}", but it is pushed to "${oci.name}": the last path segment must be the chart name`,
      );
    }
    if (tag !== undefined && versionOfTag(tag) !== version) {
      throw invalid(
        `the tag "${tag}" does not match the chart version ${version} (expected tag "${version.replaceAll('+', '_')}")`,
      );
    }
    await readConfig(parsed.config as ManifestDescriptor, chart.metadata);
    const chartHex = hexOf(chartLayer);
    const prov = provLayer && {
      text: await readProvenance(provLayer, chart.metadata, chartHex),
      digest: hexOf(provLayer),
    };
    await checkSignature(oci, chart.metadata, chartHex, prov);
    const created = createdOf(parsed.annotations) ?? new Date(deps.now()).toISOString();
    const manifest: OciChartManifestWrite = {
      ...write,
      layer: chartHex,
      prov: provLayer && hexOf(provLayer),
    };
    const details: VersionDetails = {
      name,
      version,
      digest: chartHex,
      size: chartLayer.size,
      created,
      metadata: chart.metadata,
      readme: chart.readme,
      values: chart.values,
    };
    const provenance: ProvenanceRecord | undefined = provLayer && {
      name,
      version,
      digest: hexOf(provLayer),
      size: provLayer.size,
      created,
    };
    await publish(oci, details, provenance, manifest, tag);
  };

  /** Whether the repository is immutable; a deleted version's name back with other bytes is DENIED. */
  async function immutableFor(oci: OciName, details: VersionDetails): Promise<boolean> {
    try {
      return (
        (await deps.lifecycle?.checkPublish(oci.repository, details.name, details.version, details.digest)) ??
        false
      );
    } catch (err) {
      if (isRegistryError(err, 'CHART_EXISTS')) throw new OciError('DENIED', err.message);
      throw err;
    }
  }

  async function publish(
    oci: OciName,
    details: VersionDetails,
    provenance: ProvenanceRecord | undefined,
    manifest: OciChartManifestWrite,
    tag: string | undefined,
    retried = false,
  ): Promise<void> {
    const { name, version } = details;
    const immutable = await immutableFor(oci, details);
    const allowOverwrite = config.allowOverwrite && !immutable;
    const where = describeRepository(oci.repository);
    const existing = await meta.getVersion(oci.repository, name, version);
    const storedProv = await meta.getProvenance(oci.repository, name, version);
    const provChanged = provenance !== undefined && provenance.digest !== storedProv?.digest;
    if (existing?.digest === details.digest && !provChanged) {
      // The same chart bytes again. By tag, the tag moves to this manifest, as any OCI registry
      // moves a tag on a PUT (the classic view is unchanged: same package, same provenance); by
      // digest, it is stored beside the current one and the tag stays where it is.
      if (tag !== undefined && storedProv && !provenance) {
        throw new OciError(
          'DENIED',
          `${name} ${version} in ${where} is signed: a manifest without its provenance layer cannot take the tag "${tag}" (push it with the .prov, or by digest)`,
        );
      }
      const saved = await meta.saveChartManifest(oci, version, manifest, { current: tag !== undefined });
      // the version was deleted meanwhile: decide again
      if (!saved && !retried) return publish(oci, details, provenance, manifest, tag, true);
      return;
    }
    if (existing && existing.digest !== details.digest && !allowOverwrite) {
      throw new OciError(
        'DENIED',
        `${name} ${version} already exists in ${where} with different content, and versions cannot be overwritten${immutable ? `: ${IMMUTABLE_REASON}` : ''}`,
      );
    }
    if (storedProv && provChanged && !allowOverwrite) {
      throw new OciError(
        'DENIED',
        `a different provenance file for ${name} ${version} already exists in ${where}, and it cannot be overwritten${immutable ? `: ${IMMUTABLE_REASON}` : ''}`,
      );
    }
    if (immutable && existing && !storedProv && provChanged) {
      throw new OciError('DENIED', provenanceLater(name, version, where));
    }
    const other = existing ? undefined : await meta.getOciTag(oci.name, tagOfVersion(version));
    if (other && !allowOverwrite) {
      throw new OciError(
        'DENIED',
        tagTakenMessage(
          oci.name,
          tagOfVersion(version),
          describeOciContent(other.mediaType, other.artifactType),
        ),
      );
    }
    const chart = existing?.digest === details.digest ? existing : details;
    try {
      await meta.publishOciChart({
        oci,
        chart,
        provenance: provChanged ? provenance : undefined,
        // only what was checked above may be replaced; anything newer fails and is decided again
        overwrite: existing !== undefined || storedProv !== undefined || other !== undefined,
        manifest,
      });
    } catch (err) {
      if (!isRegistryError(err, 'CHART_EXISTS') && !isRegistryError(err, 'PROVENANCE_EXISTS')) throw err;
      // another push of this version won the race: decide again against what it stored
      if (!retried) return publish(oci, details, provenance, manifest, tag, true);
      throw new OciError('DENIED', err.message);
    }
  }
}
