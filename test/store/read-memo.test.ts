import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createReadMemo, MAX_ENTRIES, RECHECK_OTHER_WRITERS_MS } from '../../src/store/read-memo.js';
import { createSqliteMetadataStore } from '../../src/store/sqlite-metadata-store.js';

function fakeDatabase() {
  const state = { revisions: new Map<string, number>(), dataVersion: 1, reads: 0, checks: 0, time: 0 };
  const memo = createReadMemo(
    () => {
      state.checks++;
      return state.dataVersion;
    },
    () => state.time,
  );
  const cache = {
    get: (repository: string) =>
      memo.get(repository, () => {
        state.reads++;
        return state.revisions.get(repository);
      }),
    forget: () => memo.forget(),
  };
  return { state, cache, memo };
}

test('a remembered revision is served without reading, until the store forgets it', () => {
  const { state, cache } = fakeDatabase();
  state.revisions.set('team', 3);
  assert.equal(cache.get('team'), 3);
  assert.equal(cache.get('team'), 3);
  assert.equal(state.reads, 1);
  state.revisions.set('team', 4);
  cache.forget();
  assert.equal(cache.get('team'), 4);
  assert.equal(state.reads, 2);
});

test('a missing repository is not remembered: one created elsewhere is found at once', () => {
  const { state, cache } = fakeDatabase();
  assert.equal(cache.get('new'), undefined);
  state.revisions.set('new', 0);
  assert.equal(cache.get('new'), 0);
});

test('another writer is noticed through data_version once the recheck interval has passed', () => {
  const { state, cache } = fakeDatabase();
  state.revisions.set('team', 1);
  assert.equal(cache.get('team'), 1);
  state.revisions.set('team', 2);
  state.dataVersion = 2;
  state.time = RECHECK_OTHER_WRITERS_MS - 1;
  assert.equal(cache.get('team'), 1, 'within the interval the remembered revision stands');
  state.time = RECHECK_OTHER_WRITERS_MS;
  assert.equal(cache.get('team'), 2);
  const checks = state.checks;
  state.time += 1;
  cache.get('team');
  assert.equal(state.checks, checks, 'data_version is read at most once per interval');
});

test('the memo starts over past MAX_ENTRIES, so distinct keys cannot grow it without end', () => {
  const { state, cache } = fakeDatabase();
  for (let i = 0; i <= MAX_ENTRIES; i++) state.revisions.set(`r${i}`, i);
  cache.get('r0');
  for (let i = 1; i < MAX_ENTRIES; i++) cache.get(`r${i}`);
  const reads = state.reads;
  cache.get('r0');
  assert.equal(state.reads, reads, 'r0 is still remembered with MAX_ENTRIES entries');
  cache.get(`r${MAX_ENTRIES}`);
  cache.get('r0');
  assert.equal(state.reads, reads + 2, 'one entry more started the memo over');
});

test('an unchanged data_version keeps what is remembered', () => {
  const { state, cache } = fakeDatabase();
  state.revisions.set('team', 1);
  cache.get('team');
  state.time = RECHECK_OTHER_WRITERS_MS * 5;
  cache.get('team');
  assert.equal(state.reads, 1);
});

const chart = (version: string) => ({
  name: 'a',
  version,
  digest: 'd'.repeat(64),
  size: 1,
  created: '2026-01-01T00:00:00Z',
  metadata: { name: 'a', version, apiVersion: 'v2' },
});

test('sqlite: a publish through the store is seen by its next revision(), with no wait', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-rev-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const store = createSqliteMetadataStore(join(dir, 'charthouse.db'));
  t.after(() => store.close());
  await store.publish({ repository: 'team', chart: chart('1.0.0'), overwrite: false });
  const first = await store.revision('team');
  assert.equal(typeof first, 'number');
  await store.publish({ repository: 'team', chart: chart('1.0.1'), overwrite: false });
  assert.equal(await store.revision('team'), (first as number) + 1);
  await store.deleteVersion('team', 'a', '1.0.0');
  assert.equal(await store.revision('team'), (first as number) + 2);
});

test('sqlite: a publish through another connection (another process) is seen within the recheck interval', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-rev-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'charthouse.db');
  const server = createSqliteMetadataStore(file);
  t.after(() => server.close());
  const other = createSqliteMetadataStore(file);
  t.after(() => other.close());
  await other.publish({ repository: 'team', chart: chart('1.0.0'), overwrite: false });
  const before = await server.revision('team');
  assert.equal(typeof before, 'number', 'a repository created elsewhere is found at once');
  await other.publish({ repository: 'team', chart: chart('1.0.1'), overwrite: false });
  await sleep(RECHECK_OTHER_WRITERS_MS + 20);
  assert.equal(await server.revision('team'), (before as number) + 1);
});
