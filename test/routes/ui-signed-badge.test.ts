import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createKeyrings } from '../../src/trust/keyrings.js';
import { buildTestApp } from '../support/build-app.js';
import { makeChart } from '../support/make-chart.js';
import { chartYamlOf, makeTestKey, signProvenance } from '../support/openpgp-sign.js';
import { assertInert } from '../support/ui.js';

test('a verified signature shows "Signed by" with the signer beside the chart name; an unknown key does not', async (t) => {
  const { http, stores } = await buildTestApp(t);
  const keyrings = createKeyrings({ trust: stores.trust });
  const trusted = await makeTestKey('ed25519');
  const stranger = await makeTestKey('ed25519');
  const [info] = await keyrings.addKeys({ repository: 'team' }, Buffer.from(trusted.publicArmored));
  const publish = async (key: typeof trusted, name: string) => {
    const chart = await makeChart({ name, version: '1.0.0' });
    const prov = await signProvenance(key, chartYamlOf(name, '1.0.0', {}), chart);
    const res = await http
      .post('/api/team/charts')
      .attach('chart', chart, 'chart.tgz')
      .attach('prov', Buffer.from(prov), 'chart.tgz.prov');
    assert.equal(res.status, 201, res.text);
  };
  await publish(trusted, 'good');
  await publish(stranger, 'other');
  await http
    .post('/api/team/charts')
    .set('content-type', 'application/octet-stream')
    .send(await makeChart({ name: 'plain', version: '1.0.0' }));

  const good = (await http.get('/ui/charts/team/good')).text;
  assertInert(good);
  const badge = /<span class="badge signed" title="key ([^"]*)">Signed by ([^<]*)<\/span>/.exec(good);
  assert.equal(badge?.[1], info?.fingerprint);
  assert.equal(badge?.[2], trusted.userId.replaceAll('<', '&lt;').replaceAll('>', '&gt;'));
  const other = (await http.get('/ui/charts/team/other')).text;
  assert.match(other, /<span class="badge unverified">Signed, not verified<\/span>/);
  assert.doesNotMatch(other, /badge signed/);
  const plain = (await http.get('/ui/charts/team/plain')).text;
  assert.doesNotMatch(plain, /badge (?:signed|unverified)/);
});
