import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));

let compiled: Promise<string> | undefined;

/**
 * The CLI bundled once per test process into one plain JavaScript file in a temporary directory,
 * for tests that start it many times: `node <bundle>` starts with about a third of the CPU time of
 * `node --import tsx src/cli.ts`, which transforms and resolves every module at every start.
 * Dependencies are bundled too (fewer files to resolve and read), except better-sqlite3, whose
 * native addon loads from `node_modules/`.
 *
 * Layout: every module of a bundle shares the bundle's `import.meta.url`, so the bundle sits as
 * deep as `src/store/`, and the two paths the sources build from it resolve as in the repository:
 *
 *   <dir>/node_modules -> the repository's (better-sqlite3)
 *   <dir>/migrations   -> the repository's (src/store/database.ts: ../../migrations/)
 *   <dir>/app/package.json   a copy (src/version.ts: ../package.json; "type": "module")
 *   <dir>/app/cli/cli.js     the bundle
 *
 * Resolves to the bundle's path; the directory is removed when the process exits.
 */
export function compiledCli(): Promise<string> {
  compiled ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'charthouse-cli-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, 'app', 'cli'), { recursive: true });
    const outfile = join(dir, 'app', 'cli', 'cli.js');
    await build({
      entryPoints: [join(root, 'src', 'cli.ts')],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      external: ['better-sqlite3'],
      // CommonJS dependencies call require(); an ES module bundle has none of its own
      banner: {
        js: "import { createRequire as __charthouseRequire } from 'node:module';\nconst require = __charthouseRequire(import.meta.url);",
      },
      sourcemap: true,
      logLevel: 'error',
    });
    cpSync(join(root, 'package.json'), join(dir, 'app', 'package.json'));
    symlinkSync(join(root, 'migrations'), join(dir, 'migrations'), 'dir');
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    return outfile;
  })();
  return compiled;
}
