import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { buildTestApp } from '../support/build-app.js';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * `METHOD /path` for every route the README's API tables list: each code span of a row's first
 * cell that starts with methods. HEAD mirrors GET (the document lists GETs); the web UI's pages
 * are for people and stay out of the document; `<…>` parameters and the query are left out.
 */
function readmeRoutes(readme: string): Set<string> {
  const routes = new Set<string>();
  for (const line of readme.split('\n')) {
    const cell = /^\| (`[A-Z].*?) \|/.exec(line)?.[1];
    if (!cell) continue;
    for (const [, span] of cell.replaceAll('\\|', '|').matchAll(/`([^`]+)`/g)) {
      // the path may hold spaces (`<tag or digest>`): only the first one ends the methods
      const [, methods = '', path = ''] = /^(\S+) (.*)$/.exec(span ?? '') ?? [];
      if (!methods.split('|').every((m) => METHODS.includes(m))) continue;
      if (path === '/' || path.startsWith('/ui/')) continue;
      const normal = normalise(path.split('?')[0] ?? '');
      for (const method of methods.split('|')) if (method !== 'HEAD') routes.add(`${method} ${normal}`);
    }
  }
  return routes;
}

/** Parameters as `{}` whatever their name; a package file name is one parameter. */
function normalise(path: string): string {
  return path
    .replace(/<[^>]+>-<[^>]+>\.tgz(?:\.prov)?$/, '{}')
    .replace(/<[^>]+>/g, '{}')
    .replace(/\{[^}]+\}/g, '{}');
}

test("the README's API tables and the OpenAPI document list the same routes", async (t) => {
  const { http } = await buildTestApp(t);
  const document = (await http.get('/api/openapi.json').expect(200)).body as {
    paths: Record<string, Record<string, unknown>>;
  };
  const documented = new Set<string>();
  for (const [path, item] of Object.entries(document.paths)) {
    // the README shows the root repository; the document has every depth (`/{r1}/…`)
    if (/\{r1\}/.test(path)) continue;
    for (const method of Object.keys(item)) {
      if (METHODS.includes(method.toUpperCase()))
        documented.add(`${method.toUpperCase()} ${normalise(path)}`);
    }
  }
  const readme = readmeRoutes(await readFile(new URL('../../README.md', import.meta.url), 'utf8'));
  assert.ok(readme.size > 40, `only ${readme.size} routes read from the README`);
  assert.deepEqual(
    [...readme].filter((r) => !documented.has(r)).sort(),
    [],
    'in the README, not the document',
  );
  assert.deepEqual(
    [...documented].filter((r) => !readme.has(r)).sort(),
    [],
    'in the document, not the README',
  );
});

test('every repository route is documented at every depth', async (t) => {
  const { http } = await buildTestApp(t);
  const paths = Object.keys((await http.get('/api/openapi.json')).body.paths);
  for (const route of ['/index.yaml', '/charts/{file}', '/api/charts/{name}/{version}']) {
    const depths = paths.filter((p) => p.replace(/\/\{r\d\}/g, '').replace('/api/api', '/api') === route);
    assert.ok(depths.length >= 4, `${route}: ${depths.join(', ')}`);
  }
});

test('the UI reference page shows every operation of the document, without inline script or style', async (t) => {
  const { http } = await buildTestApp(t);
  const document = (await http.get('/api/openapi.json')).body as { paths: Record<string, object> };
  const page = await http.get('/ui/api').set('accept', 'text/html').expect(200);
  assert.match(String(page.headers['content-type']), /^text\/html/);
  assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
  for (const path of Object.keys(document.paths)) {
    assert.ok(page.text.includes(` ${path.replaceAll('&', '&amp;')}</code>`), `${path} is not on the page`);
  }
  assert.doesNotMatch(page.text, /<script>|<script [^>]*>[^<]|<style|\sstyle=|\son[a-z]+=/i);
});

test('with --disable-api there is no document and no reference page', async (t) => {
  const { http } = await buildTestApp(t, { disableApi: true });
  await http.get('/api/openapi.json').expect(404);
  await http.get('/ui/api').set('accept', 'text/html').expect(404);
});
