// Replicas on PostgreSQL and S3 when things go wrong: a replica SIGKILLed during pushes, PostgreSQL
// restarted under load (on a private cluster: the shared one serves other test files), replicas
// starting together on an empty database, and a database or bucket that cannot be reached at start.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { type PostgresCluster, startPostgres } from '../../scripts/engines.mjs';
import { listPostgresMigrations } from '../../src/store/postgres.js';
import { cleanEnv, spawnServer } from '../support/child-server.js';
import { compiledCli } from '../support/compiled-cli.js';
import { freshBucket, freshDatabase, s3Env, testS3 } from '../support/engines.js';
import { makeChart } from '../support/make-chart.js';
import { freePort } from '../support/nginx.js';
import {
  type Answer,
  downloadDigest,
  indexDigests,
  pushChart,
  readIndex,
  sha256,
} from '../support/replica-http.js';
import { type ReplicaSet, sharedStores, startReplicas } from '../support/replicas.js';

/** A chart with a payload large enough that a SIGKILL can land while its body is in flight. */
const bulkyChart = (name: string, version: string) =>
  makeChart({ name, version, files: { 'files/data.txt': randomBytes(150_000).toString('base64') } });

/**
 * Every acknowledged version is in the index.yaml of each of `urls` with its digest, and every
 * entry there can be downloaded with the digest it claims: nothing lost, nothing dangling.
 */
async function assertServed(urls: string[], repo: string, acked: Map<string, string>) {
  for (const url of urls) {
    const { digests, duplicates } = indexDigests(await readIndex(url, repo));
    assert.deepEqual(duplicates, [], `duplicated entries in the index.yaml of ${url}`);
    for (const [key, digest] of acked) {
      assert.equal(digests.get(key), digest, `acknowledged ${key} in the index.yaml of ${url}`);
    }
    for (const [key, digest] of digests) {
      const [name = '', version = ''] = key.split(':');
      const download = await downloadDigest(url, repo, name, version);
      assert.deepEqual(download, { status: 200, digest }, `package ${key} from ${url}`);
    }
  }
}

describe('a replica killed with SIGKILL during a stream of pushes', () => {
  let set: ReplicaSet;
  before(async () => {
    const { args, env } = await sharedStores();
    set = await startReplicas({ count: 3, args, env });
  });
  after(() => set?.stop());

  test('the surviving replicas serve every acknowledged push, byte-identical', async () => {
    const total = 30;
    const charts = await Promise.all(
      Array.from({ length: total }, (_, i) => bulkyChart('stream', `4.0.${i}`)),
    );
    const answers: Array<Answer & { replica: number }> = [];
    let next = 0;
    let killed: Promise<void> | undefined;
    const worker = async () => {
      while (next < total) {
        const i = next++;
        // the kill lands while the other workers' uploads are in flight
        if (i === 10) killed = set.kill(2);
        const replica = i % 3;
        answers[i] = {
          ...(await pushChart(set.urls[replica] as string, 'stream', charts[i] as Buffer)),
          replica,
        };
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    await killed;
    assert.ok(
      answers.some((a) => a.replica === 2 && a.status === 0),
      'the stream went on past the kill',
    );

    for (const [i, answer] of answers.entries()) {
      if (answer.replica === 2) {
        assert.ok(
          [201, 0].includes(answer.status),
          `push ${i} to the killed replica: ${JSON.stringify(answer)}`,
        );
      } else {
        assert.equal(answer.status, 201, `push ${i} to replica ${answer.replica}: ${answer.body}`);
      }
    }
    const acked = new Map(
      answers.flatMap((a, i) => (a.status === 201 ? [[`stream:4.0.${i}`, sha256(charts[i] as Buffer)]] : [])),
    ) as Map<string, string>;
    assert.ok(acked.size >= 20, `only ${acked.size} pushes acknowledged`);
    await assertServed(set.urls.slice(0, 2), 'stream', acked);

    // nginx takes the dead replica out: reads through it keep answering
    for (let i = 0; i < 6; i++) {
      assert.equal((await readIndex(set.nginx.url, 'stream')).status, 200, `read ${i} through nginx`);
    }
    await set.restart(2);
    await assertServed([set.urls[2] as string], 'stream', acked);
  });
});

describe('PostgreSQL restarted while replicas take pushes', () => {
  let cluster: PostgresCluster;
  let set: ReplicaSet;
  before(async () => {
    // a cluster of our own: the shared one serves the other test files running now
    cluster = await startPostgres();
    const { args, env } = await sharedStores(cluster.url);
    set = await startReplicas({ count: 2, args, env });
  });
  after(async () => {
    try {
      await set?.stop();
    } finally {
      await cluster?.stop();
    }
  });

  test('clients get 503 with a message during the outage, and pushes succeed again after it', async () => {
    const acked = new Map<string, string>();
    const answers: Array<Answer & { phase: string }> = [];
    let n = 0;
    const push = async (replica: number, phase: string) => {
      const version = `5.0.${n++}`;
      const chart = await makeChart({ name: 'outage', version });
      const answer = await pushChart(set.urls[replica] as string, 'outage', chart);
      answers.push({ ...answer, phase });
      if (answer.status === 201) acked.set(`outage:${version}`, sha256(chart));
      return answer;
    };
    for (const replica of [0, 1, 0, 1]) assert.equal((await push(replica, 'before')).status, 201);

    // a stream of pushes that runs across the stop and the start, so some are cut mid-transaction
    let streaming = true;
    const stream = (async () => {
      for (let i = 0; streaming && i < 1000; i++) await push(i % 2, 'stream');
    })();
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await cluster.halt();
      for (const replica of [0, 1, 0, 1]) {
        const answer = await push(replica, 'down');
        assert.equal(
          answer.status,
          503,
          `push to replica ${replica} while PostgreSQL is down: ${answer.body}\n${set.describe()}`,
        );
        assert.match(answer.body, /"error":"[^"]{10,}"/, 'a 503 says why');
        const read = await readIndex(set.urls[replica] as string, 'outage');
        assert.ok([200, 503].includes(read.status), `index.yaml while down answered ${read.status}`);
      }
      await cluster.start();

      // the pools reconnect on their own: no replica is restarted
      for (const replica of [0, 1]) {
        let answer = await push(replica, 'recovering');
        for (let attempt = 0; attempt < 20 && answer.status !== 201; attempt++) {
          await new Promise((resolve) => setTimeout(resolve, 500));
          answer = await push(replica, 'recovering');
        }
        assert.equal(
          answer.status,
          201,
          `replica ${replica} after PostgreSQL came back: ${answer.body}\n${set.describe()}`,
        );
        assert.equal((await push(replica, 'after')).status, 201);
      }
    } finally {
      streaming = false;
      await stream;
    }
    assert.ok(
      answers.some((a) => a.phase === 'stream' && a.status === 503),
      'the stream ran during the outage',
    );
    const unexpected = answers.filter((a) => ![201, 503].includes(a.status));
    assert.deepEqual(unexpected, [], `every answer is a 201 or a 503\n${set.describe()}`);
    await assertServed(set.urls, 'outage', acked);
  });
});

describe('replicas starting together', () => {
  test('three replicas started at the same moment on an empty database all come up', async () => {
    const database = await freshDatabase();
    const { args, env } = await sharedStores(database);
    const set = await startReplicas({ count: 3, args, env });
    try {
      const chart = await makeChart({ name: 'first', version: '1.0.0' });
      assert.equal((await pushChart(set.urls[0] as string, 'start', chart)).status, 201);
      await assertServed(set.urls, 'start', new Map([['first:1.0.0', sha256(chart)]]));
      const client = new pg.Client({ connectionString: database });
      await client.connect();
      try {
        const { rows } = await client.query<{ number: number }>(
          'SELECT number FROM schema_migrations ORDER BY number',
        );
        assert.deepEqual(
          rows.map((r) => r.number),
          listPostgresMigrations().map((m) => m.number),
        );
      } finally {
        await client.end();
      }
    } finally {
      await set.stop();
    }
  });
});

/** Runs `charthouse serve <args>` until it exits by itself, or kills it after `limitMs`. */
async function serveUntilExit(args: string[], env: Record<string, string> = {}, limitMs = 20_000) {
  const storage = await mkdtemp(join(tmpdir(), 'charthouse-badconfig-'));
  try {
    const child = spawn(
      process.execPath,
      [await compiledCli(), 'serve', '--host', '127.0.0.1', '--port', '0', '--storage', storage, ...args],
      { env: { ...cleanEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.resume();
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    clearTimeout(timer);
    return { code, stderr };
  } finally {
    await rm(storage, { recursive: true, force: true });
  }
}

/** Exited by itself, non-zero, with exactly one line on stderr that matches `reason`. */
function assertOneLineFailure(run: { code: number | null; stderr: string }, reason: RegExp) {
  assert.notEqual(run.code, null, `still running after the time limit; stderr:\n${run.stderr}`);
  assert.notEqual(run.code, 0);
  const lines = run.stderr.split('\n').filter((line) => line.trim() !== '');
  assert.equal(lines.length, 1, `stderr is not one line:\n${run.stderr}`);
  assert.match(lines[0] ?? '', reason);
}

describe('configuration that cannot work stops start-up', () => {
  test('a database nobody listens on: a non-zero exit and one line naming it', async () => {
    const port = await freePort();
    const run = await serveUntilExit(['--database', `postgres://postgres@127.0.0.1:${port}/x`]);
    assertOneLineFailure(run, new RegExp(`127\\.0\\.0\\.1:${port}|PostgreSQL|database`, 'i'));
  });

  test('an S3 endpoint nobody listens on: a non-zero exit and one line naming it', async () => {
    const port = await freePort();
    const args = ['--database', await freshDatabase(), '--blob-store', 's3://nowhere/charts'];
    args.push('--s3-endpoint', `http://127.0.0.1:${port}`, '--s3-force-path-style');
    const run = await serveUntilExit(args, s3Env());
    assertOneLineFailure(run, new RegExp(`127\\.0\\.0\\.1:${port}|S3|blob store`, 'i'));
  });

  test('a bucket that does not exist: a non-zero exit and one line naming it', async () => {
    const bucket = `missing-${randomBytes(4).toString('hex')}`;
    const args = ['--database', await freshDatabase(), '--blob-store', `s3://${bucket}/charts`];
    args.push('--s3-endpoint', testS3().endpoint, '--s3-force-path-style');
    const run = await serveUntilExit(args, s3Env());
    assertOneLineFailure(run, new RegExp(bucket));
  });

  test('the same flags with a bucket that exists start a server (the checks above can pass)', async () => {
    const storage = await mkdtemp(join(tmpdir(), 'charthouse-goodconfig-'));
    const args = ['--database', await freshDatabase(), '--blob-store', `s3://${await freshBucket()}/charts`];
    args.push('--s3-endpoint', testS3().endpoint, '--s3-force-path-style');
    const server = await spawnServer(storage, args, s3Env());
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
    await rm(storage, { recursive: true, force: true });
  });
});
