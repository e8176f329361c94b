/**
 * Worker thread entry: renders a repository's index.yaml, plain document included, from its own
 * read-only connection to the SQLite file, in one read transaction. Run by run-index-worker.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { ChartBlock } from '../repo-index/chart-block.js';
import { type DocumentOptions, renderDocument } from '../repo-index/index-document.js';
import type { IndexWorkerResult } from './run-index-worker.js';
import { createSqliteIndexBlocks } from './sqlite-index-blocks.js';

const { file, repository, options } = workerData as {
  file: string;
  repository: string;
  options: DocumentOptions;
};

const db = new Database(file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const blocks = createSqliteIndexBlocks(db);
const repositoryRow = db.prepare('SELECT id, revision, updated FROM repositories WHERE path = ?');
const read = db.transaction((path: string, bodies: boolean, onBlock: (block: ChartBlock) => void) => {
  const repo = repositoryRow.get(path) as { id: number; revision: number; updated: string } | undefined;
  if (!repo) return undefined;
  blocks.read(repo.id, bodies, onBlock);
  return { revision: repo.revision, updated: repo.updated };
});

try {
  const index = await renderDocument(
    async (path, { bodies }, onBlock) => read(path, bodies, onBlock),
    repository,
    true,
    options,
    new Map(),
  );
  const { retire: _, plain, ...rest } = index ?? {};
  const result: IndexWorkerResult | undefined = index && {
    ...(rest as Omit<IndexWorkerResult, 'plain'>),
    plain: Buffer.isBuffer(plain) ? plain : (plain?.fd as number),
  };
  parentPort?.postMessage(result);
} finally {
  db.close();
}
