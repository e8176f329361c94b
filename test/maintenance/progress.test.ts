import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createProgress, formatBytes } from '../../src/maintenance/progress.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 100, write: (text: string) => writes.push(text) } };
}

test('on a terminal, progress redraws one line with a bar, counts, bytes and rate, then clears it', () => {
  const { writes, stream } = fakeStream(true);
  let clock = 0;
  const progress = createProgress(stream, () => clock);
  progress.start('check: blobs', 4);
  clock = 1000;
  progress.advance(1, 2048);
  clock = 1050;
  progress.advance(1, 2048); // within 100 ms of the last draw: not redrawn
  clock = 2000;
  progress.advance(2, 1024 * 1024);
  progress.done();
  assert.deepEqual(writes, [
    '\r\x1b[Kcheck: blobs [........................] 0/4 0.0/s',
    '\r\x1b[Kcheck: blobs [######..................] 1/4 2.0 KiB 1.0/s',
    '\r\x1b[Kcheck: blobs [########################] 4/4 1.0 MiB 2.0/s',
    '\r\x1b[K',
  ]);
});

test('without a total there is no bar, only counts and rate', () => {
  const { writes, stream } = fakeStream(true);
  let clock = 0;
  const progress = createProgress(stream, () => clock);
  progress.start('gc: blobs');
  clock = 500;
  progress.advance(30);
  assert.equal(writes.at(-1), '\r\x1b[Kgc: blobs 30 60/s');
});

test('in a pipe or CI log, progress writes nothing at all', () => {
  for (const stream of [fakeStream(false), { writes: [] as string[], stream: undefined }]) {
    const progress = createProgress(stream.stream);
    progress.start('backup: blobs', 10);
    progress.advance(10, 100);
    progress.done();
    assert.deepEqual(stream.writes, []);
  }
});

test('formatBytes writes sizes for people', () => {
  assert.deepEqual([0, 1023, 1536, 5 * 1024 * 1024].map(formatBytes), [
    '0 B',
    '1023 B',
    '1.5 KiB',
    '5.0 MiB',
  ]);
});
