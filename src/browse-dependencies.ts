import type { Dependency } from './charts/metadata.js';
import { isPrerelease, resolveInOrder, sortVersionsDesc } from './charts/versions.js';
import type { Config } from './config/config.js';
import { repositoryProblem } from './repositories.js';
import type { MetadataStore } from './store/metadata-store.js';

export interface DependencyView extends Dependency {
  /** set when the dependency's repository is one of ours and holds the chart */
  local?: { repository: string; name: string };
  /** the highest version here that the range accepts */
  resolved?: string;
  /** the resolved version's own dependencies (the tree stops at MAX_DEPTH) */
  dependencies?: DependencyView[];
}

/** A chart on this server that depends on another one, with the range it asks for. */
export interface DependentView {
  repository: string;
  name: string;
  /** the dependent's version read: its latest release (or its highest version) */
  version: string;
  range?: string;
}

const MAX_DEPTH = 3;
const MAX_NODES = 60;

type LatestDependencies = { name: string; version: string; dependencies: Dependency[] }[];

/**
 * Dependencies both ways, resolved against this server. Dependents come from each repository's
 * latest versions, read once per repository revision (a push or delete changes the revision), so
 * a chart page costs one revision lookup per repository, not a scan.
 */
export function createDependencyLinks(deps: {
  meta: MetadataStore;
  config: Pick<Config, 'contextPath' | 'chartUrl'>;
}) {
  const { meta, config } = deps;
  const latestByRepository = new Map<string, { revision: number; charts: LatestDependencies }>();

  function hostsFor(host: string): Set<string> {
    const hosts = new Set([host.toLowerCase()]);
    if (config.chartUrl) {
      try {
        hosts.add(new URL(config.chartUrl).host.toLowerCase());
      } catch {
        // an unparsable --chart-url names no host of ours
      }
    }
    return hosts;
  }

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

  async function link(
    list: Dependency[] | undefined,
    hosts: Set<string>,
    depth: number,
    budget: { nodes: number },
  ): Promise<DependencyView[]> {
    const out: DependencyView[] = [];
    for (const dependency of list ?? []) {
      budget.nodes--;
      const repository = ownRepository(dependency.repository, hosts);
      const found = repository === undefined ? [] : await meta.listVersions(repository, [dependency.name]);
      if (repository === undefined || found.length === 0) {
        out.push(dependency);
        continue;
      }
      const view: DependencyView = { ...dependency, local: { repository, name: dependency.name } };
      const sorted = sortVersionsDesc(found, (v) => v.version);
      const stored = sorted.map((v) => v.version);
      const wanted = dependency.version ?? 'latest';
      const resolution = stored.includes(wanted) ? { version: wanted } : resolveInOrder(stored, wanted);
      if (resolution && 'version' in resolution) {
        view.resolved = resolution.version;
        const record = sorted.find((v) => v.version === resolution.version);
        if (record?.metadata.dependencies?.length && depth < MAX_DEPTH && budget.nodes > 0)
          view.dependencies = await link(record.metadata.dependencies, hosts, depth + 1, budget);
      }
      out.push(view);
    }
    return out;
  }

  async function latestDependencies(repository: string, revision: number): Promise<LatestDependencies> {
    const memo = latestByRepository.get(repository);
    if (memo?.revision === revision) return memo.charts;
    const byName = new Map<string, { version: string; dependencies: Dependency[] }[]>();
    for (const v of await meta.listVersions(repository)) {
      const list = byName.get(v.name) ?? [];
      list.push({ version: v.version, dependencies: v.metadata.dependencies ?? [] });
      byName.set(v.name, list);
    }
    const charts: LatestDependencies = [];
    for (const [name, versions] of byName) {
      const sorted = sortVersionsDesc(versions, (v) => v.version);
      const latest = sorted.find((v) => !isPrerelease(v.version)) ?? sorted[0];
      if (latest && latest.dependencies.length > 0) charts.push({ name, ...latest });
    }
    latestByRepository.set(repository, { revision, charts });
    return charts;
  }

  return {
    hostsFor,
    /** The dependency tree of one version, local charts linked and their ranges resolved. */
    tree: (list: Dependency[] | undefined, host: string) =>
      link(list, hostsFor(host), 1, { nodes: MAX_NODES }),

    /** Charts here whose latest version depends on `repository`/`name`, in `readable` repositories. */
    async usedBy(repository: string, name: string, host: string, readable?: ReadonlySet<string>) {
      const hosts = hostsFor(host);
      const out: DependentView[] = [];
      for (const summary of await meta.listRepositories()) {
        if (readable && !readable.has(summary.path)) continue;
        const revision = await meta.revision(summary.path);
        if (revision === undefined) continue;
        for (const chart of await latestDependencies(summary.path, revision)) {
          const uses = chart.dependencies.find(
            (d) => d.name === name && ownRepository(d.repository, hosts) === repository,
          );
          if (uses)
            out.push({
              repository: summary.path,
              name: chart.name,
              version: chart.version,
              range: uses.version,
            });
        }
      }
      return out;
    },
  };
}

/** The tree with links into repositories the visitor may not read removed (the names stay). */
export function hideUnreadable(nodes: DependencyView[], readable: ReadonlySet<string>): DependencyView[] {
  return nodes.map(({ local, resolved, dependencies, ...rest }) =>
    local && !readable.has(local.repository)
      ? rest
      : {
          ...rest,
          ...(local && { local }),
          ...(resolved && { resolved }),
          ...(dependencies && { dependencies: hideUnreadable(dependencies, readable) }),
        },
  );
}
