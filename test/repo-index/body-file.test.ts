import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createBodyFile } from '../../src/repo-index/body-file.js';
import { collectingDestination, writtenBy } from '../support/written-bytes.js';

async function fileWith(t: { after(fn: () => Promise<void>): void }, bytes: Buffer) {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-body-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = createBodyFile(dir);
  assert.deepEqual(await readdir(dir), [], 'the file is unlinked at once');
  file.write(bytes, 0);
  return file;
}

/** Distinct bytes at every offset of every 1 MiB chunk, so a chunk sent from a reused buffer too early shows. */
function patterned(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i += 4) bytes.writeUInt32BE(i >>> 2, i);
  return bytes;
}

test('a reader that goes away leaves the file readable for the others, until it is retired', async (t) => {
  const bytes = patterned(3 * 1024 * 1024 + 8);
  const file = await fileWith(t, bytes);
  const quitter = collectingDestination({ delayMs: 5 });
  const quitting = file.writeTo(quitter.destination, bytes.length);
  quitter.destination.destroy();
  await quitting;
  assert.ok(quitter.bytes().length < bytes.length);
  assert.deepEqual(await writtenBy({ writeTo: (d) => file.writeTo(d, bytes.length) }), bytes);
  const last = collectingDestination();
  const lastDone = file.writeTo(last.destination, bytes.length);
  file.retire();
  await lastDone;
  assert.deepEqual(last.bytes(), bytes, 'a retired file serves the readers it has');
  await assert.rejects(file.writeTo(collectingDestination().destination, bytes.length), /closed/);
});

test('behind a slow destination every chunk arrives intact, though the buffers are reused', async (t) => {
  const bytes = patterned(5 * 1024 * 1024 + 12);
  const file = await fileWith(t, bytes);
  t.after(() => file.retire());
  const slow = collectingDestination({ delayMs: 3 });
  const fast = collectingDestination();
  await Promise.all([
    file.writeTo(slow.destination, bytes.length),
    file.writeTo(fast.destination, bytes.length),
  ]);
  assert.deepEqual(slow.bytes(), bytes);
  assert.deepEqual(fast.bytes(), bytes);
});

test('a prefix of the file can be written, as the index renders are', async (t) => {
  const bytes = patterned(2 * 1024 * 1024);
  const file = await fileWith(t, bytes);
  t.after(() => file.retire());
  assert.deepEqual(
    await writtenBy({ writeTo: (d) => file.writeTo(d, 1024 * 1024 + 3) }),
    bytes.subarray(0, 1024 * 1024 + 3),
  );
});

test('a file shorter than the length asked for destroys the destination with an error', async (t) => {
  const bytes = patterned(1024);
  const file = await fileWith(t, bytes);
  t.after(() => file.retire());
  const { destination } = collectingDestination();
  const failed = new Promise<Error>((resolve) => destination.once('error', resolve));
  await file.writeTo(destination, 4096);
  assert.match((await failed).message, /ended early/);
});
