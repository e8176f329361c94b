import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import yaml from 'js-yaml';
import supertest from 'supertest';
import { buildApp } from '../src/app.js';
import { type Config, defaultConfig } from '../src/config/config.js';
import { createRegistry } from '../src/registry.js';
import { openLocalStores, type Stores } from '../src/store/open-stores.js';
import { makeChart } from './support/make-chart.js';
import { binaryParser, makeProv } from './support/provenance.js';

type Http = ReturnType<typeof supertest>;

/** One server lifetime on a storage directory the test owns; close() releases app and database. */
async function start(config: Config): Promise<{ http: Http; close: () => Promise<void> }> {
  const stores: Stores = openLocalStores(config);
  const app: FastifyInstance = await buildApp({ config, registry: createRegistry({ ...stores, config }) });
  await app.ready();
  let closed = false;
  return {
    http: supertest(app.server),
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
      await stores.close();
    },
  };
}

async function download(http: Http, path: string): Promise<Buffer> {
  const res = await http.get(path).buffer(true).parse(binaryParser);
  assert.equal(res.status, 200, path);
  return res.body as Buffer;
}

interface Snapshot {
  entries: Map<string, unknown>;
  charts: Map<string, unknown>;
  files: Map<string, Buffer>;
  repositories: unknown;
}

const layout: Array<{ repo: string; charts: Array<{ name: string; version: string; prov: boolean }> }> = [
  {
    repo: '',
    charts: [
      { name: 'mychart', version: '0.1.0', prov: true },
      { name: 'mychart', version: '0.2.0', prov: false },
    ],
  },
  {
    repo: 'team/apps',
    charts: [
      { name: 'mychart', version: '0.1.0', prov: true },
      { name: 'other', version: '1.0.0-rc.1', prov: true },
    ],
  },
];

async function snapshot(http: Http): Promise<Snapshot> {
  const snap: Snapshot = { entries: new Map(), charts: new Map(), files: new Map(), repositories: undefined };
  for (const { repo, charts } of layout) {
    const P = repo ? `/${repo}` : '';
    const res = await http.get(`${P}/index.yaml`).set('Accept-Encoding', 'identity');
    assert.equal(res.status, 200);
    snap.entries.set(repo, (yaml.load(res.text) as { entries: unknown }).entries);
    snap.charts.set(repo, (await http.get(`/api${P}/charts`)).body);
    for (const { name, version, prov } of charts) {
      const file = `${name}-${version}.tgz`;
      snap.files.set(`${P}/charts/${file}`, await download(http, `${P}/charts/${file}`));
      if (prov) snap.files.set(`${P}/charts/${file}.prov`, await download(http, `${P}/charts/${file}.prov`));
    }
  }
  snap.repositories = (await http.get('/api/repositories')).body.repositories.map(
    (r: { path: string; charts: number; versions: number }) => ({
      path: r.path,
      charts: r.charts,
      versions: r.versions,
    }),
  );
  return snap;
}

test('charts and provenance files survive a restart: index entries, package and prov bytes are identical', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-persist-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const config = defaultConfig({ storage: dir, logLevel: 'silent' });

  const uploaded = new Map<string, Buffer>();
  const first = await start(config);
  t.after(first.close);
  for (const { repo, charts } of layout) {
    const P = repo ? `/${repo}` : '';
    for (const { name, version, prov } of charts) {
      const tgz = await makeChart({ name, version, readme: `# ${name} in ${repo || 'root'}` });
      const res = await first.http
        .post(`/api${P}/charts`)
        .set('content-type', 'application/octet-stream')
        .send(tgz);
      assert.equal(res.status, 201, res.text);
      uploaded.set(`${P}/charts/${name}-${version}.tgz`, tgz);
      if (prov) {
        const text = Buffer.from(makeProv(name, version, tgz));
        const p = await first.http
          .post(`/api${P}/prov`)
          .set('content-type', 'application/octet-stream')
          .send(text);
        assert.equal(p.status, 201, p.text);
        uploaded.set(`${P}/charts/${name}-${version}.tgz.prov`, text);
      }
    }
  }
  const before = await snapshot(first.http);
  assert.equal(before.files.size, uploaded.size);
  for (const [path, bytes] of uploaded) assert.ok(before.files.get(path)?.equals(bytes), path);
  await first.close();

  const second = await start(config);
  t.after(second.close);
  const after = await snapshot(second.http);
  assert.deepEqual(after.entries, before.entries);
  assert.deepEqual(after.charts, before.charts);
  assert.deepEqual(after.repositories, before.repositories);
  assert.equal(after.files.size, before.files.size);
  for (const [path, bytes] of before.files) assert.ok(after.files.get(path)?.equals(bytes), path);
  for (const [path, bytes] of uploaded) assert.ok(after.files.get(path)?.equals(bytes), path);
});

test('after a restart, existing versions still conflict and deletes and new uploads work', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-persist-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const config = defaultConfig({ storage: dir, logLevel: 'silent' });
  const tgz = await makeChart();

  const first = await start(config);
  t.after(first.close);
  assert.equal((await first.http.post('/api/team/apps/charts').send(tgz)).status, 201);
  await first.close();

  const second = await start(config);
  t.after(second.close);
  assert.equal((await second.http.post('/api/team/apps/charts').send(tgz)).status, 409);
  assert.equal(
    (await second.http.post('/api/team/apps/charts').send(await makeChart({ version: '0.2.0' }))).status,
    201,
  );
  assert.equal((await second.http.delete('/api/team/apps/charts/mychart/0.1.0')).status, 200);
  await second.close();

  const third = await start(config);
  t.after(third.close);
  const index = yaml.load((await third.http.get('/team/apps/index.yaml')).text) as {
    entries: Record<string, Array<{ version: string }>>;
  };
  assert.deepEqual(
    index.entries.mychart?.map((e) => e.version),
    ['0.2.0'],
  );
});
