import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pushBlob } from '../oci/oci-client.js';
import { buildTestApp, type TestApp } from '../support/build-app.js';
import { makeChart } from '../support/make-chart.js';
import { corpus } from './corpus.js';
import { foreignBlob } from './corpus-oci.js';
import { rawGet } from './raw-http.js';

/** Everything a request could have written: rows (charts and OCI), blobs, temp files, upload sessions. */
async function snapshot(target: TestApp) {
  const { http, dir, stores } = target;
  const files = (path: string) => readdir(join(dir, path), { recursive: true }).catch(() => [] as string[]);
  const references: string[] = [];
  for await (const ref of stores.meta.listBlobReferences()) references.push(`${ref.kind} ${ref.digest}`);
  return {
    repositories: (await http.get('/api/repositories').expect(200)).body as unknown,
    references: references.sort(),
    blobs: (await files('blobs/sha256')).length,
    temporary: await files('blobs/tmp'),
    uploads: await files('uploads'),
  };
}

/** The peak resident memory while `work` runs, sampled every 10 ms. */
async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  try {
    const result = await work();
    return { result, peak: Math.max(peak, process.memoryUsage.rss()) };
  } finally {
    clearInterval(timer);
  }
}

const MiB = 1024 * 1024;

describe('hostile requests: each gets its 4xx, writes nothing, and the server serves on', () => {
  const closers: Array<() => unknown> = [];
  let target: TestApp;
  let port = 0;

  before(async () => {
    target = await buildTestApp({ after: (fn) => closers.push(fn) });
    await target.app.listen({ host: '127.0.0.1', port: 0 });
    const address = target.app.server.address();
    port = typeof address === 'object' && address ? address.port : 0;
    const { http } = target;
    const base = await makeChart({ name: 'base', version: '1.0.0' });
    for (const path of ['/api/charts', '/api/team/charts']) {
      await http.post(path).set('content-type', 'application/octet-stream').send(base).expect(201);
    }
    await pushBlob(http, 'other/app', foreignBlob);
    assert.equal((await rawGet(port, '/v2/')).status, 200, 'the OCI surface answers GET /v2/');
  });
  after(async () => {
    for (const close of closers.reverse()) await close();
  });

  for (const hostile of corpus) {
    test(hostile.name, async (t) => {
      const before = await snapshot(target);
      const baseline = process.memoryUsage.rss();
      const { result: answer, peak } = await peakRss(() => hostile.send(port));
      t.diagnostic(
        `${answer.status} ${answer.message.slice(0, 160)}; peak RSS +${Math.round((peak - baseline) / MiB)} MiB`,
      );
      assert.equal(
        answer.status,
        hostile.status,
        `answered ${answer.status}: ${answer.message.slice(0, 300)}`,
      );
      assert.match(answer.message, hostile.error);
      // Bombs expand to 160-256 MiB: buffering one whole would show here.
      assert.ok(peak - baseline < 128 * MiB, `memory grew by ${Math.round((peak - baseline) / MiB)} MiB`);
      assert.deepEqual(await snapshot(target), before, 'the request wrote something');
      assert.equal((await rawGet(port, '/health')).status, 200);
    });
  }

  test('the corpus holds at least 40 cases with distinct names', () => {
    assert.ok(corpus.length >= 40, `only ${corpus.length} cases`);
    assert.equal(new Set(corpus.map((c) => c.name)).size, corpus.length);
  });
});
