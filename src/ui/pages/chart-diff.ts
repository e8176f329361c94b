import type { ChartView } from '../../browse.js';
import type { VersionDetails } from '../../store/metadata-store.js';
import { html, type SafeHtml } from '../html.js';
import { layout } from '../layout.js';
import { chartPath, type Site } from '../site.js';
import { type DiffLine, diffLines, hunks } from '../text-diff.js';
import { chartCrumbs } from './chart-head.js';

function row(line: DiffLine | null): SafeHtml {
  if (line === null) return html`<tr class="gap"><td colspan="3">…</td></tr>`;
  const sign = line.kind === 'add' ? '+' : line.kind === 'del' ? '−' : ' ';
  const label = line.kind === 'add' ? 'added' : line.kind === 'del' ? 'removed' : undefined;
  return html`<tr class="${line.kind}"><td class="num">${line.old ?? ''}</td><td class="num">${line.new ?? ''}</td><td><span aria-hidden="true">${sign}</span>${label && html`<span class="visually-hidden">${label}: </span>`}<code>${line.text}</code></td></tr>`;
}

/** values.yaml of two versions side by side in one unified diff, changes with three lines of context. */
export function valuesDiffPage(site: Site, view: ChartView, other: VersionDetails): SafeHtml {
  const from = other;
  const to = view.version;
  const lines = diffLines(from.values ?? '', to.values ?? '');
  const changed = lines?.filter((l) => l.kind !== 'same').length ?? 0;
  const options = (selected: string) =>
    view.versions
      .slice(0, 500)
      .map(
        (v) =>
          html`<option value="${v.version}"${v.version === selected && html` selected`}>${v.version}</option>`,
      );
  const body =
    lines === undefined
      ? html`<p>These values files are too large to compare here.</p>`
      : changed === 0
        ? html`<p>The default values of ${from.version} and ${to.version} are the same.</p>`
        : html`<p class="muted">${lines.filter((l) => l.kind === 'del').length} lines removed, ${lines.filter((l) => l.kind === 'add').length} added.</p>
<div class="table-scroll" tabindex="0" role="group" aria-label="Differences"><table class="diff">
  <thead><tr><th scope="col">${from.version}</th><th scope="col">${to.version}</th><th scope="col">Line</th></tr></thead>
  <tbody>${hunks(lines).map(row)}</tbody>
</table></div>`;
  return layout(
    site,
    { title: `Values of ${view.name}: ${from.version} → ${to.version}` },
    html`${chartCrumbs(site, view)}
<h1>Values of ${view.name}: ${from.version} → ${to.version}</h1>
<form class="compare" action="${chartPath(site, view.repository, view.name)}" method="get">
  <label for="diff-from">From</label><select id="diff-from" name="diff">${options(from.version)}</select>
  <label for="diff-to">To</label><select id="diff-to" name="version">${options(to.version)}</select>
  <button type="submit">Compare</button>
</form>
<p><a href="${chartPath(site, view.repository, view.name, to.version)}#values">Back to ${view.name} ${to.version}</a></p>
${body}`,
  );
}
