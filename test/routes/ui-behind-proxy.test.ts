import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../src/config/config.js';
import { buildTestApp, type TestContext } from '../support/build-app.js';
import { assertInert, publishChart } from '../support/ui.js';

const PROXY = '10.0.0.5';
const forwarded = {
  host: 'charthouse.internal:8080',
  'x-forwarded-host': 'charts.example.com',
  'x-forwarded-proto': 'https',
};

async function appWithChart(t: TestContext, trustProxy: Config['trustProxy']) {
  const { app, http } = await buildTestApp(t, { trustProxy });
  await publishChart(http, 'team', { name: 'nginx', version: '1.0.0' });
  return app;
}

/** The URLs the chart page offers to copy: the `helm repo add` one and the OCI reference. */
async function pageUrls(
  app: FastifyInstance,
  remoteAddress: string,
  headers: Record<string, string> = forwarded,
) {
  const res = await app.inject({ url: '/ui/charts/team/nginx', headers, remoteAddress });
  assert.equal(res.statusCode, 200);
  assertInert(res.body);
  return {
    repo: /helm repo add team (\S+)\n/.exec(res.body)?.[1],
    oci: /helm install my-nginx (oci:\/\/\S+) /.exec(res.body)?.[1],
  };
}

test('without --trust-proxy the UI ignores X-Forwarded-Host and -Proto and names the Host it was asked for', async (t) => {
  const app = await appWithChart(t, false);
  assert.deepEqual(await pageUrls(app, PROXY), {
    repo: 'http://charthouse.internal:8080/team',
    oci: 'oci://charthouse.internal:8080/team/nginx',
  });
});

test('with a trusted proxy the UI names the address users reach: X-Forwarded-Proto and -Host', async (t) => {
  const public_ = { repo: 'https://charts.example.com/team', oci: 'oci://charts.example.com/team/nginx' };
  for (const trustProxy of [true, 1, ['10.0.0.0/8']] as const) {
    const app = await appWithChart(t, trustProxy);
    assert.deepEqual(await pageUrls(app, PROXY), public_, JSON.stringify(trustProxy));
  }
  const listed = await appWithChart(t, ['10.0.0.0/8']);
  assert.deepEqual(
    await pageUrls(listed, '192.0.2.1'),
    { repo: 'http://charthouse.internal:8080/team', oci: 'oci://charthouse.internal:8080/team/nginx' },
    'a connection from an unlisted address is not a proxy: its headers are ignored',
  );
});

test('a forwarded protocol other than http or https, or a hostile forwarded host, stays inert', async (t) => {
  const app = await appWithChart(t, true);
  const odd = await pageUrls(app, PROXY, { ...forwarded, 'x-forwarded-proto': 'javascript' });
  assert.equal(odd.repo, 'http://charts.example.com/team');
  await pageUrls(app, PROXY, { ...forwarded, 'x-forwarded-host': 'x"><script>alert(1)</script>' });
});
