import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import yaml from 'js-yaml';
import { buildTestApp, type TestApp } from '../support/build-app.js';
import { makeChart } from '../support/make-chart.js';
import { binaryParser, makeProv, sha256 } from '../support/provenance.js';

type Http = TestApp['http'];
type Res = Awaited<ReturnType<Http['get']>>;
type Index = {
  apiVersion: string;
  entries: Record<string, Array<Record<string, unknown>>>;
  generated: string;
  serverInfo: Record<string, unknown>;
};

function assertJsonError(res: Res, status: number) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}`);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const body = Buffer.isBuffer(res.body) ? JSON.parse(res.body.toString('utf8')) : res.body;
  assert.equal(typeof body.error, 'string');
}

/** The headers a cache or client acts on; Date and X-Request-Id differ per response by design. */
function cacheHeaders(res: Res) {
  const pick = [
    'content-type',
    'content-length',
    'content-encoding',
    'etag',
    'last-modified',
    'cache-control',
    'vary',
  ];
  return Object.fromEntries(pick.map((h) => [h, res.headers[h]]));
}

function paths(repo: string, contextPath = '') {
  const P = `${contextPath}${repo ? `/${repo}` : ''}`;
  const A = `${contextPath}/api${repo ? `/${repo}` : ''}`;
  return {
    P,
    A,
    upload: async (http: Http, tgz: Buffer) => {
      const res = await http.post(`${A}/charts`).set('content-type', 'application/octet-stream').send(tgz);
      assert.equal(res.status, 201, res.text);
    },
    uploadProv: async (http: Http, prov: string) => {
      const res = await http
        .post(`${A}/prov`)
        .set('content-type', 'application/octet-stream')
        .send(Buffer.from(prov));
      assert.equal(res.status, 201, res.text);
    },
    getIndex: (http: Http, encoding = 'identity') =>
      http.get(`${P}/index.yaml`).set('Accept-Encoding', encoding),
    download: (http: Http, file: string) =>
      http.get(`${P}/charts/${file}`).set('Accept-Encoding', 'identity').buffer(true).parse(binaryParser),
  };
}

for (const repo of ['', 'team/apps']) {
  const label = repo ? `the nested repository "${repo}"` : 'the root repository';
  const p = paths(repo);
  const { P } = p;

  describe(`classic Helm repository layout on ${label}`, () => {
    test('index.yaml holds only apiVersion, entries, generated and serverInfo, with url, digest and created per entry', async (t) => {
      const { http } = await buildTestApp(t);
      const tgz = await makeChart({ chart: { appVersion: '1.10' } });
      const before = Date.now();
      await p.upload(http, tgz);
      const res = await p.getIndex(http);
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'application/x-yaml');
      const index = yaml.load(res.text) as Index;
      assert.deepEqual(Object.keys(index).sort(), ['apiVersion', 'entries', 'generated', 'serverInfo']);
      assert.equal(index.apiVersion, 'v1');
      assert.deepEqual(index.serverInfo, {});
      assert.ok(!Number.isNaN(Date.parse(index.generated)));
      assert.deepEqual(Object.keys(index.entries), ['mychart']);
      const [entry] = index.entries.mychart ?? [];
      assert.ok(entry);
      assert.equal(entry.name, 'mychart');
      assert.equal(entry.version, '0.1.0');
      assert.equal(entry.apiVersion, 'v2');
      assert.equal(entry.appVersion, '1.10', 'appVersion stays a string');
      assert.deepEqual(entry.urls, ['charts/mychart-0.1.0.tgz']);
      assert.equal(entry.digest, sha256(tgz));
      assert.equal(typeof entry.created, 'string');
      const created = Date.parse(entry.created as string);
      assert.ok(created >= before - 1000 && created <= Date.now() + 1000, `created ${entry.created}`);
    });

    test('index.yaml lists charts alphabetically and versions newest first', async (t) => {
      const { http } = await buildTestApp(t);
      for (const [name, version] of [
        ['zeta', '1.0.0'],
        ['alpha', '0.9.0'],
        ['alpha', '0.10.0'],
        ['alpha', '0.10.0-rc.1'],
      ] as const) {
        await p.upload(http, await makeChart({ name, version }));
      }
      const index = yaml.load((await p.getIndex(http)).text) as Index;
      assert.deepEqual(Object.keys(index.entries), ['alpha', 'zeta']);
      assert.deepEqual(
        index.entries.alpha?.map((e) => e.version),
        ['0.10.0', '0.10.0-rc.1', '0.9.0'],
      );
    });

    test('index.yaml has a strong ETag and Last-Modified, and If-None-Match answers 304', async (t) => {
      const { http } = await buildTestApp(t);
      await p.upload(http, await makeChart());
      const res = await p.getIndex(http);
      const etag = String(res.headers.etag);
      assert.match(etag, /^"[^"]+"$/, 'a strong (not W/) quoted ETag');
      assert.ok(!Number.isNaN(Date.parse(String(res.headers['last-modified']))));
      const same = await p.getIndex(http).set('If-None-Match', etag);
      assert.equal(same.status, 304);
      assert.equal(same.text, '');
      assert.equal(same.headers.etag, etag);
      const listed = await p.getIndex(http).set('If-None-Match', `"x", ${etag}`);
      assert.equal(listed.status, 304);
      const other = await p.getIndex(http).set('If-None-Match', '"x", "y"');
      assert.equal(other.status, 200);
      assert.equal(other.text, res.text);
      const head = await http.head(`${P}/index.yaml`).set('If-None-Match', etag);
      assert.equal(head.status, 304);
    });

    test('index.yaml is the same, with the same ETag, across repeated GETs', async (t) => {
      const { http } = await buildTestApp(t);
      await p.upload(http, await makeChart());
      const first = await p.getIndex(http);
      for (let i = 0; i < 3; i++) {
        const again = await p.getIndex(http);
        assert.equal(again.headers.etag, first.headers.etag);
        assert.equal(again.headers['last-modified'], first.headers['last-modified']);
        assert.equal(again.text, first.text);
      }
    });

    test('the index ETag changes after an upload and after a delete', async (t) => {
      const { http } = await buildTestApp(t);
      await p.upload(http, await makeChart({ version: '0.1.0' }));
      const one = String((await p.getIndex(http)).headers.etag);
      await p.upload(http, await makeChart({ version: '0.2.0' }));
      const afterUpload = await p.getIndex(http).set('If-None-Match', one);
      assert.equal(afterUpload.status, 200);
      const two = String(afterUpload.headers.etag);
      assert.notEqual(two, one);
      assert.equal((yaml.load(afterUpload.text) as Index).entries.mychart?.length, 2);
      assert.equal((await http.delete(`${p.A}/charts/mychart/0.2.0`)).status, 200);
      const afterDelete = await p.getIndex(http).set('If-None-Match', two);
      assert.equal(afterDelete.status, 200);
      const three = String(afterDelete.headers.etag);
      assert.notEqual(three, two);
      assert.notEqual(three, one);
      assert.equal((yaml.load(afterDelete.text) as Index).entries.mychart?.length, 1);
    });

    test('index.yaml is gzipped when the client accepts gzip, and identity otherwise', async (t) => {
      const { http } = await buildTestApp(t);
      await p.upload(http, await makeChart({ readme: 'x'.repeat(2000) }));
      const plain = await p.getIndex(http, 'identity');
      assert.equal(plain.status, 200);
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.equal(Number(plain.headers['content-length']), Buffer.byteLength(plain.text));
      assert.equal(plain.headers.vary, 'accept-encoding');
      const gz = await p.getIndex(http, 'gzip');
      assert.equal(gz.status, 200);
      assert.equal(gz.headers['content-encoding'], 'gzip');
      assert.equal(gz.text, plain.text, 'the gzip body decodes to the same index');
      assert.equal(gz.headers.etag, plain.headers.etag);
      const listed = await p.getIndex(http, 'br;q=1.0, gzip;q=0.8');
      assert.equal(listed.headers['content-encoding'], 'gzip');
      const refused = await p.getIndex(http, 'gzip;q=0');
      assert.equal(refused.headers['content-encoding'], undefined);
      const raw = await http
        .get(`${P}/index.yaml`)
        .set('Accept-Encoding', 'gzip')
        .buffer(true)
        .parse(binaryParser);
      // superagent unzips; the declared length is that of the compressed bytes
      assert.ok(Number(raw.headers['content-length']) > 0);
      assert.ok(Number(raw.headers['content-length']) !== Buffer.byteLength(plain.text));
    });

    test('HEAD index.yaml sends the same headers as GET, with the length of the body GET sends', async (t) => {
      const { http } = await buildTestApp(t);
      await p.upload(http, await makeChart());
      for (const encoding of ['identity', 'gzip']) {
        const get = await p.getIndex(http, encoding).buffer(true).parse(binaryParser);
        const head = await http.head(`${P}/index.yaml`).set('Accept-Encoding', encoding);
        assert.equal(head.status, 200);
        assert.deepEqual(cacheHeaders(head), cacheHeaders(get));
        if (encoding === 'identity') {
          assert.equal(Number(head.headers['content-length']), (get.body as Buffer).length);
        }
        assert.ok(head.headers['x-request-id']);
      }
    });

    test('a package download returns the uploaded bytes with Content-Length and ETag, and HEAD the same headers', async (t) => {
      const { http } = await buildTestApp(t);
      const tgz = await makeChart({ readme: 'hello' });
      await p.upload(http, tgz);
      const res = await p.download(http, 'mychart-0.1.0.tgz');
      assert.equal(res.status, 200);
      assert.ok(Buffer.isBuffer(res.body));
      assert.ok((res.body as Buffer).equals(tgz));
      assert.equal(res.headers['content-type'], 'application/x-tar');
      assert.equal(Number(res.headers['content-length']), tgz.length);
      assert.equal(res.headers.etag, `"${sha256(tgz)}"`);
      const head = await http.head(`${P}/charts/mychart-0.1.0.tgz`);
      assert.equal(head.status, 200);
      assert.deepEqual(cacheHeaders(head), cacheHeaders(res));
      const cached = await http.get(`${P}/charts/mychart-0.1.0.tgz`).set('If-None-Match', `"${sha256(tgz)}"`);
      assert.equal(cached.status, 304);
    });

    test('the .prov download returns the uploaded provenance bytes', async (t) => {
      const { http } = await buildTestApp(t);
      const tgz = await makeChart();
      const prov = makeProv('mychart', '0.1.0', tgz);
      await p.upload(http, tgz);
      await p.uploadProv(http, prov);
      const res = await p.download(http, 'mychart-0.1.0.tgz.prov');
      assert.equal(res.status, 200);
      assert.ok((res.body as Buffer).equals(Buffer.from(prov)));
      assert.equal(res.headers['content-type'], 'application/pgp-signature');
      assert.equal(Number(res.headers['content-length']), Buffer.byteLength(prov));
      assert.equal(res.headers.etag, `"${sha256(prov)}"`);
      const head = await http.head(`${P}/charts/mychart-0.1.0.tgz.prov`);
      assert.equal(head.status, 200);
      assert.deepEqual(cacheHeaders(head), cacheHeaders(res));
    });

    test('an unknown package, provenance or .bad suffix answers 404 JSON on GET and 404 on HEAD', async (t) => {
      const { http } = await buildTestApp(t);
      await p.upload(http, await makeChart());
      for (const file of [
        'fakechart-0.1.0.tgz',
        'fakechart-0.1.0.tgz.prov',
        'mychart-0.1.0.tgz.prov',
        'mychart-0.1.0.bad',
        'fakechart-0.1.0.bad',
        'mychart-0.1.0',
      ]) {
        assertJsonError(await p.download(http, file), 404);
        assert.equal((await http.head(`${P}/charts/${file}`)).status, 404, file);
      }
    });
  });
}

describe('classic Helm repository layout across repositories', () => {
  test('the index and packages of an unknown repository answer 404 JSON', async (t) => {
    const { http } = await buildTestApp(t);
    for (const repo of ['nope', 'team/nope', 'a/b/c']) {
      assertJsonError(await http.get(`/${repo}/index.yaml`), 404);
      assert.equal((await http.head(`/${repo}/index.yaml`)).status, 404);
      assertJsonError(await http.get(`/${repo}/charts/mychart-0.1.0.tgz`), 404);
    }
    assertJsonError(await http.get('/UPPER/index.yaml'), 404);
    assertJsonError(await http.get('/a/b/c/d/index.yaml'), 404);
  });

  test('each repository serves only its own charts', async (t) => {
    const { http } = await buildTestApp(t);
    await paths('').upload(http, await makeChart({ name: 'rootchart' }));
    await paths('team/apps').upload(http, await makeChart({ name: 'teamchart' }));
    const root = yaml.load((await http.get('/index.yaml')).text) as Index;
    const team = yaml.load((await http.get('/team/apps/index.yaml')).text) as Index;
    assert.deepEqual(Object.keys(root.entries), ['rootchart']);
    assert.deepEqual(Object.keys(team.entries), ['teamchart']);
    assert.equal((await http.get('/charts/teamchart-0.1.0.tgz')).status, 404);
    assert.equal((await http.get('/team/apps/charts/rootchart-0.1.0.tgz')).status, 404);
    assert.equal((await http.get('/team/index.yaml')).status, 404, 'the parent path is not a repository');
  });

  for (const repo of ['', 'team/apps']) {
    test(`with contextPath /cm everything of ${repo || 'the root repository'} is served under /cm and nothing outside it`, async (t) => {
      const { http } = await buildTestApp(t, { contextPath: '/cm' });
      const cm = paths(repo, '/cm');
      const bare = paths(repo);
      const tgz = await makeChart();
      assertJsonError(await bare.getIndex(http), 404);
      assertJsonError(await http.post(`${bare.A}/charts`).send(tgz), 404);
      await cm.upload(http, tgz);
      const res = await cm.getIndex(http);
      assert.equal(res.status, 200);
      const index = yaml.load(res.text) as Index;
      assert.deepEqual(index.serverInfo, { contextPath: '/cm' });
      assert.deepEqual(index.entries.mychart?.[0]?.urls, ['charts/mychart-0.1.0.tgz']);
      const pkg = await cm.download(http, 'mychart-0.1.0.tgz');
      assert.equal(pkg.status, 200);
      assert.ok((pkg.body as Buffer).equals(tgz));
      assertJsonError(await bare.getIndex(http), 404);
      assertJsonError(await bare.download(http, 'mychart-0.1.0.tgz'), 404);
      assertJsonError(await http.get(`${bare.A}/charts`), 404);
      assert.equal((await http.get(`${cm.A}/charts/mychart/0.1.0`)).status, 200);
      assert.deepEqual((await http.get('/cm/health')).body, { healthy: true });
      assertJsonError(await http.get('/health'), 404);
      assertJsonError(await http.get(`/cmfoo${repo ? `/${repo}` : ''}/index.yaml`), 404);
    });

    test(`with chartUrl the index of ${repo || 'the root repository'} has absolute package URLs`, async (t) => {
      const { http } = await buildTestApp(t, { chartUrl: 'https://charts.example.com' });
      const p = paths(repo);
      await p.upload(http, await makeChart());
      const index = yaml.load((await p.getIndex(http)).text) as Index;
      const prefix = repo ? `/${repo}` : '';
      assert.deepEqual(index.entries.mychart?.[0]?.urls, [
        `https://charts.example.com${prefix}/charts/mychart-0.1.0.tgz`,
      ]);
      const api = await http.get(`${p.A}/charts/mychart/0.1.0`);
      assert.deepEqual(api.body.urls, [`https://charts.example.com${prefix}/charts/mychart-0.1.0.tgz`]);
    });

    test(`with chartUrl and contextPath the package URLs of ${repo || 'the root repository'} include the context path`, async (t) => {
      const { http } = await buildTestApp(t, { chartUrl: 'https://charts.example.com', contextPath: '/cm' });
      const p = paths(repo, '/cm');
      await p.upload(http, await makeChart());
      const index = yaml.load((await p.getIndex(http)).text) as Index;
      const prefix = repo ? `/${repo}` : '';
      assert.deepEqual(index.entries.mychart?.[0]?.urls, [
        `https://charts.example.com/cm${prefix}/charts/mychart-0.1.0.tgz`,
      ]);
      assert.deepEqual(index.serverInfo, { contextPath: '/cm' });
    });
  }
});
