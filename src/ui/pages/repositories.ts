import type { RepositorySummary } from '../../store/metadata-store.js';
import { commandBlock } from '../components.js';
import { plural } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import { layout } from '../layout.js';
import { timeAgo } from '../relative-time.js';
import {
  chartsPath,
  helmRepoName,
  repositoryLabel,
  repositoryPath,
  repositoryUrl,
  type Site,
} from '../site.js';

/** The start page: every repository, with its counts and the command that adds it to Helm. */
export function repositoriesPage(site: Site, repositories: RepositorySummary[]): SafeHtml {
  const rows = repositories.map(
    (r) => html`<tr>
      <th scope="row"><a href="${repositoryPath(site, r.path)}">${repositoryLabel(r.path)}</a></th>
      <td>${r.charts}</td>
      <td>${r.versions}</td>
      <td>${timeAgo(r.updated)}</td>
      <td class="hide-narrow"><code>${repositoryUrl(site, r.path)}</code></td>
    </tr>`,
  );
  const first = repositories.find((r) => r.charts > 0) ?? repositories[0];
  return layout(
    site,
    { title: 'Repositories' },
    html`<h1>Repositories</h1>
<p class="muted">${plural(repositories.length, 'repository', 'repositories')} on this server.
  <a href="${chartsPath(site)}">Browse all charts</a></p>
<div class="table-scroll">
<table>
  <caption class="visually-hidden">Repositories with their chart and version counts</caption>
  <thead><tr><th scope="col">Repository</th><th scope="col">Charts</th><th scope="col">Versions</th>
    <th scope="col">Updated</th><th scope="col" class="hide-narrow">Helm repository URL</th></tr></thead>
  <tbody>${rows}</tbody>
</table>
</div>
${
  first &&
  html`<h2>Use it with Helm</h2>
${commandBlock('Add a repository', `helm repo add ${helmRepoName(first.path)} ${repositoryUrl(site, first.path)}`)}`
}`,
  );
}
