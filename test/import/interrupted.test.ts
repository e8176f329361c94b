// An import killed with SIGKILL in the middle, then run again: every version ends up stored once,
// with its provenance file, and the second run skips what the first one stored.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { sha256Hex } from '../../src/charts/digest.js';
import { runMaintenanceCommand } from '../../src/maintenance/commands.js';
import { compiledCli } from '../support/compiled-cli.js';
import { makeChart } from '../support/make-chart.js';
import { makeProv } from '../support/provenance.js';
import { readReport, runCommand } from './run-command.js';
import { storedVersions, targetStore, tempDir } from './stores.js';

const VERSIONS = 160;
const KILL_AFTER = 25;

/** Rows in chart_versions, read beside the importing process (WAL lets a reader in). */
function countStored(file: string): number {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM chart_versions').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0; // not created yet
  }
}

test('an import killed mid-way and run again stores every version once, nothing lost', async (t) => {
  const source = await tempDir(t, 'charthouse-interrupted-');
  const digests = new Map<string, string>();
  await mkdir(source, { recursive: true });
  for (let i = 0; i < VERSIONS; i++) {
    const version = `1.${i}.0`;
    const tgz = await makeChart({ name: 'app', version, values: `index: ${i}\n` });
    digests.set(`app ${version}`, sha256Hex(tgz));
    await writeFile(join(source, `app-${version}.tgz`), tgz);
    if (i % 10 === 0) await writeFile(join(source, `app-${version}.tgz.prov`), makeProv('app', version, tgz));
  }
  const store = await targetStore(t, 'sqlite');
  const cli = await compiledCli();
  const child = spawn(
    process.execPath,
    [cli, 'import', source, '--into', 'big', '--concurrency', '2', ...store.flags],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const database = join(store.config.storage, 'charthouse.db');
  let atKill = 0;
  while (child.exitCode === null) {
    atKill = countStored(database);
    if (atKill >= KILL_AFTER) {
      child.kill('SIGKILL');
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await exited;
  assert.equal(child.signalCode, 'SIGKILL', 'the import was killed, not finished');
  const stored = countStored(database);
  assert.ok(stored >= KILL_AFTER && stored < VERSIONS, `killed mid-way (${stored} of ${VERSIONS} stored)`);

  const rerun = await runCommand('import', [source, '--into', 'big', '--json', ...store.flags]);
  assert.equal(rerun.code, 0, rerun.stderr);
  const report = readReport(rerun);
  assert.equal(report.skipped.length, stored, 'what the killed run stored is skipped');
  assert.equal(report.imported.length, VERSIONS - stored);
  assert.equal(report.failed.length + report.conflicting.length, 0);

  const held = await storedVersions(store, 'big');
  assert.deepEqual(held.versions, digests, 'every version once, with the bytes of its file');
  assert.equal(held.signed.length, VERSIONS / 10);
  assert.equal(countStored(database), VERSIONS, 'no duplicate rows');

  let checked = '';
  const io = {
    env: {},
    stdout: { write: (text: string) => (checked += text) },
    stderr: { write: () => true },
  };
  assert.equal(await runMaintenanceCommand('check', [...store.flags], io), 0, checked);
});
