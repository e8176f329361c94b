/**
 * Importing into a running Charthouse (or any ChartMuseum-compatible server) through its HTTP
 * API: `GET /api/<repo>/charts/<name>/<version>` says what is stored, and a multipart
 * `POST /api/<repo>/charts` with the `chart` and `prov` fields publishes, `?force` to overwrite.
 * The server validates as for any push; its `{"error"}` message is the reason reported.
 */
import { ImportAborted, type ImportTarget, TargetRefusal, VersionExists } from './import-types.js';

export interface ServerCredentials {
  username?: string;
  password?: string;
  token?: string;
}

export function createServerTarget(server: string, credentials: ServerCredentials): ImportTarget {
  const base = server.replace(/\/+$/, '');
  const headers: Record<string, string> = {};
  if (credentials.token) headers.authorization = `Bearer ${credentials.token}`;
  else if (credentials.username !== undefined) {
    const pair = `${credentials.username}:${credentials.password ?? ''}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  }
  const api = (repository: string) => `${base}/api${repository ? `/${repository}` : ''}/charts`;

  async function call(url: string, init: RequestInit = {}): Promise<Response> {
    try {
      return await fetch(url, { ...init, headers: { ...headers, ...(init.headers as object) } });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new ImportAborted(`cannot reach the server ${base}: ${cause?.code ?? cause?.message ?? err}`);
    }
  }

  return {
    description: `server ${base}`,
    async stored(repository, name, version) {
      const res = await call(`${api(repository)}/${encodeURIComponent(name)}/${encodeURIComponent(version)}`);
      if (res.status === 404) {
        await res.arrayBuffer();
        return undefined;
      }
      if (!res.ok) throw await refusal(res, `reading ${name} ${version}`);
      const entry = (await res.json()) as { version?: string; digest?: string };
      // a range can resolve to another version (1.0.0+build to 1.0.0): only the same one counts
      return entry.version === version && entry.digest ? { digest: entry.digest } : undefined;
    },
    // the server reads the package, but says nothing of a name other than the source listed
    readsPackages: false,
    async publish(repository, files, { overwrite }) {
      const form = new FormData();
      form.append('chart', new Blob([new Uint8Array(files.chart)]), 'chart.tgz');
      if (files.prov) form.append('prov', new Blob([new Uint8Array(files.prov)]), 'chart.tgz.prov');
      const res = await call(`${api(repository)}${overwrite ? '?force' : ''}`, {
        method: 'POST',
        body: form,
      });
      if (res.ok) {
        await res.arrayBuffer();
        return;
      }
      const err = await refusal(res, 'the upload');
      if (res.status === 409 && !overwrite) throw new VersionExists(err.message);
      throw err;
    },
    async close() {},
  };
}

/** The server's own words (`{"error": …}`), with the status; 401 and 403 name the credentials. */
async function refusal(res: Response, what: string): Promise<Error> {
  const text = await res.text();
  let message = text.slice(0, 500);
  try {
    message = (JSON.parse(text) as { error?: string }).error ?? message;
  } catch {
    // not JSON: the text as it came
  }
  if (res.status === 401 || res.status === 403) {
    return new ImportAborted(
      `the server refused ${what} (${res.status} ${message}): check --server-username/--server-password or --server-token`,
    );
  }
  return new TargetRefusal(`${res.status} ${message}`);
}
