import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addRepository, addUser, basic } from '../support/auth.js';
import { buildTestApp } from '../support/build-app.js';
import { makeChart } from '../support/make-chart.js';

async function setUp(t: { after(fn: () => unknown): void }) {
  const h = await buildTestApp(t, { auth: 'on' });
  await addUser(h.stores.auth, 'root', 'root-password', true);
  await addUser(h.stores.auth, 'member', 'member-password');
  await addUser(h.stores.auth, 'outsider', 'outsider-password');
  for (const [repository, name] of [
    ['open', 'openchart'],
    ['secret', 'secretchart'],
  ]) {
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/${repository}/charts`,
      headers: { authorization: basic('root', 'root-password'), 'content-type': 'application/gzip' },
      payload: await makeChart({ name, version: '1.0.0' }),
    });
    assert.equal(res.statusCode, 201);
  }
  await addRepository(h.stores.auth, 'open', 'public');
  await addRepository(h.stores.auth, 'secret', 'private', { member: 'read' });
  return h;
}

const as = (user?: string) => (user ? { authorization: basic(user, `${user}-password`) } : {});

test('/api/repositories and /api/search list only the repositories the caller may read', async (t) => {
  const { app } = await setUp(t);
  const paths = async (user?: string) =>
    (
      (await app.inject({ url: '/api/repositories', headers: as(user) })).json().repositories as Array<{
        path: string;
      }>
    ).map((r) => r.path);
  assert.deepEqual(await paths(), ['', 'open']);
  assert.deepEqual(await paths('outsider'), ['', 'open']);
  assert.deepEqual(await paths('member'), ['', 'open', 'secret']);
  assert.deepEqual(await paths('root'), ['', 'open', 'secret']);

  const search = async (user?: string) =>
    (await app.inject({ url: '/api/search?q=chart', headers: as(user) })).json();
  const anonymous = await search();
  assert.deepEqual(
    anonymous.results.map((r: { name: string }) => r.name),
    ['openchart'],
  );
  assert.equal(anonymous.total, 1, 'the total counts only what the caller may see');
  assert.equal((await search('member')).total, 2);
  const byRepo = await app.inject({ url: '/api/search?repo=secret', headers: as('outsider') });
  assert.deepEqual(byRepo.json().results, []);
});

test('the web UI hides private repositories and their charts, and their pages do not exist', async (t) => {
  const { app } = await setUp(t);
  const page = async (url: string, user?: string) => app.inject({ url, headers: as(user) });
  const home = (await page('/ui/')).body;
  assert.ok(home.includes('open') && !home.includes('secret'));
  assert.ok((await page('/ui/', 'member')).body.includes('secret'));
  const charts = (await page('/ui/charts')).body;
  assert.ok(charts.includes('openchart') && !charts.includes('secretchart'));
  assert.ok((await page('/ui/charts', 'member')).body.includes('secretchart'));

  const anonymous = await page('/ui/charts/secret/secretchart');
  assert.equal(anonymous.statusCode, 401);
  // a browser gets the sign-in form, not its Basic dialog (test/routes/ui-signin.test.ts)
  assert.equal(anonymous.headers['www-authenticate'], undefined);
  assert.match(anonymous.body, /<form class="stack" method="post" action="\/ui\/signin">/);
  assert.equal((await page('/ui/charts/secret/secretchart', 'outsider')).statusCode, 404);
  assert.equal((await page('/ui/charts/secret/secretchart', 'member')).statusCode, 200);
  assert.equal((await page('/ui/charts/open/openchart')).statusCode, 200);
  assert.equal((await page('/ui/static/nothing.css')).statusCode, 404, 'static files are not checked');
});

test('a chart page links a dependency to this server only when the visitor may read its repository', async (t) => {
  const h = await setUp(t);
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/open/charts',
    headers: { authorization: basic('root', 'root-password'), 'content-type': 'application/gzip' },
    payload: await makeChart({
      name: 'app',
      version: '1.0.0',
      chart: {
        dependencies: [
          { name: 'secretchart', version: '1.0.0', repository: 'http://charts.test:8080/secret' },
        ],
      },
    }),
  });
  assert.equal(res.statusCode, 201, `${res.statusCode} ${res.body}`);
  // The link may carry the resolved version (`?version=`); its target is what matters.
  const link = 'href="/ui/charts/secret/secretchart';
  const anonymous = await h.app.inject({ url: '/ui/charts/open/app', headers: { host: 'charts.test:8080' } });
  assert.equal(anonymous.statusCode, 200);
  assert.ok(anonymous.body.includes('secretchart'), 'the dependency is listed');
  assert.ok(!anonymous.body.includes(link), 'but not linked');
  const member = await h.app.inject({
    url: '/ui/charts/open/app',
    headers: { host: 'charts.test:8080', ...as('member') },
  });
  assert.ok(member.body.includes(link));
});
