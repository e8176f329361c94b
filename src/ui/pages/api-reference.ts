import { type HtmlValue, html, type SafeHtml } from '../html.js';
import { layout } from '../layout.js';
import type { Site } from '../site.js';

/** The parts of an OpenAPI 3.1 document the reference page shows. */
interface Operation {
  summary?: string;
  tags?: string[];
  parameters?: Array<{ name: string; in: string; description?: string; required?: boolean }>;
  requestBody?: { content?: Record<string, unknown> };
  responses?: Record<string, { description?: string; content?: Record<string, unknown> }>;
}
export interface OpenApiView {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, unknown>>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function operationView(
  method: string,
  path: string,
  op: Operation,
  shared: Operation['parameters'],
): SafeHtml {
  const parameters = [...(shared ?? []), ...(op.parameters ?? [])];
  const body = Object.keys(op.requestBody?.content ?? {});
  return html`<article class="api-operation">
  <h3><code>${method.toUpperCase()} ${path}</code></h3>
  ${op.summary ? html`<p>${op.summary}</p>` : ''}
  ${
    parameters.length > 0
      ? html`<dl class="api-parameters">${parameters.map(
          (p) => html`<dt><code>${p.name}</code> (${p.in}${p.required ? ', required' : ''})</dt>
      <dd>${p.description ?? ''}</dd>`,
        )}</dl>`
      : ''
  }
  ${body.length > 0 ? html`<p>Body: ${body.map((type, i) => html`${i > 0 ? ', ' : ''}<code>${type}</code>`)}</p>` : ''}
  <ul class="api-responses">${Object.entries(op.responses ?? {}).map(
    ([status, response]) =>
      html`<li><code>${status}</code> ${response.description ?? ''}${Object.keys(response.content ?? {}).map(
        (type) => html` <code>${type}</code>`,
      )}</li>`,
  )}</ul>
</article>`;
}

/**
 * The API reference, rendered on the server from the OpenAPI document (no script, no inline
 * style: the page keeps the UI's Content-Security-Policy), grouped by tag in document order.
 */
export function apiReferencePage(site: Site, document: OpenApiView, documentUrl: string): SafeHtml {
  const byTag = new Map<string, HtmlValue[]>();
  for (const [path, item] of Object.entries(document.paths)) {
    const shared = item.parameters as Operation['parameters'];
    for (const method of METHODS) {
      const op = item[method] as Operation | undefined;
      if (!op) continue;
      const tag = op.tags?.[0] ?? 'other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), operationView(method, path, op, shared)]);
    }
  }
  const content = html`<h1>API reference</h1>
<p>${document.info.description ?? ''} Version ${document.info.version}. The machine-readable document:
<a href="${documentUrl}"><code>${documentUrl}</code></a> (OpenAPI 3.1).</p>
<nav aria-label="Sections"><ul>${[...byTag.keys()].map((tag) => html`<li><a href="#tag-${tag.replace(/\W+/g, '-')}">${tag}</a></li>`)}</ul></nav>
${[...byTag.entries()].map(
  ([tag, operations]) => html`<section id="tag-${tag.replace(/\W+/g, '-')}">
<h2>${tag}</h2>
${operations}
</section>`,
)}`;
  return layout(site, { title: 'API reference' }, content);
}
