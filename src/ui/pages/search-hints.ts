import type { SearchRequest, SearchResults } from '../../search/search-types.js';
import { plural } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import { repositoryLabel, type Site, uiPath } from '../site.js';

/** The `repo` parameter for a query: empty for every repository, `/` for the root one. */
export const repoParam = (repository: string | undefined) =>
  repository === undefined ? '' : repository || '/';

/** The chart list's query string for `query` with some parameters changed; offset 0 is left out. */
export function searchHref(site: Site, query: SearchRequest, changed: Partial<SearchRequest> = {}): string {
  const next = { ...query, offset: 0, ...changed };
  const params = new URLSearchParams();
  if (next.text) params.set('q', next.text);
  if (next.repository !== undefined) params.set('repo', repoParam(next.repository));
  if (next.keyword) params.set('keyword', next.keyword);
  if (next.sort) params.set('sort', next.sort);
  if (next.prerelease) params.set('prerelease', 'true');
  if (next.deprecated) params.set('deprecated', 'true');
  if (next.offset > 0) params.set('offset', String(next.offset));
  const text = params.toString();
  return `${uiPath(site, 'charts')}${text ? `?${text}` : ''}`;
}

/**
 * "Did you mean" and what the filters hid, each one link away. The script rebuilds the same
 * markup from /api/search answers (script.ts, renderHints).
 */
export function searchHints(site: Site, query: SearchRequest, results: SearchResults): SafeHtml {
  const [first, ...others] = results.suggestions;
  const { deprecated, prerelease } = results.hidden;
  return html`<div id="search-hints" class="search-hints" aria-live="polite">${
    first &&
    html`<p class="did-you-mean">Did you mean ${[first, ...others].map(
      (s, i) =>
        html`${i > 0 && ' or '}<a href="${searchHref(site, query, { text: s.text })}">${s.text}</a> (${plural(s.total, 'chart')})`,
    )}?</p>`
  }${
    deprecated > 0 &&
    html`<p class="hint-hidden">${plural(deprecated, 'deprecated chart')} also ${deprecated === 1 ? 'matches' : 'match'}. <a href="${searchHref(site, query, { deprecated: true })}">Show deprecated charts</a></p>`
  }${
    prerelease > 0 &&
    html`<p class="hint-hidden">${plural(prerelease, 'chart')} with prereleases only also ${prerelease === 1 ? 'matches' : 'match'}. <a href="${searchHref(site, query, { prerelease: true })}">Include prereleases</a></p>`
  }</div>`;
}

/** Hits per repository and keyword, each a link that narrows the search (or widens it back). */
export function searchFacets(site: Site, query: SearchRequest, results: SearchResults): SafeHtml {
  const { repositories, keywords } = results.facets;
  const repoLinks = repositories.map(
    (f) =>
      html`<li><a href="${searchHref(site, query, { repository: f.repository })}"${query.repository === f.repository && html` aria-current="true"`}>${repositoryLabel(f.repository)}</a> <span class="muted">${f.count}</span></li>`,
  );
  const keywordLinks = keywords.map(
    (f) =>
      html`<li><a href="${searchHref(site, query, query.keyword === f.keyword ? { keyword: '' } : { keyword: f.keyword })}"${query.keyword === f.keyword && html` aria-current="true"`}>${f.keyword}</a> <span class="muted">${f.count}</span></li>`,
  );
  return html`<nav id="facets" class="facets" aria-label="Narrow the search">${
    repoLinks.length > 0 && html`<div><h2>Repositories</h2><ul>${repoLinks}</ul></div>`
  }${keywordLinks.length > 0 && html`<div><h2>Keywords</h2><ul>${keywordLinks}</ul></div>`}</nav>`;
}
