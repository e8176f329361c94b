import assert from 'node:assert/strict';
import { fstatSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Fastify from 'fastify';
import { createBodyFile } from '../../src/repo-index/body-file.js';
import { plainFile, type RenderedIndex } from '../../src/repo-index/index-document.js';
import { classicRepoRoutes } from '../../src/routes/classic-repo.js';

/**
 * index.yaml whose plain document is kept in a file (over 16 MB in production), served by the
 * route's own writer instead of a stream handed to fastify. The registry here hands out one such
 * render, so the route is tested with a small file.
 */
async function serveFileIndex(t: { after(fn: () => Promise<void> | void): void }, length: number) {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-large-index-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const body = Buffer.alloc(length);
  for (let i = 0; i + 4 <= length; i += 4) body.writeUInt32BE(i, i);
  const file = createBodyFile(dir);
  file.write(body, 0);
  const index: RenderedIndex = {
    revision: 1,
    etag: '"feedface"',
    lastModified: new Date(0).toUTCString(),
    length,
    gzip: Buffer.from('not used here'),
    plain: plainFile(file, length),
    retire: () => file.retire(),
  };
  const app = Fastify();
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  const responses: number[] = [];
  app.addHook('onResponse', async (_request, reply) => void responses.push(reply.statusCode));
  await app.register(classicRepoRoutes, {
    registry: {
      getIndex: async () => index,
      openFile: async () => assert.fail('no package is asked for'),
    },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  t.after(() => app.close());
  const { port } = app.server.address() as AddressInfo;
  return { body, file, index, port, responses };
}

function get(port: number, options: { method?: string; abortAfter?: number } = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>(
    (resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port,
        path: '/team/index.yaml',
        method: options.method ?? 'GET',
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let received = 0;
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          received += chunk.length;
          if (options.abortAfter !== undefined && received >= options.abortAfter) req.destroy();
        });
        const done = () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        res.on('end', done);
        res.on('close', done);
      });
      req.on('error', (err) => (options.abortAfter === undefined ? reject(err) : undefined));
      req.end();
    },
  );
}

test('a file-kept index.yaml arrives whole, with the headers of any index response, to several clients at once', async (t) => {
  const { body, port, responses } = await serveFileIndex(t, 3 * 1024 * 1024 + 20);
  const all = await Promise.all([get(port), get(port), get(port)]);
  for (const res of all) {
    assert.equal(res.status, 200);
    assert.ok(res.body.equals(body), 'the bytes of the file');
    assert.equal(res.headers['content-length'], String(body.length));
    assert.equal(res.headers['content-type'], 'application/x-yaml');
    assert.equal(res.headers.etag, '"feedface"');
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.ok(res.headers['x-request-id'], 'headers set by hooks before the handler are kept');
  }
  assert.deepEqual(responses, [200, 200, 200], 'fastify still sees each response finish');
});

test('HEAD gives the length and no bytes', async (t) => {
  const { body, port } = await serveFileIndex(t, 2 * 1024 * 1024);
  const res = await get(port, { method: 'HEAD' });
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-length'], String(body.length));
  assert.equal(res.body.length, 0);
});

test('a client that goes away mid-body lets the file close once it is retired', async (t) => {
  const { file, index, port } = await serveFileIndex(t, 8 * 1024 * 1024);
  const partial = await get(port, { abortAfter: 1024 * 1024 });
  assert.ok(partial.body.length < 8 * 1024 * 1024);
  index.retire();
  for (let i = 0; i < 100; i++) {
    try {
      fstatSync(file.fd);
    } catch (err) {
      assert.equal((err as NodeJS.ErrnoException).code, 'EBADF');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail('the descriptor was still open two seconds after the client left and the render was retired');
});
