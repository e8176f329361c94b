import type { ChartView } from '../../browse.js';
import { isPrerelease } from '../../charts/versions.js';
import { chartIcon, copyButton, deprecatedBadge } from '../components.js';
import { date } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import { layout } from '../layout.js';
import { renderMarkdown } from '../markdown.js';
import { chartPath, chartsPath, repositoryLabel, type Site, uiPath } from '../site.js';
import { highlightYaml } from '../yaml-highlight.js';
import { dependenciesSection, detailsSection, downloadSection, installSection } from './chart-side.js';

/** How many versions the table and the switcher list before "show all". */
export const VERSIONS_SHOWN = 50;

function versionSwitch(site: Site, view: ChartView, all: boolean): SafeHtml {
  const shown = all ? view.versions : view.versions.slice(0, VERSIONS_SHOWN);
  const current = view.version.version;
  const options = shown.some((v) => v.version === current) ? shown : [...shown, view.version];
  return html`<form class="version-switch" action="${chartPath(site, view.repository, view.name)}" method="get">
  <label for="version">Version</label>
  <select id="version" name="version" data-autosubmit>${options.map(
    (v) =>
      html`<option value="${v.version}"${v.version === current && html` selected`}>${v.version}${v.version === view.latest ? ' (latest)' : ''}</option>`,
  )}</select>
  <button type="submit" data-js-hide>Show</button>
</form>`;
}

function versionsTable(site: Site, view: ChartView, all: boolean): SafeHtml {
  const shown = all ? view.versions : view.versions.slice(0, VERSIONS_SHOWN);
  const rows = shown.map(
    (v) => html`<tr${v.version === view.version.version && html` aria-current="true"`}>
      <td><a href="${chartPath(site, view.repository, view.name, v.version)}">${v.version}</a>${
        isPrerelease(v.version) && html` <span class="badge prerelease">Prerelease</span>`
      }</td>
      <td>${v.metadata.appVersion ?? ''}</td>
      <td>${date(v.created)}</td>
      <td class="digest hide-narrow">sha256:${v.digest}</td>
    </tr>`,
  );
  const more =
    !all &&
    view.versions.length > VERSIONS_SHOWN &&
    html`<p><a href="${chartPath(site, view.repository, view.name, view.version.version)}&amp;versions=all">Show all ${view.versions.length} versions</a></p>`;
  return html`<section aria-labelledby="versions-title">
  <h2 id="versions-title">Versions</h2>
  <div class="table-scroll"><table>
    <thead><tr><th scope="col">Version</th><th scope="col">App version</th><th scope="col">Created</th>
      <th scope="col" class="hide-narrow">Digest</th></tr></thead>
    <tbody>${rows}</tbody>
  </table></div>
  ${more}
</section>`;
}

/** The chart page: README, values, Chart.yaml, dependencies, versions, downloads and install. */
export function chartPage(site: Site, view: ChartView, options: { allVersions: boolean }): SafeHtml {
  const { metadata, readme, values, version } = view.version;
  const prerelease = isPrerelease(version);
  return layout(
    site,
    { title: `${view.name} ${version}` },
    html`<nav class="crumbs" aria-label="Breadcrumb"><a href="${uiPath(site)}">Repositories</a> /
  <a href="${chartsPath(site, view.repository)}">${repositoryLabel(view.repository)}</a> /
  <span aria-current="page">${view.name}</span></nav>
<div class="chart-head">
  ${chartIcon(view.name, metadata.icon, 64)}
  <div>
    <h1>${view.name} <span class="muted">${version}</span></h1>
    ${metadata.description && html`<p>${metadata.description}</p>`}
    <p>${deprecatedBadge(metadata.deprecated)}${prerelease && html` <span class="badge prerelease">Prerelease</span>`}
      ${metadata.appVersion && html`<span class="muted">App version ${metadata.appVersion}</span>`}</p>
  </div>
</div>
${versionSwitch(site, view, options.allVersions)}
<div class="chart-layout">
  <div class="chart-main">
    <section aria-labelledby="readme-title">
      <h2 id="readme-title">README</h2>
      ${readme ? html`<div class="markdown">${renderMarkdown(readme)}</div>` : html`<p class="muted">This chart has no README.</p>`}
    </section>
    <section aria-labelledby="values-title">
      <div class="section-head"><h2 id="values-title">Default values</h2>${values && copyButton('Copy values.yaml', { from: 'values-yaml' })}</div>
      ${values ? html`<pre class="values" tabindex="0"><code id="values-yaml">${highlightYaml(values)}</code></pre>` : html`<p class="muted">This chart has no values.yaml.</p>`}
    </section>
    ${versionsTable(site, view, options.allVersions)}
  </div>
  <aside class="chart-side" aria-label="Install and details">
    ${installSection(site, view)}
    ${downloadSection(site, view)}
    ${detailsSection(view)}
    ${dependenciesSection(site, view)}
  </aside>
</div>`,
  );
}
