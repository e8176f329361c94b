#!/usr/bin/env node
// Runs the node:test suites through tsx. Node 20 does not expand globs given to --test,
// so the file list is built here. Arguments narrow the run to folders or files.
// The real engines (PostgreSQL, Ceph RGW) start once for the whole run and stop after it
// (scripts/engines.mjs); when CHARTHOUSE_TEST_POSTGRES is already set, the caller runs them.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startEngines } from './engines.mjs';
import { runNode24EndToEnd } from './node24.mjs';

function collect(path) {
  if (statSync(path).isFile()) return path.endsWith('.test.ts') ? [path] : [];
  return readdirSync(path)
    .sort()
    .flatMap((entry) => collect(join(path, entry)));
}

// --and-node24 (npm test): after the run, test/e2e again on Node 24 (scripts/node24.mjs), same engines.
const andNode24 = process.argv.includes('--and-node24');
const roots = process.argv.slice(2).filter((arg) => arg !== '--and-node24');
const files = (roots.length > 0 ? roots : ['test']).flatMap(collect);
if (files.length === 0) {
  process.stderr.write('no test files found\n');
  process.exit(1);
}

const engines = process.env.CHARTHOUSE_TEST_POSTGRES ? undefined : await startEngines();
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, ...engines?.env } },
);
const stopAndExit = async (code) => {
  await engines?.stop();
  process.exit(code);
};
process.on('SIGINT', () => child.kill('SIGINT'));
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', async (code, signal) => {
  const status = signal ? 1 : (code ?? 1);
  const node24Status = andNode24 ? await runNode24EndToEnd({ ...process.env, ...engines?.env }) : 0;
  await stopAndExit(status || node24Status);
});
