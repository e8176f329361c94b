import type { ChartView, DependencyView } from '../../browse.js';
import { html, type SafeHtml } from '../html.js';
import { chartPath, repositoryLabel, type Site } from '../site.js';

function node(site: Site, d: DependencyView): SafeHtml {
  const name = d.local
    ? html`<a href="${chartPath(site, d.local.repository, d.local.name, d.resolved)}">${d.name}</a>`
    : html`<strong>${d.name}</strong>`;
  const resolved = d.local
    ? d.resolved
      ? html` <span class="resolved">resolves to ${d.resolved} here</span>`
      : html` <span class="badge deprecated">no version here matches</span>`
    : undefined;
  return html`<li>${name}${d.alias && html` <span class="muted">as ${d.alias}</span>`} <code>${d.version ?? '*'}</code>${resolved}
    ${d.repository && html`<br><span class="muted digest">${d.repository}</span>`}
    ${d.dependencies && d.dependencies.length > 0 && html`<ul>${d.dependencies.map((c) => node(site, c))}</ul>`}</li>`;
}

/** The version's dependency tree (ranges resolved against this server) and the charts using this one. */
export function dependenciesSection(site: Site, view: ChartView): SafeHtml {
  return html`<section id="dependencies" aria-labelledby="dependencies-title">
  <h2 id="dependencies-title">Dependencies</h2>
  ${
    view.dependencies.length > 0
      ? html`<ul class="tree">${view.dependencies.map((d) => node(site, d))}</ul>`
      : html`<p class="muted">${view.name} ${view.version.version} has no dependencies.</p>`
  }
  <h3 id="used-by">Used by</h3>
  ${
    view.usedBy.length > 0
      ? html`<ul>${view.usedBy.map(
          (u) =>
            html`<li><a href="${chartPath(site, u.repository, u.name, u.version)}">${u.name} ${u.version}</a> <span class="muted">in ${repositoryLabel(u.repository)}</span>, asks for <code>${u.range ?? '*'}</code></li>`,
        )}</ul>`
      : html`<p class="muted">No chart on this server depends on ${view.name}.</p>`
  }
</section>`;
}
