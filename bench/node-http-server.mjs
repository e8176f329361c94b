// The bench's baseline (bench/compare-node-http.ts): Node's own HTTP server answering every GET
// with one index.yaml held in memory, with the headers Charthouse sends and nothing else: no
// framework, no routing, no access control, no logging. What it reaches is the most any server
// built on node:http can reach on the same machine. Plain JavaScript, so that it runs on `node`
// alone, as the bundle Charthouse is measured as does.
//
//   node bench/node-http-server.mjs <port> <index.yaml> <index.yaml.gz>
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [port, plainPath, gzipPath] = process.argv.slice(2);
const plain = readFileSync(plainPath);
const gzip = readFileSync(gzipPath);
const etag = `"${createHash('sha256').update(plain).digest('hex').slice(0, 32)}"`;
const lastModified = new Date().toUTCString();

createServer((request, response) => {
  response.setHeader('content-type', 'application/x-yaml');
  response.setHeader('etag', etag);
  response.setHeader('last-modified', lastModified);
  response.setHeader('cache-control', 'no-cache');
  response.setHeader('vary', 'accept-encoding');
  if (request.headers['if-none-match'] === etag) {
    response.writeHead(304);
    response.end();
    return;
  }
  const gzipped = /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');
  if (gzipped) response.setHeader('content-encoding', 'gzip');
  const body = gzipped ? gzip : plain;
  response.setHeader('content-length', body.length);
  response.writeHead(200);
  response.end(body);
}).listen(Number(port), '127.0.0.1');
