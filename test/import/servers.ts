/**
 * The real servers the import tests read from, each a child process on loopback with everything
 * it writes in a temporary directory: nginx serving a directory (a static Helm repository, with
 * an optional Basic-auth area), and Debian's docker-registry (the distribution registry).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/nginx.js';

export interface ServedProcess {
  /** http://127.0.0.1:<port> */
  url: string;
  /** 127.0.0.1:<port> */
  host: string;
  stop(): Promise<void>;
}

export interface StaticNginx extends ServedProcess {
  /** one `METHOD uri status` line per request so far */
  accessLog(): Promise<string>;
}

/** The Basic-auth area of the static server: `/private/`, user `importer`, this password. */
export const PRIVATE_PASSWORD = 'open-sesame';

async function waitForAnswer(url: string, child: ChildProcess, what: string, log: () => Promise<string>) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${what} exited with code ${child.exitCode}:\n${await log()}`);
    try {
      await (await fetch(url)).arrayBuffer();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${what} did not listen on ${url} within 15 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function runChild(
  command: string,
  args: string[],
  dir: string,
  port: number,
  what: string,
  log: () => Promise<string>,
): Promise<ServedProcess> {
  const child = spawn(command, args, { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForAnswer(`${url}/`, child, what, log);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, host: `127.0.0.1:${port}`, stop };
}

/**
 * nginx serving `root` as static files; `/private/` asks for Basic auth (importer / PRIVATE_PASSWORD),
 * and every `.prov` under `/s3like/` answers 403.
 */
export async function startStaticNginx(root: string): Promise<StaticNginx> {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-static-nginx-'));
  // nginx started as root serves from an unprivileged worker, which must reach both directories
  await chmod(dir, 0o755);
  await chmod(root, 0o755);
  await mkdir(join(dir, 'temp'));
  await writeFile(join(dir, 'htpasswd'), `importer:{PLAIN}${PRIVATE_PASSWORD}\n`);
  await chmod(join(dir, 'htpasswd'), 0o644);
  const port = await freePort();
  const temp = (kind: string) => `${kind}_temp_path ${join(dir, 'temp', kind)};`;
  const conf = join(dir, 'nginx.conf');
  await writeFile(
    conf,
    `worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 256; }
http {
  log_format plain '$request_method $request_uri $status';
  access_log ${join(dir, 'access.log')} plain;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    # as S3 answers for a missing key when listing is not allowed
    location ~ ^/s3like/.*\\.prov$ {
      return 403;
    }
    location /private/ {
      auth_basic "charts";
      auth_basic_user_file ${join(dir, 'htpasswd')};
    }
  }
}
`,
  );
  const errorLog = () => readFile(join(dir, 'error.log'), 'utf8').catch(() => '');
  const served = await runChild(
    '/usr/sbin/nginx',
    ['-p', dir, '-c', conf, '-g', 'daemon off;'],
    dir,
    port,
    'nginx',
    errorLog,
  );
  return { ...served, accessLog: () => readFile(join(dir, 'access.log'), 'utf8').catch(() => '') };
}

/** Debian's docker-registry on loopback, storing on disk in a temporary directory, plain HTTP. */
export async function startDockerRegistry(): Promise<ServedProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-registry-'));
  const port = await freePort();
  const config = join(dir, 'config.yml');
  await writeFile(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: error',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'data')}`,
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '',
    ].join('\n'),
  );
  return runChild(
    '/usr/bin/docker-registry',
    ['serve', config],
    dir,
    port,
    'docker-registry',
    async () => '',
  );
}
