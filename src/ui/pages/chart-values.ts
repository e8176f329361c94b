import type { ChartView } from '../../browse.js';
import { copyButton } from '../components.js';
import { byDigest } from '../digest-memo.js';
import { html, raw, type SafeHtml } from '../html.js';
import { chartPath, type Site } from '../site.js';
import { type ValuesLine, valuesAnchor, valuesLines } from '../values-lines.js';
import { type SchemaRow, schemaRows } from '../values-schema.js';
import { highlightYamlLines } from '../yaml-highlight.js';

/**
 * values.yaml with line numbers (CSS counters, so copying takes only the text), one id per key
 * path for deep links (`#values-ingress.tls`), and fold lengths the script turns into toggles.
 */
function valuesViewer(lines: ValuesLine[]): SafeHtml {
  const body = lines.map(
    (line) =>
      html`<span class="line"${line.path !== undefined && html` id="${valuesAnchor(line.path)}" data-path="${line.path}"`}${
        line.fold > 0 && html` data-fold="${line.fold}"`
      }>${raw(line.html)}\n</span>`,
  );
  return html`<pre class="values" tabindex="0" role="group" aria-label="values.yaml"><code id="values-yaml">${body}</code></pre>`;
}

/** The key search: hidden until the script runs (it moves to the key and unfolds its parents). */
function keySearch(): SafeHtml {
  return html`<form class="values-search" data-values-search hidden>
  <label for="values-key">Find a key</label>
  <input id="values-key" type="search" list="values-keys" placeholder="ingress.tls" autocomplete="off" spellcheck="false">
  <datalist id="values-keys"></datalist>
  <button type="submit">Go</button>
  <span class="muted" role="status" id="values-key-status"></span>
</form>`;
}

function compareForm(site: Site, view: ChartView): SafeHtml | undefined {
  const others = view.versions.filter((v) => v.version !== view.version.version).slice(0, 200);
  if (others.length === 0) return undefined;
  return html`<form class="compare" action="${chartPath(site, view.repository, view.name)}" method="get">
  <input type="hidden" name="version" value="${view.version.version}">
  <label for="compare-with">Compare values with</label>
  <select id="compare-with" name="diff">${others.map((v) => html`<option value="${v.version}">${v.version}</option>`)}</select>
  <button type="submit">Compare</button>
</form>`;
}

function schemaTable(rows: SchemaRow[], keys: Set<string>): SafeHtml {
  return html`<h3 id="values-schema">values.schema.json</h3>
<div class="table-scroll" tabindex="0" role="group" aria-label="Values schema"><table class="schema">
  <thead><tr><th scope="col">Key</th><th scope="col">Type</th><th scope="col">Default</th><th scope="col">Description</th></tr></thead>
  <tbody>${rows.map(
    (r) => html`<tr>
      <td><code>${keys.has(r.path) ? html`<a href="#${valuesAnchor(r.path)}">${r.path}</a>` : r.path}</code>${r.required && html` <span class="badge">required</span>`}</td>
      <td>${r.type}</td>
      <td>${r.default !== undefined && html`<code>${r.default}</code>`}</td>
      <td>${r.description ?? ''}${r.constraints.length > 0 && html`<br><span class="muted">${r.constraints.join('; ')}</span>`}</td>
    </tr>`,
  )}</tbody>
</table></div>`;
}

/** The viewer, the key search and the schema table: all from the package, so kept by digest. */
function valuesBody(values: string | undefined, schema: string | undefined): SafeHtml {
  const rows = schema === undefined ? undefined : schemaRows(schema);
  const lines = values ? valuesLines(highlightYamlLines(values.replace(/\n$/, ''))) : [];
  const keys = new Set(lines.flatMap((l) => (l.path ? [l.path] : [])));
  return html`${values ? [keySearch(), valuesViewer(lines)] : html`<p class="muted">This chart has no values.yaml.</p>`}
  ${rows && rows.length > 0 && schemaTable(rows, keys)}
  ${schema !== undefined && rows === undefined && html`<p class="muted">values.schema.json is not a JSON object, so it is not shown.</p>`}`;
}

export function valuesSection(site: Site, view: ChartView, schema: string | undefined): SafeHtml {
  const { values, digest } = view.version;
  return html`<section id="values" aria-labelledby="values-title">
  <div class="section-head"><h2 id="values-title">Default values</h2>${values && copyButton('Copy values.yaml', { from: 'values-yaml' })}</div>
  ${compareForm(site, view)}
  ${byDigest(schema === undefined ? 'values' : 'values+schema', digest, () => valuesBody(values, schema))}
</section>`;
}
