import type { ChartSearchHit, MetadataStore, RepositoryRevision } from '../store/metadata-store.js';
import { provenanceView } from '../trust/provenance-view.js';
import { chartKey, type IndexedChart, indexChart } from './indexed-chart.js';
import { type QueryOutcome, runQuery, shownVersion, verifiedKey } from './run-query.js';
import { buildSearchIndex, type SearchIndex } from './search-index.js';
import type { SearchRequest, SearchResults } from './search-types.js';

type SearchStore = Pick<MetadataStore, 'repositoryRevisions' | 'readSearchRows' | 'readVerifications'>;

/** Past this many remembered query outcomes the memo starts over. */
const MAX_OUTCOMES = 256;

interface Held {
  revision: number;
  charts: IndexedChart[];
}

/**
 * Chart search over an in-memory index of every chart (one row each: its highest version and
 * release), so that a search costs the postings of its words and never a scan of every version.
 *
 * Every search first reads every repository's revision (PostgreSQL: one query, never remembered;
 * SQLite: remembered until a write, as revision() is), and reads the rows of any repository whose
 * revision moved before it answers: what a push or delete acknowledged, on any replica, is found
 * by the next search. Charts whose rows did not change keep their indexed words. Verifications
 * are written without moving a revision, so they are read fresh for each page (and for the whole
 * candidate set when a search asks for verified charts only, which is never remembered).
 */
export function createChartSearch(store: SearchStore) {
  let held = new Map<string, Held>();
  let index: SearchIndex | undefined;
  let refreshing: Promise<void> | undefined;
  const outcomes = new Map<string, QueryOutcome>();

  const isCurrent = (listed: RepositoryRevision[]) =>
    index !== undefined &&
    listed.length === held.size &&
    listed.every((repo) => (held.get(repo.path)?.revision ?? -1) >= repo.revision);

  async function refresh(listed: RepositoryRevision[]): Promise<void> {
    const next = new Map<string, Held>();
    for (const repo of listed) {
      const kept = held.get(repo.path);
      if (kept && kept.revision >= repo.revision) {
        next.set(repo.path, kept);
        continue;
      }
      const read = await store.readSearchRows(repo.path);
      if (!read) continue;
      const previous = new Map((kept?.charts ?? []).map((chart) => [chart.key, chart]));
      const charts = read.charts.map(
        (row) => previous.get(chartKey(repo.path, row)) ?? indexChart(repo.path, row),
      );
      next.set(repo.path, { revision: read.revision, charts });
    }
    held = next;
    index = buildSearchIndex([...next.values()].flatMap((repo) => repo.charts));
    outcomes.clear();
  }

  async function currentIndex(): Promise<SearchIndex> {
    const listed = await store.repositoryRevisions();
    // a refresh begun before this search's revisions were read may predate them: check again after it
    while (!isCurrent(listed)) {
      refreshing ??= refresh(listed).finally(() => {
        refreshing = undefined;
      });
      await refreshing;
    }
    return index as SearchIndex;
  }

  async function verifiedAmong(searchIndex: SearchIndex, request: SearchRequest): Promise<Set<string>> {
    const refs = searchIndex.charts.flatMap((chart) => {
      const digest = shownVersion(chart, request.prerelease)?.provenance;
      if (digest === undefined || (request.readable && !request.readable.includes(chart.repository)))
        return [];
      return [{ repository: chart.repository, digest }];
    });
    const found = await store.readVerifications(refs);
    return new Set(found.map((v) => verifiedKey(v.repository, v.digest)));
  }

  async function outcomeOf(searchIndex: SearchIndex, request: SearchRequest): Promise<QueryOutcome> {
    if (request.signature === 'verified')
      return runQuery(searchIndex, request, await verifiedAmong(searchIndex, request));
    const key = JSON.stringify([
      request.text ?? '',
      request.repository ?? null,
      request.readable ?? null,
      request.prerelease,
      request.deprecated,
      request.signature ?? null,
      request.keyword ?? null,
      request.sort ?? null,
    ]);
    const remembered = outcomes.get(key);
    if (remembered) return remembered;
    const outcome = runQuery(searchIndex, request);
    if (outcomes.size >= MAX_OUTCOMES) outcomes.clear();
    outcomes.set(key, outcome);
    return outcome;
  }

  return {
    async search(request: SearchRequest): Promise<SearchResults> {
      const searchIndex = await currentIndex();
      const outcome = await outcomeOf(searchIndex, request);
      const page = outcome.ids.slice(request.offset, request.offset + request.limit).flatMap((id) => {
        const chart = searchIndex.charts[id] as IndexedChart;
        const shown = shownVersion(chart, request.prerelease);
        return shown ? [{ chart, ...shown }] : [];
      });
      const signed = page.flatMap((hit) =>
        hit.provenance === undefined ? [] : [{ repository: hit.chart.repository, digest: hit.provenance }],
      );
      const verifications = new Map(
        (signed.length > 0 ? await store.readVerifications(signed) : []).map((v) => [
          verifiedKey(v.repository, v.digest),
          { signer: v.signer, fingerprint: v.fingerprint, verifiedAt: v.verifiedAt },
        ]),
      );
      const hits: ChartSearchHit[] = page.map(({ chart, version, provenance }) => ({
        repository: chart.repository,
        latest: version,
        versions: chart.row.versions,
        updated: chart.row.updated,
        provenance: provenanceView(
          provenance !== undefined,
          provenance === undefined ? undefined : verifications.get(verifiedKey(chart.repository, provenance)),
        ),
      }));
      return {
        total: outcome.ids.length,
        hits,
        sort: outcome.sort,
        facets: outcome.facets,
        hidden: outcome.hidden,
        suggestions: outcome.suggestions,
      };
    },
  };
}

export type ChartSearch = ReturnType<typeof createChartSearch>;
