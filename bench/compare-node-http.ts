import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type IndexFiles, type IndexLoads, indexLoads } from './compare-nginx.js';
import { expectStatus } from './http.js';
import type { Outcome } from './load.js';
import { onServerCore } from './placement.js';
import { freePort, stopProcess, waitFor200 } from './server-process.js';
import { startProgram } from './tools.js';

const NODE_HTTP = fileURLToPath(new URL('node-http-server.mjs', import.meta.url));
const FASTIFY_BARE = fileURLToPath(new URL('fastify-bare-server.mjs', import.meta.url));

/**
 * The same index.yaml answered by node:http alone from memory (bench/node-http-server.mjs), run
 * and measured as Charthouse is: the ceiling of a Node server on this machine, beside nginx's.
 */
export const compareNodeHttp = (options: IndexFiles & { dir: string }) => compareBaseline(NODE_HTTP, options);

/**
 * The same from fastify alone, one route and no hooks (bench/fastify-bare-server.mjs): what the
 * framework Charthouse is built on costs per request, before any work of Charthouse's own.
 */
export const compareFastifyBare = (options: IndexFiles & { dir: string }) =>
  compareBaseline(FASTIFY_BARE, options);

async function compareBaseline(
  server: string,
  options: IndexFiles & { dir: string },
): Promise<Outcome<IndexLoads>> {
  await mkdir(options.dir, { recursive: true });
  const plainPath = join(options.dir, 'index.yaml');
  const gzipPath = join(options.dir, 'index.yaml.gz');
  await writeFile(plainPath, options.plain);
  await writeFile(gzipPath, options.gzip);
  const port = await freePort();
  const args = [server, String(port), plainPath, gzipPath];
  const child = startProgram(...onServerCore(process.execPath, args), join(options.dir, 'baseline.log'));
  try {
    const url = `http://127.0.0.1:${port}/index.yaml`;
    await waitFor200(url, child, 10_000);
    const gzipped = await expectStatus(200, url, { headers: { 'accept-encoding': 'gzip' } });
    return await indexLoads(url, String(gzipped.headers.etag), options);
  } finally {
    await stopProcess(child);
  }
}
