import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NGINX = '/usr/sbin/nginx';

/** A port nobody listens on right now (the OS picks it; it is free again once we close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/**
 * The load balancer of the multi-replica tests: round-robin over `upstreams` (host:port).
 *
 * - No `keepalive` pool: each proxied request opens its own connection, so nginx never reuses a
 *   connection a replica has closed (that would fail a POST, which nginx does not retry).
 * - `proxy_next_upstream error timeout`: a GET or HEAD that finds a dead replica goes to the next
 *   one. nginx never passes POST or PATCH on (no `non_idempotent`), and with request buffering off
 *   it cannot resend a body it has begun to stream, so a push is never sent twice.
 * - Bodies stream both ways (`client_max_body_size 0`, request and response buffering off), and
 *   `proxy_http_version 1.1` is what lets a chunked request body through unbuffered.
 */
function nginxConf(dir: string, port: number, upstreams: string[]): string {
  const temp = (kind: string) => `${kind}_temp_path ${join(dir, 'temp', kind)};`;
  return `worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 1024; }
http {
  log_format upstream '$request_method $request_uri $status upstream=$upstream_addr';
  access_log ${join(dir, 'access.log')} upstream;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  upstream charthouse {
    ${upstreams.map((u) => `server ${u} max_fails=1 fail_timeout=2s;`).join('\n    ')}
  }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 0;
    location / {
      proxy_pass http://charthouse;
      proxy_http_version 1.1;
      proxy_request_buffering off;
      proxy_buffering off;
      proxy_next_upstream error timeout;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $http_host;
    }
  }
}
`;
}

export interface Nginx {
  /** http://127.0.0.1:<port> */
  url: string;
  /** 127.0.0.1:<port>, for oci:// references */
  host: string;
  /** the access log so far, one `METHOD uri status upstream=host:port` line per request */
  accessLog(): Promise<string>;
  stop(): Promise<void>;
}

async function waitUntilListening(url: string, child: ChildProcess, errorLog: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) {
      const log = await readFile(errorLog, 'utf8').catch(() => '');
      throw new Error(`nginx exited with code ${child.exitCode}:\n${log}`);
    }
    try {
      // any answer will do, even a 502: nginx is accepting
      await (await fetch(url)).arrayBuffer();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx did not listen on ${url} within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** Runs nginx in the foreground as a child process, with everything it writes in a temp dir. */
export async function startNginx(upstreams: string[]): Promise<Nginx> {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-nginx-'));
  // nginx started as root runs its worker as an unprivileged user, which must reach the temp paths
  await chmod(dir, 0o755);
  await mkdir(join(dir, 'temp'));
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  await writeFile(conf, nginxConf(dir, port, upstreams));
  const child = spawn(NGINX, ['-p', dir, '-c', conf, '-g', 'daemon off;'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilListening(url, child, join(dir, 'error.log'));
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url,
    host: `127.0.0.1:${port}`,
    accessLog: () => readFile(join(dir, 'access.log'), 'utf8'),
    stop,
  };
}
