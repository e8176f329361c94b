import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { test } from 'node:test';
import { createBodyFile } from '../../src/repo-index/body-file.js';

test('a reader that goes away leaves the file readable for the others, until it is retired', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-body-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = createBodyFile(dir);
  assert.deepEqual(await readdir(dir), [], 'the file is unlinked at once');
  const bytes = Buffer.alloc(3 * 1024 * 1024 + 5, 'abc');
  file.write(bytes, 0);
  const quitter = file.open(bytes.length);
  quitter.once('data', () => quitter.destroy());
  await new Promise((resolve) => quitter.once('close', resolve));
  assert.deepEqual(await buffer(file.open(bytes.length)), bytes);
  const last = file.open(bytes.length);
  file.retire();
  assert.deepEqual(await buffer(last), bytes, 'a retired file serves the readers it has');
  await new Promise((resolve) => setImmediate(resolve));
  assert.throws(() => file.open(bytes.length), /closed/);
});
