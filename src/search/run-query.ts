import type { VersionRecord } from '../store/metadata-store.js';
import type { IndexedChart } from './indexed-chart.js';
import { compareNames, type SearchIndex } from './search-index.js';
import type { SearchFacets, SearchRequest, SearchSort, SearchSuggestion } from './search-types.js';
import { searchWords } from './words.js';

const MAX_WORDS = 16;
const MAX_KEYWORD_FACETS = 20;
const MAX_SUGGESTIONS = 3;
/** corrected queries tried at most, so that a long query of typos cannot cost more */
const MAX_ATTEMPTS = 24;

/** Everything about a query but its page: what a cache keeps for the next page. */
export interface QueryOutcome {
  sort: SearchSort;
  /** chart ids of every hit, in order */
  ids: number[];
  facets: SearchFacets;
  hidden: { deprecated: number; prerelease: number };
  suggestions: SearchSuggestion[];
}

/** The version a hit shows under the query's prerelease rule, with its provenance file's digest. */
export function shownVersion(
  chart: IndexedChart,
  prerelease: boolean,
): { version: VersionRecord; provenance: string | undefined } | undefined {
  const { row } = chart;
  if (prerelease) return { version: row.latest, provenance: row.latestProvenance };
  return row.release && { version: row.release, provenance: row.releaseProvenance };
}

/** `repository\0digest`, how the set of verified provenance files is keyed. */
export const verifiedKey = (repository: string, digest: string) => `${repository}\0${digest}`;

type Skip = 'repository' | 'keyword' | undefined;

function passes(
  chart: IndexedChart,
  request: SearchRequest,
  readable: ReadonlySet<string> | undefined,
  verified: ReadonlySet<string> | undefined,
  skip?: Skip,
): boolean {
  if (readable && !readable.has(chart.repository)) return false;
  if (skip !== 'repository' && request.repository !== undefined && chart.repository !== request.repository)
    return false;
  if (skip !== 'keyword' && request.keyword !== undefined && !chart.keywords.includes(request.keyword))
    return false;
  const shown = shownVersion(chart, request.prerelease);
  if (!shown) return false;
  if (!request.deprecated && shown.version.metadata.deprecated === true) return false;
  if (request.signature === 'signed' && shown.provenance === undefined) return false;
  if (request.signature === 'verified') {
    if (shown.provenance === undefined || !verified?.has(verifiedKey(chart.repository, shown.provenance)))
      return false;
  }
  return true;
}

function facetsOf(
  index: SearchIndex,
  matched: readonly number[],
  accept: (chart: IndexedChart, skip: Skip) => boolean,
): SearchFacets {
  const repositories = new Map<string, number>();
  const keywords = new Map<string, number>();
  for (const id of matched) {
    const chart = index.charts[id] as IndexedChart;
    if (accept(chart, 'repository'))
      repositories.set(chart.repository, (repositories.get(chart.repository) ?? 0) + 1);
    if (accept(chart, 'keyword'))
      for (const keyword of new Set(chart.keywords)) keywords.set(keyword, (keywords.get(keyword) ?? 0) + 1);
  }
  const byCount = <K extends string>(a: [K, number], b: [K, number]) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1);
  return {
    repositories: [...repositories].sort(byCount).map(([repository, count]) => ({ repository, count })),
    keywords: [...keywords]
      .sort(byCount)
      .slice(0, MAX_KEYWORD_FACETS)
      .map(([keyword, count]) => ({ keyword, count })),
  };
}

/** Corrected queries, each a word swapped for a near name or keyword word, that find something. */
function suggest(
  index: SearchIndex,
  words: string[],
  count: (words: string[]) => number,
): SearchSuggestion[] {
  const options = words.map((word) => [{ word, distance: 0 }, ...index.typos.corrections(word, 2)]);
  const found: Array<SearchSuggestion & { distance: number }> = [];
  let attempts = 0;
  const walk = (at: number, chosen: string[], distance: number) => {
    if (attempts >= MAX_ATTEMPTS) return;
    if (at === words.length) {
      if (distance === 0) return;
      attempts++;
      const total = count(chosen);
      if (total > 0) found.push({ text: chosen.join(' '), total, distance });
      return;
    }
    for (const option of options[at] ?? [])
      walk(at + 1, [...chosen, option.word], distance + option.distance);
  };
  walk(0, [], 0);
  found.sort((a, b) => a.distance - b.distance || b.total - a.total);
  return found.slice(0, MAX_SUGGESTIONS).map(({ text, total }) => ({ text, total }));
}

/**
 * A query over the index: the hits in order, the facets, what the deprecated and prerelease
 * filters hid, and corrections when nothing was found. Only charts of `request.readable` count
 * anywhere, facets and suggestions included. `verified` holds the verified provenance files,
 * needed only for `signature: 'verified'`.
 */
export function runQuery(
  index: SearchIndex,
  request: SearchRequest,
  verified?: ReadonlySet<string>,
): QueryOutcome {
  const readable = request.readable && new Set(request.readable);
  const words = searchWords(request.text ?? '').slice(0, MAX_WORDS);
  const sort = request.sort ?? (words.length > 0 ? 'relevance' : 'name');
  const scores = words.length > 0 ? index.text.match(words) : undefined;
  const matched = scores ? [...scores.keys()] : index.byName;
  const accept = (chart: IndexedChart, skip?: Skip, changed?: Partial<SearchRequest>) =>
    passes(chart, changed ? { ...request, ...changed } : request, readable, verified, skip);

  const ids = matched.filter((id) => accept(index.charts[id] as IndexedChart));
  const chartOf = (id: number) => index.charts[id] as IndexedChart;
  if (sort === 'relevance' && scores) {
    const exact = words.join(' ');
    const isExact = (id: number) => (chartOf(id).nameWords === exact ? 1 : 0);
    ids.sort(
      (a, b) =>
        isExact(b) - isExact(a) ||
        (scores.get(b) ?? 0) - (scores.get(a) ?? 0) ||
        compareNames(chartOf(a), chartOf(b)),
    );
  } else if (sort === 'updated') {
    ids.sort((a, b) => {
      const [x, y] = [chartOf(a).row.updated, chartOf(b).row.updated];
      return x > y ? -1 : x < y ? 1 : compareNames(chartOf(a), chartOf(b));
    });
  } else if (scores) {
    ids.sort((a, b) => compareNames(chartOf(a), chartOf(b)));
  }

  const hiddenBy = (changed: Partial<SearchRequest>) =>
    matched.reduce(
      (n, id) => n + (accept(chartOf(id), undefined, changed) && !accept(chartOf(id)) ? 1 : 0),
      0,
    );
  const count = (corrected: string[]) =>
    [...index.text.match(corrected).keys()].reduce((n, id) => n + (accept(chartOf(id)) ? 1 : 0), 0);
  return {
    sort,
    ids,
    facets: facetsOf(index, matched, (chart, skip) => accept(chart, skip)),
    hidden: {
      deprecated: request.deprecated ? 0 : hiddenBy({ deprecated: true }),
      prerelease: request.prerelease ? 0 : hiddenBy({ prerelease: true }),
    },
    suggestions: ids.length === 0 && words.length > 0 ? suggest(index, words, count) : [],
  };
}
