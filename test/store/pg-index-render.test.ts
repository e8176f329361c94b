import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type PlainFile, renderDocument } from '../../src/repo-index/index-document.js';
import type { VersionDetails } from '../../src/store/metadata-store.js';
import { writtenBy } from '../support/written-bytes.js';
import { openedPerTest } from './opened-per-test.js';
import { openFreshPgStore } from './pg-fresh-store.js';

const open = openedPerTest(openFreshPgStore);

function version(name: string, v: string, description = 'multi\nline'): VersionDetails {
  return {
    name,
    version: v,
    digest: 'd'.repeat(64),
    size: 1,
    created: '2026-01-01T00:00:00.000Z',
    metadata: { name, version: v, apiVersion: 'v2', description },
  };
}

test('index.yaml renders from PostgreSQL through the cursor, in memory or to a file, with the same bytes', async (t) => {
  const s = await open(t);
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-pg-index-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  // more charts than one FETCH of the cursor, so the blocks arrive over several round trips
  const names = Array.from({ length: 300 }, (_, i) => `chart-${String(i).padStart(3, '0')}`);
  for (const name of [...names].reverse())
    await s.publish({ repository: 'big', chart: version(name, '1.0.0'), overwrite: false });
  const seen: string[] = [];
  await s.readIndexBlocks('big', { bodies: false }, (block) => seen.push(block.name));
  assert.deepEqual(seen, names);

  const options = { urlPrefix: '', contextPath: '', fileDir: join(dir, 'index-cache') };
  const inMemory = await renderDocument(
    s.readIndexBlocks.bind(s),
    'big',
    true,
    { ...options, memoryLimit: 1e9 },
    new Map(),
  );
  const inFile = await renderDocument(
    s.readIndexBlocks.bind(s),
    'big',
    true,
    { ...options, memoryLimit: 64 },
    new Map(),
  );
  assert.ok(Buffer.isBuffer(inMemory?.plain) && inFile?.plain && !Buffer.isBuffer(inFile.plain));
  assert.equal(
    (await writtenBy(inFile.plain as PlainFile)).toString('utf8'),
    inMemory.plain.toString('utf8'),
  );
  assert.equal(inFile.etag, inMemory.etag);
  assert.equal(inMemory.revision, 300);
  assert.match(inMemory.plain.toString('utf8'), /^apiVersion: v1\nentries:\n {2}chart-000:\n/);
  inFile.retire();
});

test('search folds case and diacritics, and matches words inside hyphenated names and keywords', async (t) => {
  const s = await open(t);
  await s.publish({
    repository: '',
    chart: version('café-app', '1.0.0', 'Serves crème brûlée'),
    overwrite: false,
  });
  const texts = (text: string) =>
    s
      .searchCharts({ text, prerelease: false, deprecated: true, offset: 0, limit: 10 })
      .then((page) => page.total);
  assert.equal(await texts('CAFE'), 1);
  assert.equal(await texts('creme brul'), 1);
  assert.equal(await texts('app'), 1);
  assert.equal(await texts('brûlées'), 0);
});
