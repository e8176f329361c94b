import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import yaml from 'js-yaml';
import { startTestServer } from './support/listen.js';
import { makeChart } from './support/make-chart.js';

/** Many clients at once against the real server on a socket: nothing lost, nothing mixed up. */
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

interface IndexEntry {
  version: string;
  digest: string;
  urls: string[];
}

/** Pushes a package and reads the whole answer (an unread body would hold its connection open). */
async function push(url: string, tgz: Buffer): Promise<{ status: number; body: string }> {
  const res = await fetch(`${url}/api/charts`, {
    method: 'POST',
    body: new Uint8Array(tgz),
    headers: { 'content-type': 'application/octet-stream' },
  });
  return { status: res.status, body: await res.text() };
}

async function readIndex(url: string): Promise<Record<string, IndexEntry[]>> {
  const res = await fetch(`${url}/index.yaml`);
  assert.equal(res.status, 200);
  const doc = yaml.load(await res.text()) as { apiVersion: string; entries: Record<string, IndexEntry[]> };
  assert.equal(doc.apiVersion, 'v1');
  return doc.entries ?? {};
}

async function download(url: string, entry: IndexEntry): Promise<{ status: number; digest?: string }> {
  const res = await fetch(`${url}/${entry.urls[0]}`);
  if (res.status !== 200) {
    await res.arrayBuffer();
    return { status: res.status };
  }
  return { status: 200, digest: sha256(Buffer.from(await res.arrayBuffer())) };
}

test('32 concurrent pushes of distinct versions are all stored once, listed, and served with their digest', async (t) => {
  const { url } = await startTestServer(t, { maxConcurrentUploads: 64 });
  const charts = await Promise.all(
    Array.from({ length: 32 }, (_, i) => makeChart({ name: 'many', version: `1.0.${i}` })),
  );
  const statuses = await Promise.all(charts.map(async (tgz) => (await push(url, tgz)).status));
  assert.deepEqual(
    statuses,
    charts.map(() => 201),
  );

  const entries = (await readIndex(url)).many ?? [];
  const expected = new Map(charts.map((tgz, i) => [`1.0.${i}`, sha256(tgz)]));
  assert.deepEqual(entries.map((e) => e.version).sort(), [...expected.keys()].sort());
  for (const entry of entries) {
    assert.equal(entry.digest, expected.get(entry.version), `index digest of ${entry.version}`);
    assert.deepEqual(await download(url, entry), { status: 200, digest: entry.digest });
  }
});

test('32 concurrent pushes of one version with different bytes: one 201, the rest 409, and the winner is served', async (t) => {
  const { url } = await startTestServer(t, { maxConcurrentUploads: 64 });
  const charts = await Promise.all(
    Array.from({ length: 32 }, (_, i) =>
      makeChart({ name: 'contested', version: '1.0.0', chart: { description: `pusher ${i}` } }),
    ),
  );
  const responses = await Promise.all(charts.map((tgz) => push(url, tgz)));
  const statuses = responses.map((r) => r.status);
  assert.equal(statuses.filter((s) => s === 201).length, 1, `statuses: ${statuses.join(',')}`);
  assert.equal(statuses.filter((s) => s === 409).length, 31);
  const winner = charts[statuses.indexOf(201)] as Buffer;

  for (let read = 0; read < 3; read++) {
    const entries = (await readIndex(url)).contested ?? [];
    assert.equal(entries.length, 1);
    const [entry] = entries as [IndexEntry];
    assert.equal(entry.digest, sha256(winner), 'the index lists the bytes of the push that got 201');
    assert.deepEqual(await download(url, entry), { status: 200, digest: sha256(winner) });
  }
});

test('pushes, deletes and index reads interleaved: every index served parses and never lies about a digest', async (t) => {
  const { url } = await startTestServer(t, { maxConcurrentUploads: 64 });
  const pushed = new Map<string, string>();
  const deleted = new Set<string>();
  const problems: string[] = [];
  let indexes = 0;

  async function pusher(worker: number): Promise<void> {
    for (let i = 0; i < 10; i++) {
      const version = `${worker}.0.${i}`;
      const tgz = await makeChart({ name: 'churn', version });
      const res = await push(url, tgz);
      if (res.status !== 201) problems.push(`push ${version}: ${res.status}`);
      else pushed.set(version, sha256(tgz));
    }
  }

  async function deleter(): Promise<void> {
    for (let i = 0; i < 15; i++) {
      const victim = [...pushed.keys()].find((v) => !deleted.has(v));
      if (victim === undefined) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        continue;
      }
      deleted.add(victim);
      const res = await fetch(`${url}/api/charts/churn/${victim}`, { method: 'DELETE' });
      await res.text();
      if (res.status !== 200) problems.push(`delete ${victim}: ${res.status}`);
    }
  }

  async function reader(): Promise<void> {
    for (let i = 0; i < 8; i++) {
      let entries: IndexEntry[] = [];
      try {
        entries = (await readIndex(url)).churn ?? [];
        indexes++;
      } catch (err) {
        // The root repository exists from the start: even an empty index must parse.
        problems.push(`index ${i}: ${String(err)}`);
      }
      for (const entry of entries) {
        const got = await download(url, entry);
        if (got.status === 404 && deleted.has(entry.version)) continue;
        if (got.status !== 200 || got.digest !== entry.digest) {
          problems.push(`${entry.version}: listed ${entry.digest}, served ${got.status} ${got.digest ?? ''}`);
        }
        const sent = pushed.get(entry.version);
        if (sent !== undefined && sent !== entry.digest)
          problems.push(`${entry.version}: pushed ${sent}, listed ${entry.digest}`);
      }
    }
  }

  await Promise.all([
    pusher(1),
    pusher(2),
    pusher(3),
    pusher(4),
    deleter(),
    deleter(),
    reader(),
    reader(),
    reader(),
  ]);
  assert.deepEqual(problems, []);
  assert.equal(indexes, 24);

  const final = (await readIndex(url)).churn ?? [];
  const live = [...pushed.keys()].filter((v) => !deleted.has(v)).sort();
  assert.deepEqual(final.map((e) => e.version).sort(), live);
  for (const entry of final) assert.equal(entry.digest, pushed.get(entry.version));
});
