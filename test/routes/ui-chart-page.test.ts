import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Config } from '../../src/config/config.js';
import { buildTestApp, type TestContext } from '../support/build-app.js';
import { freshBucket, freshDatabase, s3Env, testS3 } from '../support/engines.js';
import { assertInert, publishChart } from '../support/ui.js';

Object.assign(process.env, s3Env());

const ociCommand = (page: string) => /data-copy="(helm install [^"]* oci:[^"]*)"/.exec(page)?.[1];

describe('OCI commands and --plain-http (bug 1)', () => {
  async function page(t: TestContext, overrides: Partial<Config>, headers: Record<string, string> = {}) {
    const { app, http } = await buildTestApp(t, overrides);
    await publishChart(http, '', { name: 'web', version: '1.0.0' });
    const res = await app.inject({
      url: '/ui/charts/web',
      headers: { host: 'charts.example.com', ...headers },
      remoteAddress: '10.0.0.5',
    });
    assert.equal(res.statusCode, 200);
    return res.body;
  }

  test('a page served over plain HTTP offers --plain-http, one served over HTTPS does not', async (t) => {
    assert.equal(
      ociCommand(await page(t, {})),
      'helm install my-web oci://charts.example.com/web --version 1.0.0 --plain-http',
    );
    const https = await page(t, { trustProxy: ['10.0.0.0/8'] }, { 'x-forwarded-proto': 'https' });
    assert.equal(ociCommand(https), 'helm install my-web oci://charts.example.com/web --version 1.0.0');
  });

  test('--chart-url decides over the request protocol', async (t) => {
    const viaHttps = await page(t, { chartUrl: 'https://charts.example.com' });
    assert.doesNotMatch(ociCommand(viaHttps) ?? '', /--plain-http/);
    const viaHttp = await page(
      t,
      { chartUrl: 'http://charts.example.com', trustProxy: ['10.0.0.0/8'] },
      { 'x-forwarded-proto': 'https' },
    );
    assert.match(ociCommand(viaHttp) ?? '', / --plain-http$/);
  });
});

describe('library and deprecated charts (bugs 2 and 8)', () => {
  test('a library chart offers a dependencies: snippet instead of helm install, and is marked', async (t) => {
    const { http } = await buildTestApp(t);
    await publishChart(http, 'libs', { name: 'common', version: '2.1.0', chart: { type: 'library' } });
    const page = (await http.get('/ui/charts/libs/common').set('host', 'charts.example.com')).text;
    assertInert(page);
    assert.doesNotMatch(page, /helm install/);
    assert.match(page, /<h2 id="install-title">Use as a dependency<\/h2>/);
    assert.match(
      page,
      /data-copy="dependencies:\n {2}- name: common\n {4}version: 2\.1\.0\n {4}repository: http:\/\/charts\.example\.com\/libs"/,
    );
    assert.match(page, /repository: oci:\/\/charts\.example\.com\/libs"/);
    assert.match(page, /<p class="badges"><span class="badge library">Library<\/span>/);
    const list = (await http.get('/ui/charts')).text;
    assert.match(list, /common<\/a><span class="badge library">Library<\/span>/);
    const api = (await http.get('/api/search?q=common')).body as { results: { type: string }[] };
    assert.equal(api.results[0]?.type, 'library');
  });

  test('a deprecated chart has a banner and a warning inside the install box', async (t) => {
    const { http } = await buildTestApp(t);
    await publishChart(http, '', { name: 'old', version: '1.0.0', chart: { deprecated: true } });
    const page = (await http.get('/ui/charts/old')).text;
    assert.match(
      page,
      /<div class="banner deprecated" role="note"><strong>This chart is deprecated\.<\/strong>/,
    );
    const install =
      /<section aria-labelledby="install-title" class="install deprecated">(.*?)<\/section>/s.exec(
        page,
      )?.[1] ?? '';
    assert.match(install, /<p class="warning" role="note"><strong>Deprecated:<\/strong>/);
    assert.match(install, /helm install my-old/);
  });
});

describe('versions, annotations and signatures (bugs 6, 7, 8)', () => {
  test('versions are paginated with short digests, copy buttons and relative dates with the full time', async (t) => {
    const { http } = await buildTestApp(t);
    for (let i = 0; i < 30; i++) await publishChart(http, '', { name: 'many', version: `1.${i}.0` });
    const first = (await http.get('/ui/charts/many')).text;
    const rows = (page: string) =>
      [...page.matchAll(/<td><a href="\/ui\/charts\/many\?version=([^"]+)">/g)].map((m) => m[1]);
    assert.deepEqual(
      rows(first),
      Array.from({ length: 25 }, (_, i) => `1.${29 - i}.0`),
    );
    assert.match(
      first,
      /<a rel="next" href="\/ui\/charts\/many\?version=1\.29\.0&amp;vpage=2#versions">Older<\/a>/,
    );
    assert.match(
      first,
      /<code class="digest" title="sha256:([0-9a-f]{64})">\1{0}[0-9a-f]{12}<\/code><button type="button" class="copy" data-copy="sha256:[0-9a-f]{64}" aria-label="Copy the digest of 1\.29\.0"/,
    );
    const table = /<section id="versions"[^>]*>(.*?)<\/section>/s.exec(first)?.[1] ?? '';
    assert.doesNotMatch(table, />(?:sha256:)?[0-9a-f]{64}</);
    assert.match(
      first,
      /<time datetime="\d{4}-\d\d-\d\dT[\d:.]+Z" title="\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC">just now<\/time>/,
    );
    const second = (await http.get('/ui/charts/many?version=1.29.0&vpage=2')).text;
    assert.deepEqual(rows(second), ['1.4.0', '1.3.0', '1.2.0', '1.1.0', '1.0.0']);
    // an old version opens on the page that lists it, and the switch lists that page
    const old = (await http.get('/ui/charts/many?version=1.2.0')).text;
    assert.deepEqual(rows(old), ['1.4.0', '1.3.0', '1.2.0', '1.1.0', '1.0.0']);
    assert.match(old, /<option value="1\.2\.0" selected>/);
    assert.equal((await http.get('/ui/charts/many?vpage=999')).status, 200);
  });

  test('Artifact Hub annotations render as a changelog, images, links, license and signing key', async (t) => {
    const { http } = await buildTestApp(t);
    const annotations = (changes: string) => ({
      'artifacthub.io/changes': changes,
      'artifacthub.io/images': '- name: app\n  image: ghcr.io/acme/app:1.2.3\n',
      'artifacthub.io/links':
        '- name: Docs\n  url: https://docs.acme.dev\n- name: bad\n  url: javascript:alert(1)\n',
      'artifacthub.io/license': 'MIT',
      'artifacthub.io/signKey': 'fingerprint: 0123ABCD\nurl: https://acme.dev/key.asc\n',
      'example.com/other': 'kept',
    });
    await publishChart(http, '', {
      name: 'app',
      version: '1.0.0',
      chart: { annotations: annotations('- First release\n') },
    });
    await publishChart(http, '', {
      name: 'app',
      version: '1.1.0',
      chart: {
        annotations: annotations(
          '- kind: security\n  description: Fix CVE-1\n  links:\n    - name: advisory\n      url: https://acme.dev/cve-1\n- kind: added\n  description: "<b>bold</b> feature"\n',
        ),
      },
    });
    const page = (await http.get('/ui/charts/app')).text;
    assertInert(page);
    assert.match(page, /<li><a href="#changelog">Changelog<\/a><\/li>/);
    const changelog = /<section id="changelog"[^>]*>(.*?)<\/section>/s.exec(page)?.[1] ?? '';
    assert.match(
      changelog,
      /1\.1\.0<\/a>.*<span class="badge change-security">security<\/span> Fix CVE-1 <a href="https:\/\/acme\.dev\/cve-1" [^>]+>advisory<\/a>/s,
    );
    assert.match(
      changelog,
      /<span class="badge change-added">added<\/span> &lt;b&gt;bold&lt;\/b&gt; feature/,
    );
    assert.match(changelog, /1\.0\.0<\/a>.*<li>First release<\/li>/s);
    assert.match(
      page,
      /<dt>Images<\/dt><dd><ul><li><code class="digest">ghcr\.io\/acme\/app:1\.2\.3<\/code> <span class="muted">app<\/span><\/li><\/ul><\/dd>/,
    );
    assert.match(
      page,
      /<dt>Links<\/dt><dd><ul><li><a href="https:\/\/docs\.acme\.dev\/" [^>]+>Docs<\/a><\/li><li>bad<\/li><\/ul><\/dd>/,
    );
    assert.match(page, /<dt>License<\/dt><dd>MIT<\/dd>/);
    assert.match(
      page,
      /<dt>Signing key<\/dt><dd><span class="digest">0123ABCD<\/span> <a href="https:\/\/acme\.dev\/key\.asc" [^>]+>key<\/a><\/dd>/,
    );
    assert.doesNotMatch(page, /<code>artifacthub\.io\//);
    assert.match(page, /<code>example\.com\/other<\/code>: kept/);
  });
});

describe('values, schema, diff and templates', () => {
  const schema = JSON.stringify({
    type: 'object',
    required: ['image'],
    properties: {
      replicaCount: { type: 'integer', default: 1, description: 'How many pods', minimum: 1 },
      image: { type: 'object', properties: { tag: { type: ['string', 'null'], enum: ['a', 'b'] } } },
    },
  });

  async function seeded(t: TestContext, overrides: Partial<Config> = {}) {
    const built = await buildTestApp(t, overrides);
    await publishChart(built.http, '', {
      name: 'app',
      version: '1.0.0',
      values: 'replicaCount: 1\nimage:\n  tag: a\n',
    });
    await publishChart(built.http, '', {
      name: 'app',
      version: '2.0.0',
      values: 'replicaCount: 2\nimage:\n  tag: a\n  pullPolicy: Always\n',
      files: {
        'values.schema.json': schema,
        'templates/deployment.yaml': 'kind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n',
        'templates/_helpers.tpl': '{{- define "x" -}}</pre><script>alert(1)</script>{{- end }}\n',
        'files/big.txt': 'x'.repeat(300 * 1024),
      },
    });
    return built;
  }

  async function checks(t: TestContext, overrides: Partial<Config> = {}) {
    const { http } = await seeded(t, overrides);
    const page = (await http.get('/ui/charts/app')).text;
    assertInert(page);
    // values.schema.json as a table, its keys linked to the values viewer
    assert.match(
      page,
      /<td><code><a href="#values-replicaCount">replicaCount<\/a><\/code><\/td>\s*<td>integer<\/td>\s*<td><code>1<\/code><\/td>\s*<td>How many pods<br><span class="muted">minimum 1<\/span><\/td>/,
    );
    assert.match(
      page,
      /<td><code><a href="#values-image">image<\/a><\/code> <span class="badge">required<\/span><\/td>/,
    );
    assert.match(
      page,
      /<td><code><a href="#values-image.tag">image\.tag<\/a><\/code><\/td>\s*<td>string \| null<\/td>/,
    );
    // the package's files, text ones linked
    assert.match(
      page,
      /<a href="\/ui\/charts\/app\?version=2\.0\.0&amp;file=templates%2Fdeployment\.yaml">templates\/deployment\.yaml<\/a>/,
    );
    assert.match(page, /<li><span>files\/big\.txt<\/span>/);
    const file = (await http.get('/ui/charts/app?version=2.0.0&file=templates%2F_helpers.tpl')).text;
    assertInert(file);
    assert.match(file, /&lt;\/pre&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    const missing = (await http.get('/ui/charts/app?version=2.0.0&file=..%2F..%2Fetc%2Fpasswd')).text;
    assert.match(missing, /The package holds no file at this path\./);
    const binary = (await http.get('/ui/charts/app?version=2.0.0&file=files%2Fbig.txt')).text;
    assert.match(binary, /This file is binary or too large to show here/);
    // the values diff between two versions
    const diff = (await http.get('/ui/charts/app?version=2.0.0&diff=1.0.0')).text;
    assertInert(diff);
    assert.match(diff, /<h1>Values of app: 1\.0\.0 → 2\.0\.0<\/h1>/);
    assert.match(
      diff,
      /<tr class="del"><td class="num">1<\/td><td class="num"><\/td><td><span aria-hidden="true">−<\/span><span class="visually-hidden">removed: <\/span><code>replicaCount: 1<\/code>/,
    );
    assert.match(
      diff,
      /<tr class="add"><td class="num"><\/td><td class="num">1<\/td><td><span aria-hidden="true">\+<\/span><span class="visually-hidden">added: <\/span><code>replicaCount: 2<\/code>/,
    );
    assert.match(
      diff,
      /<tr class="add"><td class="num"><\/td><td class="num">4<\/td>.*<code> {2}pullPolicy: Always<\/code>/,
    );
    assert.equal((await http.get('/ui/charts/app?version=2.0.0&diff=9.9.9')).status, 404);
  }

  test('on SQLite and disk', async (t) => checks(t));

  test('on PostgreSQL and S3', async (t) => {
    const [database, bucket] = await Promise.all([freshDatabase(), freshBucket()]);
    await checks(t, {
      database,
      blobStore: `s3://${bucket}/charts`,
      s3Endpoint: testS3().endpoint,
      s3ForcePathStyle: true,
    });
  });
});

describe('dependencies both ways', () => {
  test('ranges resolve against this server into a tree, and dependents are listed as "used by"', async (t) => {
    const { http } = await buildTestApp(t);
    const here = 'http://charts.example.com';
    await publishChart(http, 'libs', { name: 'common', version: '1.0.0', chart: { type: 'library' } });
    await publishChart(http, 'libs', { name: 'common', version: '1.4.0', chart: { type: 'library' } });
    await publishChart(http, 'libs', { name: 'common', version: '2.0.0', chart: { type: 'library' } });
    await publishChart(http, 'libs', {
      name: 'db',
      version: '3.0.0',
      chart: { dependencies: [{ name: 'common', version: '^1.0.0', repository: `${here}/libs` }] },
    });
    await publishChart(http, 'apps', {
      name: 'shop',
      version: '1.0.0',
      chart: { dependencies: [{ name: 'db', version: '~3.0', repository: `oci://charts.example.com/libs` }] },
    });
    const shop = (await http.get('/ui/charts/apps/shop').set('host', 'charts.example.com')).text;
    assert.match(
      shop,
      /<a href="\/ui\/charts\/libs\/db\?version=3\.0\.0">db<\/a> <code>~3\.0<\/code> <span class="resolved">resolves to 3\.0\.0 here<\/span>/,
    );
    assert.match(
      shop,
      /<ul><li><a href="\/ui\/charts\/libs\/common\?version=1\.4\.0">common<\/a> <code>\^1\.0\.0<\/code> <span class="resolved">resolves to 1\.4\.0 here<\/span>/,
    );
    const common = (await http.get('/ui/charts/libs/common').set('host', 'charts.example.com')).text;
    assert.match(
      common,
      /<h3 id="used-by">Used by<\/h3>\s*<ul><li><a href="\/ui\/charts\/libs\/db\?version=3\.0\.0">db 3\.0\.0<\/a> <span class="muted">in libs<\/span>, asks for <code>\^1\.0\.0<\/code><\/li><\/ul>/,
    );
    // a new version of a dependent is seen at once (the memo follows the repository revision)
    await publishChart(http, 'libs', {
      name: 'db',
      version: '3.1.0',
      chart: { dependencies: [{ name: 'common', version: '^2.0.0', repository: `${here}/libs` }] },
    });
    const after = (await http.get('/ui/charts/libs/common').set('host', 'charts.example.com')).text;
    assert.match(
      after,
      /db 3\.1\.0<\/a> <span class="muted">in libs<\/span>, asks for <code>\^2\.0\.0<\/code>/,
    );
  });
});

describe('repository pages', () => {
  test('show their own helm repo add, OCI pull, chart count and visibility', async (t) => {
    const { http } = await buildTestApp(t);
    await publishChart(http, 'team', { name: 'api', version: '1.0.0' });
    await publishChart(http, 'team', { name: 'api', version: '1.1.0' });
    await publishChart(http, 'team', { name: 'web', version: '1.0.0' });
    const page = (await http.get('/ui/repo/team').set('host', 'charts.example.com')).text;
    assertInert(page);
    assert.match(page, /<h1>Repository team<\/h1>/);
    assert.match(page, /<span class="badge public">Public<\/span>/);
    assert.match(page, /<dt>Charts<\/dt><dd>2<\/dd>\s*<dt>Versions<\/dt><dd>3<\/dd>/);
    assert.match(page, /data-copy="helm repo add team http:\/\/charts\.example\.com\/team"/);
    assert.match(page, /data-copy="helm pull oci:\/\/charts\.example\.com\/team\/api --plain-http"/);
    assert.doesNotMatch(page, /helm registry login/);
    assert.deepEqual(
      [...page.matchAll(/<li><a href="\/ui\/charts\/team\/([^"]+)">/g)].map((m) => m[1]),
      ['api', 'web'],
    );
    assert.equal((await http.get('/ui/repo/nowhere')).status, 404);
    assert.match((await http.get('/ui/repo')).text, /<h1>Repository \(root\)<\/h1>/);
  });
});
