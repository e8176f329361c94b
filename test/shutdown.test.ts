import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { spawnServer } from './support/child-server.js';
import { gzipTar } from './support/make-chart.js';

test('SIGTERM during a download lets it finish on its keep-alive connection, then exits 0 promptly', async (t) => {
  const storage = await mkdtemp(join(tmpdir(), 'charthouse-shutdown-'));
  t.after(() => rm(storage, { recursive: true, force: true }));
  const server = await spawnServer(storage);
  t.after(() => server.child.kill('SIGKILL'));

  // Random bytes do not compress: the package is larger than the socket buffers between us.
  const tgz = await gzipTar([
    { name: 'big/Chart.yaml', body: 'apiVersion: v2\nname: big\nversion: 1.0.0\n' },
    { name: 'big/files/noise.bin', body: randomBytes(4 * 1024 * 1024) },
  ]);
  const pushed = await fetch(`${server.url}/api/charts`, { method: 'POST', body: new Uint8Array(tgz) });
  assert.equal(pushed.status, 201, await pushed.text());
  // An idle keep-alive connection, and a download whose headers have arrived but not its body.
  await (await fetch(`${server.url}/health`)).text();
  const download = await fetch(`${server.url}/charts/big-1.0.0.tgz`);
  assert.equal(download.status, 200);

  const began = Date.now();
  server.child.kill('SIGTERM');
  const body = Buffer.from(await download.arrayBuffer());
  assert.equal(
    createHash('sha256').update(body).digest('hex'),
    createHash('sha256').update(tgz).digest('hex'),
  );
  assert.equal(await server.exited, 0);
  // close-with-grace gives up (exit 1) after 10 s; a connection left idle would hold it that long.
  assert.ok(Date.now() - began < 9000, `shutdown took ${Date.now() - began} ms`);
});
