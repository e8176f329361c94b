import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addRepository, addUser, basic } from '../support/auth.js';
import { buildTestApp, type TestApp } from '../support/build-app.js';
import { freshDatabase } from '../support/engines.js';
import { makeChart } from '../support/make-chart.js';
import { publishChart } from '../support/ui.js';

/*
 * What issue 18 asks of search, through /api/search on both metadata stores: corrections for
 * misspelt names, hints for what the deprecated and prerelease filters hid, facets, orders, and
 * nothing of a private repository ever counted for a caller who may not read it.
 */

type Http = TestApp['http'];
type Body = {
  total: number;
  sort: string;
  results: Array<{ repository: string; name: string }>;
  facets: {
    repositories: Array<{ repository: string; count: number }>;
    keywords: Array<{ keyword: string; count: number }>;
  };
  hidden: { deprecated: number; prerelease: number };
  suggestions: Array<{ text: string; total: number }>;
};

const search = async (http: Http, query: string, headers: Record<string, string> = {}): Promise<Body> => {
  const res = await http.get(`/api/search?${query}`).set(headers);
  assert.equal(res.status, 200, res.text);
  return res.body as Body;
};
const names = (body: Body) => body.results.map((r) => `${r.repository}:${r.name}`);

async function seed(http: Http) {
  const charts: Array<[string, string, string, Record<string, unknown>]> = [
    ['', 'postgresql', '12.1.0', { keywords: ['database', 'sql'], description: 'Relational database' }],
    ['', 'prometheus', '25.0.0', { keywords: ['monitoring', 'metrics'], description: 'Monitoring system' }],
    ['', 'prometheus-node-exporter', '4.0.0', { keywords: ['monitoring'], description: 'Host metrics' }],
    ['team', 'mysql', '9.0.0', { keywords: ['database', 'sql'], description: 'Relational database' }],
    [
      'team',
      'oldsql',
      '1.0.0',
      { keywords: ['database'], deprecated: true, description: 'Retired database' },
    ],
    ['team', 'nightly', '0.1.0-alpha.1', { keywords: ['database'], description: 'Nightly database' }],
  ];
  for (const [repository, name, version, chart] of charts)
    await publishChart(http, repository, { name, version, chart });
}

for (const backend of ['sqlite', 'postgres'] as const) {
  const build = async (t: { after(fn: () => unknown): void }, overrides = {}) =>
    buildTestApp(t, { ...(backend === 'postgres' ? { database: await freshDatabase() } : {}), ...overrides });

  describe(`${backend}: /api/search corrections, hints, facets and orders`, () => {
    test('a misspelt name finds nothing but offers the name it was probably meant to be', async (t) => {
      const { http } = await build(t);
      await seed(http);
      const typo = await search(http, 'q=postgress');
      assert.deepEqual([typo.total, typo.results], [0, []]);
      assert.deepEqual(typo.suggestions, [{ text: 'postgresql', total: 1 }]);
      const swapped = await search(http, 'q=promethues');
      assert.deepEqual(swapped.suggestions, [{ text: 'prometheus', total: 2 }]);
      // a word among correct ones is corrected in place
      assert.deepEqual((await search(http, 'q=promethues%20node')).suggestions, [
        { text: 'prometheus node', total: 1 },
      ]);
      // short words and far-off words are not guessed at; a query that finds something gets no corrections
      assert.deepEqual((await search(http, 'q=pgs')).suggestions, []);
      assert.deepEqual((await search(http, 'q=zookeeper')).suggestions, []);
      assert.deepEqual((await search(http, 'q=postgres')).suggestions, []);
      // a correction counts under the same filters: one that would find only other repositories is not offered
      assert.deepEqual((await search(http, 'q=postgress&repo=team')).suggestions, []);
    });

    test('the exact name of a deprecated or prerelease-only chart says what was hidden', async (t) => {
      const { http } = await build(t);
      await seed(http);
      const old = await search(http, 'q=oldsql');
      assert.deepEqual([old.total, old.hidden], [0, { deprecated: 1, prerelease: 0 }]);
      assert.deepEqual(names(await search(http, 'q=oldsql&deprecated=true')), ['team:oldsql']);
      const nightly = await search(http, 'q=nightly');
      assert.deepEqual([nightly.total, nightly.hidden], [0, { deprecated: 0, prerelease: 1 }]);
      assert.deepEqual(names(await search(http, 'q=nightly&prerelease=true')), ['team:nightly']);
      assert.deepEqual((await search(http, 'q=database')).hidden, { deprecated: 1, prerelease: 1 });
      assert.deepEqual((await search(http, 'q=database&deprecated=true&prerelease=true')).hidden, {
        deprecated: 0,
        prerelease: 0,
      });
    });

    test('facets count hits per repository and keyword, and keyword= narrows to one', async (t) => {
      const { http } = await build(t);
      await seed(http);
      const db = await search(http, 'q=database');
      assert.deepEqual(db.facets.repositories, [
        { repository: '', count: 1 },
        { repository: 'team', count: 1 },
      ]);
      assert.deepEqual(db.facets.keywords, [
        { keyword: 'database', count: 2 },
        { keyword: 'sql', count: 2 },
      ]);
      const all = await search(http, 'repo=team&deprecated=true');
      assert.deepEqual(all.facets.repositories, [
        { repository: '', count: 3 },
        { repository: 'team', count: 2 },
      ]);
      const monitoring = await search(http, 'keyword=Monitoring');
      assert.deepEqual(names(monitoring), [':prometheus', ':prometheus-node-exporter']);
      assert.equal(
        monitoring.facets.keywords[0]?.keyword,
        'database',
        'the keyword facet ignores its own filter',
      );
      assert.deepEqual(monitoring.facets.repositories, [{ repository: '', count: 2 }]);
    });

    test('sort orders by relevance, name or last update, and an unknown order is a 400', async (t) => {
      const { http } = await build(t);
      for (const [name, description] of [
        ['zeta', 'mentions alpha in passing'],
        ['alpha', 'the first'],
        ['beta', 'alpha compatible'],
      ]) {
        await publishChart(http, '', { name, version: '1.0.0', chart: { description } });
        // created is the push time in milliseconds: a pause keeps the three apart
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      // zeta, then alpha, then beta were pushed: beta was updated last
      await publishChart(http, '', {
        name: 'beta',
        version: '1.1.0',
        chart: { description: 'alpha compatible' },
      });
      const relevance = await search(http, 'q=alpha');
      assert.equal(relevance.sort, 'relevance');
      assert.equal(names(relevance)[0], ':alpha');
      assert.deepEqual(names(await search(http, 'q=alpha&sort=name')), [':alpha', ':beta', ':zeta']);
      assert.deepEqual(names(await search(http, 'q=alpha&sort=updated')), [':beta', ':alpha', ':zeta']);
      assert.deepEqual(names(await search(http, 'sort=updated')), [':beta', ':alpha', ':zeta']);
      const bad = await http.get('/api/search?sort=popular');
      assert.equal(bad.status, 400);
      assert.deepEqual(bad.body, { error: 'sort must be relevance, name, updated, not "popular"' });
    });

    test('results, facets, hints and corrections change the moment a push or delete returns', async (t) => {
      const { http } = await build(t);
      await seed(http);
      assert.deepEqual((await search(http, 'q=redis')).suggestions, []);
      await publishChart(http, 'team', { name: 'redis', version: '7.0.0', chart: { keywords: ['cache'] } });
      assert.deepEqual(names(await search(http, 'q=redis')), ['team:redis']);
      assert.deepEqual((await search(http, 'q=rediss')).suggestions, [{ text: 'redis', total: 1 }]);
      assert.deepEqual((await search(http, 'keyword=cache')).facets.repositories, [
        { repository: 'team', count: 1 },
      ]);
      await publishChart(http, 'team', { name: 'redis', version: '8.0.0', chart: { deprecated: true } });
      assert.deepEqual((await search(http, 'q=redis')).hidden, { deprecated: 1, prerelease: 0 });
      assert.equal((await http.delete('/api/team/charts/redis/8.0.0')).status, 200);
      assert.deepEqual(names(await search(http, 'q=redis')), ['team:redis']);
      assert.equal((await http.delete('/api/team/charts/redis/7.0.0')).status, 200);
      const gone = await search(http, 'q=rediss');
      assert.deepEqual(
        [gone.total, gone.suggestions, gone.hidden],
        [0, [], { deprecated: 0, prerelease: 0 }],
      );
    });

    test('a private repository never shows in results, facets, hints or corrections to those who may not read it', async (t) => {
      const { http, stores } = await build(t, { auth: 'on' });
      await addUser(stores.auth, 'root', 'root-password', true);
      await addUser(stores.auth, 'member', 'member-password');
      await addUser(stores.auth, 'outsider', 'outsider-password');
      const root = { authorization: basic('root', 'root-password') };
      const push = async (
        repository: string,
        name: string,
        version: string,
        chart: Record<string, unknown>,
      ) => {
        const res = await http
          .post(`/api/${repository}/charts`)
          .set(root)
          .send(await makeChart({ name, version, chart }));
        assert.equal(res.status, 201, res.text);
      };
      await push('open', 'grafana', '1.0.0', { keywords: ['dashboards'] });
      await push('secret', 'confidential', '1.0.0', { keywords: ['classified', 'dashboards'] });
      await push('secret', 'hushhush', '1.0.0', { deprecated: true, keywords: ['classified'] });
      await push('secret', 'embargoed', '0.1.0-rc.1', { keywords: ['classified'] });
      await addRepository(stores.auth, 'open', 'public');
      await addRepository(stores.auth, 'secret', 'private', { member: 'read' });

      for (const who of [{}, { authorization: basic('outsider', 'outsider-password') }] as Array<
        Record<string, string>
      >) {
        const everything = await search(http, 'deprecated=true&prerelease=true', who);
        assert.deepEqual(names(everything), ['open:grafana']);
        assert.deepEqual(everything.facets.repositories, [{ repository: 'open', count: 1 }]);
        assert.deepEqual(everything.facets.keywords, [{ keyword: 'dashboards', count: 1 }]);
        const dashboards = await search(http, 'q=dashboards', who);
        assert.deepEqual(
          [dashboards.total, dashboards.facets.keywords],
          [1, [{ keyword: 'dashboards', count: 1 }]],
        );
        for (const q of ['confidential', 'hushhush', 'embargoed', 'classified']) {
          const body = await search(http, `q=${q}`, who);
          assert.deepEqual(
            [body.total, body.hidden, body.suggestions, body.facets],
            [0, { deprecated: 0, prerelease: 0 }, [], { repositories: [], keywords: [] }],
            q,
          );
        }
        assert.deepEqual((await search(http, 'q=confidentail', who)).suggestions, []);
        assert.deepEqual((await search(http, 'q=hushhush&repo=secret', who)).hidden, {
          deprecated: 0,
          prerelease: 0,
        });
      }
      const member = { authorization: basic('member', 'member-password') };
      assert.deepEqual((await search(http, 'q=hushhush', member)).hidden, { deprecated: 1, prerelease: 0 });
      assert.deepEqual((await search(http, 'q=embargoed', member)).hidden, { deprecated: 0, prerelease: 1 });
      assert.deepEqual((await search(http, 'q=confidentail', member)).suggestions, [
        { text: 'confidential', total: 1 },
      ]);
      assert.deepEqual((await search(http, 'q=dashboards', member)).facets.repositories, [
        { repository: 'open', count: 1 },
        { repository: 'secret', count: 1 },
      ]);
    });
  });
}
