import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { sha256 } from './oci/oci-client.js';
import { type ChildServer, spawnServer } from './support/child-server.js';
import { makeChart } from './support/make-chart.js';

/** A generous cap: a waiting upload costs a socket and a few kilobytes, not its body. */
const MEMORY_CAP_KB = 400 * 1024;

/** The child's peak resident memory, from /proc/<pid>/status (VmHWM). */
function peakMemoryKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  assert.ok(match?.[1], 'VmHWM is missing from /proc/<pid>/status');
  return Number(match[1]);
}

async function startBurstServer(t: TestContext): Promise<ChildServer> {
  const storage = await mkdtemp(join(tmpdir(), 'charthouse-burst-'));
  const server = await spawnServer(storage, [
    '--max-concurrent-uploads',
    '2',
    '--upload-queue-length',
    '100',
  ]);
  t.after(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    await rm(storage, { recursive: true, force: true });
  });
  return server;
}

type Outcome = { status: number; retryAfter: string | null; body: string } | { failed: string };

/** Sends every request at once, each on a connection of its own, and reads every answer whole. */
function burst(requests: { url: string; method: string; body?: Buffer }[]): Promise<Outcome[]> {
  return Promise.all(
    requests.map(
      ({ url, method, body }) =>
        new Promise<Outcome>((resolve) => {
          const req = request(url, { method, agent: false }, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () => {
              const retryAfter = res.headers['retry-after'];
              resolve({ status: res.statusCode ?? 0, retryAfter: retryAfter ?? null, body: text });
            });
            res.on('error', (err: NodeJS.ErrnoException) => resolve({ failed: err.code ?? err.message }));
          });
          req.on('error', (err: NodeJS.ErrnoException) => resolve({ failed: err.code ?? err.message }));
          req.end(body);
        }),
    ),
  );
}

function tally(outcomes: Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) {
    const key = 'failed' in outcome ? `failed ${outcome.failed}` : String(outcome.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

function assertServedOrRefused(outcomes: Outcome[], served: number, check: (body: string) => void): void {
  const counts = tally(outcomes);
  assert.deepEqual(Object.keys(counts).sort(), [String(served), '429'], JSON.stringify(counts));
  for (const outcome of outcomes) {
    if ('failed' in outcome || outcome.status !== 429) continue;
    assert.equal(outcome.retryAfter, '1');
    check(outcome.body);
  }
}

// A chart of about 400 KB that does not compress: the bodies that wait are worth counting.
const padding = randomBytes(300 * 1024).toString('base64');

test('1,000 concurrent pushes each answer 201 or 429 with Retry-After, never a reset, in bounded memory', async (t) => {
  const server = await startBurstServer(t);
  const tgz = await makeChart({ name: 'burst', version: '1.0.0', files: { 'padding.txt': padding } });
  // one repository each, so that the same bytes are a new version everywhere
  const requests = Array.from({ length: 1000 }, (_, i) => ({
    url: `${server.url}/api/burst${i}/charts`,
    method: 'POST',
    body: tgz,
  }));
  const outcomes = await burst(requests);
  assertServedOrRefused(outcomes, 201, (body) =>
    assert.match(
      body,
      /^\{"error":"(the server is handling 2 uploads and 100 more are waiting|no upload slot came free)/,
    ),
  );
  const counts = tally(outcomes);
  assert.ok((counts['201'] ?? 0) >= 102, `the slots and the queue were all used: ${JSON.stringify(counts)}`);
  const peak = peakMemoryKb(server.child.pid as number);
  assert.ok(peak < MEMORY_CAP_KB, `peak resident memory ${peak} kB is over the ${MEMORY_CAP_KB} kB cap`);

  // every 201 is stored: one version in as many repositories
  const stored = (await fetch(`${server.url}/api/repositories`).then((res) => res.json())) as {
    repositories: { path: string }[];
  };
  const burstRepositories = stored.repositories.filter((r) => /^burst\d+$/.test(r.path));
  assert.equal(burstRepositories.length, counts['201']);
  t.diagnostic(`${JSON.stringify(counts)}, peak resident memory ${peak} kB`);
});

test('400 concurrent OCI blob uploads each answer 201 or 429 TOOMANYREQUESTS with Retry-After, never a reset', async (t) => {
  const server = await startBurstServer(t);
  const blobs = Array.from({ length: 400 }, (_, i) =>
    Buffer.concat([Buffer.from(padding), Buffer.from(`${i}`)]),
  );
  const outcomes = await burst(
    blobs.map((blob, i) => ({
      url: `${server.url}/v2/oci/app${i}/blobs/uploads/?digest=${sha256(blob)}`,
      method: 'POST',
      body: blob,
    })),
  );
  assertServedOrRefused(outcomes, 201, (body) => {
    const { errors } = JSON.parse(body) as { errors: { code: string }[] };
    assert.equal(errors[0]?.code, 'TOOMANYREQUESTS');
  });
  const peak = peakMemoryKb(server.child.pid as number);
  assert.ok(peak < MEMORY_CAP_KB, `peak resident memory ${peak} kB is over the ${MEMORY_CAP_KB} kB cap`);
  t.diagnostic(`${JSON.stringify(tally(outcomes))}, peak resident memory ${peak} kB`);
});
