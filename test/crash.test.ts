import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import yaml from 'js-yaml';
import type { CheckReport } from '../src/maintenance/check.js';
import { runCharthouse, spawnServer } from './support/child-server.js';
import { makeChart } from './support/make-chart.js';

/**
 * The real server as a child process, killed with SIGKILL at random moments under a stream of
 * pushes and deletes, 50 times. What the client was told must hold after every restart: an
 * acknowledged push is served byte for byte until an acknowledged delete; whatever was in flight
 * is either absent or whole (listed with the digest of the bytes sent, and served with it).
 */
const CYCLES = 50;
const sha256 = (bytes: Buffer | ArrayBuffer) =>
  createHash('sha256')
    .update(Buffer.from(bytes as ArrayBuffer))
    .digest('hex');

/** What the client may assume about a version (versions are never reused). */
type State = 'present' | 'absent' | 'unknown';
interface Known {
  digest: string;
  state: State;
}

interface IndexEntry {
  version: string;
  digest: string;
  urls: string[];
}

async function readEntries(url: string): Promise<IndexEntry[]> {
  const res = await fetch(`${url}/index.yaml`);
  assert.equal(res.status, 200);
  const doc = yaml.load(await res.text()) as { entries?: Record<string, IndexEntry[]> };
  return doc.entries?.crash ?? [];
}

/**
 * Checks the restarted server against the model, then settles every unknown to what it serves.
 * Every listed version is checked against the model; downloads are checked for the versions of the
 * last cycle and a sample of older ones (`all` downloads every one).
 */
async function verify(url: string, model: Map<string, Known>, cycle: number, all = false): Promise<void> {
  const listed = new Map((await readEntries(url)).map((e) => [e.version, e]));
  for (const [version, entry] of listed) {
    const known = model.get(version);
    assert.ok(known, `cycle ${cycle}: ${version} is listed but was never pushed`);
    assert.notEqual(
      known.state,
      'absent',
      `cycle ${cycle}: ${version} was deleted (or never stored) and is back`,
    );
    assert.equal(entry.digest, known.digest, `cycle ${cycle}: ${version} is listed with another digest`);
    if (!all && !version.startsWith(`${cycle - 1}.`) && Math.random() > 0.05) continue;
    const res = await fetch(`${url}/${entry.urls[0]}`);
    assert.equal(res.status, 200, `cycle ${cycle}: ${version} is listed but not served`);
    assert.equal(
      sha256(await res.arrayBuffer()),
      known.digest,
      `cycle ${cycle}: ${version} is served with other bytes`,
    );
  }
  for (const [version, known] of model) {
    if (known.state === 'present')
      assert.ok(listed.has(version), `cycle ${cycle}: acknowledged ${version} is lost`);
    if (known.state === 'unknown') known.state = listed.has(version) ? 'present' : 'absent';
  }
}

/** Pushes and deletes until `stopped()`; every answer updates the model, every failure makes it unknown. */
async function traffic(url: string, model: Map<string, Known>, cycle: number, stopped: () => boolean) {
  async function pusher(worker: number) {
    for (let i = 0; !stopped(); i++) {
      const version = `${cycle}.${worker}.${i}`;
      const tgz = await makeChart({ name: 'crash', version });
      const known: Known = { digest: sha256(tgz), state: 'unknown' };
      model.set(version, known);
      try {
        const res = await fetch(`${url}/api/charts`, { method: 'POST', body: new Uint8Array(tgz) });
        const body = await res.text();
        assert.equal(res.status, 201, `push ${version}: ${res.status} ${body}`);
        known.state = 'present';
      } catch (err) {
        if (err instanceof assert.AssertionError) throw err;
      }
    }
  }
  async function deleter() {
    while (!stopped()) {
      // About one delete for every few pushes, so that most of what is pushed stays to be checked.
      await new Promise((resolve) => setTimeout(resolve, 25));
      const victim = [...model].find(([, k]) => k.state === 'present')?.[0];
      const known = victim === undefined ? undefined : model.get(victim);
      if (!known) continue;
      known.state = 'unknown';
      try {
        const res = await fetch(`${url}/api/charts/crash/${victim}`, { method: 'DELETE' });
        const body = await res.text();
        assert.equal(res.status, 200, `delete ${victim}: ${res.status} ${body}`);
        known.state = 'absent';
      } catch (err) {
        if (err instanceof assert.AssertionError) throw err;
      }
    }
  }
  await Promise.all([pusher(1), pusher(2), pusher(3), deleter()]);
}

test(`SIGKILL ${CYCLES} times under pushes and deletes: no acknowledged push lost, nothing half-visible`, {
  timeout: 240_000,
}, async (t) => {
  const storage = await mkdtemp(join(tmpdir(), 'charthouse-crash-'));
  t.after(() => rm(storage, { recursive: true, force: true }));
  const model = new Map<string, Known>();
  let kills = 0;

  const spent = { starting: 0, verifying: 0 };
  const timed = async <T>(phase: keyof typeof spent, work: Promise<T>): Promise<T> => {
    const began = performance.now();
    const result = await work;
    spent[phase] += performance.now() - began;
    return result;
  };
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const server = await timed('starting', spawnServer(storage));
    t.after(() => server.child.kill('SIGKILL'));
    await timed('verifying', verify(server.url, model, cycle));
    let killed = false;
    const running = traffic(server.url, model, cycle, () => killed);
    await new Promise((resolve) => setTimeout(resolve, 40 + Math.random() * 260));
    killed = true;
    server.child.kill('SIGKILL');
    assert.equal(await server.exited, 'SIGKILL');
    kills++;
    await running;
  }

  const last = await spawnServer(storage);
  t.after(() => last.child.kill('SIGKILL'));
  await verify(last.url, model, CYCLES, true);
  last.child.kill('SIGTERM');
  assert.equal(await last.exited, 0);
  const acknowledged = [...model.values()].filter((k) => k.state === 'present').length;
  t.diagnostic(`${kills} kills, ${model.size} pushes tried, ${acknowledged} versions stored at the end`);
  const ms = (phase: keyof typeof spent) => `${Math.round(spent[phase])} ms`;
  t.diagnostic(`starting servers ${ms('starting')}, verifying ${ms('verifying')}`);
  assert.equal(kills, CYCLES);
  assert.ok(acknowledged > 0);

  // Kills leave temp files and unreferenced blobs: leftovers, never problems.
  const check = await runCharthouse(['check', '--json', '--storage', storage]);
  const report = JSON.parse(check.stdout) as CheckReport;
  assert.deepEqual(report.problems, []);
  assert.equal(check.code, 0, check.stderr);
  const repaired = await runCharthouse(['check', '--repair', '--grace', '0', '--json', '--storage', storage]);
  assert.equal(repaired.code, 0, repaired.stderr);
  const after = JSON.parse(
    (await runCharthouse(['check', '--json', '--storage', storage])).stdout,
  ) as CheckReport;
  assert.deepEqual(after.leftovers, []);
  assert.equal(after.clean, true);
});
