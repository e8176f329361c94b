/**
 * `npm run build`: bundles the server into dist/ with esbuild, as `npm start` and bin/charthouse.js
 * run it. One file per entry instead of a tree of modules: Node resolves, reads and compiles one
 * file at start-up rather than hundreds across node_modules, which is most of a cold start
 * (docs/decisions.md). Type checking is `npm run typecheck`, not part of the build.
 *
 *   dist/cli.js                  the `charthouse` command (src/cli.ts)
 *   dist/sqlite-index-worker.js  the index worker, found beside the bundle (src/store/run-index-worker.ts)
 *
 * better-sqlite3 stays in node_modules/ for its native addon. The bundle reads package.json and
 * migrations/ from the package root above it (src/package-root.ts).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Replaces `outdir` with a fresh bundle. */
export async function buildBundle(outdir: string): Promise<void> {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: {
      cli: join(root, 'src', 'cli.ts'),
      'sqlite-index-worker': join(root, 'src', 'store', 'sqlite-index-worker.ts'),
    },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['better-sqlite3'],
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'linked',
    // CommonJS dependencies call require(); an ES module bundle has none of its own.
    banner: {
      js: "import { createRequire as __charthouseRequire } from 'node:module';\nconst require = __charthouseRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildBundle(join(root, 'dist'));
}
