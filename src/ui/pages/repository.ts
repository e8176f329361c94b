import type { RepositorySummary } from '../../store/metadata-store.js';
import { commandBlock } from '../components.js';
import { plural } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import { layout } from '../layout.js';
import { timeAgo } from '../relative-time.js';
import {
  chartPath,
  chartsPath,
  helmRepoName,
  plainHttpFlag,
  repositoryLabel,
  repositoryUrl,
  type Site,
  uiPath,
} from '../site.js';

export interface RepositoryPageOptions {
  /** the first chart names, for the list and the example pull */
  names: string[];
  /** readable without signing in */
  isPublic: boolean;
  /** access control is in force: a private repository needs credentials on the command line */
  enforcing: boolean;
}

/** One repository: how to use it from Helm (both protocols), its visibility and its charts. */
export function repositoryPage(
  site: Site,
  repo: RepositorySummary,
  options: RepositoryPageOptions,
): SafeHtml {
  const name = helmRepoName(repo.path);
  const url = repositoryUrl(site, repo.path);
  const credentials = !options.isPublic;
  const add = `helm repo add ${name} ${url}${credentials ? ' --username <user> --password-stdin' : ''}`;
  const example = options.names[0] ?? '<chart>';
  const oci = `oci://${site.host}${repo.path ? `/${repo.path}` : ''}/${example}`;
  const login = `helm registry login ${site.host}${site.plainHttp ? ' --insecure' : ''} --username <user> --password-stdin`;
  const pull = `helm pull ${oci}${plainHttpFlag(site)}`;
  return layout(
    site,
    { title: `Repository ${repositoryLabel(repo.path)}` },
    html`<nav class="crumbs" aria-label="Breadcrumb"><a href="${uiPath(site)}">Repositories</a> / <span aria-current="page">${repositoryLabel(repo.path)}</span></nav>
<h1>Repository ${repositoryLabel(repo.path)}</h1>
<p class="badges">${
      options.isPublic
        ? html`<span class="badge public">Public</span> <span class="muted">anyone may read it</span>`
        : html`<span class="badge private">Private</span> <span class="muted">members only</span>`
    }</p>
<dl class="details">
  <dt>Charts</dt><dd>${repo.charts}</dd>
  <dt>Versions</dt><dd>${repo.versions}</dd>
  <dt>Updated</dt><dd>${timeAgo(repo.updated)}</dd>
</dl>
<h2>Use it with Helm</h2>
${commandBlock('Add the Helm repository', add)}
${(credentials || options.enforcing) && commandBlock('Log in to the OCI registry', login)}
${commandBlock('Pull a chart over OCI', pull)}
<h2>Charts</h2>
${
  options.names.length > 0
    ? html`<ul class="chart-names">${options.names.map((n) => html`<li><a href="${chartPath(site, repo.path, n)}">${n}</a></li>`)}</ul>`
    : html`<p class="muted">No charts yet.</p>`
}
<p><a href="${chartsPath(site, repo.path)}">Search the ${plural(repo.charts, 'chart')} of this repository</a></p>`,
  );
}
