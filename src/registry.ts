import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { resolveInOrder } from './charts/versions.js';
import type { Config } from './config/config.js';
import { RegistryError } from './errors.js';
import type { Lifecycle } from './lifecycle/lifecycle.js';
import { uploadWithLifecycle } from './lifecycle/lifecycle-upload.js';
import { createIndexCache, type RenderedIndex } from './repo-index/cache.js';
import { type ChartDocument, chartDocument, createChartDocumentCache } from './repo-index/chart-documents.js';
import { chartUrlPrefix } from './repo-index/chart-url.js';
import { type ChartVersionEntry, toEntry, type UrlOptions } from './repo-index/entry.js';
import { createIndexRenders } from './repo-index/index-renders.js';
import { createRevisionMemo } from './repo-index/revision-memo.js';
import { describeRepository, repositoryNotFound, repositoryProblem } from './repositories.js';
import type { BlobStore } from './store/blob-store.js';
import type { MetadataStore, RepositorySummary, VersionDetails } from './store/metadata-store.js';
import type { TrustStore } from './store/trust-store.js';
import { createSignatures } from './trust/signatures.js';
import { createUpload } from './upload.js';

export interface StoredFile {
  kind: 'chart' | 'provenance';
  digest: string;
  size: number;
  open(): Promise<Readable>;
}

/** The use cases behind every HTTP surface. No HTTP in here: failures are RegistryErrors. */
export function createRegistry(deps: {
  meta: MetadataStore;
  blobs: BlobStore;
  config: Config;
  /** keyrings and signature policies; without them provenance files are stored unverified */
  trust?: TrustStore;
  /** immutability and retention; without it, neither applies */
  lifecycle?: Lifecycle;
  /** told the duration of every index.yaml render, in seconds (the metrics) */
  onIndexRendered?: (seconds: number) => void;
}) {
  const { meta, blobs, config, lifecycle } = deps;
  const removeVersion = (repository: string, name: string, version: string) =>
    lifecycle
      ? lifecycle.removeVersion(repository, name, version)
      : meta.deleteVersion(repository, name, version);
  const signatures = deps.trust && createSignatures({ trust: deps.trust, meta });
  const urlOptions = (repository: string): UrlOptions => ({
    chartUrl: config.chartUrl,
    contextPath: config.contextPath,
    repository,
  });
  // index.yaml is assembled from the chart blocks the store keeps current at every write
  const renderIndex = createIndexRenders(
    { read: meta.readIndexBlocks.bind(meta), renderLarge: meta.renderLargeIndex?.bind(meta) },
    (repository) => ({
      urlPrefix: chartUrlPrefix(urlOptions(repository)),
      contextPath: config.contextPath,
      memoryLimit: INDEX_MEMORY_LIMIT,
      fileDir: join(config.storage, 'index-cache'),
    }),
  );
  const indexCache = createIndexCache(async (repository, plain) => {
    const started = performance.now();
    const index = await renderIndex(repository, plain);
    deps.onIndexRendered?.((performance.now() - started) / 1000);
    if (!index) throw repositoryNotFound(repository);
    return index;
  });

  /**
   * The repository's revision, or REPOSITORY_NOT_FOUND (an invalid path cannot exist): one query
   * says both that the repository exists and which cached answers are current.
   */
  async function currentRevision(repository: string): Promise<number> {
    const revision = repositoryProblem(repository) ? undefined : await meta.revision(repository);
    if (revision === undefined) throw repositoryNotFound(repository);
    return revision;
  }

  /** Resolves to the repository path, or throws REPOSITORY_NOT_FOUND. */
  async function existing(repository: string): Promise<string> {
    await currentRevision(repository);
    return repository;
  }

  const chartNotFound = (repository: string, name: string) =>
    new RegistryError('CHART_NOT_FOUND', `chart "${name}" not found in ${describeRepository(repository)}`);

  // GET /api/charts/<name> as index.yaml is served: one document per chart and revision
  const chartDocuments = createChartDocumentCache(async (repository, name) => {
    const records = await meta.listVersions(repository, [name]);
    if (records.length === 0) throw chartNotFound(repository, name);
    return chartDocument(records.map((r) => toEntry(r, urlOptions(repository))));
  });

  // GET /api/charts/<name>/<reference> (a version, `latest`, a range): the entry it resolves to,
  // per revision, so that a poll reads no row; the signature's verification is read every time
  const versionAnswers = createRevisionMemo<VersionAnswer>(
    (answer) => answer.body.length,
    MAX_VERSION_ANSWER_CHARS,
  );

  async function versionAnswer(repository: string, name: string, reference: string): Promise<VersionAnswer> {
    const revision = await currentRevision(repository);
    return versionAnswers.get(repository, `${name}\0${reference}`, revision, async () => {
      const record = await resolve(repository, name, reference);
      const provenance = signatures && (await meta.getProvenance(repository, name, record.version));
      return {
        body: JSON.stringify(toEntry(record, urlOptions(repository))),
        provenanceDigest: provenance?.digest,
      };
    });
  }

  /**
   * The stored version a reference names, reading only what it needs: the exact version is one
   * keyed row, `latest` one step of the stored SemVer order; only a range (or `1.2.3` for a stored
   * `v1.2.3`) reads the chart's version strings, still in the stored order.
   */
  async function resolve(repository: string, name: string, reference: string): Promise<VersionDetails> {
    await existing(repository);
    const exact = await meta.getVersion(repository, name, reference);
    if (exact) return exact;
    const order =
      reference === 'latest'
        ? await meta.listVersionOrder(repository, name, { releases: true, limit: 1 })
        : await meta.listVersionOrder(repository, name);
    const resolution = resolveInOrder(order, reference);
    const found =
      resolution && 'version' in resolution
        ? await meta.getVersion(repository, name, resolution.version)
        : undefined;
    if (found) return found;
    if (order.length === 0 && (await meta.listVersionOrder(repository, name, { limit: 1 })).length === 0) {
      throw chartNotFound(repository, name);
    }
    throw new RegistryError(
      'VERSION_NOT_FOUND',
      (resolution && 'error' in resolution && resolution.error) ||
        `no version of chart "${name}" matches "${reference}" in ${describeRepository(repository)}`,
    );
  }

  return {
    beginUpload: (repository: string) => {
      const upload = createUpload({ meta, blobs, limits: config, signatures }, repository);
      return lifecycle ? uploadWithLifecycle(upload, repository, lifecycle) : upload;
    },

    /** The index at the current revision; with `plain`, with its plain document as well as its gzip form. */
    async getIndex(repository: string, options: { plain: boolean }): Promise<RenderedIndex> {
      return indexCache.get(repository, await currentRevision(repository), options);
    },

    listRepositories: (): Promise<RepositorySummary[]> => meta.listRepositories(),

    /** One page of charts in name order, each with its versions newest first: the page's rows only. */
    async listCharts(repository: string, page: { offset: number; limit?: number }) {
      const names = await meta.listChartNames(await existing(repository), page);
      const out: Record<string, ChartVersionEntry[]> = {};
      for (const name of names) out[name] = [];
      for (const record of await meta.listVersions(repository, names)) {
        out[record.name]?.push(toEntry(record, urlOptions(repository)));
      }
      return out;
    },

    /** Every version of a chart, newest first, as the JSON document and ETag of the current revision. */
    async getChart(repository: string, name: string): Promise<ChartDocument> {
      return chartDocuments.get(repository, name, await currentRevision(repository));
    },

    /**
     * The version a reference (a version, `latest`, a range) names, as the JSON the chart API
     * sends: the entry's text is kept per revision, and its provenance view added to it.
     */
    async getVersionJson(repository: string, name: string, reference: string): Promise<string> {
      const answer = await versionAnswer(repository, name, reference);
      if (!signatures) return answer.body;
      const view = await signatures.view(repository, answer.provenanceDigest);
      return `${answer.body.slice(0, -1)},"provenance":${JSON.stringify(view)}}`;
    },

    /**
     * Deletes one version and its provenance. When (name, version) is not stored, the pair is
     * read as a file name split at the wrong dash (`mychart2-0.1.0-beta` / `1`), as ChartMuseum's
     * clients do, and the version whose file name matches is deleted instead.
     */
    async deleteVersion(
      repository: string,
      name: string,
      version: string,
    ): Promise<{ name: string; version: string }> {
      await existing(repository);
      let removed = await removeVersion(repository, name, version);
      if (!removed) {
        const byFile = await meta.findVersionByFilename(repository, `${name}-${version}.tgz`);
        if (byFile) removed = await removeVersion(repository, byFile.name, byFile.version);
      }
      if (!removed) {
        throw new RegistryError(
          'VERSION_NOT_FOUND',
          `chart "${name}" version ${version} not found in ${describeRepository(repository)}`,
        );
      }
      return { name: removed.chart.name, version: removed.chart.version };
    },

    async openFile(repository: string, filename: string): Promise<StoredFile> {
      await existing(repository);
      const isProv = filename.endsWith('.tgz.prov');
      const found = isProv
        ? await meta.findProvenanceByFilename(repository, filename)
        : filename.endsWith('.tgz')
          ? await meta.findVersionByFilename(repository, filename)
          : undefined;
      if (!found) {
        throw new RegistryError(
          'FILE_NOT_FOUND',
          `${filename} not found in ${describeRepository(repository)}`,
        );
      }
      return {
        kind: isProv ? 'provenance' : 'chart',
        digest: found.digest,
        size: found.size,
        async open() {
          const stream = await blobs.open(found.digest);
          if (!stream) throw new Error(`blob ${found.digest} is missing from the blob store`);
          return stream;
        },
      };
    },
  };
}

export type Registry = ReturnType<typeof createRegistry>;

/** Plain index documents above this size are served from a file, so memory stays flat as repositories grow. */
const INDEX_MEMORY_LIMIT = 16 * 1024 * 1024;

/** Resolved version answers kept across every chart (JSON characters) before the least recently used go. */
const MAX_VERSION_ANSWER_CHARS = 16 * 1024 * 1024;

interface VersionAnswer {
  /** the entry as JSON, as the chart API sends it */
  body: string;
  provenanceDigest?: string;
}
