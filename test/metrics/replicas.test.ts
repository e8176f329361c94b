import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { INVENTORY_RECHECK_MS } from '../../src/metrics/inventory.js';
import { buildTestApp } from '../support/build-app.js';
import { freshBucket, freshDatabase, s3Env, testS3 } from '../support/engines.js';
import { makeChart } from '../support/make-chart.js';
import { sampleValue, scrape } from './exposition.js';

Object.assign(process.env, s3Env());

async function push(app: FastifyInstance, payload: Buffer) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/team/charts',
    headers: { 'content-type': 'application/gzip' },
    payload,
  });
  assert.equal(response.statusCode, 201, response.body);
}

test('two replicas on one PostgreSQL database and bucket report the same inventory, whichever took the push', async (t) => {
  const [database, bucket] = await Promise.all([freshDatabase(), freshBucket()]);
  const shared = {
    database,
    blobStore: `s3://${bucket}/c`,
    s3Endpoint: testS3().endpoint,
    s3ForcePathStyle: true,
  };
  const a = await buildTestApp(t, shared);
  const b = await buildTestApp(t, shared);
  const first = await makeChart({ name: 'demo', version: '1.0.0' });
  await push(a.app, first);
  const gauges = async (app: FastifyInstance) => {
    const { samples } = await scrape(app);
    return {
      versions: sampleValue(samples, 'chartmuseum_chart_versions_served_total', { repo: 'team' }),
      charts: sampleValue(samples, 'chartmuseum_charts_served_total', { repo: 'team' }),
      bytes: sampleValue(samples, 'charthouse_blob_bytes'),
      pushes: sampleValue(samples, 'charthouse_chart_pushes_total', { repo: 'team' }),
    };
  };
  assert.deepEqual(await gauges(b.app), { versions: 1, charts: 1, bytes: first.length, pushes: undefined });
  const second = await makeChart({ name: 'demo', version: '2.0.0' });
  await push(a.app, second);
  // B read the inventory a moment ago: it reads again once the recheck interval has passed
  await new Promise((resolve) => setTimeout(resolve, INVENTORY_RECHECK_MS + 200));
  const expected = { versions: 2, charts: 1, bytes: first.length + second.length };
  assert.deepEqual(await gauges(b.app), { ...expected, pushes: undefined });
  assert.deepEqual(await gauges(a.app), { ...expected, pushes: 2 }, 'counters are per process');
});
