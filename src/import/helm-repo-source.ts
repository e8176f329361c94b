/**
 * A Helm repository over http(s) as a source: its index.yaml lists every version with its URLs
 * (relative to the index, or absolute) and digest; `<package URL>.prov` is its provenance file
 * where one exists. Credentials go only to the repository's own origin unless
 * `passCredentials`, as Helm's `--pass-credentials` (release assets often live on another host).
 */
import { fetchOptional, fetchVerified } from './fetch-chart.js';
import { expectOk, type HttpClient, readText } from './http-client.js';
import type { Candidate, ImportSource } from './import-types.js';
import { type IndexEntry, readIndexEntries } from './index-entries.js';
import { SourceError } from './source-error.js';

export interface HelmRepoOptions {
  url: string;
  repository: string;
  client: HttpClient;
  /** the Authorization header value, if any */
  authorization?: string;
  passCredentials: boolean;
  maxPackageBytes: number;
}

const MAX_INDEX_BYTES = 512 * 1024 * 1024;
const MAX_PROV_BYTES = 1024 * 1024;

export function indexUrlOf(url: string): string {
  return url.endsWith('/index.yaml') ? url : `${url.replace(/\/+$/, '')}/index.yaml`;
}

export function createHelmRepoSource(options: HelmRepoOptions): ImportSource {
  const { client } = options;
  const indexUrl = indexUrlOf(options.url);
  const origin = new URL(indexUrl).origin;
  const headersFor = (url: string): Record<string, string> =>
    options.authorization && (options.passCredentials || new URL(url).origin === origin)
      ? { authorization: options.authorization }
      : {};

  function candidate(entry: IndexEntry): Candidate {
    const what = `${entry.name} ${entry.version}`;
    const first = entry.urls[0];
    const url = first === undefined ? undefined : new URL(first, indexUrl).href;
    return {
      label: url ?? `${indexUrl} (${what})`,
      repository: options.repository,
      name: entry.name,
      version: entry.version,
      statedDigest: async () => entry.digest,
      async fetch() {
        if (url === undefined) throw new SourceError('invalid', `the index lists no URL for ${what}`);
        const chart = await fetchVerified(client, url, {
          headers: headersFor(url),
          expectedDigest: entry.digest,
          maxBytes: options.maxPackageBytes,
          what,
        });
        const provUrl = `${url}.prov`;
        const prov = await fetchOptional(client, provUrl, {
          headers: headersFor(provUrl),
          maxBytes: MAX_PROV_BYTES,
          what: `the provenance file of ${what}`,
        });
        return { chart: chart.bytes, prov: prov?.bytes };
      },
    };
  }

  return {
    description: `Helm repository ${indexUrl}`,
    async list() {
      const res = await client.get(indexUrl, headersFor(indexUrl));
      expectOk(res, 'the repository index');
      const text = await readText(res, MAX_INDEX_BYTES);
      return readIndexEntries(text, res.url).map(candidate);
    },
    close: () => client.close(),
  };
}
