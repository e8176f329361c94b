import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPolledReadMemo, RECHECK_OTHER_REPLICAS_MS } from '../../src/store/polled-read-memo.js';

/** A database seen through the memo: rows by key, a revision, and counts of what was asked. */
function fakeDatabase() {
  const state = { rows: new Map<string, { value: number }>(), revision: 1, reads: 0, checks: 0, time: 0 };
  const memo = createPolledReadMemo(
    async () => {
      state.checks++;
      return state.revision;
    },
    () => state.time,
  );
  const read = (key: string) =>
    memo.get(key, async () => {
      state.reads++;
      return state.rows.get(key);
    });
  return { state, memo, read };
}

test('a remembered read is answered without reading until the recheck interval passes', async () => {
  const { state, read } = fakeDatabase();
  state.rows.set('alice', { value: 1 });
  assert.deepEqual(await read('alice'), { value: 1 });
  state.rows.set('alice', { value: 2 });
  state.time += RECHECK_OTHER_REPLICAS_MS - 1;
  assert.deepEqual(await read('alice'), { value: 1 });
  assert.equal(state.reads, 1);
  assert.equal(state.checks, 1);
});

test('a moved revision makes the memo read again; an unmoved one keeps what it remembers', async () => {
  const { state, read } = fakeDatabase();
  state.rows.set('alice', { value: 1 });
  await read('alice');
  state.time += RECHECK_OTHER_REPLICAS_MS;
  assert.deepEqual(await read('alice'), { value: 1 });
  assert.equal(state.reads, 1, 'same revision: still remembered');
  state.rows.set('alice', { value: 2 });
  state.revision++;
  state.time += RECHECK_OTHER_REPLICAS_MS;
  assert.deepEqual(await read('alice'), { value: 2 });
  assert.equal(state.checks, 3);
});

test('missing rows are never remembered: a row created elsewhere is found at once', async () => {
  const { state, read } = fakeDatabase();
  assert.equal(await read('bob'), undefined);
  state.rows.set('bob', { value: 1 });
  assert.deepEqual(await read('bob'), { value: 1 });
});

test('a read in flight when the memo forgets is answered but not remembered', async () => {
  const { state, memo } = fakeDatabase();
  let release = () => {};
  let start = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const started = new Promise<void>((resolve) => {
    start = resolve;
  });
  const inFlight = memo.get('alice', async () => {
    start();
    await gate;
    return { value: 1 };
  });
  await started;
  memo.forget();
  release();
  assert.deepEqual(await inFlight, { value: 1 });
  state.rows.set('alice', { value: 2 });
  assert.deepEqual(
    await memo.get('alice', async () => state.rows.get('alice')),
    { value: 2 },
    'the value read before the forget was not kept',
  );
});

test('concurrent reads share one revision query', async () => {
  const { state, read } = fakeDatabase();
  state.rows.set('a', { value: 1 });
  state.rows.set('b', { value: 2 });
  await Promise.all([read('a'), read('b'), read('a')]);
  assert.equal(state.checks, 1);
});
