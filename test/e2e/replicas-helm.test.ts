// Three replicas on one PostgreSQL database and one Ceph bucket, behind nginx round-robin, behave
// as one server: real Helm 3 and 4 push and pull through the balancer over both protocols; every
// replica reads what another one acknowledged the moment before; races are decided once; a chunked
// OCI upload moves from replica to replica. Started once for the file (ecosystem.md §3.4).
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createHelm, type Helm, helmVersions } from '../support/helm.js';
import { makeChart } from '../support/make-chart.js';
import { writeChartDir } from '../support/make-chart-dir.js';
import { downloadDigest, indexDigests, pushChart, readIndex, sha256 } from '../support/replica-http.js';
import { type ReplicaSet, sharedStores, startReplicas } from '../support/replicas.js';

let set: ReplicaSet;
let work: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'charthouse-replicas-helm-'));
  const { args, env } = await sharedStores();
  set = await startReplicas({ count: 3, args, env });
});

after(async () => {
  await set?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

/** The other replicas' URLs: readers for a write sent to `writer`. */
const othersThan = (writer: number) => set.urls.filter((_, i) => i !== writer);

for (const version of helmVersions) {
  describe(`Helm ${version} through nginx in front of three replicas`, () => {
    let helm: Helm;
    const cleanups: Array<() => unknown> = [];
    const pkg = (name: string) => join(work, `helm${version}`, 'pkg', `${name}-1.0.0.tgz`);

    before(async () => {
      helm = await createHelm(version, { after: (fn) => cleanups.push(fn) });
      for (const name of [`web${version}`, `oci${version}`]) {
        const dir = await writeChartDir(join(work, `helm${version}`, 'src'), { name, version: '1.0.0' });
        await helm.run(['package', dir, '-d', join(work, `helm${version}`, 'pkg')]);
      }
    });
    after(async () => {
      for (const fn of cleanups.reverse()) await fn();
    });

    test('a chart uploaded over HTTP is pulled back by helm with the same bytes', async () => {
      const bytes = await readFile(pkg(`web${version}`));
      const pushed = await pushChart(set.nginx.url, 'team', bytes);
      assert.equal(pushed.status, 201, pushed.body);
      await helm.run(['repo', 'add', 'team', `${set.nginx.url}/team`]);
      const dest = join(work, `helm${version}`, 'pulled-http');
      await mkdir(dest, { recursive: true });
      await helm.run(['pull', `team/web${version}`, '--version', '1.0.0', '-d', dest]);
      assert.deepEqual(await readFile(join(dest, `web${version}-1.0.0.tgz`)), bytes);
    });

    test('helm push oci:// and helm pull oci:// give back the same bytes, through several replicas', async () => {
      const oci = `oci://${set.nginx.host}/team`;
      await helm.run(['push', pkg(`oci${version}`), oci, '--plain-http']);
      const dest = join(work, `helm${version}`, 'pulled-oci');
      await mkdir(dest, { recursive: true });
      await helm.run(['pull', `${oci}/oci${version}`, '--version', '1.0.0', '--plain-http', '-d', dest]);
      const bytes = await readFile(pkg(`oci${version}`));
      assert.deepEqual(await readFile(join(dest, `oci${version}-1.0.0.tgz`)), bytes);
      // the classic view of the same store, right after the OCI push
      await helm.run(['repo', 'update', 'team']);
      const classic = join(work, `helm${version}`, 'pulled-classic');
      await mkdir(classic, { recursive: true });
      await helm.run(['pull', `team/oci${version}`, '--version', '1.0.0', '-d', classic]);
      assert.deepEqual(await readFile(join(classic, `oci${version}-1.0.0.tgz`)), bytes);
      const upstreams = new Set(
        (await set.nginx.accessLog())
          .split('\n')
          .filter((line) => line.includes(`/v2/team/oci${version}/`))
          .map((line) => line.split('upstream=')[1]),
      );
      assert.ok(upstreams.size >= 2, `the OCI requests all went to ${[...upstreams].join(', ')}`);
    });
  });
}

describe('read-after-write on every replica', () => {
  const manifestAccept = 'application/vnd.oci.image.manifest.v1+json';

  test('a push acknowledged by one replica is seen at once by the others on every surface', async () => {
    const etags = new Map<string, string | null>();
    for (const url of set.urls) etags.set(url, (await readIndex(url, 'raw')).etag);
    for (let round = 0; round < 6; round++) {
      const writer = round % set.urls.length;
      const version = `1.0.${round}`;
      const chart = await makeChart({ name: 'raw', version });
      const digest = sha256(chart);
      const pushed = await pushChart(set.urls[writer] as string, 'raw', chart);
      assert.equal(pushed.status, 201, `push of ${version} to replica ${writer}: ${pushed.body}`);
      await Promise.all(
        othersThan(writer).map(async (url) => {
          const where = `${version} pushed to replica ${writer}, read from ${url}`;
          const index = await readIndex(url, 'raw');
          assert.equal(indexDigests(index).digests.get(`raw:${version}`), digest, `index.yaml: ${where}`);
          assert.notEqual(index.etag, etags.get(url), `index.yaml ETag unchanged: ${where}`);
          etags.set(url, index.etag);
          const api = await fetch(`${url}/api/raw/charts/raw`);
          const versions = ((await api.json()) as Array<{ version: string }>).map((v) => v.version);
          assert.ok(versions.includes(version), `/api/raw/charts/raw lacks it: ${where}`);
          const tags = await fetch(`${url}/v2/raw/raw/tags/list`);
          assert.ok(((await tags.json()) as { tags: string[] }).tags.includes(version), `tags: ${where}`);
          const manifest = await fetch(`${url}/v2/raw/raw/manifests/${version}`, {
            headers: { accept: manifestAccept },
          });
          assert.equal(manifest.status, 200, `manifest: ${where}`);
          const layers = ((await manifest.json()) as { layers: Array<{ digest: string }> }).layers;
          assert.ok(
            layers.some((l) => l.digest === `sha256:${digest}`),
            `manifest layers: ${where}`,
          );
          const search = await fetch(`${url}/api/search?q=raw&repo=raw`);
          const hits = ((await search.json()) as { results: Array<{ name: string; version: string }> })
            .results;
          assert.equal(hits.find((h) => h.name === 'raw')?.version, version, `search: ${where}`);
          assert.deepEqual(await downloadDigest(url, 'raw', 'raw', version), { status: 200, digest });
        }),
      );
    }
  });

  test('a delete acknowledged by one replica is seen at once by the others', async () => {
    const chart = await makeChart({ name: 'gone', version: '1.0.0' });
    assert.equal((await pushChart(set.urls[0] as string, 'raw', chart)).status, 201);
    const deleted = await fetch(`${set.urls[1]}/api/raw/charts/gone/1.0.0`, { method: 'DELETE' });
    assert.equal(deleted.status, 200, await deleted.text());
    for (const url of othersThan(1)) {
      assert.equal((await readIndex(url, 'raw')).entries.gone, undefined, `index.yaml of ${url}`);
      assert.equal((await downloadDigest(url, 'raw', 'gone', '1.0.0')).status, 404, `package on ${url}`);
    }
  });
});

describe('races between replicas', () => {
  test('the same version pushed to two replicas at once: exactly one 201 and one 409', async () => {
    for (let round = 0; round < 5; round++) {
      const version = `2.0.${round}`;
      const charts = await Promise.all(
        ['a', 'b'].map((side) => makeChart({ name: 'race', version, values: `side: ${side}\n` })),
      );
      const answers = await Promise.all(
        charts.map((chart, i) => pushChart(set.urls[i] as string, 'race', chart)),
      );
      const statuses = answers.map((a) => a.status);
      assert.deepEqual([...statuses].sort(), [201, 409], `round ${round}: ${JSON.stringify(answers)}`);
      const winner = sha256(charts[statuses.indexOf(201)] as Buffer);
      for (const url of [...set.urls, set.nginx.url]) {
        const index = await readIndex(url, 'race');
        assert.equal(indexDigests(index).digests.get(`race:${version}`), winner, `index.yaml of ${url}`);
        assert.deepEqual(await downloadDigest(url, 'race', 'race', version), { status: 200, digest: winner });
      }
    }
  });

  test('32 concurrent pushers over the replicas: all 32 versions on every replica, none twice', async () => {
    const charts = await Promise.all(
      Array.from({ length: 32 }, (_, i) => makeChart({ name: 'many', version: `3.0.${i}` })),
    );
    const answers = await Promise.all(
      charts.map((chart, i) => pushChart(set.urls[i % set.urls.length] as string, 'many', chart)),
    );
    assert.deepEqual(
      answers.map((a) => a.status),
      answers.map(() => 201),
      JSON.stringify(answers.filter((a) => a.status !== 201)),
    );
    const expected = new Map(charts.map((chart, i) => [`many:3.0.${i}`, sha256(chart)]));
    for (const url of set.urls) {
      const { digests, duplicates } = indexDigests(await readIndex(url, 'many'));
      assert.deepEqual(duplicates, [], `duplicated entries in the index.yaml of ${url}`);
      assert.deepEqual(digests, expected, `index.yaml of ${url}`);
      const api = (await (await fetch(`${url}/api/many/charts/many`)).json()) as unknown[];
      assert.equal(api.length, 32, `/api/many/charts/many on ${url}`);
    }
  });
});

describe('OCI uploads across replicas', () => {
  test('a chunked upload started on one replica, continued on a second, finishes on a third', async () => {
    const blob = Buffer.alloc(3 * 65_536 + 17);
    for (let i = 0; i < blob.length; i++) blob[i] = (i * 7919) % 251;
    const digest = `sha256:${sha256(blob)}`;
    const [a, b, c] = set.urls as [string, string, string];
    const started = await fetch(`${a}/v2/up/thing/blobs/uploads/`, { method: 'POST' });
    assert.equal(started.status, 202, await started.text());
    const first = new URL(started.headers.get('location') ?? '', a);
    const half = 2 * 65_536;
    const patched = await fetch(new URL(`${first.pathname}${first.search}`, b), {
      method: 'PATCH',
      body: blob.subarray(0, half),
      headers: { 'content-type': 'application/octet-stream', 'content-range': `0-${half - 1}` },
    });
    assert.equal(patched.status, 202, `PATCH on replica 1: ${await patched.text()}`);
    assert.equal(patched.headers.get('range'), `0-${half - 1}`);
    const next = new URL(patched.headers.get('location') ?? '', b);
    next.searchParams.set('digest', digest);
    const finished = await fetch(new URL(`${next.pathname}${next.search}`, c), {
      method: 'PUT',
      body: blob.subarray(half),
      headers: {
        'content-type': 'application/octet-stream',
        'content-range': `${half}-${blob.length - 1}`,
      },
    });
    assert.equal(finished.status, 201, `PUT on replica 2: ${await finished.text()}`);
    for (const url of [...set.urls, set.nginx.url]) {
      const read = await fetch(`${url}/v2/up/thing/blobs/${digest}`);
      assert.equal(read.status, 200, `blob on ${url}`);
      assert.equal(sha256(new Uint8Array(await read.arrayBuffer())), digest.slice('sha256:'.length));
    }
  });
});
