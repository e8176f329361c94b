import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectStatus } from './http.js';
import { load, type Outcome, type Throughput } from './load.js';
import { onServerCore } from './placement.js';
import { connectionsFor } from './scenarios.js';
import { freePort, stopProcess, waitFor200 } from './server-process.js';
import { findProgram, startProgram } from './tools.js';

/** Another server's answers for the same index.yaml, measured as Charthouse's are. */
export interface IndexLoads {
  plain: Throughput;
  /** the same gzip bytes Charthouse sends (nginx: with gzip_static) */
  gzip: Throughput;
  notModified: Throughput;
}

export interface IndexFiles {
  plain: Buffer;
  gzip: Buffer;
  runs: number;
  duration: number;
  connections: number;
}

/** The plain, gzip and 304 loads of an index.yaml at `url`, whose gzip form has the ETag `etag`. */
export async function indexLoads(url: string, etag: string, options: IndexFiles): Promise<IndexLoads> {
  const gzip = { 'accept-encoding': 'gzip' };
  const settings = { url, connections: options.connections, duration: options.duration };
  const sized = (bytes: number) => ({ ...settings, connections: connectionsFor(bytes, options) });
  return {
    plain: await load({ ...sized(options.plain.length), expectStatus: 200 }, options.runs),
    gzip: await load({ ...sized(options.gzip.length), headers: gzip, expectStatus: 200 }, options.runs),
    notModified: await load(
      { ...settings, headers: { ...gzip, 'if-none-match': etag }, expectStatus: 304 },
      options.runs,
    ),
  };
}

/**
 * nginx serving the same index.yaml (and its .gz) from disk on loopback: one worker process,
 * like Charthouse's one process, sendfile on, no access log, as a static file server is run.
 */
export async function compareNginx(
  options: IndexFiles & { dir: string; repository: string },
): Promise<Outcome<IndexLoads>> {
  const nginx = findProgram('nginx');
  if (!nginx) return { skipped: 'skipped: nginx not installed' };
  const { dir } = options;
  const www = join(dir, 'www');
  await mkdir(join(www, options.repository), { recursive: true });
  await mkdir(join(dir, 'temp'), { recursive: true });
  await writeFile(join(www, options.repository, 'index.yaml'), options.plain);
  await writeFile(join(www, options.repository, 'index.yaml.gz'), options.gzip);
  // nginx started as root reads the files as its worker user
  for (const path of [dir, www, join(www, options.repository)]) await chmod(path, 0o755);
  const port = await freePort();
  const temp = (kind: string) => `${kind}_temp_path ${join(dir, 'temp', kind)};`;
  await writeFile(
    join(dir, 'nginx.conf'),
    `worker_processes 1;
daemon off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types { application/x-yaml yaml; }
  gzip_static on;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  server {
    listen 127.0.0.1:${port};
    root ${www};
  }
}
`,
  );
  const args = ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')];
  const child = startProgram(...onServerCore(nginx, args), join(dir, 'nginx.out'));
  try {
    const url = `http://127.0.0.1:${port}/${options.repository}/index.yaml`;
    await waitFor200(url, child, 10_000);
    // gzip_static answers with the .gz file, whose ETag is its own
    const gzipped = await expectStatus(200, url, { headers: { 'accept-encoding': 'gzip' } });
    return await indexLoads(url, String(gzipped.headers.etag), options);
  } finally {
    await stopProcess(child);
  }
}
