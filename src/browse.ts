import type { Dependency } from './charts/metadata.js';
import { isPrerelease, sortVersionsDesc } from './charts/versions.js';
import type { Config } from './config/config.js';
import { RegistryError } from './errors.js';
import { describeRepository, repositoryNotFound, repositoryProblem } from './repositories.js';
import { createChartSearch } from './search/chart-search.js';
import type { SearchRequest, SearchResults } from './search/search-types.js';
import type {
  MetadataStore,
  ProvenanceRecord,
  RepositorySummary,
  VersionDetails,
  VersionRecord,
} from './store/metadata-store.js';
import type { TrustStore } from './store/trust-store.js';
import { type ProvenanceView, provenanceView } from './trust/provenance-view.js';

export interface DependencyView extends Dependency {
  /** set when the dependency's repository is one of ours and holds the chart */
  local?: { repository: string; name: string };
}

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
  dependencies: DependencyView[];
}

/** The browsing use cases behind the web UI and the search API. No HTTP in here. */
export function createBrowse(deps: {
  meta: MetadataStore;
  config: Pick<Config, 'contextPath' | 'chartUrl'>;
  trust?: TrustStore;
}) {
  const { meta, config } = deps;
  const chartSearch = createChartSearch(meta);

  /** The repository path a dependency URL points at on this server, seen from `hosts`. */
  function ownRepository(url: string | undefined, hosts: Set<string>): string | undefined {
    if (!url) return undefined;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    if (!hosts.has(parsed.host.toLowerCase())) return undefined;
    let path = parsed.pathname.replace(/\/+$/, '');
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') {
      if (!path.startsWith(config.contextPath)) return undefined;
      path = path.slice(config.contextPath.length);
    } else if (parsed.protocol !== 'oci:') {
      return undefined;
    }
    path = path.replace(/^\//, '');
    return repositoryProblem(path) === undefined ? path : undefined;
  }

  async function linkDependencies(list: Dependency[] | undefined, host: string): Promise<DependencyView[]> {
    const hosts = new Set([host.toLowerCase()]);
    if (config.chartUrl) {
      try {
        hosts.add(new URL(config.chartUrl).host.toLowerCase());
      } catch {
        // an unparsable --chart-url names no host of ours
      }
    }
    return Promise.all(
      (list ?? []).map(async (dependency) => {
        const repository = ownRepository(dependency.repository, hosts);
        if (repository === undefined) return dependency;
        const found = await meta.listVersions(repository, [dependency.name]);
        return found.length > 0
          ? { ...dependency, local: { repository, name: dependency.name } }
          : dependency;
      }),
    );
  }

  return {
    listRepositories: (): Promise<RepositorySummary[]> => meta.listRepositories(),

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
        dependencies: await linkDependencies(details.metadata.dependencies, host),
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
