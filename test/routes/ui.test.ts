import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CONTENT_SECURITY_POLICY } from '../../src/routes/ui.js';
import { clientScript, stylesheet } from '../../src/ui/assets.js';
import { buildTestApp } from '../support/build-app.js';
import { assertInert, publishChart } from '../support/ui.js';

const browser = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('GET / and the way into the UI', () => {
  test('a browser is redirected to ui/, while JSON clients and Helm keep the 404 JSON', async (t) => {
    const { http } = await buildTestApp(t);
    const page = await http.get('/').set('accept', browser);
    assert.equal(page.status, 302);
    assert.equal(page.headers.location, 'ui/');
    assert.match(page.headers.vary ?? '', /accept/i);
    for (const accept of ['application/json', '*/*', 'application/json, text/html', 'text/html;q=0']) {
      const res = await http.get('/').set('accept', accept);
      assert.equal(res.status, 404, accept);
      assert.deepEqual(res.body, { error: 'not found' });
    }
    const helm = await http.get('/').set('user-agent', 'Helm/3.17.0');
    assert.equal(helm.status, 404);
    assert.deepEqual(helm.body, { error: 'not found' });
    const bare = await http.get('/ui').set('accept', browser);
    assert.equal(bare.status, 302);
    assert.equal(bare.headers.location, 'ui/');
  });

  test('under a context path the redirects stay relative and land inside it', async (t) => {
    const { http } = await buildTestApp(t, { contextPath: '/helm' });
    assert.equal((await http.get('/helm/').set('accept', browser)).headers.location, 'ui/');
    assert.equal((await http.get('/helm').set('accept', browser)).headers.location, 'helm/ui/');
    assert.equal((await http.get('/helm/ui').set('accept', browser)).headers.location, 'ui/');
    const page = await http.get('/helm/ui/');
    assert.equal(page.status, 200);
    assert.match(page.text, /<a class="brand" href="\/helm\/ui\/">Charthouse<\/a>/);
    assert.match(page.text, new RegExp(`<link rel="stylesheet" href="/helm/ui/static/${stylesheet.file}">`));
    assert.match(page.text, /<body data-ui="\/helm\/ui" data-search-api="\/helm\/api\/search">/);
    assert.equal((await http.get('/ui/')).status, 404);
  });
});

describe('the repository page', () => {
  test('lists every repository with its counts, a link to its page and its Helm URL', async (t) => {
    const { http } = await buildTestApp(t);
    await publishChart(http, 'team/apps', { name: 'a', version: '1.0.0' });
    await publishChart(http, 'team/apps', { name: 'a', version: '1.1.0' });
    await publishChart(http, 'team/apps', { name: 'b', version: '1.0.0' });
    const res = await http.get('/ui/').set('host', 'charts.example.com');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    const rows = [
      ...res.text.matchAll(
        /<th scope="row"><a href="([^"]+)">([^<]+)<\/a><\/th>\s*<td>(\d+)<\/td>\s*<td>(\d+)<\/td>/g,
      ),
    ];
    assert.deepEqual(
      rows.map((m) => m.slice(1)),
      [
        ['/ui/repo', '(root)', '0', '0'],
        ['/ui/repo/team/apps', 'team/apps', '2', '3'],
      ],
    );
    assert.match(res.text, /<code>http:\/\/charts\.example\.com\/team\/apps<\/code>/);
    assert.match(res.text, /data-copy="helm repo add team-apps http:\/\/charts\.example\.com\/team\/apps"/);
    assert.match(res.text, /<main id="main"/);
    assert.match(res.text, /<nav aria-label="Main">/);
    assert.match(res.text, /<html lang="en">/);
  });
});

describe('the chart list', () => {
  async function seeded(t: Parameters<typeof buildTestApp>[0]) {
    const built = await buildTestApp(t);
    const { http } = built;
    await publishChart(http, '', {
      name: 'nginx',
      version: '1.0.0',
      chart: {
        description: 'A web server',
        appVersion: '1.25.3',
        icon: 'https://example.com/nginx.png',
        keywords: ['proxy'],
      },
    });
    await publishChart(http, '', {
      name: 'nginx',
      version: '1.1.0-rc.1',
      chart: { description: 'A web server' },
    });
    await publishChart(http, 'team', {
      name: 'legacy',
      version: '2.0.0',
      chart: { deprecated: true, description: 'Old' },
    });
    await publishChart(http, 'team', { name: 'redis', version: '7.0.0', chart: { description: 'A cache' } });
    await publishChart(http, 'team', {
      name: 'preview',
      version: '0.1.0-alpha.1',
      chart: { description: 'Early' },
    });
    return built;
  }
  const names = (page: string) =>
    [...page.matchAll(/<h2><a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]]);

  test('shows name, icon, latest release, app version, description and updated date of each chart', async (t) => {
    const { http } = await seeded(t);
    const res = await http.get('/ui/charts');
    assert.equal(res.status, 200);
    assert.deepEqual(names(res.text), [
      ['/ui/charts/nginx', 'nginx'],
      ['/ui/charts/team/redis', 'redis'],
    ]);
    assert.match(res.text, /<p id="result-count" role="status">2 charts<\/p>/);
    assert.match(
      res.text,
      /<img class="icon" src="https:\/\/example\.com\/nginx\.png" alt="" width="48" height="48" loading="lazy" data-letter="n">/,
    );
    assert.match(
      res.text,
      /<p class="meta"><span>\(root\)<\/span><span>Version 1\.0\.0<\/span><span>App 1\.25\.3<\/span><span>Updated <time datetime="\d{4}-\d\d-\d\dT[^"]+"/,
    );
    assert.match(res.text, /<p class="desc">A web server<\/p>/);
    assert.match(res.text, /<span class="icon placeholder" aria-hidden="true">r<\/span>/);
    assertInert(res.text);
  });

  test('searches and filters by repository, prereleases and deprecation through a plain form', async (t) => {
    const { http } = await seeded(t);
    assert.deepEqual(names((await http.get('/ui/charts?q=cach')).text), [['/ui/charts/team/redis', 'redis']]);
    assert.deepEqual(names((await http.get('/ui/charts?q=prox')).text), [['/ui/charts/nginx', 'nginx']]);
    assert.deepEqual(names((await http.get('/ui/charts?repo=team')).text), [
      ['/ui/charts/team/redis', 'redis'],
    ]);
    assert.deepEqual(names((await http.get('/ui/charts?repo=%2F')).text), [['/ui/charts/nginx', 'nginx']]);
    const withAll = await http.get('/ui/charts?repo=team&prerelease=true&deprecated=true');
    assert.deepEqual(names(withAll.text), [
      ['/ui/charts/team/legacy', 'legacy'],
      ['/ui/charts/team/preview', 'preview'],
      ['/ui/charts/team/redis', 'redis'],
    ]);
    assert.match(withAll.text, /legacy<\/a><span class="badge deprecated">Deprecated<\/span><\/h2>/);
    assert.match(
      withAll.text,
      /<input type="checkbox" name="prerelease" value="true" checked> Include prereleases/,
    );
    assert.match(withAll.text, /<option value="team" selected>team<\/option>/);
    const rc = await http.get('/ui/charts?q=nginx&prerelease=true');
    assert.match(rc.text, /<span>Version 1\.1\.0-rc\.1<\/span>/);
    assert.match(rc.text, /<input id="q" type="search" name="q" value="nginx"/);
  });

  test('pages with previous and next links that keep the query', async (t) => {
    const { http } = await buildTestApp(t);
    for (const name of ['a1', 'a2', 'a3', 'a4', 'a5'])
      await publishChart(http, '', { name, version: '1.0.0' });
    const res = await http.get('/ui/charts?q=chart&limit=2&offset=2');
    assert.deepEqual(
      names(res.text).map((n) => n[1]),
      ['a3', 'a4'],
    );
    assert.match(res.text, /<a rel="prev" href="\/ui\/charts\?q=chart">Previous<\/a>/);
    assert.match(res.text, /<span class="muted">3–4 of 5<\/span>/);
    assert.match(res.text, /<a rel="next" href="\/ui\/charts\?q=chart&amp;offset=4">Next<\/a>/);
  });

  test('an invalid filter answers a 400 page that names the problem', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http.get('/ui/charts?prerelease=maybe');
    assert.equal(res.status, 400);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(
      res.text,
      /<h1>Bad request<\/h1>\s*<p>prerelease must be true or false, not &quot;maybe&quot;<\/p>/,
    );
  });
});

describe('static files and headers', () => {
  test('UI pages carry a strict Content-Security-Policy and hold no inline script or style', async (t) => {
    const { http } = await buildTestApp(t);
    await publishChart(http, '', { name: 'a', version: '1.0.0', readme: '# A\n' });
    for (const path of ['/ui/', '/ui/charts', '/ui/charts/a', '/ui/missing']) {
      const res = await http.get(path);
      assert.equal(res.headers['content-security-policy'], CONTENT_SECURITY_POLICY, path);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['x-frame-options'], 'DENY');
      assert.doesNotMatch(res.text, /<script>|<style|\sstyle=/, path);
      assertInert(res.text);
    }
    assert.match(CONTENT_SECURITY_POLICY, /script-src 'self';/);
    assert.match(CONTENT_SECURITY_POLICY, /default-src 'none';/);
  });

  test('the stylesheet and script are served under content hashes with a year of caching and 304s', async (t) => {
    const { http } = await buildTestApp(t);
    for (const asset of [stylesheet, clientScript]) {
      const res = await http.get(`/ui/static/${asset.file}`);
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], asset.contentType);
      assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.equal(res.headers.etag, asset.etag);
      assert.equal(Buffer.from(res.text).equals(asset.body), true);
      const again = await http.get(`/ui/static/${asset.file}`).set('if-none-match', asset.etag);
      assert.equal(again.status, 304);
    }
    assert.match(stylesheet.file, /^charthouse\.[0-9a-f]{12}\.css$/);
    assert.ok(stylesheet.body.length < 24 * 1024 && clientScript.body.length < 24 * 1024);
    assert.match(stylesheet.body.toString(), /@media \(prefers-color-scheme: dark\)/);
    assert.equal((await http.get('/ui/static/other.css')).status, 404);
  });

  test('unknown UI addresses answer a 404 page, not JSON', async (t) => {
    const { http } = await buildTestApp(t);
    for (const path of ['/ui/nothing-here', '/ui/charts/missing', '/ui/charts/no/such/repo/chart']) {
      const res = await http.get(path);
      assert.equal(res.status, 404, path);
      assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
      assert.match(res.text, /<h1>Not found<\/h1>/);
    }
    assert.match(
      (await http.get('/ui/charts/missing')).text,
      /<p>chart &quot;missing&quot; not found in the root repository<\/p>/,
    );
  });

  test('with the API disabled the UI still renders and its script is not pointed at /api/search', async (t) => {
    const { http, stores } = await buildTestApp(t, { disableApi: true });
    await stores.meta.publish({
      repository: '',
      overwrite: false,
      chart: {
        name: 'a',
        version: '1.0.0',
        digest: 'a'.repeat(64),
        size: 10,
        created: '2026-01-02T00:00:00.000Z',
        metadata: { name: 'a', version: '1.0.0', apiVersion: 'v2' },
      },
    });
    const list = await http.get('/ui/charts?q=a');
    assert.equal(list.status, 200);
    assert.match(list.text, /<body data-ui="\/ui">/);
    assert.match(list.text, /<h2><a href="\/ui\/charts\/a">a<\/a><\/h2>/);
    assert.equal((await http.get('/api/search?q=a')).status, 404);
  });
});

describe('the chart page', () => {
  const chartYaml = {
    appVersion: '1.25.3',
    description: 'A web server',
    home: 'https://nginx.org',
    sources: ['https://github.com/nginx/nginx', 'ftp://example.com/src'],
    keywords: ['web', 'proxy'],
    kubeVersion: '>=1.25.0',
    maintainers: [{ name: 'Ada', email: 'ada@example.com', url: 'https://ada.example.com' }, { name: 'Bob' }],
    annotations: { 'artifacthub.io/license': 'Apache-2.0' },
  };

  test('shows README, highlighted values, Chart.yaml, versions, downloads and both install commands', async (t) => {
    const { http } = await buildTestApp(t);
    await publishChart(http, 'team', {
      name: 'nginx',
      version: '1.0.0',
      chart: { ...chartYaml, appVersion: '1.24.0' },
    });
    await publishChart(http, 'team', {
      name: 'nginx',
      version: '1.1.0',
      chart: chartYaml,
      readme: '# NGINX\n\nServes **static** files. See [docs](https://nginx.org/en/docs/).\n',
      values: 'replicaCount: 2 # pods\nimage:\n  tag: "1.25"\n',
    });
    await publishChart(http, 'team', { name: 'nginx', version: '1.2.0-rc.1', chart: chartYaml });
    const res = await http.get('/ui/charts/team/nginx').set('host', 'charts.example.com:8443');
    assert.equal(res.status, 200);
    const page = res.text;
    assert.match(page, /<title>nginx 1\.1\.0 · Charthouse<\/title>/);
    assert.match(page, /<h1>nginx <span class="muted">1\.1\.0<\/span><\/h1>/);
    assert.match(page, /<h2 id="nginx">NGINX<\/h2>/);
    assert.match(
      page,
      /<p>Serves <strong>static<\/strong> files\. See <a href="https:\/\/nginx\.org\/en\/docs\/" rel="nofollow noopener noreferrer">docs<\/a>\.<\/p>/,
    );
    assert.match(
      page,
      /<code id="values-yaml"><span class="line" id="values-replicaCount" data-path="replicaCount"><span class="y-key">replicaCount<\/span><span class="y-punct">:<\/span> <span class="y-num">2<\/span> <span class="y-com"># pods<\/span>\n<\/span><span class="line" id="values-image" data-path="image" data-fold="1"><span class="y-key">image<\/span><span class="y-punct">:<\/span>\n<\/span><span class="line" id="values-image.tag" data-path="image.tag"> {2}<span class="y-key">tag<\/span><span class="y-punct">:<\/span> <span class="y-str">&quot;1\.25&quot;<\/span>\n<\/span><\/code>/,
    );
    assert.match(
      page,
      /<button type="button" class="copy" data-copy-from="values-yaml" aria-label="Copy values.yaml" hidden>Copy<\/button>/,
    );
    assert.match(page, /<dt>App version<\/dt><dd>1\.25\.3<\/dd>/);
    assert.match(page, /<dt>Kubernetes<\/dt><dd>&gt;=1\.25\.0<\/dd>/);
    assert.match(
      page,
      /<dt>Home<\/dt><dd><a href="https:\/\/nginx\.org\/" rel="nofollow noopener noreferrer">https:\/\/nginx\.org<\/a><\/dd>/,
    );
    assert.match(
      page,
      /<li><a href="https:\/\/github\.com\/nginx\/nginx" [^>]+>https:\/\/github\.com\/nginx\/nginx<\/a><\/li><li>ftp:\/\/example\.com\/src<\/li>/,
    );
    assert.match(
      page,
      /<li><a href="https:\/\/ada\.example\.com\/" [^>]+>Ada<\/a> &lt;<a href="mailto:ada@example\.com">ada@example\.com<\/a>&gt;<\/li><li>Bob<\/li>/,
    );
    assert.match(page, /<dt>Keywords<\/dt><dd>web, proxy<\/dd>/);
    assert.match(page, /<dt>License<\/dt><dd>Apache-2\.0<\/dd>/);
    assert.doesNotMatch(page, /<code>artifacthub\.io\/license<\/code>/);
    assert.match(page, /<dt>Digest<\/dt><dd><span class="digest">sha256:[0-9a-f]{64}<\/span><\/dd>/);
    const versions = [...page.matchAll(/<td><a href="\/ui\/charts\/team\/nginx\?version=([^"]+)">/g)].map(
      (m) => m[1],
    );
    assert.deepEqual(versions, ['1.2.0-rc.1', '1.1.0', '1.0.0']);
    assert.match(
      page,
      /<tr aria-current="true">\s*<td><a href="\/ui\/charts\/team\/nginx\?version=1\.1\.0">/,
    );
    assert.match(page, /1\.2\.0-rc\.1<\/a> <span class="badge prerelease">Prerelease<\/span>/);
    assert.match(page, /<option value="1\.1\.0" selected>1\.1\.0 \(latest\)<\/option>/);
    assert.match(page, /<a href="\/team\/charts\/nginx-1\.1\.0\.tgz" download>nginx-1\.1\.0\.tgz<\/a>/);
    assert.doesNotMatch(page, /\.tgz\.prov/);
    assert.match(
      page,
      /data-copy="helm repo add team http:\/\/charts\.example\.com:8443\/team\nhelm install my-nginx team\/nginx --version 1\.1\.0"/,
    );
    assert.match(
      page,
      /<span class="word">oci:\/\/charts\.example\.com:8443\/team\/nginx<\/span> <span class="word">--version<\/span> <span class="word">1\.1\.0<\/span> <span class="word">--plain-http<\/span><\/code><\/pre>/,
    );
    // served over plain HTTP, so Helm needs --plain-http for OCI (HTTPS through a proxy: ui-behind-proxy.test.ts)
    assert.match(
      page,
      /data-copy="helm install my-nginx oci:\/\/charts\.example\.com:8443\/team\/nginx --version 1\.1\.0 --plain-http"/,
    );
    assertInert(page);
  });

  test('?version shows that version, and an unknown version is a 404 page', async (t) => {
    const { http } = await buildTestApp(t);
    await publishChart(http, '', {
      name: 'app',
      version: '1.0.0',
      readme: 'first readme',
      values: 'one: 1\n',
    });
    await publishChart(http, '', {
      name: 'app',
      version: '2.0.0+build.7',
      readme: 'second readme',
      values: 'two: 2\n',
    });
    const old = await http.get('/ui/charts/app?version=1.0.0');
    assert.match(old.text, /<p>first readme<\/p>/);
    assert.match(old.text, /<span class="y-key">one<\/span>/);
    assert.match(old.text, /data-copy="helm install my-app oci:[^"]* --version 1\.0\.0 --plain-http"/);
    const plus = await http.get(`/ui/charts/app?version=${encodeURIComponent('2.0.0+build.7')}`);
    assert.match(plus.text, /<p>second readme<\/p>/);
    assert.match(plus.text, /<a href="\/ui\/charts\/app\?version=2\.0\.0%2Bbuild\.7">2\.0\.0\+build\.7<\/a>/);
    const missing = await http.get('/ui/charts/app?version=9.9.9');
    assert.equal(missing.status, 404);
    assert.match(missing.text, /<p>chart &quot;app&quot; has no version 9\.9\.9 in the root repository<\/p>/);
  });

  test('a chart with prereleases only opens on its highest version', async (t) => {
    const { http } = await buildTestApp(t);
    await publishChart(http, '', { name: 'early', version: '0.1.0-alpha.2' });
    await publishChart(http, '', { name: 'early', version: '0.1.0-alpha.10' });
    const res = await http.get('/ui/charts/early');
    assert.match(res.text, /<h1>early <span class="muted">0\.1\.0-alpha\.10<\/span><\/h1>/);
    assert.match(res.text, /<p class="muted">This chart has no README\.<\/p>/);
  });

  test('the provenance download appears when the version has a .prov file', async (t) => {
    const { http, stores } = await buildTestApp(t);
    await publishChart(http, '', { name: 'signed', version: '1.0.0' });
    const provenance = {
      name: 'signed',
      version: '1.0.0',
      digest: 'e'.repeat(64),
      size: 10,
      created: '2026-01-01T00:00:00.000Z',
    };
    await stores.meta.publish({ repository: '', provenance, overwrite: false });
    const res = await http.get('/ui/charts/signed');
    assert.match(
      res.text,
      /<a href="\/charts\/signed-1\.0\.0\.tgz\.prov" download>signed-1\.0\.0\.tgz\.prov<\/a>/,
    );
  });

  test('dependencies stored on this server link to their chart page, others stay text', async (t) => {
    const { http } = await buildTestApp(t, { contextPath: '/helm' });
    await publishChart(http, 'libs', { name: 'common', version: '1.0.0' }, '/helm');
    const dependencies = [
      { name: 'common', version: '1.x', repository: 'http://charts.example.com/helm/libs' },
      { name: 'common', version: '1.x', repository: 'oci://charts.example.com/libs', alias: 'oci-common' },
      { name: 'absent', version: '1.x', repository: 'http://charts.example.com/helm/libs' },
      { name: 'redis', version: '18.x', repository: 'https://charts.bitnami.com/bitnami' },
      { name: 'local', version: '0.1.0', repository: 'file://../local' },
    ];
    await publishChart(http, '', { name: 'app', version: '1.0.0', chart: { dependencies } }, '/helm');
    const res = await http.get('/helm/ui/charts/app').set('host', 'charts.example.com');
    const items = [...res.text.matchAll(/<ul class="tree">(.*?)<\/ul>\s*<h3 id="used-by">/gs)][0]?.[1] ?? '';
    const nodes = [
      ...items.matchAll(
        /<li>(.*?) <code>(.*?)<\/code>(.*?)\n\s*<br><span class="muted digest">(.*?)<\/span>/gs,
      ),
    ].map((m) => [m[1], m[2], (m[3] ?? '').trim(), m[4]]);
    assert.deepEqual(nodes, [
      [
        '<a href="/helm/ui/charts/libs/common?version=1.0.0">common</a>',
        '1.x',
        '<span class="resolved">resolves to 1.0.0 here</span>',
        'http://charts.example.com/helm/libs',
      ],
      [
        '<a href="/helm/ui/charts/libs/common?version=1.0.0">common</a> <span class="muted">as oci-common</span>',
        '1.x',
        '<span class="resolved">resolves to 1.0.0 here</span>',
        'oci://charts.example.com/libs',
      ],
      ['<strong>absent</strong>', '1.x', '', 'http://charts.example.com/helm/libs'],
      ['<strong>redis</strong>', '18.x', '', 'https://charts.bitnami.com/bitnami'],
      ['<strong>local</strong>', '0.1.0', '', 'file://../local'],
    ]);
    const elsewhere = await http.get('/helm/ui/charts/app').set('host', 'other.example.com');
    assert.doesNotMatch(elsewhere.text, /href="\/helm\/ui\/charts\/libs\/common"/);
  });
});

describe('content from charts is never markup', () => {
  const readme = [
    '# Hello <script>window.__pwned = 1</script>',
    '',
    '<img src=x onerror="window.__pwned = 2">',
    '',
    '[click](javascript:alert(1)) [tab](java\tscript:alert(2)) [entity](java&#x09;script:alert(3))',
    '',
    '![pic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [vb](vbscript:msgbox(1))',
    '',
    '<a href="javascript:alert(4)">raw link</a> <iframe src="https://evil.example"></iframe>',
  ].join('\n');
  const chart = {
    description: '"><svg onload=alert(1)>',
    appVersion: '<b>1</b>',
    home: 'javascript:alert(5)',
    icon: 'javascript:alert(6)',
    keywords: ['<script>k</script>'],
    maintainers: [
      { name: '<img src=x onerror=alert(7)>', url: 'javascript:alert(8)', email: '"><script>@x' },
    ],
    annotations: { '<i>key</i>': '"><script>alert(9)</script>' },
  };
  const values =
    'a: 1\nb: </pre><script>window.__pwned = 3</script>\n# </code><img src=x onerror=alert(10)>\n';

  test('README, description, values and Chart.yaml fields render as escaped text on every page', async (t) => {
    const { http } = await buildTestApp(t);
    await publishChart(http, '', { name: 'evil', version: '1.0.0', readme, values, chart });
    const page = (await http.get('/ui/charts/evil')).text;
    assertInert(page);
    // raw HTML goes through the sanitizer: the script and the handler are gone, the text stays
    assert.match(page, /<h2 id="hello-window__pwned--1">Hello <\/h2>/);
    assert.doesNotMatch(page, /__pwned = [12]|<img src="x"/);
    assert.match(
      page,
      /<p>\[click\]\(javascript:alert\(1\)\) \[tab\]\(java\tscript:alert\(2\)\) \[entity\]\(java\tscript:alert\(3\)\)<\/p>/,
    );
    assert.match(page, /<p>!\[pic\]\(data:text\/html;base64,[^)]+\) \[vb\]\(vbscript:msgbox\(1\)\)<\/p>/);
    assert.match(page, /<p><a>raw link<\/a> <\/p>/);
    assert.match(page, /<p>&quot;&gt;&lt;svg onload=alert\(1\)&gt;<\/p>/);
    assert.match(
      page,
      /<span class="y-str">&lt;\/pre&gt;&lt;script&gt;window\.__pwned = 3&lt;\/script&gt;<\/span>/,
    );
    assert.match(page, /<span class="y-com"># &lt;\/code&gt;&lt;img src=x onerror=alert\(10\)&gt;<\/span>/);
    assert.match(page, /<dt>Home<\/dt><dd>javascript:alert\(5\)<\/dd>/);
    assert.match(page, /<span class="icon placeholder" aria-hidden="true">e<\/span>/);
    assert.match(page, /<dt>Keywords<\/dt><dd>&lt;script&gt;k&lt;\/script&gt;<\/dd>/);
    assert.match(page, /<li>&lt;img src=x onerror=alert\(7\)&gt;<\/li>/);
    assert.match(
      page,
      /<li><code>&lt;i&gt;key&lt;\/i&gt;<\/code>: &quot;&gt;&lt;script&gt;alert\(9\)&lt;\/script&gt;<\/li>/,
    );
    assert.match(page, /<span class="muted">App version &lt;b&gt;1&lt;\/b&gt;<\/span>/);

    const list = (await http.get('/ui/charts?q=evil')).text;
    assertInert(list);
    assert.match(list, /<p class="desc">&quot;&gt;&lt;svg onload=alert\(1\)&gt;<\/p>/);
    assert.match(list, /<span>App &lt;b&gt;1&lt;\/b&gt;<\/span>/);
  });

  test('what a user types into the search box comes back escaped', async (t) => {
    const { http } = await buildTestApp(t);
    const typed = '"><script>alert(1)</script>';
    const res = await http.get(`/ui/charts?q=${encodeURIComponent(typed)}`);
    assert.equal(res.status, 200);
    assertInert(res.text);
    assert.match(res.text, /value="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
    assert.match(
      res.text,
      /<title>Charts matching “&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;” · Charthouse<\/title>/,
    );
    const host = await http.get('/ui/').set('host', 'x"><script>alert(1)</script>');
    assertInert(host.text);
  });
});
