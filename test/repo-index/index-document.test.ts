import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { chartUrlPrefix } from '../../src/repo-index/chart-url.js';
import { type DocumentOptions, renderDocument, type UrlMemo } from '../../src/repo-index/index-document.js';
import { createSqliteMetadataStore } from '../../src/store/sqlite-metadata-store.js';
import { renderIndex } from '../support/render-index.js';
import { writtenBy } from '../support/written-bytes.js';

const CHARTS = [
  ['web', '1.0.0'],
  ['web', '1.10.0-rc.1'],
  ['api', 'v2.0.0'],
  ['true', '0.1.0'],
  ['web', '1.2.0+build.5'],
] as const;

async function storeWithCharts(t: { after(fn: () => unknown): void }) {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-doc-'));
  const meta = createSqliteMetadataStore(join(dir, 'charthouse.db'));
  t.after(async () => {
    await meta.close();
    await rm(dir, { recursive: true, force: true });
  });
  for (const [name, version] of CHARTS) {
    const metadata = {
      name,
      version,
      apiVersion: 'v2',
      description: 'line one\n\nline three: "yes"',
      annotations: { images: '- a\n- b\n' },
      keywords: ['1.10', 'no'],
    };
    const chart = {
      name,
      version,
      digest: 'a'.repeat(64),
      size: 10,
      created: '2026-01-02T03:04:05.000Z',
      metadata,
    };
    await meta.publish({ repository: 'team', chart, overwrite: false });
  }
  return { dir, meta };
}

async function expectedText(
  meta: ReturnType<typeof createSqliteMetadataStore>,
  url: { chartUrl: string; contextPath: string },
) {
  const snapshot = await meta.snapshot('team');
  assert.ok(snapshot);
  return renderIndex(snapshot.versions, { ...url, repository: 'team', generated: snapshot.updated });
}

async function plainText(index: Awaited<ReturnType<typeof renderDocument>>) {
  assert.ok(index?.plain);
  return Buffer.isBuffer(index.plain)
    ? index.plain.toString('utf8')
    : (await writtenBy(index.plain)).toString('utf8');
}

for (const url of [
  { chartUrl: '', contextPath: '' },
  { chartUrl: 'https://charts.example.com', contextPath: '/helm' },
  { chartUrl: 'http://h/a #b', contextPath: '' },
]) {
  test(`the document from stored blocks is the reference rendering, plain and gzip (${JSON.stringify(url)})`, async (t) => {
    const { dir, meta } = await storeWithCharts(t);
    const opts: DocumentOptions = {
      urlPrefix: chartUrlPrefix({ ...url, repository: 'team' }),
      contextPath: url.contextPath,
      memoryLimit: 1 << 20,
      fileDir: join(dir, 'index-cache'),
    };
    const read = meta.readIndexBlocks.bind(meta);
    const memo: UrlMemo = new Map();
    const wanted = await expectedText(meta, url);
    const gzipOnly = await renderDocument(read, 'team', false, opts, memo);
    assert.equal(gzipOnly?.plain, undefined);
    assert.equal(gunzipSync(gzipOnly?.gzip ?? Buffer.alloc(0)).toString('utf8'), wanted);
    assert.equal(gzipOnly?.length, Buffer.byteLength(wanted));
    const full = await renderDocument(read, 'team', true, opts, memo);
    assert.equal(await plainText(full), wanted);
    assert.equal(full?.etag, gzipOnly?.etag);
    assert.deepEqual(full?.gzip, gzipOnly?.gzip);
  });
}

test('a plain document over the memory limit is served from an unlinked file until it is retired', async (t) => {
  const { dir, meta } = await storeWithCharts(t);
  const fileDir = join(dir, 'index-cache');
  const opts = { urlPrefix: '', contextPath: '', memoryLimit: 100, fileDir };
  const index = await renderDocument(meta.readIndexBlocks.bind(meta), 'team', true, opts, new Map());
  assert.ok(index?.plain && !Buffer.isBuffer(index.plain));
  assert.deepEqual(await readdir(fileDir), []);
  const wanted = await expectedText(meta, { chartUrl: '', contextPath: '' });
  const [one, two] = await Promise.all([plainText(index), plainText(index)]);
  assert.equal(one, wanted);
  assert.equal(two, wanted);
  index.retire();
  await assert.rejects(writtenBy(index.plain), /closed/);
});

test('the etag follows the bytes: equal for the same rows, different after a change', async (t) => {
  const { dir, meta } = await storeWithCharts(t);
  const opts = { urlPrefix: '', contextPath: '', memoryLimit: 1 << 20, fileDir: join(dir, 'c') };
  const read = meta.readIndexBlocks.bind(meta);
  const first = await renderDocument(read, 'team', false, opts, new Map());
  const again = await renderDocument(read, 'team', false, opts, new Map());
  assert.match(first?.etag ?? '', /^"[0-9a-f]{32}"$/);
  assert.equal(again?.etag, first?.etag);
  await meta.deleteVersion('team', 'web', '1.0.0');
  const after = await renderDocument(read, 'team', false, opts, new Map());
  assert.notEqual(after?.etag, first?.etag);
  assert.equal(await renderDocument(read, 'nope', false, opts, new Map()), undefined);
});
