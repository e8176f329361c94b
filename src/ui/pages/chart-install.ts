import type { ChartView } from '../../browse.js';
import { commandBlock } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { helmRepoName, ociReference, plainHttpFlag, repositoryUrl, type Site } from '../site.js';

export const isLibrary = (view: ChartView): boolean => view.version.metadata.type === 'library';

/** A library chart cannot be installed: it is used as a dependency, from either protocol. */
function librarySnippets(site: Site, view: ChartView): SafeHtml {
  const { version } = view.version;
  const entry = (repository: string) =>
    `dependencies:\n  - name: ${view.name}\n    version: ${version}\n    repository: ${repository}`;
  const oci = ociReference(site, view.repository, view.name);
  return html`<p>A library chart is not installed on its own: add it to your chart's <code>Chart.yaml</code>, then run <code>helm dependency update</code>.</p>
  ${commandBlock('Chart.yaml, from the Helm repository', entry(repositoryUrl(site, view.repository)))}
  ${commandBlock('Chart.yaml, from the OCI registry', entry(oci.slice(0, oci.lastIndexOf('/'))))}
  ${site.plainHttp && html`<p class="muted">This registry speaks plain HTTP: pass <code>--plain-http</code> to <code>helm dependency update</code>.</p>`}`;
}

/** Both ways to install the shown version, with copy buttons; a deprecated chart says so here too. */
export function installSection(site: Site, view: ChartView): SafeHtml {
  const repoName = helmRepoName(view.repository);
  const { version, metadata } = view.version;
  const release = `my-${view.name}`.toLowerCase().slice(0, 53);
  const classic = `helm repo add ${repoName} ${repositoryUrl(site, view.repository)}
helm install ${release} ${repoName}/${view.name} --version ${version}`;
  const oci = `helm install ${release} ${ociReference(site, view.repository, view.name)} --version ${version}${plainHttpFlag(site)}`;
  const library = isLibrary(view);
  return html`<section aria-labelledby="install-title" class="install${metadata.deprecated ? ' deprecated' : ''}">
  <h2 id="install-title">${library ? 'Use as a dependency' : 'Install'}</h2>
  ${metadata.deprecated && html`<p class="warning" role="note"><strong>Deprecated:</strong> this chart is no longer maintained. Prefer another chart for new installs.</p>`}
  ${library ? librarySnippets(site, view) : [commandBlock('Helm repository', classic), commandBlock('OCI registry', oci)]}
</section>`;
}
