import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildTestApp, type TestApp } from '../support/build-app.js';
import { freshDatabase } from '../support/engines.js';
import { makeChart } from '../support/make-chart.js';

/*
 * The JSON reads served from keyed lookups and per-revision caches: whatever they remember, the
 * answer a client gets right after a push or delete returns is the new one, on SQLite and on
 * PostgreSQL (which remembers nothing between requests but the rendered documents).
 */

type Http = TestApp['http'];

const push = async (http: Http, base: string, name: string, version: string) => {
  const res = await http.post(`${base}/charts`).send(await makeChart({ name, version }));
  assert.equal(res.status, 201, res.text);
};
const remove = async (http: Http, base: string, name: string, version: string) => {
  const res = await http.delete(`${base}/charts/${name}/${version}`);
  assert.equal(res.status, 200, res.text);
};
const versionsOf = (body: Array<{ version: string }>) => body.map((entry) => entry.version);

for (const backend of ['sqlite', 'postgres'] as const) {
  const build = async (t: { after(fn: () => unknown): void }) =>
    buildTestApp(t, backend === 'postgres' ? { database: await freshDatabase() } : {});

  for (const base of ['/api', '/api/team/apps']) {
    describe(`${backend}: chart reads under ${base}`, () => {
      test('the chart document and its ETag change the moment a push or delete returns', async (t) => {
        const { http } = await build(t);
        await push(http, base, 'app', '1.9.0');
        const first = await http.get(`${base}/charts/app`);
        assert.equal(first.status, 200);
        assert.match(String(first.headers['content-type']), /^application\/json/);
        const etag = String(first.headers.etag);
        assert.match(etag, /^"[0-9a-f]{32}"$/);
        assert.deepEqual(versionsOf(first.body), ['1.9.0']);

        const unchanged = await http.get(`${base}/charts/app`).set('if-none-match', etag);
        assert.equal(unchanged.status, 304);
        assert.equal(unchanged.text, '');

        await push(http, base, 'app', '1.10.0');
        const afterPush = await http.get(`${base}/charts/app`).set('if-none-match', etag);
        assert.equal(afterPush.status, 200);
        assert.notEqual(afterPush.headers.etag, etag);
        assert.deepEqual(versionsOf(afterPush.body), ['1.10.0', '1.9.0']);

        // a push to another chart moves the revision but not this chart's bytes: same ETag, 304
        await push(http, base, 'other', '0.1.0');
        const sameBytes = await http
          .get(`${base}/charts/app`)
          .set('if-none-match', String(afterPush.headers.etag));
        assert.equal(sameBytes.status, 304);

        await remove(http, base, 'app', '1.10.0');
        const afterDelete = await http.get(`${base}/charts/app`);
        assert.equal(afterDelete.headers.etag, etag);
        assert.deepEqual(versionsOf(afterDelete.body), ['1.9.0']);

        await remove(http, base, 'app', '1.9.0');
        assert.equal((await http.get(`${base}/charts/app`)).status, 404);
      });

      test('a version or range read before an overwrite, a push or a delete is not what is served after it', async (t) => {
        const { http } = await build(t);
        await push(http, base, 'app', '1.0.0');
        const before = await http.get(`${base}/charts/app/1.0.0`);
        assert.equal((await http.get(`${base}/charts/app/~1.0`)).body.version, '1.0.0');

        const replaced = await makeChart({
          name: 'app',
          version: '1.0.0',
          chart: { description: 'replaced' },
        });
        assert.equal((await http.post(`${base}/charts?force`).send(replaced)).status, 201);
        const after = await http.get(`${base}/charts/app/1.0.0`);
        assert.notEqual(after.body.digest, before.body.digest);
        assert.equal(after.body.description, 'replaced');

        await push(http, base, 'app', '1.0.5');
        assert.equal((await http.get(`${base}/charts/app/~1.0`)).body.version, '1.0.5');
        await remove(http, base, 'app', '1.0.5');
        assert.equal((await http.get(`${base}/charts/app/~1.0`)).body.version, '1.0.0');
        assert.equal((await http.get(`${base}/charts/app/1.0.5`)).status, 404);
        await remove(http, base, 'app', '1.0.0');
        assert.equal((await http.get(`${base}/charts/app/1.0.0`)).status, 404);
      });

      test('latest is the highest release in SemVer order and follows pushes and deletes at once', async (t) => {
        const { http } = await build(t);
        for (const v of ['1.9.0', '1.10.0', '2.0.0-rc.1', '1.10.1-beta.1']) await push(http, base, 'app', v);
        const latest = async () => (await http.get(`${base}/charts/app/latest`)).body.version;
        assert.equal(await latest(), '1.10.0');

        await push(http, base, 'app', '1.11.0');
        assert.equal(await latest(), '1.11.0');
        await remove(http, base, 'app', '1.11.0');
        assert.equal(await latest(), '1.10.0');
        assert.equal((await http.get(`${base}/charts/app/1.11.0`)).status, 404);

        // exact versions, including a prerelease, and ranges resolve in the same order
        assert.equal((await http.get(`${base}/charts/app/2.0.0-rc.1`)).body.version, '2.0.0-rc.1');
        assert.equal((await http.get(`${base}/charts/app/~1.9`)).body.version, '1.9.0');
        assert.equal((await http.get(`${base}/charts/app/%5E1`)).body.version, '1.10.0');
        assert.equal((await http.get(`${base}/charts/app/1.12.0`)).status, 404);
        assert.equal((await http.get(`${base}/charts/none/latest`)).status, 404);

        await remove(http, base, 'app', '1.10.0');
        await remove(http, base, 'app', '1.9.0');
        // only prereleases are left: no latest, but the chart and its versions are there
        const none = await http.get(`${base}/charts/app/latest`);
        assert.equal(none.status, 404);
        assert.match(none.body.error, /no version of chart "app" matches "latest"/);
        assert.equal((await http.get(`${base}/charts/app/1.10.1-beta.1`)).status, 200);
      });

      test('chart pages are stable, complete and in name order, each chart newest first', async (t) => {
        const { http } = await build(t);
        const names = ['echo', 'alpha', 'delta', 'bravo', 'charlie'];
        for (const name of names) {
          await push(http, base, name, '0.9.0');
          await push(http, base, name, '0.10.0');
        }
        const seen: string[] = [];
        for (let offset = 0; offset < names.length; offset += 2) {
          const page = await http.get(`${base}/charts?offset=${offset}&limit=2`);
          assert.equal(page.status, 200);
          const again = await http.get(`${base}/charts?offset=${offset}&limit=2`);
          assert.deepEqual(again.body, page.body);
          for (const [name, entries] of Object.entries(
            page.body as Record<string, Array<{ version: string }>>,
          )) {
            assert.deepEqual(versionsOf(entries), ['0.10.0', '0.9.0'], name);
            seen.push(name);
          }
        }
        assert.deepEqual(seen, [...names].sort());
        const past = await http.get(`${base}/charts?offset=5&limit=2`);
        assert.deepEqual(past.body, {});
      });
    });
  }
}
