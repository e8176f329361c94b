import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type PlainFile, renderDocument } from '../../src/repo-index/index-document.js';
import { listMigrations } from '../../src/store/database.js';
import { createSqliteMetadataStore } from '../../src/store/sqlite-metadata-store.js';
import { writtenBy } from '../support/written-bytes.js';
import { indexBlocksContract } from './index-blocks.contract.js';
import { metadataStoreContract } from './metadata-store.contract.js';
import { versionOrderContract } from './version-order.contract.js';

async function openTemporary() {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-meta-'));
  const store = createSqliteMetadataStore(join(dir, 'charthouse.db'));
  return {
    ...store,
    async close() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

metadataStoreContract('sqlite', openTemporary);
versionOrderContract('sqlite', openTemporary);
indexBlocksContract('sqlite', openTemporary);

test('the database runs in WAL mode at the newest migration, and reopening applies nothing twice', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-meta-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'charthouse.db');
  const newest = Math.max(...listMigrations().map((m) => m.number));
  const first = createSqliteMetadataStore(file);
  assert.equal(first.db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(first.db.pragma('user_version', { simple: true }), newest);
  await first.close();
  const second = createSqliteMetadataStore(file);
  assert.equal(second.db.pragma('user_version', { simple: true }), newest);
  assert.equal(await second.revision(''), 0);
  await second.close();
});

test('versions stored before migration 005 get their index entries and blocks when the store opens', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-meta-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'charthouse.db');
  const read = async (s: ReturnType<typeof createSqliteMetadataStore>) => {
    const bodies: string[] = [];
    await s.readIndexBlocks('', { bodies: true }, (block) => bodies.push(block.body as string));
    return bodies;
  };
  const first = createSqliteMetadataStore(file);
  for (const [name, v] of [
    ['b', '1.0.0'],
    ['a', '2.0.0'],
    ['a', '10.0.0-rc.1'],
  ] as const) {
    const metadata = { name, version: v, apiVersion: 'v2', description: `${name} "quoted": yes` };
    const chart = {
      name,
      version: v,
      digest: 'd'.repeat(64),
      size: 1,
      created: '2026-01-01T00:00:00Z',
      metadata,
    };
    await first.publish({ repository: '', chart, overwrite: false });
  }
  const before = await read(first);
  // the state migration 005 leaves for rows written before it: the tables exist and are empty
  first.db.exec('DELETE FROM chart_index_blocks; DELETE FROM chart_index_entries;');
  await first.close();
  const second = createSqliteMetadataStore(file);
  t.after(() => second.close());
  assert.equal(
    (second.db.prepare('SELECT count(*) AS n FROM chart_index_entries').get() as { n: number }).n,
    3,
  );
  assert.deepEqual(await read(second), before);
});

test('a block dropped by a writer that does not build blocks is built again when read', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-meta-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const s = createSqliteMetadataStore(join(dir, 'charthouse.db'));
  t.after(() => s.close());
  const metadata = { name: 'a', version: '1.0.0', apiVersion: 'v2' };
  const chart = {
    name: 'a',
    version: '1.0.0',
    digest: 'd'.repeat(64),
    size: 1,
    created: '2026-01-01T00:00:00Z',
    metadata,
  };
  await s.publish({ repository: '', chart, overwrite: false });
  const names: string[] = [];
  const sums: string[] = [];
  await s.readIndexBlocks('', { bodies: false }, (block) => sums.push(block.sha256.toString('hex')));
  s.db.exec("UPDATE chart_versions SET created = '2026-01-01T00:00:00Z'"); // the trigger drops the block
  await s.readIndexBlocks('', { bodies: false }, (block) => {
    names.push(block.name);
    sums.push(block.sha256.toString('hex'));
  });
  assert.deepEqual(names, ['a']);
  assert.equal(sums[1], sums[0]);
});

test('renderLargeIndex renders in a worker thread what renderDocument renders in place', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-meta-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const s = createSqliteMetadataStore(join(dir, 'charthouse.db'));
  t.after(() => s.close());
  for (const v of ['1.0.0', '1.1.0', '2.0.0-rc.1']) {
    const metadata = { name: 'a', version: v, apiVersion: 'v2', description: 'multi\nline' };
    const chart = {
      name: 'a',
      version: v,
      digest: 'd'.repeat(64),
      size: 1,
      created: '2026-01-01T00:00:00Z',
      metadata,
    };
    await s.publish({ repository: 'team', chart, overwrite: false });
  }
  const options = { urlPrefix: '', contextPath: '', memoryLimit: 64, fileDir: join(dir, 'index-cache') };
  const inPlace = await renderDocument(s.readIndexBlocks.bind(s), 'team', true, options, new Map());
  const inWorker = await s.renderLargeIndex?.('team', options);
  assert.ok(inPlace?.plain && inWorker?.plain && !Buffer.isBuffer(inWorker.plain));
  const plainOf = async (index: typeof inPlace) =>
    Buffer.isBuffer(index?.plain)
      ? index.plain.toString('utf8')
      : (await writtenBy(index?.plain as PlainFile)).toString('utf8');
  assert.equal(await plainOf(inWorker), await plainOf(inPlace));
  assert.equal(inWorker.etag, inPlace.etag);
  assert.deepEqual(inWorker.gzip, inPlace.gzip);
  assert.equal(await s.renderLargeIndex?.('nope', options), undefined);
  inWorker.retire();
  inPlace.retire();
});
