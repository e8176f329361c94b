import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import yaml from 'js-yaml';
import type { Config } from '../../src/config/config.js';
import { createRegistry } from '../../src/registry.js';
import type { Stores } from '../../src/store/open-stores.js';
import { bufferSource } from '../../src/upload.js';
import { buildTestApp, type TestApp } from '../support/build-app.js';
import { makeChart } from '../support/make-chart.js';
import { binaryParser, makeProv, sha256 } from '../support/provenance.js';

type Http = TestApp['http'];
type Res = Awaited<ReturnType<Http['get']>>;

function assertJsonError(res: Res, status: number) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const body = Buffer.isBuffer(res.body) ? JSON.parse(res.body.toString('utf8')) : res.body;
  assert.equal(typeof body.error, 'string');
  assert.ok(body.error.length > 0);
}

async function listFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => e.name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** POSTs the chunks with Transfer-Encoding: chunked (no Content-Length) over a real socket. */
function postChunked(
  port: number,
  path: string,
  chunks: Buffer[],
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        port,
        host: '127.0.0.1',
        method: 'POST',
        path,
        headers: { 'content-type': 'application/octet-stream' },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    for (const chunk of chunks.slice(0, -1)) req.write(chunk);
    setImmediate(() => req.end(chunks.at(-1)));
  });
}

/** Stores a chart (and prov) through a second registry on the app's stores, bypassing HTTP. */
async function seed(stores: Stores, config: Config, repository: string, tgz: Buffer, prov?: string) {
  const upload = createRegistry({ ...stores, config }).beginUpload(repository);
  try {
    await upload.addChart(bufferSource(tgz));
    if (prov) await upload.addProvenance(bufferSource(prov));
    await upload.commit({ overwrite: false });
  } finally {
    await upload.discard();
  }
}

function routes(repo: string) {
  const P = repo ? `/${repo}` : '';
  const A = `/api${P}`;
  return {
    P,
    A,
    postChart: (http: Http, tgz: Buffer, query = '') =>
      http.post(`${A}/charts${query}`).set('content-type', 'application/octet-stream').send(tgz),
    postProv: (http: Http, prov: string | Buffer, query = '') =>
      http.post(`${A}/prov${query}`).set('content-type', 'application/octet-stream').send(Buffer.from(prov)),
    postForm: (http: Http, parts: { chart?: Buffer; prov?: string | Buffer }, query = '') => {
      let req = http.post(`${A}/charts${query}`);
      if (parts.chart) req = req.attach('chart', parts.chart, 'mychart-0.1.0.tgz');
      if (parts.prov) req = req.attach('prov', Buffer.from(parts.prov), 'mychart-0.1.0.tgz.prov');
      return req;
    },
    index: async (http: Http) => {
      const res = await http.get(`${P}/index.yaml`);
      assert.equal(res.status, 200, res.text);
      return yaml.load(res.text) as { entries: Record<string, Array<Record<string, unknown>>> };
    },
    download: (http: Http, file: string) => http.get(`${P}/charts/${file}`).buffer(true).parse(binaryParser),
  };
}

for (const repo of ['', 'team/apps']) {
  const label = repo ? `the nested repository "${repo}"` : 'the root repository';
  const r = routes(repo);
  const { P, A } = r;

  describe(`chart API on ${label}`, () => {
    test('a raw chart upload answers 201 {"saved":true} and the chart is in index.yaml at once', async (t) => {
      const { http } = await buildTestApp(t);
      const tgz = await makeChart();
      const res = await r.postChart(http, tgz);
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(res.body, { saved: true });
      const index = await r.index(http);
      assert.equal(index.entries.mychart?.length, 1);
      assert.equal(index.entries.mychart?.[0]?.digest, sha256(tgz));
    });

    test('a raw chart sent as form-urlencoded (curl --data-binary) or without a content type is accepted', async (t) => {
      const { app, http } = await buildTestApp(t);
      const form = await app.inject({
        method: 'POST',
        url: `${A}/charts`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: await makeChart({ name: 'one' }),
      });
      assert.equal(form.statusCode, 201, form.body);
      const bare = await app.inject({
        method: 'POST',
        url: `${A}/charts`,
        payload: await makeChart({ name: 'two' }),
      });
      assert.equal(bare.statusCode, 201, bare.body);
      const list = await http.get(`${A}/charts`);
      assert.deepEqual(Object.keys(list.body).sort(), ['one', 'two']);
    });

    test('an empty raw chart upload answers 400', async (t) => {
      const { http } = await buildTestApp(t);
      assertJsonError(await r.postChart(http, Buffer.alloc(0)), 400);
    });

    test('a raw upload that is not a chart package answers 400 and leaves no temp files', async (t) => {
      const { http, dir } = await buildTestApp(t);
      assertJsonError(await r.postChart(http, Buffer.from('this is not a tarball')), 400);
      assert.deepEqual(await listFiles(join(dir, 'blobs', 'tmp')), []);
      assert.deepEqual(await listFiles(join(dir, 'blobs', 'sha256')), []);
    });

    test('an empty or invalid raw provenance upload answers 400', async (t) => {
      const { http } = await buildTestApp(t);
      assertJsonError(await r.postProv(http, ''), 400);
      assertJsonError(await r.postProv(http, 'name: mychart\nversion: 0.1.0\n'), 400);
      const tgz = await makeChart();
      const noVersion = makeProv('mychart', '0.1.0', tgz).replace('version: 0.1.0\n', '');
      assertJsonError(await r.postProv(http, noVersion), 400);
    });

    test('a raw provenance upload answers 201 and is served next to its chart', async (t) => {
      const { http } = await buildTestApp(t);
      const tgz = await makeChart();
      const prov = makeProv('mychart', '0.1.0', tgz);
      assert.equal((await r.postChart(http, tgz)).status, 201);
      const res = await r.postProv(http, prov);
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(res.body, { saved: true });
      const got = await r.download(http, 'mychart-0.1.0.tgz.prov');
      assert.equal(got.status, 200);
      assert.equal((got.body as Buffer).toString('utf8'), prov);
    });

    test('a provenance file uploaded before its chart answers 201', async (t) => {
      const { http } = await buildTestApp(t);
      const tgz = await makeChart();
      assert.equal((await r.postProv(http, makeProv('mychart', '0.1.0', tgz))).status, 201);
      assert.equal((await r.postChart(http, tgz)).status, 201);
    });

    test('a provenance file whose files: digest does not match the stored chart answers 400', async (t) => {
      const { http } = await buildTestApp(t);
      const tgz = await makeChart();
      const other = await makeChart({ chart: { description: 'another build' } });
      assert.equal((await r.postChart(http, tgz)).status, 201);
      assertJsonError(await r.postProv(http, makeProv('mychart', '0.1.0', other)), 400);
      assert.equal((await r.download(http, 'mychart-0.1.0.tgz.prov')).status, 404);
    });

    test('a multipart chart and prov that do not match answer 400 and store nothing', async (t) => {
      const { http } = await buildTestApp(t);
      const tgz = await makeChart();
      const other = await makeChart({ chart: { description: 'another build' } });
      assertJsonError(await r.postForm(http, { chart: tgz, prov: makeProv('mychart', '0.1.0', other) }), 400);
      const renamed = makeProv('otherchart', '0.1.0', tgz);
      assertJsonError(await r.postForm(http, { chart: tgz, prov: renamed }), 400);
      assert.equal((await http.get(`${A}/charts/mychart`)).status, 404);
    });

    test('re-uploading an existing version answers 409 by default, and ?force in any form overwrites', async (t) => {
      const { http } = await buildTestApp(t);
      const tgz = await makeChart();
      const rebuilt = await makeChart({ chart: { description: 'rebuilt' } });
      assert.equal((await r.postChart(http, tgz)).status, 201);
      assertJsonError(await r.postChart(http, rebuilt), 409);
      assert.equal((await r.postChart(http, rebuilt, '?force')).status, 201);
      assert.equal((await r.postChart(http, tgz, '?force=false')).status, 201);
      assert.equal((await r.postChart(http, rebuilt, '?force=0')).status, 201);
      const index = await r.index(http);
      assert.equal(index.entries.mychart?.length, 1);
      assert.equal(index.entries.mychart?.[0]?.digest, sha256(rebuilt));
    });

    test('TestRoutes uploads with force disabled: raw chart, raw prov and multipart answer 201, 409, 409', async (t) => {
      const { http } = await buildTestApp(t, { disableForceOverwrite: true });
      const tgz = await makeChart();
      const prov = makeProv('mychart', '0.1.0', tgz);
      assert.equal((await r.postChart(http, tgz)).status, 201);
      assertJsonError(await r.postChart(http, tgz), 409);
      assertJsonError(await r.postChart(http, tgz, '?force'), 409);
      assert.equal((await r.postProv(http, prov)).status, 201);
      assertJsonError(await r.postProv(http, prov), 409);
      assertJsonError(await r.postProv(http, prov, '?force'), 409);
      assert.equal((await http.delete(`${A}/charts/mychart/0.1.0`)).status, 200);
      assert.equal((await r.postForm(http, { chart: tgz })).status, 201);
      assertJsonError(await r.postForm(http, { chart: tgz }), 409);
      assertJsonError(await r.postForm(http, { chart: tgz }, '?force'), 409);
    });

    test('TestOverwriteServer: with allowOverwrite every re-upload answers 201 and the index keeps one entry', async (t) => {
      const { http } = await buildTestApp(t, { allowOverwrite: true });
      const tgz = await makeChart();
      const prov = makeProv('mychart', '0.1.0', tgz);
      assert.equal((await r.postChart(http, tgz)).status, 201);
      assert.equal((await r.postChart(http, tgz)).status, 201);
      assert.equal((await r.index(http)).entries.mychart?.length, 1);
      assert.equal((await r.postProv(http, prov)).status, 201);
      assert.equal((await r.postProv(http, prov)).status, 201);
      assert.equal((await r.postForm(http, { chart: tgz, prov })).status, 201);
      assert.equal((await r.postForm(http, { chart: tgz, prov })).status, 201);
      assert.equal((await r.index(http)).entries.mychart?.length, 1);
    });

    test('TestForceOverwriteServer: delete, then 201, 409 and ?force 201 for raw, prov and multipart', async (t) => {
      const { http, stores, config } = await buildTestApp(t);
      const tgz = await makeChart();
      const prov = makeProv('mychart', '0.1.0', tgz);
      await seed(stores, config, repo, tgz, prov);
      assert.equal((await http.delete(`${A}/charts/mychart/0.1.0`)).status, 200);
      assert.equal((await r.postChart(http, tgz)).status, 201);
      assertJsonError(await r.postChart(http, tgz), 409);
      assert.equal((await r.postChart(http, tgz, '?force')).status, 201);
      assert.equal((await r.postProv(http, prov)).status, 201);
      assertJsonError(await r.postProv(http, prov), 409);
      assert.equal((await r.postProv(http, prov, '?force')).status, 201);
      assert.equal((await http.delete(`${A}/charts/mychart/0.1.0`)).status, 200);
      assert.equal((await r.postForm(http, { chart: tgz })).status, 201);
      assertJsonError(await r.postForm(http, { chart: tgz }), 409);
      assert.equal((await r.postForm(http, { chart: tgz }, '?force')).status, 201);
    });

    test('multipart chart, prov alone, and chart+prov answer 201, and DELETE removes the prov too', async (t) => {
      const { http } = await buildTestApp(t);
      const tgz = await makeChart();
      const prov = makeProv('mychart', '0.1.0', tgz);
      const a = await r.postForm(http, { chart: tgz });
      assert.equal(a.status, 201, a.text);
      assert.deepEqual(a.body, { saved: true });
      const b = await r.postForm(http, { prov });
      assert.equal(b.status, 201, b.text);
      assert.equal((await r.download(http, 'mychart-0.1.0.tgz.prov')).status, 200);
      const del = await http.delete(`${A}/charts/mychart/0.1.0`);
      assert.equal(del.status, 200);
      assert.deepEqual(del.body, { deleted: true });
      assert.equal((await r.download(http, 'mychart-0.1.0.tgz.prov')).status, 404);

      const c = await r.postForm(http, { chart: tgz, prov });
      assert.equal(c.status, 201, c.text);
      assert.equal((await r.download(http, 'mychart-0.1.0.tgz')).status, 200);
      assert.equal((await r.download(http, 'mychart-0.1.0.tgz.prov')).status, 200);
      assert.equal((await http.delete(`${A}/charts/mychart/0.1.0`)).status, 200);
      assert.equal((await r.download(http, 'mychart-0.1.0.tgz')).status, 404);
      assert.equal((await r.download(http, 'mychart-0.1.0.tgz.prov')).status, 404);
    });

    test('multipart with the prov part before the chart part answers 201 and stores both', async (t) => {
      const { http } = await buildTestApp(t);
      const tgz = await makeChart();
      const prov = makeProv('mychart', '0.1.0', tgz);
      const res = await http
        .post(`${A}/charts`)
        .attach('prov', Buffer.from(prov), 'mychart-0.1.0.tgz.prov')
        .attach('chart', tgz, 'mychart-0.1.0.tgz');
      assert.equal(res.status, 201, res.text);
      assert.ok(((await r.download(http, 'mychart-0.1.0.tgz')).body as Buffer).equals(tgz));
      assert.equal(((await r.download(http, 'mychart-0.1.0.tgz.prov')).body as Buffer).toString(), prov);
    });

    test('overwriting a package with other bytes drops the provenance file that signed the old bytes', async (t) => {
      const { http } = await buildTestApp(t, { allowOverwrite: true });
      const tgz = await makeChart();
      const rebuilt = await makeChart({ chart: { description: 'rebuilt' } });
      assert.equal(
        (await r.postForm(http, { chart: tgz, prov: makeProv('mychart', '0.1.0', tgz) })).status,
        201,
      );
      assert.equal((await r.postChart(http, rebuilt)).status, 201);
      assert.equal((await r.download(http, 'mychart-0.1.0.tgz.prov')).status, 404);
      assert.equal((await r.index(http)).entries.mychart?.[0]?.digest, sha256(rebuilt));
    });

    test('two concurrent uploads of the same version: one answers 201, the other 409', async (t) => {
      const { http } = await buildTestApp(t);
      const a = await makeChart({ chart: { description: 'a' } });
      const b = await makeChart({ chart: { description: 'b' } });
      const results = await Promise.all([r.postChart(http, a), r.postChart(http, b)]);
      assert.deepEqual(results.map((res) => res.status).sort(), [201, 409]);
      const winner = results[0]?.status === 201 ? a : b;
      const entries = (await r.index(http)).entries.mychart;
      assert.equal(entries?.length, 1);
      assert.equal(entries?.[0]?.digest, sha256(winner));
    });

    test('multipart with no chart or prov field answers 400', async (t) => {
      const { http } = await buildTestApp(t);
      const tgz = await makeChart();
      assertJsonError(await http.post(`${A}/charts`).attach('unknown', tgz, 'mychart-0.1.0.tgz'), 400);
      assertJsonError(await http.post(`${A}/charts`).field('note', 'hello'), 400);
    });

    test('multipart with a prov in the chart field, or a tgz in the prov field, answers 400', async (t) => {
      const { http, dir } = await buildTestApp(t);
      const tgz = await makeChart();
      const prov = makeProv('mychart', '0.1.0', tgz);
      assertJsonError(await http.post(`${A}/charts`).attach('chart', Buffer.from(prov), 'x.prov'), 400);
      assertJsonError(await http.post(`${A}/charts`).attach('prov', tgz, 'x.tgz'), 400);
      assert.deepEqual(await listFiles(join(dir, 'blobs', 'sha256')), []);
    });

    test('a malformed or truncated multipart body answers 400, not 500, and leaves no temp files', async (t) => {
      const { http, dir } = await buildTestApp(t);
      const tgz = await makeChart();
      const head = Buffer.from(
        '--xyz\r\nContent-Disposition: form-data; name="chart"; filename="c.tgz"\r\n' +
          'Content-Type: application/octet-stream\r\n\r\n',
      );
      const multipart = (boundary: string) => `multipart/form-data${boundary}`;
      assertJsonError(
        await http.post(`${A}/charts`).set('content-type', multipart('; boundary=xyz')).send('garbage'),
        400,
      );
      assertJsonError(await http.post(`${A}/charts`).set('content-type', multipart('')).send('garbage'), 400);
      const truncated = Buffer.concat([head, tgz.subarray(0, 100)]);
      assertJsonError(
        await http.post(`${A}/charts`).set('content-type', multipart('; boundary=xyz')).send(truncated),
        400,
      );
      assert.deepEqual(await listFiles(join(dir, 'blobs', 'tmp')), []);
      assert.deepEqual(await listFiles(join(dir, 'blobs', 'sha256')), []);
    });

    test('the multipart field names follow chartPostFormFieldName and provPostFormFieldName', async (t) => {
      const { http } = await buildTestApp(t, { chartPostFormFieldName: 'pkg', provPostFormFieldName: 'sig' });
      const tgz = await makeChart();
      const prov = makeProv('mychart', '0.1.0', tgz);
      assertJsonError(await http.post(`${A}/charts`).attach('chart', tgz, 'mychart-0.1.0.tgz'), 400);
      const res = await http
        .post(`${A}/charts`)
        .attach('pkg', tgz, 'mychart-0.1.0.tgz')
        .attach('sig', Buffer.from(prov), 'mychart-0.1.0.tgz.prov');
      assert.equal(res.status, 201, res.text);
      assert.equal((await r.download(http, 'mychart-0.1.0.tgz.prov')).status, 200);
    });

    test('TestMaxUploadSizeServer: over maxUploadSize, raw chart, raw prov and multipart answer 413', async (t) => {
      const { http, dir } = await buildTestApp(t, { maxUploadSize: 1 });
      const tgz = await makeChart();
      const prov = makeProv('mychart', '0.1.0', tgz);
      assertJsonError(await r.postChart(http, tgz), 413);
      assertJsonError(await r.postProv(http, prov), 413);
      assertJsonError(await r.postForm(http, { chart: tgz, prov }), 413);
      assert.deepEqual(await listFiles(join(dir, 'blobs')), []);
    });

    test('a chunked body without Content-Length over maxUploadSize answers 413 and leaves no temp files', async (t) => {
      const { app, dir } = await buildTestApp(t, { maxUploadSize: 64 });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as AddressInfo;
      const tgz = await makeChart();
      assert.ok(tgz.length > 64);
      for (const path of [`${A}/charts`, `${A}/prov`]) {
        const res = await postChunked(port, path, [tgz.subarray(0, 40), tgz.subarray(40)]);
        assert.equal(res.status, 413, res.body);
        assert.equal(typeof JSON.parse(res.body).error, 'string');
      }
      assert.deepEqual(await listFiles(join(dir, 'blobs', 'tmp')), []);
      assert.deepEqual(await listFiles(join(dir, 'blobs', 'sha256')), []);
    });

    test('TestBadChartUpload: a chart or prov named ../../../../charts/org2/repo2/evil answers 400 and stores nothing', async (t) => {
      const { http, dir } = await buildTestApp(t);
      const name = '../../../../charts/org2/repo2/evil';
      const tgz = await makeChart({ name, dir: 'evil' });
      const prov = makeProv(name, '0.1.0', tgz);
      assertJsonError(await r.postChart(http, tgz), 400);
      assertJsonError(await r.postProv(http, prov), 400);
      assertJsonError(await r.postForm(http, { chart: tgz, prov }), 400);
      assert.deepEqual(await listFiles(join(dir, 'blobs', 'sha256')), []);
      assert.deepEqual(await listFiles(join(dir, 'blobs', 'tmp')), []);
      assert.deepEqual(await listFiles(join(dir, 'charts')), []);
      const root = await http.get('/api/charts');
      assert.equal(root.status, 200);
      assert.deepEqual(root.body, {});
      if (repo) assertJsonError(await http.get(`${A}/charts`), 404);
    });

    test('failed uploads (409, bad prov, bad chart in a form) leave no temp files behind', async (t) => {
      const { http, dir } = await buildTestApp(t);
      const tgz = await makeChart();
      const other = await makeChart({ chart: { description: 'another build' } });
      assert.equal((await r.postChart(http, tgz)).status, 201);
      assertJsonError(await r.postChart(http, other), 409);
      assertJsonError(await r.postForm(http, { chart: other }), 409);
      assertJsonError(await r.postProv(http, makeProv('mychart', '0.1.0', other)), 400);
      assertJsonError(
        await r.postForm(http, { chart: await makeChart({ version: '0.2.0' }), prov: 'garbage' }),
        400,
      );
      assert.deepEqual(await listFiles(join(dir, 'blobs', 'tmp')), []);
      assert.deepEqual(await listFiles(join(dir, 'blobs', 'sha256')), [sha256(tgz)]);
    });

    test('GET /api/charts lists every chart with its versions newest first, and pages over names', async (t) => {
      const { http } = await buildTestApp(t);
      for (const [name, version] of [
        ['alpha', '0.1.0'],
        ['alpha', '0.2.0'],
        ['bravo', '1.0.0'],
        ['charlie', '2.0.0'],
      ] as const) {
        assert.equal((await r.postChart(http, await makeChart({ name, version }))).status, 201);
      }
      const all = await http.get(`${A}/charts`);
      assert.equal(all.status, 200);
      assert.deepEqual(Object.keys(all.body), ['alpha', 'bravo', 'charlie']);
      assert.deepEqual(
        all.body.alpha.map((v: { version: string }) => v.version),
        ['0.2.0', '0.1.0'],
      );
      const page = await http.get(`${A}/charts?offset=1&limit=1`);
      assert.equal(page.status, 200);
      assert.deepEqual(Object.keys(page.body), ['bravo']);
      const rest = await http.get(`${A}/charts?offset=1`);
      assert.deepEqual(Object.keys(rest.body), ['bravo', 'charlie']);
      const first = await http.get(`${A}/charts?limit=2`);
      assert.deepEqual(Object.keys(first.body), ['alpha', 'bravo']);
      const beyond = await http.get(`${A}/charts?offset=10&limit=5`);
      assert.equal(beyond.status, 200);
      assert.deepEqual(beyond.body, {});
    });

    test('GET /api/charts answers 400 for offset -1, limit 0 and non-numeric values', async (t) => {
      const { http } = await buildTestApp(t);
      assert.equal((await r.postChart(http, await makeChart())).status, 201);
      assertJsonError(await http.get(`${A}/charts?offset=-1&limit=5`), 400);
      assertJsonError(await http.get(`${A}/charts?limit=0`), 400);
      assertJsonError(await http.get(`${A}/charts?offset=1&limit=0`), 400);
      assertJsonError(await http.get(`${A}/charts?offset=abc`), 400);
      assertJsonError(await http.get(`${A}/charts?limit=-3`), 400);
    });

    test('GET and HEAD /api/charts/<name> answer the versions newest first, and 404 for an unknown chart', async (t) => {
      const { http } = await buildTestApp(t);
      for (const version of ['0.1.0', '0.10.0', '0.2.0', '1.0.0-rc.1']) {
        assert.equal((await r.postChart(http, await makeChart({ version }))).status, 201);
      }
      const res = await http.get(`${A}/charts/mychart`);
      assert.equal(res.status, 200);
      assert.deepEqual(
        res.body.map((v: { version: string }) => v.version),
        ['1.0.0-rc.1', '0.10.0', '0.2.0', '0.1.0'],
      );
      for (const entry of res.body) {
        assert.equal(entry.name, 'mychart');
        assert.deepEqual(entry.urls, [`charts/mychart-${entry.version}.tgz`]);
        assert.match(entry.digest, /^[a-f0-9]{64}$/);
        assert.ok(!Number.isNaN(Date.parse(entry.created)));
      }
      assertJsonError(await http.get(`${A}/charts/fakechart`), 404);
      const head = await http.head(`${A}/charts/mychart`);
      assert.equal(head.status, 200);
      assert.deepEqual(head.body, {});
      assert.equal((await http.head(`${A}/charts/fakechart`)).status, 404);
    });

    test('GET and HEAD /api/charts/<name>/<version> resolve exact versions, latest and ranges', async (t) => {
      const { http } = await buildTestApp(t);
      const bytes = new Map<string, Buffer>();
      for (const version of ['0.1.0', '1.2.0', '1.2.5', '1.3.0', '2.0.0', '2.1.0-beta.1']) {
        const tgz = await makeChart({ version });
        bytes.set(version, tgz);
        assert.equal((await r.postChart(http, tgz)).status, 201);
      }
      const exact = await http.get(`${A}/charts/mychart/1.2.0`);
      assert.equal(exact.status, 200);
      assert.equal(exact.body.name, 'mychart');
      assert.equal(exact.body.version, '1.2.0');
      assert.equal(exact.body.digest, sha256(bytes.get('1.2.0') as Buffer));
      assert.deepEqual(exact.body.urls, ['charts/mychart-1.2.0.tgz']);
      assert.equal((await http.get(`${A}/charts/mychart/latest`)).body.version, '2.0.0');
      assert.equal((await http.get(`${A}/charts/mychart/2.1.0-beta.1`)).body.version, '2.1.0-beta.1');
      assert.equal((await http.get(`${A}/charts/mychart/%5E1.2`)).body.version, '1.3.0');
      assert.equal((await http.get(`${A}/charts/mychart/~1.2`)).body.version, '1.2.5');
      assert.equal((await http.get(`${A}/charts/mychart/%3C1.0.0`)).body.version, '0.1.0');
      assert.equal(
        (await http.get(`${A}/charts/mychart/1.2`)).body.version,
        '1.2.5',
        '1.2 is the range 1.2.x',
      );
      assertJsonError(await http.get(`${A}/charts/mychart/0.1.1`), 404);
      assertJsonError(await http.get(`${A}/charts/mychart/%5E5.0`), 404);
      assertJsonError(await http.get(`${A}/charts/fakechart/0.1.0`), 404);
      assertJsonError(await http.get(`${A}/charts/fakechart/latest`), 404);
      assert.equal((await http.head(`${A}/charts/mychart/1.2.0`)).status, 200);
      assert.equal((await http.head(`${A}/charts/mychart/latest`)).status, 200);
      assert.equal((await http.head(`${A}/charts/mychart/0.1.1`)).status, 404);
      assert.equal((await http.head(`${A}/charts/fakechart/0.1.0`)).status, 404);
    });

    test('a full version that is not stored answers 404 on GET and HEAD instead of resolving to another one', async (t) => {
      const { http } = await buildTestApp(t);
      for (const version of ['0.1.0', '0.2.0']) {
        assert.equal((await r.postChart(http, await makeChart({ version }))).status, 201);
      }
      assertJsonError(await http.get(`${A}/charts/mychart/0.1.1`), 404);
      assert.equal((await http.head(`${A}/charts/mychart/0.1.1`)).status, 404);
      assert.equal((await http.delete(`${A}/charts/mychart/0.1.0`)).status, 200);
      assertJsonError(await http.get(`${A}/charts/mychart/0.1.0`), 404);
      assert.equal((await http.get(`${A}/charts/mychart/v0.2.0`)).body.version, '0.2.0');
    });

    test('latest answers 404 when only prereleases are stored', async (t) => {
      const { http } = await buildTestApp(t);
      assert.equal((await r.postChart(http, await makeChart({ version: '1.0.0-alpha.1' }))).status, 201);
      assertJsonError(await http.get(`${A}/charts/mychart/latest`), 404);
    });

    test('DELETE answers 200 {"deleted":true}, removes the version from index.yaml at once, and then 404', async (t) => {
      const { http } = await buildTestApp(t);
      const v1 = await makeChart({ version: '0.1.0' });
      const v2 = await makeChart({ version: '0.2.0' });
      assert.equal((await r.postChart(http, v1)).status, 201);
      assert.equal((await r.postChart(http, v2)).status, 201);
      assert.equal((await r.postProv(http, makeProv('mychart', '0.1.0', v1))).status, 201);
      const res = await http.delete(`${A}/charts/mychart/0.1.0`);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { deleted: true });
      const index = await r.index(http);
      assert.deepEqual(
        index.entries.mychart?.map((e) => e.version),
        ['0.2.0'],
      );
      const versions = await http.get(`${A}/charts/mychart`);
      assert.deepEqual(
        versions.body.map((v: { version: string }) => v.version),
        ['0.2.0'],
      );
      assertJsonError(await http.get(`${A}/charts/mychart/0.1.0`), 404);
      assertJsonError(await r.download(http, 'mychart-0.1.0.tgz'), 404);
      assertJsonError(await r.download(http, 'mychart-0.1.0.tgz.prov'), 404);
      assertJsonError(await http.delete(`${A}/charts/mychart/0.1.0`), 404);
      assertJsonError(await http.delete(`${A}/charts/fakechart/0.1.0`), 404);
      assert.equal((await http.delete(`${A}/charts/mychart/0.2.0`)).status, 200);
      const empty = await r.index(http);
      assert.deepEqual(empty.entries, {});
      assert.equal((await http.get(`${P}/index.yaml`)).status, 200);
    });

    test('DELETE /api/charts/mychart2-0.1.0-beta/1 deletes the version whose file is mychart2-0.1.0-beta-1.tgz', async (t) => {
      const { http } = await buildTestApp(t);
      const tgz = await makeChart({ name: 'mychart2', version: '0.1.0-beta-1' });
      assert.equal((await r.postChart(http, tgz)).status, 201);
      assert.equal((await r.postProv(http, makeProv('mychart2', '0.1.0-beta-1', tgz))).status, 201);
      const res = await http.delete(`${A}/charts/mychart2-0.1.0-beta/1`);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, { deleted: true });
      assertJsonError(await http.get(`${A}/charts/mychart2/0.1.0-beta-1`), 404);
      assertJsonError(await http.get(`${A}/charts/mychart2`), 404);
      assert.equal((await r.download(http, 'mychart2-0.1.0-beta-1.tgz')).status, 404);
      assert.equal((await r.download(http, 'mychart2-0.1.0-beta-1.tgz.prov')).status, 404);
      assert.deepEqual((await r.index(http)).entries, {});
    });

    test('a version whose file name another version already has answers 409, even with ?force', async (t) => {
      const { http } = await buildTestApp(t);
      // x 1.0.0-rc-1 and x-1.0.0-rc 1 are both x-1.0.0-rc-1.tgz: one URL cannot name two packages
      const first = await makeChart({ name: 'x', version: '1.0.0-rc-1' });
      const clash = await makeChart({ name: 'x-1.0.0-rc', version: '1' });
      assert.equal((await r.postChart(http, first)).status, 201);
      assertJsonError(await r.postChart(http, clash), 409);
      assertJsonError(await r.postChart(http, clash, '?force'), 409);
      assertJsonError(await r.postForm(http, { chart: clash }), 409);
      assertJsonError(await r.postProv(http, makeProv('x-1.0.0-rc', '1', clash)), 409);
      const urls = Object.values((await r.index(http)).entries).flatMap((list) =>
        list.flatMap((e) => e.urls),
      );
      assert.deepEqual(urls, ['charts/x-1.0.0-rc-1.tgz']);
      assert.ok(((await r.download(http, 'x-1.0.0-rc-1.tgz')).body as Buffer).equals(first));
      assert.equal((await r.download(http, 'x-1.0.0-rc-1.tgz.prov')).status, 404);
      assert.equal((await r.postProv(http, makeProv('x', '1.0.0-rc-1', first))).status, 201);
    });

    test('a stray provenance file blocks a chart whose file name it would sign', async (t) => {
      const { http } = await buildTestApp(t);
      const clash = await makeChart({ name: 'x-1.0.0-rc', version: '1' });
      assert.equal((await r.postProv(http, makeProv('x-1.0.0-rc', '1', clash))).status, 201);
      assertJsonError(await r.postChart(http, await makeChart({ name: 'x', version: '1.0.0-rc-1' })), 409);
      assert.equal((await r.postChart(http, clash)).status, 201);
    });

    test('with disableApi every /api route answers 404 while the classic routes still serve', async (t) => {
      const { http, stores, config } = await buildTestApp(t, { disableApi: true });
      const tgz = await makeChart();
      const prov = makeProv('mychart', '0.1.0', tgz);
      await seed(stores, config, repo, tgz, prov);
      assertJsonError(await http.get(`${A}/charts`), 404);
      assertJsonError(await http.get(`${A}/charts/mychart`), 404);
      assertJsonError(await http.get(`${A}/charts/mychart/0.1.0`), 404);
      assert.equal((await http.head(`${A}/charts/mychart/0.1.0`)).status, 404);
      assertJsonError(await r.postChart(http, tgz), 404);
      assertJsonError(await r.postProv(http, prov), 404);
      assertJsonError(await r.postForm(http, { chart: tgz }), 404);
      assertJsonError(await http.delete(`${A}/charts/mychart/0.1.0`), 404);
      assertJsonError(await http.get('/api/repositories'), 404);
      assert.equal((await r.index(http)).entries.mychart?.length, 1);
      assert.equal((await r.download(http, 'mychart-0.1.0.tgz')).status, 200);
    });

    test('with disableDelete DELETE answers 404 and the version stays', async (t) => {
      const { http } = await buildTestApp(t, { disableDelete: true });
      assert.equal((await r.postChart(http, await makeChart())).status, 201);
      assertJsonError(await http.delete(`${A}/charts/mychart/0.1.0`), 404);
      assert.equal((await http.get(`${A}/charts/mychart/0.1.0`)).status, 200);
      assert.equal((await r.index(http)).entries.mychart?.length, 1);
    });

    test('errors are JSON {"error"} and carry an X-Request-Id', async (t) => {
      const { http } = await buildTestApp(t);
      const res = await http.get(`${A}/charts/fakechart`).set('x-request-id', 'abc-123');
      assertJsonError(res, 404);
      assert.equal(res.headers['x-request-id'], 'abc-123');
    });
  });
}

describe('chart API across repositories', () => {
  test('an unknown repository answers 404 JSON on every read route', async (t) => {
    const { http } = await buildTestApp(t);
    assertJsonError(await http.get('/nope/index.yaml'), 404);
    assertJsonError(await http.get('/api/nope/charts'), 404);
    assertJsonError(await http.get('/api/nope/charts/mychart'), 404);
    assertJsonError(await http.get('/api/nope/charts/mychart/0.1.0'), 404);
    assertJsonError(await http.delete('/api/nope/charts/mychart/0.1.0'), 404);
    assertJsonError(await http.get('/team/apps/charts/mychart-0.1.0.tgz'), 404);
  });

  test('the first push creates a repository of one, two or three segments', async (t) => {
    const { http } = await buildTestApp(t);
    const tgz = await makeChart();
    for (const repo of ['one', 'one/two', 'one/two/three']) {
      assertJsonError(await http.get(`/${repo}/index.yaml`), 404);
      const res = await http.post(`/api/${repo}/charts`).send(tgz);
      assert.equal(res.status, 201, res.text);
      const index = yaml.load((await http.get(`/${repo}/index.yaml`)).text) as {
        entries: Record<string, unknown[]>;
      };
      assert.equal(index.entries.mychart?.length, 1);
    }
  });

  test('two repositories hold the same name and version independently', async (t) => {
    const { http } = await buildTestApp(t);
    const rootTgz = await makeChart({ chart: { description: 'root copy' } });
    const teamTgz = await makeChart({ chart: { description: 'team copy' } });
    assert.equal((await http.post('/api/charts').send(rootTgz)).status, 201);
    assert.equal((await http.post('/api/team/apps/charts').send(teamTgz)).status, 201);
    const root = await http.get('/api/charts/mychart/0.1.0');
    const team = await http.get('/api/team/apps/charts/mychart/0.1.0');
    assert.equal(root.body.description, 'root copy');
    assert.equal(root.body.digest, sha256(rootTgz));
    assert.equal(team.body.description, 'team copy');
    assert.equal(team.body.digest, sha256(teamTgz));
    assert.equal((await http.delete('/api/team/apps/charts/mychart/0.1.0')).status, 200);
    assert.equal((await http.get('/api/charts/mychart/0.1.0')).status, 200);
    assert.equal((await http.get('/api/team/apps/charts/mychart/0.1.0')).status, 404);
  });

  test('the same package bytes in two repositories stay downloadable after one deletes them', async (t) => {
    const { http } = await buildTestApp(t);
    const tgz = await makeChart();
    assert.equal((await http.post('/api/charts').send(tgz)).status, 201);
    assert.equal((await http.post('/api/team/apps/charts').send(tgz)).status, 201);
    assert.equal((await http.delete('/api/charts/mychart/0.1.0')).status, 200);
    const res = await http.get('/team/apps/charts/mychart-0.1.0.tgz').buffer(true).parse(binaryParser);
    assert.equal(res.status, 200);
    assert.ok((res.body as Buffer).equals(tgz));
  });

  test('uploads into UPPER, a reserved segment or more than three segments answer 400', async (t) => {
    const { http, dir } = await buildTestApp(t);
    const tgz = await makeChart();
    const prov = makeProv('mychart', '0.1.0', tgz);
    const bad = ['UPPER', 'api/x', 'a/b/c/d', 'team/Apps', 'team/info', 'a_/b', 'x/y/z/w/v'];
    for (const word of ['api', 'charts', 'v2', 'ui', 'static', 'health', 'info', 'metrics']) bad.push(word);
    for (const repo of bad) {
      assertJsonError(await http.post(`/api/${repo}/charts`).send(tgz), 400);
      assertJsonError(await http.post(`/api/${repo}/prov`).send(Buffer.from(prov)), 400);
      assertJsonError(await http.post(`/api/${repo}/charts`).attach('chart', tgz, 'mychart-0.1.0.tgz'), 400);
    }
    assert.deepEqual(await listFiles(join(dir, 'blobs', 'sha256')), []);
    assert.deepEqual(await listFiles(join(dir, 'blobs', 'tmp')), []);
    const repos = await http.get('/api/repositories');
    assert.deepEqual(
      repos.body.repositories.filter((r: { path: string }) => r.path !== ''),
      [],
    );
  });

  test('GET /api/repositories lists each repository with its chart and version counts', async (t) => {
    const { http } = await buildTestApp(t);
    const uploads: Array<[string, string, string]> = [
      ['', 'mychart', '0.1.0'],
      ['team/apps', 'mychart', '0.1.0'],
      ['team/apps', 'mychart', '0.2.0'],
      ['team/apps', 'other', '1.0.0'],
      ['stable', 'db', '3.0.0'],
    ];
    for (const [repo, name, version] of uploads) {
      const url = repo ? `/api/${repo}/charts` : '/api/charts';
      assert.equal((await http.post(url).send(await makeChart({ name, version }))).status, 201);
    }
    const res = await http.get('/api/repositories');
    assert.equal(res.status, 200);
    const byPath = new Map(
      (res.body.repositories as Array<{ path: string; charts: number; versions: number }>).map((r) => [
        r.path,
        { charts: r.charts, versions: r.versions },
      ]),
    );
    assert.deepEqual(byPath.get(''), { charts: 1, versions: 1 });
    assert.deepEqual(byPath.get('team/apps'), { charts: 2, versions: 3 });
    assert.deepEqual(byPath.get('stable'), { charts: 1, versions: 1 });
  });
});
