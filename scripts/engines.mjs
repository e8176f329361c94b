// Starts the real engines the tests run against, once per test run, on loopback:
//   PostgreSQL 15 (a fresh cluster in a temporary directory) and Ceph RADOS Gateway (S3),
// and stops them afterwards. The test processes find them through two environment variables:
//   CHARTHOUSE_TEST_POSTGRES  postgres://postgres@127.0.0.1:<port>/postgres  (trust auth)
//   CHARTHOUSE_TEST_S3        {"endpoint","region","accessKeyId","secretAccessKey"} as JSON
// A missing engine is an error with the package to install, never a silent skip.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PG_BIN = '/usr/lib/postgresql/15/bin';
const CEPH_SCRIPT = fileURLToPath(new URL('./start-ceph.sh', import.meta.url));

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${output}`)),
    );
  });
}

const isRoot = process.getuid?.() === 0;
/** initdb refuses to run as root: as root, run PostgreSQL's tools as the `postgres` user. */
function asPostgres(binary, args) {
  if (!isRoot) return run(join(PG_BIN, binary), args);
  const quoted = [join(PG_BIN, binary), ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  return run('su', ['postgres', '-s', '/bin/sh', '-c', quoted]);
}

/**
 * `durable: true` keeps PostgreSQL's defaults (fsync, synchronous_commit, full_page_writes on), as
 * a production server runs: the bench measures commits as they cost there. Tests turn them off.
 */
export async function startPostgres({ durable = false } = {}) {
  if (!existsSync(join(PG_BIN, 'initdb'))) {
    throw new Error(`PostgreSQL 15 is missing (${PG_BIN}/initdb): apt-get install postgresql-15`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'charthouse-pg-'));
  chmodSync(dir, 0o755);
  if (isRoot) execFileSync('chown', ['postgres:postgres', dir]);
  const port = await freePort();
  const data = join(dir, 'data');
  await asPostgres('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const fast = durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off';
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c max_connections=400${fast}`;
  await asPostgres('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', options, 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dir,
    data,
    /** a fast shutdown that keeps the data, for tests of an outage (start it again with `start`) */
    halt: () => asPostgres('pg_ctl', ['-D', data, '-m', 'fast', 'stop']),
    start: () => asPostgres('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', options, 'start']),
    async stop() {
      await asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startCeph() {
  for (const tool of ['ceph-mon', 'ceph-osd', 'radosgw', 'uuidgen']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      throw new Error(`${tool} is missing: apt-get install ceph-mon ceph-osd radosgw uuid-runtime`);
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'charthouse-ceph-'));
  const [rgwPort, monPort] = [await freePort(), await freePort()];
  const credentials = { accessKeyId: 'CHARTHOUSETEST', secretAccessKey: 'charthouse-test-secret' };
  await run('bash', [CEPH_SCRIPT], {
    env: {
      ...process.env,
      D: dir,
      RGW_PORT: String(rgwPort),
      MON_PORT: String(monPort),
      S3_KEY: credentials.accessKeyId,
      S3_SECRET: credentials.secretAccessKey,
    },
  });
  return {
    endpoint: `http://127.0.0.1:${rgwPort}`,
    region: 'us-east-1',
    ...credentials,
    dir,
    async stop() {
      for (const name of ['client.rgw.lab', 'osd.0', 'mon.a']) {
        const file = join(dir, 'run', `${name}.pid`);
        if (!existsSync(file)) continue;
        try {
          process.kill(Number(readFileSync(file, 'utf8').trim()), 'SIGKILL');
        } catch {}
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts both engines and returns the environment the tests read, and a stop function. */
export async function startEngines() {
  const [pg, ceph] = await Promise.allSettled([startPostgres(), startCeph()]);
  const stops = [pg, ceph].filter((r) => r.status === 'fulfilled').map((r) => r.value.stop);
  const failed = [pg, ceph].find((r) => r.status === 'rejected');
  const stop = async () => {
    await Promise.all(stops.map((s) => s()));
  };
  if (failed) {
    await stop();
    throw failed.reason;
  }
  const s3 = ceph.value;
  return {
    env: {
      CHARTHOUSE_TEST_POSTGRES: pg.value.url,
      CHARTHOUSE_TEST_POSTGRES_DATA: pg.value.data,
      CHARTHOUSE_TEST_S3: JSON.stringify({
        endpoint: s3.endpoint,
        region: s3.region,
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
      }),
    },
    stop,
  };
}

// `node scripts/engines.mjs` starts both and prints the environment, for running one test file by hand.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const engines = await startEngines();
  const file = join(tmpdir(), 'charthouse-engines.env');
  writeFileSync(
    file,
    Object.entries(engines.env)
      .map(([k, v]) => `export ${k}='${v}'`)
      .join('\n'),
  );
  process.stdout.write(`engines up; source ${file}; Ctrl-C stops them\n`);
  const stop = () => engines.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  setInterval(() => {}, 1 << 30);
}
