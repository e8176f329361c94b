import type { ChartView } from '../../browse.js';
import type { PackageFiles } from '../../charts/package-files.js';
import { highlightCode, languageOfFile } from '../code-highlight.js';
import { size } from '../format.js';
import { html, raw, type SafeHtml } from '../html.js';
import { layout } from '../layout.js';
import { chartPath, type Site } from '../site.js';
import { chartCrumbs } from './chart-head.js';

export const fileHref = (site: Site, view: ChartView, path: string) =>
  `${chartPath(site, view.repository, view.name, view.version.version)}&file=${encodeURIComponent(path)}`;

/** The files of the package, templates first, each a link to its viewer. */
export function templatesSection(site: Site, view: ChartView, files: PackageFiles | undefined): SafeHtml {
  const list = files?.files ?? [];
  const rank = (path: string) => (path.startsWith('templates/') ? 0 : path.startsWith('charts/') ? 2 : 1);
  const sorted = [...list].sort((a, b) => rank(a.path) - rank(b.path) || a.path.localeCompare(b.path));
  return html`<section id="templates" aria-labelledby="templates-title">
  <h2 id="templates-title">Templates and files</h2>
  ${
    files === undefined
      ? html`<p class="muted">The package cannot be read right now.</p>`
      : html`<ul class="files">${sorted.map(
          (f) =>
            html`<li>${files.texts.has(f.path) ? html`<a href="${fileHref(site, view, f.path)}">${f.path}</a>` : html`<span>${f.path}</span>`} <span class="muted">${size(f.size)}</span></li>`,
        )}</ul>${files.truncated && html`<p class="muted">Only the first ${list.length} files are listed.</p>`}`
  }
</section>`;
}

/** One file of the package, highlighted, on its own page. */
export function chartFilePage(
  site: Site,
  view: ChartView,
  path: string,
  files: PackageFiles | undefined,
): SafeHtml {
  const text = files?.texts.get(path);
  const listed = files?.files.find((f) => f.path === path);
  const body =
    text !== undefined
      ? html`<pre class="file" tabindex="0" role="group" aria-label="${path}"><code class="hljs">${raw(highlightCode(text, languageOfFile(path)))}</code></pre>`
      : html`<p>${listed ? 'This file is binary or too large to show here; download the package to read it.' : 'The package holds no file at this path.'}</p>`;
  return layout(
    site,
    { title: `${path} · ${view.name} ${view.version.version}` },
    html`${chartCrumbs(site, view)}
<h1><span class="muted">${view.name} ${view.version.version} /</span> ${path}</h1>
<p><a href="${chartPath(site, view.repository, view.name, view.version.version)}#templates">Back to the chart's files</a></p>
${body}`,
  );
}
