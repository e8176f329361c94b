import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildTestApp, type TestContext } from '../support/build-app.js';
import { publishChart } from '../support/ui.js';

async function seeded(t: TestContext) {
  const built = await buildTestApp(t);
  const { http } = built;
  await publishChart(http, '', {
    name: 'nginx',
    version: '1.0.0',
    chart: {
      description: 'A web server',
      appVersion: '1.25.3',
      keywords: ['proxy', 'http'],
      icon: 'https://example.com/n.png',
    },
  });
  await publishChart(http, '', {
    name: 'nginx',
    version: '1.1.0-rc.1',
    chart: { description: 'A web server' },
  });
  await publishChart(http, 'team', {
    name: 'redis',
    version: '7.0.0',
    chart: { description: 'In-memory cache' },
  });
  await publishChart(http, 'team', {
    name: 'legacy',
    version: '2.0.0',
    chart: { deprecated: true, description: 'Old' },
  });
  await publishChart(http, 'team/apps', {
    name: 'preview',
    version: '0.1.0-alpha.1',
    chart: { description: 'Early web' },
  });
  return built;
}

const names = (body: { results: Array<{ repository: string; name: string; version: string }> }) =>
  body.results.map((r) => `${r.repository}:${r.name}@${r.version}`);

describe('GET /api/search', () => {
  test('answers one page of charts with the fields of their latest release, total, offset and limit', async (t) => {
    const { http } = await seeded(t);
    const res = await http.get('/api/search?q=nginx');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(res.body.results[0].digest.length, 64);
    assert.match(res.body.results[0].created, /^\d{4}-\d\d-\d\dT/);
    const [hit] = res.body.results;
    assert.deepEqual(
      { ...res.body, results: [{ ...hit, digest: 'x', created: 'x', updated: 'x' }] },
      {
        total: 1,
        offset: 0,
        limit: 20,
        sort: 'relevance',
        facets: {
          repositories: [{ repository: '', count: 1 }],
          keywords: [
            { keyword: 'http', count: 1 },
            { keyword: 'proxy', count: 1 },
          ],
        },
        hidden: { deprecated: 0, prerelease: 0 },
        suggestions: [],
        results: [
          {
            repository: '',
            name: 'nginx',
            version: '1.0.0',
            appVersion: '1.25.3',
            description: 'A web server',
            icon: 'https://example.com/n.png',
            keywords: ['proxy', 'http'],
            deprecated: false,
            type: 'application',
            digest: 'x',
            created: 'x',
            updated: 'x',
            versions: 2,
            provenance: { signed: false, verified: false, signer: null, fingerprint: null },
          },
        ],
      },
    );
  });

  test('words match the start of words in names, descriptions and keywords, and all must match', async (t) => {
    const { http } = await seeded(t);
    assert.deepEqual(names((await http.get('/api/search?q=red')).body), ['team:redis@7.0.0']);
    assert.deepEqual(names((await http.get('/api/search?q=MEMORY')).body), ['team:redis@7.0.0']);
    assert.deepEqual(names((await http.get('/api/search?q=prox')).body), [':nginx@1.0.0']);
    assert.deepEqual(names((await http.get('/api/search?q=web%20serv')).body), [':nginx@1.0.0']);
    assert.deepEqual(names((await http.get('/api/search?q=web%20cache')).body), []);
    assert.deepEqual(names((await http.get('/api/search?q=edis')).body), []);
  });

  test('repo narrows to one repository, and / stands for the root repository', async (t) => {
    const { http } = await seeded(t);
    assert.deepEqual(names((await http.get('/api/search?repo=team')).body), ['team:redis@7.0.0']);
    assert.deepEqual(names((await http.get('/api/search?repo=%2F')).body), [':nginx@1.0.0']);
    assert.deepEqual(names((await http.get('/api/search?repo=')).body), [':nginx@1.0.0', 'team:redis@7.0.0']);
    const nowhere = (await http.get('/api/search?repo=nowhere')).body;
    assert.deepEqual([nowhere.total, nowhere.results], [0, []]);
    // the repository facet counts as if no repository were chosen, so that another can be picked
    assert.deepEqual(nowhere.facets.repositories, [
      { repository: '', count: 1 },
      { repository: 'team', count: 1 },
    ]);
  });

  test('prereleases and deprecated charts are left out unless asked for', async (t) => {
    const { http } = await seeded(t);
    assert.deepEqual(names((await http.get('/api/search?q=web')).body), [':nginx@1.0.0']);
    // with text, the order is relevance; the set is what this checks
    assert.deepEqual(names((await http.get('/api/search?q=web&prerelease=true')).body).sort(), [
      ':nginx@1.1.0-rc.1',
      'team/apps:preview@0.1.0-alpha.1',
    ]);
    const deprecated = await http.get('/api/search?repo=team&deprecated=true');
    assert.deepEqual(names(deprecated.body), ['team:legacy@2.0.0', 'team:redis@7.0.0']);
    assert.equal(deprecated.body.results[0].deprecated, true);
    assert.deepEqual(names((await http.get('/api/search?repo=team&deprecated=false')).body), [
      'team:redis@7.0.0',
    ]);
  });

  test('limit and offset page through the hits in name order', async (t) => {
    const { http } = await buildTestApp(t);
    for (const name of ['e', 'a', 'd', 'c', 'b']) await publishChart(http, '', { name, version: '1.0.0' });
    const first = await http.get('/api/search?limit=2');
    assert.deepEqual([first.body.total, first.body.limit, first.body.offset], [5, 2, 0]);
    assert.deepEqual(names(first.body), [':a@1.0.0', ':b@1.0.0']);
    assert.deepEqual(names((await http.get('/api/search?limit=2&offset=4')).body), [':e@1.0.0']);
    assert.deepEqual(names((await http.get('/api/search?offset=5')).body), []);
  });

  test('deletes and new versions show in the next answer', async (t) => {
    const { http } = await seeded(t);
    await publishChart(http, 'team', {
      name: 'redis',
      version: '7.2.0',
      chart: { description: 'Now with streams' },
    });
    assert.deepEqual(names((await http.get('/api/search?q=streams')).body), ['team:redis@7.2.0']);
    assert.equal((await http.delete('/api/team/charts/redis/7.2.0')).status, 200);
    assert.deepEqual(names((await http.get('/api/search?q=redis')).body), ['team:redis@7.0.0']);
    assert.equal((await http.delete('/api/team/charts/redis/7.0.0')).status, 200);
    assert.equal((await http.get('/api/search?q=redis')).body.total, 0);
  });

  test('invalid parameters answer 400 in the {"error"} envelope, naming the problem', async (t) => {
    const { http } = await buildTestApp(t);
    const cases: Array<[string, string]> = [
      ['limit=0', 'limit must be a whole number from 1 to 100'],
      ['limit=101', 'limit must be a whole number from 1 to 100'],
      ['offset=-1', 'offset must be a whole number from 0 to 100000000'],
      ['limit=1.5', 'limit must be a whole number from 1 to 100'],
      ['prerelease=maybe', 'prerelease must be true or false, not "maybe"'],
      ['deprecated=2', 'deprecated must be true or false, not "2"'],
      ['q=a&q=b', 'the query parameter "q" is given 2 times; give it once'],
      [
        'repo=Team',
        'repo: repository "Team" is not valid: each segment is lowercase letters and digits, joined by ".", "_" or "-"',
      ],
      [`q=${'x'.repeat(201)}`, 'q is longer than 200 characters'],
    ];
    for (const [query, error] of cases) {
      const res = await http.get(`/api/search?${query}`);
      assert.equal(res.status, 400, query);
      assert.deepEqual(res.body, { error }, query);
    }
  });

  test('search operators in q are plain words and never an error', async (t) => {
    const { http } = await seeded(t);
    for (const q of ['"', 'NEAR(', 'nginx OR redis', '*', 'name:nginx', '^web']) {
      const res = await http.get(`/api/search?q=${encodeURIComponent(q)}`);
      assert.equal(res.status, 200, q);
    }
    assert.deepEqual(names((await http.get('/api/search?q=nginx%20OR%20redis')).body), []);
    assert.deepEqual(names((await http.get(`/api/search?q=${encodeURIComponent('^web"')}`)).body), [
      ':nginx@1.0.0',
    ]);
  });

  test('lives under the context path and disappears with --disable-api', async (t) => {
    const moved = await buildTestApp(t, { contextPath: '/helm' });
    assert.equal((await moved.http.get('/helm/api/search')).status, 200);
    assert.equal((await moved.http.get('/api/search')).status, 404);
    const off = await buildTestApp(t, { disableApi: true });
    const res = await off.http.get('/api/search');
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { error: 'not found' });
  });
});
