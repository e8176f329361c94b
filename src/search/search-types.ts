import type { ChartSearchPage, ChartSearchQuery } from '../store/metadata-store.js';

export const searchSorts = ['relevance', 'name', 'updated'] as const;
/** relevance: best match first (the default with text); name: A to Z (the default without); updated: newest first */
export type SearchSort = (typeof searchSorts)[number];

/** What a search asks for: the store's query, plus a keyword filter and an order. */
export interface SearchRequest extends ChartSearchQuery {
  /** only charts with this keyword (compared in lowercase) */
  keyword?: string;
  sort?: SearchSort;
}

export interface SearchFacets {
  /** hits per repository, as if no repository were chosen (only repositories the caller may read) */
  repositories: Array<{ repository: string; count: number }>;
  /** the most frequent keywords of the hits, as if no keyword were chosen */
  keywords: Array<{ keyword: string; count: number }>;
}

/** A corrected query that finds something, offered when the query itself finds nothing. */
export interface SearchSuggestion {
  text: string;
  total: number;
}

export interface SearchResults extends ChartSearchPage {
  sort: SearchSort;
  facets: SearchFacets;
  /** how many more charts the same query finds with deprecated=true, or with prerelease=true */
  hidden: { deprecated: number; prerelease: number };
  suggestions: SearchSuggestion[];
}
