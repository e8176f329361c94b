import { createDependencyLinks, type DependencyView, type DependentView } from './browse-dependencies.js';
import { createPackageFileReader } from './browse-package.js';
import type { PackageFiles } from './charts/package-files.js';
import { isPrerelease, sortVersionsDesc } from './charts/versions.js';
import type { Config } from './config/config.js';
import { RegistryError } from './errors.js';
import { describeRepository, repositoryNotFound, repositoryProblem } from './repositories.js';
import { createChartSearch } from './search/chart-search.js';
import type { SearchRequest, SearchResults } from './search/search-types.js';
import type { BlobStore } from './store/blob-store.js';
import type {
  MetadataStore,
  ProvenanceRecord,
  RepositorySummary,
  VersionDetails,
  VersionRecord,
} from './store/metadata-store.js';
import type { TrustStore } from './store/trust-store.js';
import { type ProvenanceView, provenanceView } from './trust/provenance-view.js';

export type { DependencyView, DependentView } from './browse-dependencies.js';

/** Everything the chart page shows, read from stored rows (never from the package). */
export interface ChartView {
  repository: string;
  name: string;
  /** the version shown, with its README and values */
  version: VersionDetails;
  /** every version, newest first */
  versions: VersionRecord[];
  /** what an install without --version gets: the highest release, else the highest version */
  latest: string;
  provenance?: ProvenanceRecord;
  /** whether the shown version's provenance file verified, and who signed it */
  signature?: ProvenanceView;
  /** the shown version's dependency tree, resolved against this server */
  dependencies: DependencyView[];
  /** charts here whose latest version depends on this one */
  usedBy: DependentView[];
}

/** The browsing use cases behind the web UI and the search API. No HTTP in here. */
export function createBrowse(deps: {
  meta: MetadataStore;
  config: Pick<Config, 'contextPath' | 'chartUrl'> & Partial<Pick<Config, 'maxDecompressedSize'>>;
  trust?: TrustStore;
  /** where packages are read from for the templates viewer; without it no files are shown */
  blobs?: BlobStore;
}) {
  const { meta, config } = deps;
  const links = createDependencyLinks({ meta, config });
  const packageFiles =
    deps.blobs && createPackageFileReader(deps.blobs, config.maxDecompressedSize ?? 100 * 1024 * 1024);
  const chartSearch = createChartSearch(meta);

  return {
    /** The files in a stored package (undefined when the server reads no blobs, or it is gone). */
    packageFiles: async (digest: string): Promise<PackageFiles | undefined> => packageFiles?.(digest),

    listRepositories: (): Promise<RepositorySummary[]> => meta.listRepositories(),

    /** The first chart names of a repository, for its page. */
    chartNames: (repository: string, limit = 100): Promise<string[]> =>
      meta.listChartNames(repository, { offset: 0, limit }),

    /** Charts by text and filters, with facets, hidden counts and typo corrections (src/search/). */
    search: (request: SearchRequest): Promise<SearchResults> => chartSearch.search(request),

    /**
     * One chart at `version` (by default its latest release, or its highest version when it has
     * no release). `host` is the Host the page is viewed through: dependencies whose repository
     * URL points at it (or at --chart-url) are linked when the chart exists here.
     */
    async chart(
      repository: string,
      name: string,
      version: string | undefined,
      host: string,
      readable?: ReadonlySet<string>,
    ): Promise<ChartView> {
      if (repositoryProblem(repository) || (await meta.revision(repository)) === undefined) {
        throw repositoryNotFound(repository);
      }
      const versions = sortVersionsDesc(await meta.listVersions(repository, [name]), (v) => v.version);
      const newest = versions[0];
      if (!newest) {
        throw new RegistryError(
          'CHART_NOT_FOUND',
          `chart "${name}" not found in ${describeRepository(repository)}`,
        );
      }
      const latest = versions.find((v) => !isPrerelease(v.version))?.version ?? newest.version;
      const wanted = version ?? latest;
      const details = await meta.getVersion(repository, name, wanted);
      if (!details) {
        throw new RegistryError(
          'VERSION_NOT_FOUND',
          `chart "${name}" has no version ${wanted} in ${describeRepository(repository)}`,
        );
      }
      const view: ChartView = {
        repository,
        name,
        version: details,
        versions,
        latest,
        dependencies: await links.tree(details.metadata.dependencies, host),
        usedBy: await links.usedBy(repository, name, host, readable),
      };
      const provenance = await meta.getProvenance(repository, name, wanted);
      if (provenance) view.provenance = provenance;
      if (provenance && deps.trust)
        view.signature = provenanceView(
          true,
          await deps.trust.getVerification(repository, provenance.digest),
        );
      return view;
    },
  };
}

export type Browse = ReturnType<typeof createBrowse>;
