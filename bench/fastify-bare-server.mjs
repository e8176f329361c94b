// The bench's second baseline (bench/compare-node-http.ts): fastify alone answering GET
// /index.yaml from memory with the same headers as node-http-server.mjs: one route, no hooks, no
// logging, no access control. Between it and node:http alone is the framework's own cost per
// request, which no work inside Charthouse can take back; between it and Charthouse is ours.
//
//   node bench/fastify-bare-server.mjs <port> <index.yaml> <index.yaml.gz>
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const [port, plainPath, gzipPath] = process.argv.slice(2);
const plain = readFileSync(plainPath);
const gzip = readFileSync(gzipPath);
const etag = `"${createHash('sha256').update(plain).digest('hex').slice(0, 32)}"`;
const lastModified = new Date().toUTCString();

const app = Fastify({ logger: false });
app.get('/index.yaml', (request, reply) => {
  reply
    .header('content-type', 'application/x-yaml')
    .header('etag', etag)
    .header('last-modified', lastModified)
    .header('cache-control', 'no-cache')
    .header('vary', 'accept-encoding');
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  const gzipped = /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');
  if (gzipped) reply.header('content-encoding', 'gzip');
  return reply.send(gzipped ? gzip : plain);
});
await app.listen({ port: Number(port), host: '127.0.0.1' });
