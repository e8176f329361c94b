import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { createReadinessProbe } from '../../src/metrics/readiness.js';
import { createRepositoryLabels, gaugeLabels } from '../../src/metrics/repository-labels.js';

const isPublic = async (path: string) => !path.startsWith('private');

test('repository labels are bounded: private ones are summed, and past the limit the rest are (other)', async () => {
  const label = createRepositoryLabels(isPublic, 2);
  assert.equal(await label(''), '/');
  assert.equal(await label('private-a'), '(private)');
  assert.equal(await label('team'), 'team');
  assert.equal(await label('third'), '(other)', 'the limit is reached');
  assert.equal(await label('team'), 'team', 'a name that has a series keeps it');
  assert.equal(await label('private-b'), '(private)', 'private ones never use up the limit');
  const failing = createRepositoryLabels(async () => {
    throw new Error('the database is down');
  });
  assert.equal(await failing('team'), '(private)', 'an unknown visibility never shows the name');
  const gauges = await gaugeLabels(['', 'a', 'private-x', 'b', 'c'], isPublic, 2);
  assert.deepEqual(Object.fromEntries(gauges), {
    '': '/',
    a: 'a',
    'private-x': '(private)',
    b: '(other)',
    c: '(other)',
  });
});

test('the readiness probe runs its checks once per cache period and explains failures only to the log', async () => {
  let now = 0;
  let schemaCalls = 0;
  let blobWrites = 0;
  let deleted = 0;
  let failing = false;
  const reported: string[] = [];
  const probe = createReadinessProbe({
    clock: () => now,
    cacheMs: 1000,
    meta: {
      async schemaStatus() {
        schemaCalls++;
        if (failing) throw new Error('connect ECONNREFUSED 10.0.0.5:5432');
        return { applied: 3, known: 3 };
      },
    },
    blobs: {
      async stage(source: Readable) {
        for await (const _ of source);
        blobWrites++;
        return {
          digest: 'd'.repeat(64),
          size: 32,
          open: () => Readable.from([]),
          commit: async () => undefined,
          discard: async () => undefined,
        };
      },
      async delete() {
        deleted++;
        return true;
      },
    },
    onFailure: (check, err) => reported.push(`${check}: ${(err as Error).message}`),
  });
  assert.deepEqual(await Promise.all([probe.check(), probe.check()]), [
    { ready: true, failed: [] },
    { ready: true, failed: [] },
  ]);
  assert.deepEqual([schemaCalls, blobWrites, deleted], [1, 1, 1], 'concurrent probes share one run');
  failing = true;
  now = 999;
  assert.equal((await probe.check()).ready, true, 'cached');
  now = 1000;
  assert.deepEqual(await probe.check(), {
    ready: false,
    failed: [{ check: 'database', message: 'the database did not answer' }],
  });
  assert.deepEqual(reported, ['database: connect ECONNREFUSED 10.0.0.5:5432']);
});
