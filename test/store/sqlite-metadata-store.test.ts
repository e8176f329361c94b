import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { listMigrations } from '../../src/store/database.js';
import { createSqliteMetadataStore } from '../../src/store/sqlite-metadata-store.js';
import { metadataStoreContract } from './metadata-store.contract.js';

metadataStoreContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-meta-'));
  const store = createSqliteMetadataStore(join(dir, 'charthouse.db'));
  return {
    ...store,
    async close() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

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
