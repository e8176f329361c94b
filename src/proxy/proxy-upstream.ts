/**
 * Talking to a proxy repository's upstream, through the import's HTTP client (src/import/): the
 * index with a conditional GET, a package with its digest checked against the index. The
 * credentials go only to the upstream's own origin, and never into a message.
 */
import { createHash } from 'node:crypto';
import { fetchOptional, fetchVerified } from '../import/fetch-chart.js';
import { indexUrlOf } from '../import/helm-repo-source.js';
import { createHttpClient, expectOk, type HttpClient, readBody } from '../import/http-client.js';
import type { ProxyUpstream } from '../lifecycle/repository-settings.js';
import type { UpstreamVersion } from './proxy-index.js';

const MAX_INDEX_BYTES = 512 * 1024 * 1024;
const MAX_PROV_BYTES = 1024 * 1024;
const TIMEOUT_MS = 30_000;

export type IndexAnswer =
  | { status: 304 }
  | { status: 200; body: string; etag?: string; lastModified?: string };

export interface FetchedPackage {
  chart: Buffer;
  prov?: Buffer;
}

export function createUpstream(upstream: ProxyUpstream) {
  const client: HttpClient = createHttpClient({
    timeoutMs: TIMEOUT_MS,
    credentialOptions:
      'charthouse repo create --proxy … --upstream-username/--upstream-password or --upstream-token',
    ...(upstream.ca !== undefined && { ca: upstream.ca }),
  });
  const indexUrl = indexUrlOf(upstream.url);
  const origin = new URL(indexUrl).origin;
  const authorization = upstream.token
    ? `Bearer ${upstream.token}`
    : upstream.username !== undefined
      ? `Basic ${Buffer.from(`${upstream.username}:${upstream.password ?? ''}`).toString('base64')}`
      : undefined;
  const headersFor = (url: string): Record<string, string> =>
    authorization && new URL(url).origin === origin ? { authorization } : {};

  return {
    indexUrl,
    key: upstreamKey(upstream),

    /** GET index.yaml, conditional on what was fetched last; SourceError when upstream fails. */
    async fetchIndex(last?: { etag?: string; lastModified?: string }): Promise<IndexAnswer> {
      const headers = headersFor(indexUrl);
      if (last?.etag) headers['if-none-match'] = last.etag;
      if (last?.lastModified) headers['if-modified-since'] = last.lastModified;
      const res = await client.get(indexUrl, headers);
      if (res.status === 304) {
        res.body.resume();
        return { status: 304 };
      }
      expectOk(res, 'the upstream index');
      const body = (await readBody(res, MAX_INDEX_BYTES)).toString('utf8');
      const header = (name: string) => {
        const value = res.headers[name];
        return typeof value === 'string' ? value : undefined;
      };
      const etag = header('etag');
      const lastModified = header('last-modified');
      return { status: 200, body, ...(etag && { etag }), ...(lastModified && { lastModified }) };
    },

    /** The package, checked against the digest the index states, and its .prov where one exists. */
    async fetchPackage(version: UpstreamVersion, maxBytes: number): Promise<FetchedPackage> {
      const what = `${version.name} ${version.version}`;
      const chart = await fetchVerified(client, version.url, {
        headers: headersFor(version.url),
        expectedDigest: version.digest,
        maxBytes,
        what,
      });
      const provUrl = `${version.url}.prov`;
      const prov = await fetchOptional(client, provUrl, {
        headers: headersFor(provUrl),
        maxBytes: MAX_PROV_BYTES,
        what: `the provenance file of ${what}`,
      });
      return { chart: chart.bytes, ...(prov && { prov: prov.bytes }) };
    },

    close: () => client.close(),
  };
}

export type Upstream = ReturnType<typeof createUpstream>;

/** Names the upstream settings a client was made for: a change of any needs a new client. */
export function upstreamKey(upstream: ProxyUpstream): string {
  return createHash('sha256').update(JSON.stringify(upstream)).digest('hex');
}
