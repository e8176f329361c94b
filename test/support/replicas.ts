/**
 * Several `charthouse serve` processes on one metadata store and one blob store, behind nginx
 * doing round-robin (ecosystem.md §3.4): the multi-replica end-to-end tests drive them through the
 * balancer, as a user would, and through each replica's own URL, to pin down which one answers.
 *
 * Each replica keeps its port across a restart, so nginx's upstream list never changes, and has
 * its own --storage directory, since with --database and --blob-store it holds nothing durable.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChildServer, spawnServer } from './child-server.js';
import { freshBucket, freshDatabase, s3Env, testS3 } from './engines.js';
import { freePort, type Nginx, startNginx } from './nginx.js';

export interface Replica {
  /** http://127.0.0.1:<port>, the same after a restart */
  url: string;
  storage: string;
  /** the running process; undefined once killed and not yet restarted */
  server?: ChildServer;
  /** the last 64 KiB its processes wrote (JSON log lines, stderr), for failure messages */
  log: string;
}

export interface ReplicaSet {
  replicas: Replica[];
  /** the replicas' URLs, in order */
  urls: string[];
  nginx: Nginx;
  /** SIGKILL: no shutdown hook runs, in-flight requests are cut */
  kill(index: number): Promise<void>;
  /** starts a killed replica again on its port, with the same arguments */
  restart(index: number): Promise<void>;
  /** stops nginx and every replica, and removes their directories */
  stop(): Promise<void>;
  /** each replica's URL, whether it still runs, and the errors it logged */
  describe(): string;
}

export interface ReplicaSetOptions {
  count: number;
  /** the arguments every replica gets besides --storage, --host and --port */
  args: string[];
  /** variables added to each replica's environment */
  env?: Record<string, string>;
}

/** The flags and environment that put every replica on one PostgreSQL database and one bucket. */
export async function sharedStores(
  database?: string,
): Promise<{ args: string[]; env: Record<string, string> }> {
  const [url, bucket] = await Promise.all([database ?? freshDatabase(), freshBucket()]);
  const args = ['--database', url, '--blob-store', `s3://${bucket}/charts`];
  args.push('--s3-endpoint', testS3().endpoint, '--s3-force-path-style');
  return { args, env: s3Env() };
}

async function stopServer(server: ChildServer | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 5000);
  await server.exited;
  clearTimeout(timer);
}

/** Starts `count` replicas at the same moment, then nginx in front of them. */
export async function startReplicas(options: ReplicaSetOptions): Promise<ReplicaSet> {
  const replicas: Replica[] = [];
  for (let i = 0; i < options.count; i++) {
    const port = await freePort();
    const storage = await mkdtemp(join(tmpdir(), `charthouse-replica${i}-`));
    replicas.push({ url: `http://127.0.0.1:${port}`, storage, log: '' });
  }
  const start = async (replica: Replica) => {
    const port = new URL(replica.url).port;
    const server = await spawnServer(replica.storage, [...options.args, '--port', port], options.env);
    const keep = (chunk: Buffer) => {
      replica.log = `${replica.log}${chunk.toString()}`.slice(-65_536);
    };
    server.child.stdout?.on('data', keep);
    server.child.stderr?.on('data', keep);
    server.exited.then((how) => keep(Buffer.from(`[exited: ${how}]\n`)));
    replica.server = server;
  };
  let nginx: Nginx | undefined;
  const stop = async () => {
    await nginx?.stop();
    await Promise.all(replicas.map((r) => stopServer(r.server)));
    await Promise.all(replicas.map((r) => rm(r.storage, { recursive: true, force: true })));
  };
  try {
    const started = await Promise.allSettled(replicas.map(start));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    nginx = await startNginx(replicas.map((r) => new URL(r.url).host));
  } catch (err) {
    await stop();
    throw err;
  }
  const at = (index: number) => {
    const replica = replicas[index];
    if (!replica) throw new Error(`no replica ${index}`);
    return replica;
  };
  return {
    replicas,
    urls: replicas.map((r) => r.url),
    nginx,
    async kill(index) {
      const replica = at(index);
      const server = replica.server;
      replica.server = undefined;
      if (!server || server.child.exitCode !== null) return;
      server.child.kill('SIGKILL');
      await server.exited;
    },
    async restart(index) {
      const replica = at(index);
      if (replica.server) throw new Error(`replica ${index} is running`);
      await start(replica);
    },
    stop,
    describe: () => replicas.map(describeReplica).join('\n'),
  };
}

/** A replica's state and its log lines at error level and above (pino: 50+), or any non-JSON line. */
function describeReplica(replica: Replica, index: number): string {
  const running =
    replica.server && replica.server.child.exitCode === null && !replica.server.child.signalCode;
  const notable = replica.log.split('\n').filter((line) => {
    if (line.trim() === '') return false;
    const level = /^\{"level":(\d+)/.exec(line)?.[1];
    return level === undefined || Number(level) >= 50;
  });
  return [
    `replica ${index} ${replica.url} ${running ? 'running' : 'not running'}`,
    ...notable.slice(-10).map((line) => line.slice(0, 1000)),
  ].join('\n  ');
}
