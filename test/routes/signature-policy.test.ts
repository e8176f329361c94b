import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createKeyrings } from '../../src/trust/keyrings.js';
import { buildTestApp } from '../support/build-app.js';
import { makeChart } from '../support/make-chart.js';
import { chartYamlOf, makeTestKey, signProvenance, type TestKey } from '../support/openpgp-sign.js';
import { expectError } from './admin-fixtures.js';

type Http = Awaited<ReturnType<typeof buildTestApp>>['http'];

function postForm(http: Http, repo: string, parts: { chart?: Buffer; prov?: string }) {
  let req = http.post(`/api/${repo}/charts`);
  if (parts.chart) req = req.attach('chart', parts.chart, 'chart.tgz');
  if (parts.prov) req = req.attach('prov', Buffer.from(parts.prov), 'chart.tgz.prov');
  return req;
}

async function signed(key: TestKey, name: string, version: string, extra: Record<string, unknown> = {}) {
  const chart = await makeChart({ name, version, chart: extra });
  return { chart, prov: await signProvenance(key, chartYamlOf(name, version, extra), chart) };
}

async function appWithKey(t: Parameters<typeof buildTestApp>[0], policy?: 'off' | 'verify' | 'require') {
  const built = await buildTestApp(t);
  const keyrings = createKeyrings({ trust: built.stores.trust });
  const key = await makeTestKey('ed25519');
  const [info] = await keyrings.addKeys({ repository: 'team' }, Buffer.from(key.publicArmored));
  if (policy) await keyrings.setPolicy('team', policy);
  return { ...built, keyrings, key, fingerprint: info?.fingerprint ?? '' };
}

test('a verified .prov shows its signer and fingerprint in the version API and in search, with a filter', async (t) => {
  const { http, key, fingerprint } = await appWithKey(t);
  const good = await signed(key, 'web', '1.0.0');
  assert.equal((await postForm(http, 'team', good)).status, 201);
  const plain = await makeChart({ name: 'plain', version: '1.0.0' });
  assert.equal((await postForm(http, 'team', { chart: plain })).status, 201);

  const res = await http.get('/api/team/charts/web/1.0.0');
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(
    { ...res.body.provenance, verifiedAt: typeof res.body.provenance.verifiedAt },
    { signed: true, verified: true, signer: key.userId, fingerprint, verifiedAt: 'string' },
  );
  const unsigned = await http.get('/api/team/charts/plain/1.0.0');
  assert.deepEqual(unsigned.body.provenance, {
    signed: false,
    verified: false,
    signer: null,
    fingerprint: null,
  });

  const all = await http.get('/api/search?repo=team');
  assert.deepEqual(
    all.body.results.map((r: { name: string; provenance: { verified: boolean } }) => [
      r.name,
      r.provenance.verified,
    ]),
    [
      ['plain', false],
      ['web', true],
    ],
  );
  const verified = await http.get('/api/search?repo=team&verified=true');
  assert.equal(verified.body.total, 1);
  assert.equal(verified.body.results[0].name, 'web');
  assert.equal(verified.body.results[0].provenance.fingerprint, fingerprint);
  const signedOnly = await http.get('/api/search?repo=team&signed=true');
  assert.deepEqual(
    signedOnly.body.results.map((r: { name: string }) => r.name),
    ['web'],
  );
  expectError(await http.get('/api/search?signed=maybe'), 400, 'signed must be true or false, not "maybe"');
  // the web UI's version page says who signed it, server-rendered
  const page = await http.get('/ui/charts/team/web?version=1.0.0');
  assert.equal(page.status, 200);
  assert.match(
    page.text,
    /<p class="signature" data-verified="true">Signature verified: signed by Chart Signer &lt;signer@charthouse\.invalid&gt;/,
  );
  assert.ok(page.text.includes(fingerprint), 'the page shows the full fingerprint');
  const plainPage = await http.get('/ui/charts/team/plain');
  assert.equal(plainPage.status, 200);
  assert.doesNotMatch(plainPage.text, /class="signature"/);
});

test('under off, a .prov that does not verify is stored as signed but not verified', async (t) => {
  const { http } = await appWithKey(t, 'off');
  const stranger = await makeTestKey('rsa', 'Stranger');
  const bad = await signed(stranger, 'web', '1.0.0');
  assert.equal((await postForm(http, 'team', bad)).status, 201);
  const res = await http.get('/api/team/charts/web/1.0.0');
  assert.deepEqual(res.body.provenance, { signed: true, verified: false, signer: null, fingerprint: null });
  const page = await http.get('/ui/charts/team/web');
  assert.match(page.text, /data-verified="false">Signed, but not verified with this repository's keys\./);
});

test('under verify, a failing .prov is refused with its reason, and the chart sent with it too', async (t) => {
  const { http, key } = await appWithKey(t, 'verify');
  const stranger = await makeTestKey('ed25519', 'Stranger');
  const byStranger = await signed(stranger, 'web', '1.0.0');
  expectError(
    await postForm(http, 'team', byStranger),
    400,
    /^the provenance file is signed by key [0-9a-f]{16}, which is not trusted in repository "team"$/,
  );
  const good = await signed(key, 'web', '1.0.0');
  const tampered = good.prov.replace('The web chart', 'The evil chart');
  expectError(
    await postForm(http, 'team', { chart: good.chart, prov: tampered }),
    400,
    /signature by key .* is not valid/,
  );
  const other = await signed(key, 'web', '1.0.0', { appVersion: '2.0' });
  expectError(
    await postForm(http, 'team', { chart: good.chart, prov: other.prov }),
    400,
    'the provenance file signs another package than web-1.0.0.tgz',
  );
  // nothing of the refused uploads was stored
  expectError(await http.get('/api/team/charts/web/1.0.0'), 404);
  // unsigned charts are accepted under verify; a valid .prov sent alone afterwards verifies
  assert.equal((await postForm(http, 'team', { chart: good.chart })).status, 201);
  const alone = await http
    .post('/api/team/prov')
    .attach('prov', Buffer.from(good.prov), 'web-1.0.0.tgz.prov');
  assert.equal(alone.status, 201, alone.text);
  assert.equal((await http.get('/api/team/charts/web/1.0.0')).body.provenance.verified, true);
});

test('under require, a chart alone is refused; chart and .prov in one upload are accepted', async (t) => {
  const { http, key } = await appWithKey(t, 'require');
  const good = await signed(key, 'web', '1.0.0');
  expectError(
    await postForm(http, 'team', { chart: good.chart }),
    400,
    'this repository accepts signed charts only',
  );
  expectError(
    await http.post('/api/team/charts').set('content-type', 'application/octet-stream').send(good.chart),
    400,
    'this repository accepts signed charts only',
  );
  assert.equal((await postForm(http, 'team', good)).status, 201);
  // another repository keeps its own policy (off)
  assert.equal((await postForm(http, 'other', { chart: good.chart })).status, 201);
});

test('server-wide keys verify in every repository; removing a key leaves later uploads unverifiable', async (t) => {
  const { http, keyrings } = await buildTestApp(t).then(async (b) => ({
    ...b,
    keyrings: createKeyrings({ trust: b.stores.trust }),
  }));
  const key = await makeTestKey('rsa');
  const [info] = await keyrings.addKeys({ global: true }, key.publicBinary);
  await keyrings.setPolicy('a/b', 'verify');
  assert.equal((await postForm(http, 'a/b', await signed(key, 'web', '1.0.0'))).status, 201);
  await keyrings.removeKey({ global: true }, info?.fingerprint ?? '');
  expectError(
    await postForm(http, 'a/b', await signed(key, 'web', '1.0.1')),
    400,
    /no signing key is trusted in repository "a\/b"/,
  );
});
