import assert from 'node:assert/strict';
import type supertest from 'supertest';
import { type ChartOptions, makeChart } from './make-chart.js';

/** Publishes a generated chart through the HTTP API (under `base`, the context path) and checks the 201. */
export async function publishChart(
  http: ReturnType<typeof supertest>,
  repository: string,
  options: ChartOptions,
  base = '',
): Promise<void> {
  const res = await http
    .post(`${base}/api${repository ? `/${repository}` : ''}/charts`)
    .set('content-type', 'application/octet-stream')
    .send(await makeChart(options));
  assert.equal(res.status, 201, `publishing ${options.name} ${options.version}: ${res.text}`);
}

/**
 * Fails when a page holds anything a browser would run: a script element other than our one
 * deferred file, an event handler attribute, a javascript: URL in an attribute, or an element
 * that can carry script (svg, iframe, object, embed).
 */
export function assertInert(page: string): void {
  const scripts = page.match(/<script\b[^>]*>/gi) ?? [];
  assert.deepEqual(
    scripts.map((s) => /^<script src="[^"]*\/ui\/static\/charthouse\.[0-9a-f]{12}\.js" defer>$/.test(s)),
    [true],
    `unexpected script elements: ${scripts.join(' ')}`,
  );
  assert.doesNotMatch(page, /<[a-z][^>]*\son[a-z]+\s*=/i, 'an element carries an event handler');
  assert.doesNotMatch(
    page,
    /\b(?:href|src|action|formaction)\s*=\s*["']?\s*(?:javascript:|vbscript:|data:text)/i,
  );
  assert.doesNotMatch(page, /<(?:svg|iframe|object|embed|style|base|meta http-equiv)\b/i);
}
