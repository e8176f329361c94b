// Preloaded (NODE_OPTIONS=--require) into every process of the Node 24 end-to-end run, the
// servers and CLIs the tests spawn included. node_modules/better-sqlite3 holds the addon built for
// the Node that ran `npm ci`; this swaps in the one scripts/node24.mjs built for Node 24, at the
// one place every native addon is loaded, so the JavaScript of better-sqlite3 stays the installed
// one. A process on another Node ABI (a Node 20 tool the run happens to start) is left alone.
const { existsSync, readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '..');
const built = join(root, 'node_modules', '.cache', 'charthouse', 'node24', 'better-sqlite3');
const installed = join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
const stampFile = join(built, 'charthouse-build.json');

const stamp = existsSync(stampFile) ? JSON.parse(readFileSync(stampFile, 'utf8')) : undefined;
if (stamp && stamp.abi === process.versions.modules) {
  const replacement = join(built, 'build', 'Release', 'better_sqlite3.node');
  const dlopen = process.dlopen;
  process.dlopen = function dlopenNode24Build(module, filename, ...rest) {
    const target = resolve(filename) === installed ? replacement : filename;
    return dlopen.call(this, module, target, ...rest);
  };
}
