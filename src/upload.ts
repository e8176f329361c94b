import { Readable } from 'node:stream';
import { chartFilename, provFilename } from './charts/filename.js';
import { type LoadedChart, loadChart } from './charts/load-chart.js';
import { MAX_PROVENANCE_SIZE, type Provenance, parseProvenance } from './charts/provenance.js';
import { RegistryError } from './errors.js';
import { checkRepository, describeRepository } from './repositories.js';
import type { BlobStore, StagedBlob } from './store/blob-store.js';
import type { MetadataStore } from './store/metadata-store.js';
import type { Signatures } from './trust/signatures.js';

export interface UploadLimits {
  maxUploadSize: number;
  maxDecompressedSize: number;
  maxFileSize: number;
}

interface StagedChart {
  blob: StagedBlob;
  chart: LoadedChart;
}

interface StagedProvenance {
  blob: StagedBlob;
  provenance: Provenance;
  text: string;
}

/**
 * One publish: a chart package and/or a provenance file, staged and validated as they arrive,
 * then committed together: the blobs first, then the rows in one transaction. Until commit
 * returns nothing is visible; discard removes whatever was staged.
 */
export function createUpload(
  deps: { meta: MetadataStore; blobs: BlobStore; limits: UploadLimits; signatures?: Signatures },
  repository: string,
) {
  const { meta, blobs, limits, signatures } = deps;
  let chart: StagedChart | undefined;
  let prov: StagedProvenance | undefined;

  async function addChart(source: Readable): Promise<void> {
    if (chart) throw new RegistryError('CHART_INVALID', 'the request holds more than one chart package');
    const blob = await blobs.stage(source, { maxBytes: limits.maxUploadSize });
    try {
      if (blob.size === 0) throw new RegistryError('UPLOAD_EMPTY', 'the chart package is empty');
      chart = { blob, chart: await loadChart(blob.open(), limits) };
    } catch (err) {
      await blob.discard();
      throw err;
    }
  }

  async function addProvenance(source: Readable): Promise<void> {
    if (prov)
      throw new RegistryError('PROVENANCE_INVALID', 'the request holds more than one provenance file');
    const blob = await blobs.stage(source, { maxBytes: Math.min(limits.maxUploadSize, MAX_PROVENANCE_SIZE) });
    try {
      const text = (await readAll(blob.open())).toString('utf8');
      prov = { blob, provenance: parseProvenanceOrThrow(text), text };
    } catch (err) {
      await blob.discard();
      throw err;
    }
  }

  async function commit(options: { overwrite: boolean }): Promise<{ name: string; version: string }> {
    if (!chart && !prov) throw new RegistryError('UPLOAD_EMPTY');
    checkRepository(repository);
    const target = chart?.chart.metadata ?? (prov as StagedProvenance).provenance;
    await checkProvenanceMatches(target.name, target.version);
    await checkFilenamesFree(target.name, target.version);
    if (!options.overwrite) await checkNotStored(target.name, target.version);
    await checkSignature();
    const created = new Date().toISOString();
    await chart?.blob.commit();
    await prov?.blob.commit();
    await meta.publish({
      repository,
      overwrite: options.overwrite,
      chart: chart && {
        name: chart.chart.metadata.name,
        version: chart.chart.metadata.version,
        digest: chart.blob.digest,
        size: chart.blob.size,
        created,
        metadata: chart.chart.metadata,
        readme: chart.chart.readme,
        values: chart.chart.values,
      },
      provenance: prov && {
        name: target.name,
        version: target.version,
        digest: prov.blob.digest,
        size: prov.blob.size,
        created,
      },
    });
    return { name: target.name, version: target.version };
  }

  async function checkProvenanceMatches(name: string, version: string): Promise<void> {
    if (!prov) return;
    const { provenance } = prov;
    if (provenance.name !== name || provenance.version !== version) {
      throw new RegistryError(
        'PROVENANCE_MISMATCH',
        `the provenance file is for ${provenance.name} ${provenance.version}, but the chart is ${name} ${version}`,
      );
    }
    const file = chartFilename(name, version);
    const signed = provenance.files[file];
    if (!signed)
      throw new RegistryError('PROVENANCE_INVALID', `the provenance file lists no sha256 for ${file}`);
    const digest = chart?.blob.digest ?? (await meta.getVersion(repository, name, version))?.digest;
    if (digest !== undefined && digest !== signed) {
      throw new RegistryError(
        'PROVENANCE_MISMATCH',
        `the provenance file signs another package than ${file}`,
      );
    }
  }

  /** The repository's signature policy: a chart alone refused under `require`, a failing `.prov` under `verify`. */
  async function checkSignature(): Promise<void> {
    if (!signatures) return;
    const policy = await signatures.policy(repository);
    if (chart && !prov) signatures.requireSigned(policy);
    if (!prov) return;
    const { name, version } = prov.provenance;
    await signatures.check(
      repository,
      policy,
      { text: prov.text, digest: prov.blob.digest, name, version },
      chart && { metadata: chart.chart.metadata, digest: chart.blob.digest },
    );
  }

  /**
   * `x` 1.0.0-rc-1 and `x-1.0.0-rc` 1 share the file name x-1.0.0-rc-1.tgz: storing both would give
   * two index entries one URL. Overwrite replaces the same version only, so it does not lift this.
   */
  async function checkFilenamesFree(name: string, version: string): Promise<void> {
    const holders = [
      await meta.findVersionByFilename(repository, chartFilename(name, version)),
      await meta.findProvenanceByFilename(repository, provFilename(name, version)),
    ];
    const other = holders.find((h) => h && (h.name !== name || h.version !== version));
    if (other) {
      throw new RegistryError(
        'CHART_EXISTS',
        `${chartFilename(name, version)} is already the package of ${other.name} ${other.version} in ${describeRepository(repository)}`,
      );
    }
  }

  async function checkNotStored(name: string, version: string): Promise<void> {
    const where = describeRepository(repository);
    if (chart && (await meta.getVersion(repository, name, version))) {
      throw new RegistryError('CHART_EXISTS', `${name} ${version} already exists in ${where}`);
    }
    if (prov && (await meta.getProvenance(repository, name, version))) {
      throw new RegistryError(
        'PROVENANCE_EXISTS',
        `a provenance file for ${name} ${version} already exists in ${where}`,
      );
    }
  }

  /** What the staged files will publish (the chart's package digest when a chart is staged). */
  function target(): { name: string; version: string; digest?: string } | undefined {
    const named = chart?.chart.metadata ?? prov?.provenance;
    return named && { name: named.name, version: named.version, digest: chart?.blob.digest };
  }

  async function discard(): Promise<void> {
    await chart?.blob.discard();
    await prov?.blob.discard();
  }

  return { addChart, addProvenance, commit, discard, target };
}

export type Upload = ReturnType<typeof createUpload>;

function parseProvenanceOrThrow(text: string): Provenance {
  try {
    return parseProvenance(text);
  } catch (err) {
    throw new RegistryError('PROVENANCE_INVALID', err instanceof Error ? err.message : String(err));
  }
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function bufferSource(bytes: Buffer | string): Readable {
  return Readable.from([Buffer.from(bytes)]);
}
