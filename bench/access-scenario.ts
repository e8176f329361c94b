import { spawnSync } from 'node:child_process';
import { expectStatus } from './http.js';
import { attempt, load, type Outcome, type Throughput } from './load.js';
import type { RunSettings } from './scenarios.js';
import { type CharthouseProcess, ROOT, waitForStatus } from './server-process.js';
import type { SyntheticStore } from './synthetic-store.js';

/**
 * 304s of index.yaml with access control enforced: a server admin is added with the CLI beside the
 * running server (`--auth auto` enforces within a second of it), and the repository stays public
 * (`--anonymous-read`), so every request is an anonymous read that the policy decides. Run last
 * for a store size: from then on pushes need credentials. `stores` names the server's stores when
 * they are not the default (--database, --blob-store and the bucket's AWS_* variables).
 */
export function enforcedNotModified(
  server: CharthouseProcess,
  store: SyntheticStore,
  settings: RunSettings,
  stores: { args: string[]; env: Record<string, string> } = { args: [], env: {} },
): Promise<Outcome<Throughput>> {
  return attempt('304 with access control', async () => {
    const args = ['dist/cli.js', 'user', 'add', 'bench-admin', '--admin', '--password-stdin'];
    const added = spawnSync(process.execPath, [...args, '--storage', store.storage, ...stores.args], {
      cwd: ROOT,
      env: { ...process.env, ...stores.env },
      input: 'bench admin password\n',
      encoding: 'utf8',
    });
    if (added.status !== 0) throw new Error(`charthouse user add failed: ${added.stderr}`);
    // `GET /v2/` asks for credentials once access control is enforced
    await waitForStatus(`${server.url}/v2/`, { status: 401, since: performance.now(), timeoutMs: 10_000 });
    const indexUrl = `${server.url}/${store.repository}/index.yaml`;
    const gzip = { 'accept-encoding': 'gzip' };
    const current = await expectStatus(200, indexUrl, { headers: gzip });
    return load(
      {
        url: indexUrl,
        headers: { ...gzip, 'if-none-match': String(current.headers.etag) },
        connections: settings.connections,
        duration: settings.duration,
        expectStatus: 304,
      },
      settings.runs,
    );
  });
}
