import type { SearchRequest, SearchResults } from '../../search/search-types.js';
import type { ChartSearchHit, RepositorySummary } from '../../store/metadata-store.js';
import { chartIcon, deprecatedBadge } from '../components.js';
import { date, plural } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import { layout } from '../layout.js';
import { chartPath, repositoryLabel, type Site, uiPath } from '../site.js';
import { repoParam, searchFacets, searchHints, searchHref } from './search-hints.js';

/** One chart in the list; the script builds the same markup from /api/search answers. */
export function chartCard(site: Site, hit: ChartSearchHit): SafeHtml {
  const { metadata } = hit.latest;
  return html`<li class="card">
  ${chartIcon(hit.latest.name, metadata.icon)}
  <div class="card-body">
    <h2><a href="${chartPath(site, hit.repository, hit.latest.name)}">${hit.latest.name}</a>${metadata.type === 'library' && html`<span class="badge library">Library</span>`}${deprecatedBadge(metadata.deprecated)}</h2>
    <p class="meta"><span>${repositoryLabel(hit.repository)}</span><span>Version ${hit.latest.version}</span>${
      metadata.appVersion && html`<span>App ${metadata.appVersion}</span>`
    }<span>Updated ${date(hit.updated)}</span></p>
    ${metadata.description && html`<p class="desc">${metadata.description}</p>`}
  </div>
</li>`;
}

function searchForm(site: Site, query: SearchRequest, repositories: RepositorySummary[]): SafeHtml {
  const selected = repoParam(query.repository);
  const options = repositories.map(
    (r) =>
      html`<option value="${repoParam(r.path)}"${selected === repoParam(r.path) && html` selected`}>${repositoryLabel(r.path)}</option>`,
  );
  return html`<form class="search" role="search" action="${uiPath(site, 'charts')}" method="get" data-search>
  <div class="field grow">
    <label for="q">Search charts</label>
    <input id="q" type="search" name="q" value="${query.text ?? ''}" autocomplete="off"
      placeholder="Name, description or keyword" aria-describedby="result-count">
  </div>
  <div class="field">
    <label for="repo">Repository</label>
    <select id="repo" name="repo">
      <option value=""${selected === '' && html` selected`}>All repositories</option>
      ${options}
    </select>
  </div>
  <div class="field">
    <label for="sort">Sort by</label>
    <select id="sort" name="sort">
      <option value=""${!query.sort && html` selected`}>Best match</option>
      <option value="name"${query.sort === 'name' && html` selected`}>Name</option>
      <option value="updated"${query.sort === 'updated' && html` selected`}>Last update</option>
    </select>
  </div>
  ${query.keyword && html`<input type="hidden" name="keyword" value="${query.keyword}">`}
  <div class="checks">
    <label><input type="checkbox" name="prerelease" value="true"${query.prerelease && html` checked`}> Include prereleases</label>
    <label><input type="checkbox" name="deprecated" value="true"${query.deprecated && html` checked`}> Include deprecated</label>
  </div>
  <button type="submit">Search</button>
</form>`;
}

/** The chart list with its search form, filters and pages; complete without the script. */
export function chartsPage(
  site: Site,
  query: SearchRequest,
  page: SearchResults,
  repositories: RepositorySummary[],
): SafeHtml {
  const last = query.offset + page.hits.length;
  const previous = query.offset > 0 && Math.max(0, query.offset - query.limit);
  return layout(
    site,
    { title: query.text ? `Charts matching “${query.text}”` : 'Charts', headerSearch: false },
    html`<h1>Charts</h1>
${searchForm(site, query, repositories)}
<p id="result-count" role="status">${plural(page.total, 'chart')}</p>
${searchHints(site, query, page)}
${searchFacets(site, query, page)}
<ul id="results" class="cards">${page.hits.map((hit) => chartCard(site, hit))}</ul>
<nav id="pager" class="pager" aria-label="Pages">${
      previous !== false &&
      html`<a rel="prev" href="${searchHref(site, query, { offset: previous })}">Previous</a>`
    }${page.total > 0 && html`<span class="muted">${query.offset + 1}–${last} of ${page.total}</span>`}${
      last < page.total &&
      html`<a rel="next" href="${searchHref(site, query, { offset: query.offset + query.limit })}">Next</a>`
    }</nav>`,
  );
}
