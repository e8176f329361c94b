import type { ChartView } from '../../browse.js';
import { chartFilename, provFilename } from '../../charts/filename.js';
import type { Maintainer } from '../../charts/metadata.js';
import type { ProvenanceView } from '../../trust/provenance-view.js';
import { ARTIFACT_HUB_KEYS, artifactHubInfo } from '../artifacthub-annotations.js';
import { date, size } from '../format.js';
import { type HtmlValue, html, type SafeHtml, safeUrl } from '../html.js';
import { packagePath, type Site } from '../site.js';

/** A URL from Chart.yaml: a link when it is http(s), plain text otherwise. */
function link(url: string | undefined, text = url): SafeHtml | string | undefined {
  const href = safeUrl(url);
  return href ? html`<a href="${href}" rel="nofollow noopener noreferrer">${text}</a>` : text;
}

function maintainer(m: Maintainer): SafeHtml {
  const name = m.name ?? m.email ?? m.url ?? 'unnamed';
  const email = m.email && /^[^\s@<>"]+@[^\s@<>"]+$/.test(m.email) ? m.email : undefined;
  return html`<li>${m.url ? link(m.url, name) : name}${email && html` &lt;<a href="mailto:${email}">${email}</a>&gt;`}</li>`;
}

const list = (items: HtmlValue[] | undefined) =>
  items && items.length > 0 ? html`<ul>${items.map((item) => html`<li>${item}</li>`)}</ul>` : undefined;

function row(term: string, value: HtmlValue): SafeHtml | undefined {
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return undefined;
  return html`<dt>${term}</dt><dd>${value}</dd>`;
}

export function downloadSection(site: Site, view: ChartView): SafeHtml {
  const { name, version, size: bytes } = view.version;
  const prov = view.provenance;
  return html`<section aria-labelledby="download-title">
  <h2 id="download-title">Download</h2>
  <ul>
    <li><a href="${packagePath(site, view.repository, chartFilename(name, version))}" download>${chartFilename(name, version)}</a> <span class="muted">${size(bytes)}</span></li>
    ${prov && html`<li><a href="${packagePath(site, view.repository, provFilename(name, version))}" download>${provFilename(name, version)}</a> <span class="muted">provenance</span></li>`}
  </ul>
  ${view.signature && signatureNote(view.signature)}
</section>`;
}

/** Who signed the version, as the server verified it on upload (or last `check --signatures`). */
function signatureNote(signature: ProvenanceView): SafeHtml {
  if (!signature.verified) {
    return html`<p class="signature" data-verified="false">Signed, but not verified with this repository's keys.</p>`;
  }
  return html`<p class="signature" data-verified="true">Signature verified: signed by ${signature.signer ?? ''}<br>
  <span class="muted">key</span> <span class="digest">${signature.fingerprint ?? ''}</span>${signature.verifiedAt && html`<br><span class="muted">verified ${date(signature.verifiedAt)}</span>`}</p>`;
}

export function detailsSection(view: ChartView): SafeHtml {
  const m = view.version.metadata;
  const annotations = Object.entries(m.annotations ?? {})
    .filter(([k]) => !ARTIFACT_HUB_KEYS.has(k))
    .map(([k, v]) => html`<code>${k}</code>: ${v}`);
  const hub = artifactHubInfo(m.annotations);
  return html`<section aria-labelledby="details-title">
  <h2 id="details-title">Chart.yaml</h2>
  <dl class="details">
    ${row('Version', m.version)}${row('App version', m.appVersion)}${row('API version', m.apiVersion)}
    ${row('Type', m.type ?? 'application')}${row('Kubernetes', m.kubeVersion)}${row('Home', link(m.home))}
    ${row('Sources', list(m.sources?.map((s) => link(s))))}
    ${row('Maintainers', m.maintainers?.length ? html`<ul>${m.maintainers.map(maintainer)}</ul>` : undefined)}
    ${row('Keywords', m.keywords?.join(', '))}
    ${row('License', hub.license)}
    ${row('Links', list(hub.links.map((l) => link(l.url, l.name))))}
    ${row('Images', list(hub.images.map((i) => html`<code class="digest">${i.image}</code>${i.name && html` <span class="muted">${i.name}</span>`}`)))}
    ${row('Signing key', hub.signKey && html`${hub.signKey.fingerprint && html`<span class="digest">${hub.signKey.fingerprint}</span>`}${hub.signKey.url && html` ${link(hub.signKey.url, 'key')}`}`)}
    ${row('Security', hub.containsSecurityUpdates ? 'This version contains security updates' : undefined)}
    ${row('Annotations', list(annotations))}
    ${row('Created', date(view.version.created))}
    ${row('Digest', html`<span class="digest">sha256:${view.version.digest}</span>`)}
  </dl>
</section>`;
}
