import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { watch } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import type { CheckReport } from '../src/maintenance/check.js';
import { type MaintenanceCommand, runMaintenanceCommand } from '../src/maintenance/commands.js';
import { createDiskBlobStore } from '../src/store/disk-blob-store.js';
import { cleanEnv, spawnServer } from './support/child-server.js';
import { compiledCli } from './support/compiled-cli.js';
import { makeChart } from './support/make-chart.js';

/**
 * `charthouse gc` and `charthouse restore` killed with SIGKILL at a random moment of their run,
 * again and again: after every kill `check` finds no problem (leftovers are allowed), the store is
 * one whole store (for restore: the one that was there, or the backup, never a mix or nothing), and
 * a re-run completes.
 */
const CYCLES = 10;

/** A store under `dir` with `count` versions of chart `name`; the first `deleted` of them deleted again. */
async function makeStore(dir: string, name: string, count: number, deleted = 0): Promise<void> {
  const server = await spawnServer(dir);
  try {
    for (let i = 0; i < count; i++) {
      const body = await makeChart({
        name,
        version: `1.0.${i}`,
        files: { 'templates/x.yaml': 'x'.repeat(i * 997) },
      });
      const res = await fetch(`${server.url}/api/charts`, { method: 'POST', body: new Uint8Array(body) });
      assert.equal(res.status, 201, await res.text());
    }
    for (let i = 0; i < deleted; i++) {
      const res = await fetch(`${server.url}/api/charts/${name}/1.0.${i}`, { method: 'DELETE' });
      assert.equal(res.status, 200, await res.text());
    }
  } finally {
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
  }
}

/** `charthouse <args>` in this process (the killed runs are children); resolves its exit code and output. */
async function inProcess(command: MaintenanceCommand, args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runMaintenanceCommand(command, args, {
    env: {},
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

async function check(storage: string): Promise<CheckReport> {
  const run = await inProcess('check', ['--json', '--storage', storage]);
  assert.equal(run.code, 0, `check: ${run.stderr}${run.stdout}`);
  const report = JSON.parse(run.stdout) as CheckReport;
  assert.deepEqual(report.problems, []);
  return report;
}

/**
 * Runs `charthouse <args>` as a child. Its work shows as the first change in `<storage>/blobs/tmp`
 * (restore stages its copies there, gc moves each blob there to remove it); with `killAfterMs` the
 * child gets SIGKILL that long after, so that kills land in the work, not in Node's start-up.
 * Resolves how it ended and how long its work took.
 */
async function run(args: string[], storage: string, killAfterMs?: number) {
  const child = spawn(process.execPath, [await compiledCli(), ...args], { env: cleanEnv() });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout.resume();
  let began: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(join(storage, 'blobs', 'tmp'), () => {
    if (began !== undefined) return;
    began = performance.now();
    if (killAfterMs !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  });
  const ended = await new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal)),
  );
  watcher.close();
  clearTimeout(timer);
  return { ended, stderr, workMs: began === undefined ? 0 : performance.now() - began };
}

test(`SIGKILL during restore ${CYCLES} times: the old store or the backup, never a mix; a re-run completes`, {
  timeout: 180_000,
}, async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'charthouse-restore-crash-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const [old, source, backup, target] = ['old', 'source', 'backup', 'target'].map((d) => join(root, d)) as [
    string,
    string,
    string,
    string,
  ];
  await makeStore(old, 'old', 6);
  await makeStore(source, 'fresh', 24);
  assert.equal((await inProcess('backup', [backup, '--storage', source])).code, 0);
  const oldRefs = (await check(old)).references;
  const newRefs = (await check(backup)).references;
  assert.notEqual(oldRefs, newRefs);

  // how long an uninterrupted restore takes, start-up included, so that kills land all along it
  await cp(old, target, { recursive: true });
  const full = await run(['restore', backup, '--force', '--storage', target], target);
  assert.equal(full.ended, 0, full.stderr);
  assert.equal((await check(target)).references, newRefs);
  t.diagnostic(`an uninterrupted restore works for ${Math.round(full.workMs)} ms`);

  const outcomes = { old: 0, backup: 0, finished: 0 };
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    await rm(target, { recursive: true, force: true });
    await cp(old, target, { recursive: true });
    const killed = await run(
      ['restore', backup, '--force', '--storage', target],
      target,
      Math.random() * full.workMs,
    );
    if (killed.ended === 0) outcomes.finished++;
    else assert.equal(killed.ended, 'SIGKILL', killed.stderr);
    const { references } = await check(target);
    assert.ok(
      references === oldRefs || references === newRefs,
      `cycle ${cycle}: after the kill the store has ${references} references, neither the old store's ${oldRefs} nor the backup's ${newRefs}`,
    );
    if (references === oldRefs) outcomes.old++;
    else outcomes.backup++;
    if (cycle % 3 !== 2) continue;
    const again = await inProcess('restore', [backup, '--force', '--storage', target]);
    assert.equal(again.code, 0, `cycle ${cycle}: the re-run failed: ${again.stderr}`);
    const after = await check(target);
    assert.equal(after.references, newRefs);
    assert.deepEqual(after.leftovers, [], `cycle ${cycle}: a re-run leaves nothing behind`);
  }
  t.diagnostic(
    `after the kill: ${outcomes.old} old store, ${outcomes.backup} backup (${outcomes.finished} had finished)`,
  );
});

test(`SIGKILL during gc ${CYCLES} times: check finds no problem and a re-run reclaims everything`, {
  timeout: 180_000,
}, async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'charthouse-gc-crash-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const template = join(root, 'template');
  const storage = join(root, 'storage');
  await makeStore(template, 'demo', 20, 10);
  // many more orphans than a few deletes leave, so that gc works long enough for kills to land in it
  const blobs = createDiskBlobStore(template);
  for (let i = 0; i < 200; i++) await (await blobs.stage(Readable.from([randomBytes(512)]))).commit();
  const before = await check(template);
  const orphans = before.leftovers.filter((l) => l.kind === 'orphan-blob').length;
  assert.equal(orphans, 210, 'the deleted versions and the blobs written beside the rows are orphans');

  await cp(template, storage, { recursive: true });
  const full = await run(['gc', '--grace', '0', '--storage', storage], storage);
  assert.equal(full.ended, 0, full.stderr);

  t.diagnostic(`an uninterrupted gc works for ${Math.round(full.workMs)} ms`);
  let partial = 0;
  let finished = 0;
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    await rm(storage, { recursive: true, force: true });
    await cp(template, storage, { recursive: true });
    const killed = await run(
      ['gc', '--grace', '0', '--storage', storage],
      storage,
      Math.random() * full.workMs,
    );
    if (killed.ended === 0) finished++;
    else assert.equal(killed.ended, 'SIGKILL', killed.stderr);
    const report = await check(storage);
    assert.equal(report.references, before.references, `cycle ${cycle}: gc changed the rows`);
    const left = report.leftovers.filter((l) => l.kind === 'orphan-blob').length;
    if (left > 0 && left < orphans) partial++;
    const again = await inProcess('gc', ['--grace', '0', '--storage', storage]);
    assert.equal(again.code, 0, `cycle ${cycle}: the re-run failed: ${again.stderr}`);
    assert.deepEqual((await check(storage)).leftovers, [], `cycle ${cycle}: the re-run reclaims everything`);
  }
  t.diagnostic(
    `${partial} of ${CYCLES} kills landed while gc was removing blobs, ${finished} after it finished`,
  );
});
