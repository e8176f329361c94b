import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle } from '../../scripts/build.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

let compiled: Promise<string> | undefined;

/**
 * The CLI bundled once per test process, as `npm run build` bundles it (scripts/build.ts), into a
 * temporary directory, for tests that start it many times: `node <bundle>` starts with a fraction
 * of the CPU time of `node --import tsx src/cli.ts`, which transforms and resolves every module at
 * every start. The directory stands in for the package root (src/package-root.ts):
 *
 *   <dir>/package.json   a copy
 *   <dir>/migrations     -> the repository's
 *   <dir>/node_modules   -> the repository's (better-sqlite3)
 *   <dir>/dist/cli.js    the bundle, with the index worker beside it
 *
 * Resolves to the bundle's path; the directory is removed when the process exits.
 */
export function compiledCli(): Promise<string> {
  compiled ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'charthouse-cli-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    await buildBundle(join(dir, 'dist'));
    cpSync(join(root, 'package.json'), join(dir, 'package.json'));
    symlinkSync(join(root, 'migrations'), join(dir, 'migrations'), 'dir');
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    return join(dir, 'dist', 'cli.js');
  })();
  return compiled;
}
