import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isMaintenanceCommand, runMaintenanceCommand } from '../../src/maintenance/commands.js';
import { createProgress, formatBytes } from '../../src/maintenance/progress.js';
import { buildTestApp } from '../support/build-app.js';
import { seedStore } from './seed.js';

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

test('check, gc, backup and restore draw a bar with counts and rate on a terminal, and stay quiet in a pipe or CI', async (t) => {
  const target = await buildTestApp(t);
  await seedStore(target);
  const work = await mkdtemp(join(tmpdir(), 'charthouse-progress-'));
  t.after(() => rm(work, { recursive: true, force: true }));
  const run = async (args: string[], stderr: { isTTY: boolean; write(text: string): unknown }, env = {}) => {
    const [command = '', ...rest] = args;
    assert.ok(isMaintenanceCommand(command));
    const stdout: string[] = [];
    const code = await runMaintenanceCommand(command, rest, {
      env,
      stdout: { write: (text: string) => stdout.push(text) },
      stderr,
    });
    assert.equal(code, 0, stdout.join(''));
    return stdout.join('');
  };
  const commands = [
    ['check', '--storage', target.dir],
    ['gc', '--storage', target.dir],
    ['backup', join(work, 'copy'), '--storage', target.dir],
    ['restore', join(work, 'copy'), '--storage', join(work, 'restored')],
  ];
  for (const args of commands) {
    const command = args[0] ?? '';
    const { writes, stream } = fakeStream(true);
    const report = await run(args, stream);
    const clear = '\r\x1b[K';
    const lines = writes.filter((line) => line !== clear);
    assert.ok(
      lines.every((line) => line.startsWith(`${clear}${command}: `)),
      command,
    );
    // the blob phase of each: `<command>: blobs [####…] <done>/<total> <bytes> <rate>/s`
    assert.ok(
      lines.some((line) =>
        /^\w+: blobs \[#{24}\] (\d+)\/\1( [\d.]+ (B|KiB|MiB))? [\d.]+\/s$/.test(line.slice(clear.length)),
      ),
      `${command} drew no finished bar: ${JSON.stringify(lines)}`,
    );
    assert.equal(writes.at(-1), clear, `${command} clears its line at the end`);
    assert.ok(!report.includes('\x1b'), `${command} keeps its report free of terminal codes`);
  }
  const pipe = fakeStream(false);
  await run(['check', '--storage', target.dir], pipe.stream);
  const ci = fakeStream(true);
  await run(['gc', '--storage', target.dir], ci.stream, { CI: 'true' });
  assert.deepEqual([pipe.writes, ci.writes], [[], []]);
});
