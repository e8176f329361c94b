import { Worker } from 'node:worker_threads';
import { createBodyFile } from '../repo-index/body-file.js';
import { type DocumentOptions, plainFile, type RenderedIndex } from '../repo-index/index-document.js';

/** What the worker sends back: a RenderedIndex whose file is a bare descriptor. */
export interface IndexWorkerResult extends Omit<RenderedIndex, 'plain' | 'retire'> {
  /** the plain document, or the descriptor of the unlinked file holding it */
  plain: Buffer | number;
}

const FROM_SOURCE = import.meta.url.endsWith('.ts');
const ENTRY = new URL(FROM_SOURCE ? './sqlite-index-worker.ts' : './sqlite-index-worker.js', import.meta.url);

/**
 * The worker's entry. Built, it is the .js file. From source (tsx), the worker must register tsx
 * itself first: Node 20 runs neither the parent's loader hooks nor its `--import` in workers.
 */
function workerEntry(): { entry: URL | string; eval: boolean } {
  if (!FROM_SOURCE) return { entry: ENTRY, eval: false };
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(ENTRY.href)}); });`;
  return { entry: code, eval: true };
}

/**
 * Renders a large index.yaml, plain document included, in a worker thread with its own small
 * heap: the event loop keeps serving meanwhile, and the hundreds of megabytes of short-lived
 * strings such a render makes are collected within the worker's limits and freed with it, instead
 * of raising the server's resident memory until V8 gets round to a full collection.
 */
export function renderIndexInWorker(
  databaseFile: string,
  repository: string,
  options: DocumentOptions,
): Promise<RenderedIndex | undefined> {
  // Opened here and only written by the worker: Node closes the descriptors a worker opened when it exits.
  const file = createBodyFile(options.fileDir);
  const fail = (err: unknown) => {
    file.retire();
    throw err;
  };
  return new Promise<RenderedIndex | undefined>((resolve, reject) => {
    let result: IndexWorkerResult | undefined;
    const { entry, eval: isCode } = workerEntry();
    const worker = new Worker(entry, {
      eval: isCode,
      execArgv: [],
      workerData: { file: databaseFile, repository, options: { ...options, fileDescriptor: file.fd } },
      resourceLimits: { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16 },
    });
    worker.once('message', (message: IndexWorkerResult | undefined) => {
      result = message;
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0 && !result) return reject(new Error(`the index worker exited with code ${code}`));
      if (!result) {
        file.retire();
        return resolve(undefined);
      }
      // buffers arrive as plain Uint8Arrays: view them as Buffers again, without copying
      const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const { plain, ...rest } = result;
      const index = { ...rest, gzip: asBuffer(rest.gzip) };
      if (typeof plain !== 'number') {
        file.retire();
        return resolve({ ...index, plain: asBuffer(plain), retire: () => undefined });
      }
      resolve({
        ...index,
        plain: plainFile(file, rest.length),
        retire: () => file.retire(),
      });
    });
  }).catch(fail);
}
