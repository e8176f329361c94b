import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { commandNames } from '../src/config/help.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The environment of this process without CHARTHOUSE_* variables, so that only `env` configures. */
function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('CHARTHOUSE_')),
  );
  return { ...base, ...env };
}

function runCli(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: root,
    env: cleanEnv(env),
    encoding: 'utf8',
    timeout: 30_000,
  });
  const stderrLines = result.stderr.split('\n').filter((line) => line !== '');
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, stderrLines };
}

test('--help exits 0 and lists every option with its variable', () => {
  for (const args of [['--help'], ['help'], ['-h'], ['serve', '--help']]) {
    const run = runCli(args);
    assert.equal(run.code, 0, args.join(' '));
    assert.match(run.stdout, /--port <port>\s+port to listen on\n\s+env CHARTHOUSE_PORT, default: 8080/);
    assert.equal(run.stderr, '');
  }
});

test('a command and a subcommand answer --help with their own options only', () => {
  const gc = runCli(['gc', '--help']);
  assert.equal(gc.code, 0);
  assert.match(gc.stdout, /^Usage: charthouse gc \[options\]/);
  assert.match(gc.stdout, /--dry-run\s+list what would go/);
  assert.doesNotMatch(gc.stdout, /--port/);
  const create = runCli(['help', 'token', 'create']);
  assert.equal(create.code, 0);
  assert.match(create.stdout, /^Usage: charthouse token create USER NAME/);
  assert.match(create.stdout, /--expires-in <value>/);
  assert.doesNotMatch(create.stdout, /--json|--port/);
});

test('--version prints the version of package.json', () => {
  const run = runCli(['--version']);
  assert.equal(run.code, 0);
  assert.match(run.stdout, /^\d+\.\d+\.\d+\S*\n$/);
});

test('a bad flag value exits 2 with one line naming the option', () => {
  const run = runCli(['serve', '--port', 'abc']);
  assert.equal(run.code, 2);
  assert.deepEqual(run.stderrLines, [
    'charthouse: invalid value for --port: "abc" is not a port number (0-65535)',
  ]);
  assert.equal(run.stdout, '');
});

test('a bad environment variable exits 2 naming the option', () => {
  const run = runCli([], { CHARTHOUSE_MAX_UPLOAD_SIZE: 'lots' });
  assert.equal(run.code, 2);
  assert.equal(run.stderrLines.length, 1);
  assert.match(
    run.stderr,
    /^charthouse: invalid value for --max-upload-size \(from CHARTHOUSE_MAX_UPLOAD_SIZE\)/,
  );
});

test('an unknown command or option exits 2', () => {
  const command = runCli(['frobnicate']);
  assert.equal(command.code, 2);
  assert.deepEqual(command.stderrLines, [
    `charthouse: unknown command "frobnicate" (expected ${commandNames.slice(0, -1).join(', ')} or help)`,
  ]);
  const option = runCli(['migrate', '--prot', '9000']);
  assert.equal(option.code, 2);
  assert.deepEqual(option.stderrLines, ['charthouse: unknown option --prot (did you mean --port?)']);
});

test('migrate creates the database under --storage and exits 0', (t) => {
  const storage = mkdtempSync(join(tmpdir(), 'charthouse-cli-'));
  t.after(() => rmSync(storage, { recursive: true, force: true }));
  const run = runCli(['migrate', '--storage', storage]);
  assert.equal(run.stderr, '');
  assert.equal(run.code, 0);
  assert.ok(existsSync(join(storage, 'charthouse.db')));
});
