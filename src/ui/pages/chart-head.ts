import type { ChartView } from '../../browse.js';
import { isPrerelease } from '../../charts/versions.js';
import { chartIcon } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { chartsPath, repositoryLabel, repositoryPath, type Site, uiPath } from '../site.js';

export function chartCrumbs(site: Site, view: ChartView): SafeHtml {
  return html`<nav class="crumbs" aria-label="Breadcrumb"><a href="${uiPath(site)}">Repositories</a> /
  <a href="${repositoryPath(site, view.repository)}">${repositoryLabel(view.repository)}</a> /
  <a href="${chartsPath(site, view.repository)}">charts</a> /
  <span aria-current="page">${view.name}</span></nav>`;
}

/** Signed by whom, as verified on upload (or by the last `check --signatures`). */
function signedBadge(view: ChartView): SafeHtml | undefined {
  const signature = view.signature;
  if (!signature) return view.provenance && html`<span class="badge unverified">Signed, not verified</span>`;
  if (!signature.verified) return html`<span class="badge unverified">Signed, not verified</span>`;
  return html`<span class="badge signed" title="key ${signature.fingerprint ?? ''}">Signed by ${signature.signer ?? 'a trusted key'}</span>`;
}

export function chartHeading(view: ChartView): SafeHtml {
  const { metadata, version } = view.version;
  return html`<div class="chart-head">
  ${chartIcon(view.name, metadata.icon, 64)}
  <div>
    <h1>${view.name} <span class="muted">${version}</span></h1>
    ${metadata.description && html`<p>${metadata.description}</p>`}
    <p class="badges">${metadata.type === 'library' && html`<span class="badge library">Library</span>`}${
      metadata.deprecated && html`<span class="badge deprecated">Deprecated</span>`
    }${isPrerelease(version) && html`<span class="badge prerelease">Prerelease</span>`}${signedBadge(view)}${
      metadata.appVersion && html`<span class="muted">App version ${metadata.appVersion}</span>`
    }</p>
  </div>
</div>
${
  metadata.deprecated &&
  html`<div class="banner deprecated" role="note"><strong>This chart is deprecated.</strong> Its maintainers no longer support it; it stays here for existing installs.</div>`
}`;
}

/** Links to each section, sticky at the top of the window while reading. */
export function sectionNav(sections: { id: string; label: string }[]): SafeHtml {
  return html`<nav class="chart-nav" aria-label="Chart sections"><ul>${sections.map(
    (s) => html`<li><a href="#${s.id}">${s.label}</a></li>`,
  )}</ul></nav>`;
}
