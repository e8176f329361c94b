import type { ChartView } from '../../browse.js';
import { isPrerelease } from '../../charts/versions.js';
import type { VersionRecord } from '../../store/metadata-store.js';
import { artifactHubInfo } from '../artifacthub-annotations.js';
import { copyButton } from '../components.js';
import { html, type SafeHtml, safeUrl } from '../html.js';
import { timeAgo } from '../relative-time.js';
import { chartPath, type Site } from '../site.js';

/** Versions per page of the versions table (and of the changelog beside it). */
export const VERSIONS_PER_PAGE = 25;

/** The versions on page `page` (1-based, clamped to the pages there are). */
export function versionsPage(view: ChartView, page: number) {
  const pages = Math.max(1, Math.ceil(view.versions.length / VERSIONS_PER_PAGE));
  const current = Math.min(Math.max(1, Math.trunc(page) || 1), pages);
  const start = (current - 1) * VERSIONS_PER_PAGE;
  return { page: current, pages, shown: view.versions.slice(start, start + VERSIONS_PER_PAGE) };
}

/** The page of the versions table that holds the shown version. */
export function pageOfShownVersion(view: ChartView): number {
  const index = view.versions.findIndex((v) => v.version === view.version.version);
  return index < 0 ? 1 : Math.floor(index / VERSIONS_PER_PAGE) + 1;
}

/**
 * Picks a version and moves only on the button (or Enter in the form): arrow keys in the select
 * change the choice, never the page. Lists the versions of the current versions page.
 */
export function versionSwitch(site: Site, view: ChartView, shown: VersionRecord[]): SafeHtml {
  const current = view.version.version;
  const options = shown.some((v) => v.version === current) ? shown : [view.version, ...shown];
  return html`<form class="version-switch" action="${chartPath(site, view.repository, view.name)}" method="get">
  <label for="version">Version</label>
  <select id="version" name="version">${options.map(
    (v) =>
      html`<option value="${v.version}"${v.version === current && html` selected`}>${v.version}${v.version === view.latest ? ' (latest)' : ''}</option>`,
  )}</select>
  <button type="submit">Show</button>
</form>`;
}

const pageHref = (site: Site, view: ChartView, page: number) =>
  `${chartPath(site, view.repository, view.name, view.version.version)}&vpage=${page}#versions`;

function pager(site: Site, view: ChartView, page: number, pages: number): SafeHtml | undefined {
  if (pages <= 1) return undefined;
  return html`<nav class="pager" aria-label="Version pages">${
    page > 1 && html`<a rel="prev" href="${pageHref(site, view, page - 1)}">Newer</a>`
  }<span class="muted">Page ${page} of ${pages} (${view.versions.length} versions)</span>${
    page < pages && html`<a rel="next" href="${pageHref(site, view, page + 1)}">Older</a>`
  }</nav>`;
}

export function versionsSection(site: Site, view: ChartView, page: number): SafeHtml {
  const { shown, pages } = versionsPage(view, page);
  const now = Date.now();
  const rows = shown.map(
    (v) => html`<tr${v.version === view.version.version && html` aria-current="true"`}>
      <td><a href="${chartPath(site, view.repository, view.name, v.version)}">${v.version}</a>${
        isPrerelease(v.version) && html` <span class="badge prerelease">Prerelease</span>`
      }${v.metadata.deprecated && html` <span class="badge deprecated">Deprecated</span>`}</td>
      <td>${v.metadata.appVersion ?? ''}</td>
      <td>${timeAgo(v.created, now)}</td>
      <td class="digest-cell"><code class="digest" title="sha256:${v.digest}">${v.digest.slice(0, 12)}</code>${copyButton(`Copy the digest of ${v.version}`, { text: `sha256:${v.digest}` })}</td>
    </tr>`,
  );
  return html`<section id="versions" aria-labelledby="versions-title">
  <h2 id="versions-title">Versions</h2>
  <div class="table-scroll" tabindex="0" role="group" aria-label="Versions"><table>
    <thead><tr><th scope="col">Version</th><th scope="col">App version</th><th scope="col">Created</th>
      <th scope="col">Digest</th></tr></thead>
    <tbody>${rows}</tbody>
  </table></div>
  ${pager(site, view, Math.min(page, pages), pages)}
</section>`;
}

/** artifacthub.io/changes of the versions on this page, newest first; undefined when none has any. */
export function changelogSection(site: Site, view: ChartView, page: number): SafeHtml | undefined {
  const entries = versionsPage(view, page).shown.flatMap((v) => {
    const { changes } = artifactHubInfo(v.metadata.annotations);
    return changes.length > 0 ? [{ v, changes }] : [];
  });
  if (entries.length === 0) return undefined;
  return html`<section id="changelog" aria-labelledby="changelog-title">
  <h2 id="changelog-title">Changelog</h2>
  ${entries.map(
    ({
      v,
      changes,
    }) => html`<h3 class="changelog-version"><a href="${chartPath(site, view.repository, view.name, v.version)}">${v.version}</a> <span class="muted">${timeAgo(v.created)}</span></h3>
  <ul class="changes">${changes.map(
    (c) =>
      html`<li>${c.kind && html`<span class="badge change-${c.kind.toLowerCase().replace(/[^a-z]/g, '')}">${c.kind}</span> `}${c.description}${c.links.map(
        (l) => {
          const href = safeUrl(l.url);
          return href
            ? html` <a href="${href}" rel="nofollow noopener noreferrer">${l.name}</a>`
            : html` ${l.name}`;
        },
      )}</li>`,
  )}</ul>`,
  )}
</section>`;
}
