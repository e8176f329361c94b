/**
 * The little of the OCI distribution API an import reads: tags, the catalog, manifests and
 * blobs. A registry that answers 401 names its scheme in WWW-Authenticate: Basic gets the
 * credentials, Bearer sends us to a token service (Docker's token flow: GET <realm>?service=…&scope=…,
 * with the credentials when there are any, anonymously otherwise). Tokens are kept per scope.
 * @see https://distribution.github.io/distribution/spec/auth/token/
 */

import { sha256Hex } from '../charts/digest.js';
import { mediaTypes } from '../oci/media-types.js';
import { checkDigest, type FetchedFile } from './fetch-chart.js';
import { expectOk, type HttpClient, type HttpResponse, readBody } from './http-client.js';
import type { BasicCredentials } from './registry-credentials.js';
import { SourceError } from './source-error.js';

export interface OciClientOptions {
  host: string;
  plainHttp: boolean;
  credentials?: BasicCredentials;
  client: HttpClient;
}

const MAX_JSON_BYTES = 4 * 1024 * 1024;
const PAGE = 1000;

export interface OciDescriptor {
  mediaType: string;
  digest: string;
  size?: number;
}

export interface OciManifest {
  mediaType?: string;
  config?: OciDescriptor;
  layers?: OciDescriptor[];
}

export function createOciClient(options: OciClientOptions) {
  const { client, credentials } = options;
  const base = `${options.plainHttp ? 'http' : 'https'}://${options.host}`;
  const basic =
    credentials &&
    `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  const authorizations = new Map<string, string>();

  async function get(path: string, scope: string, accept?: string): Promise<HttpResponse> {
    const url = `${base}${path}`;
    const headers = (): Record<string, string> => {
      const authorization = authorizations.get(scope);
      return { ...(accept && { accept }), ...(authorization && { authorization }) };
    };
    const res = await client.get(url, headers());
    if (res.status !== 401) return res;
    res.body.resume();
    const challenge = String(res.headers['www-authenticate'] ?? '');
    const authorization = await authorize(challenge, scope);
    if (authorization === undefined || authorization === authorizations.get(scope)) return res;
    authorizations.set(scope, authorization);
    return client.get(url, headers());
  }

  async function authorize(challenge: string, scope: string): Promise<string | undefined> {
    if (/^basic/i.test(challenge)) return basic;
    if (!/^bearer/i.test(challenge)) return undefined;
    const params = Object.fromEntries(
      [...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1]?.toLowerCase(), match[2]]),
    );
    if (!params.realm) return undefined;
    const url = new URL(params.realm);
    if (params.service) url.searchParams.set('service', params.service);
    url.searchParams.set('scope', params.scope ?? scope);
    const res = await client.get(url.href, basic ? { authorization: basic } : {});
    expectOk(res, `the registry's token service for ${scope}`);
    const body = JSON.parse((await readBody(res, MAX_JSON_BYTES)).toString('utf8')) as {
      token?: string;
      access_token?: string;
    };
    const token = body.token ?? body.access_token;
    return token ? `Bearer ${token}` : undefined;
  }

  async function getJson<T>(path: string, scope: string, what: string, accept?: string): Promise<T> {
    const res = await get(path, scope, accept);
    expectOk(res, what);
    const text = (await readBody(res, MAX_JSON_BYTES)).toString('utf8');
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new SourceError('invalid', `${what} (${res.url}) is not JSON: is ${base} an OCI registry?`);
    }
  }

  /** Every item of a paginated list (`?n=`, then the Link header's next page). */
  async function paginate(first: string, scope: string, what: string, key: 'tags' | 'repositories') {
    const items: string[] = [];
    let path: string | undefined = first;
    while (path) {
      const res = await get(path, scope);
      expectOk(res, what);
      const text = (await readBody(res, MAX_JSON_BYTES)).toString('utf8');
      let page: Record<string, unknown>;
      try {
        page = JSON.parse(text) as Record<string, unknown>;
      } catch {
        throw new SourceError('invalid', `${what} (${res.url}) is not JSON: is ${base} an OCI registry?`);
      }
      const list = page[key];
      if (Array.isArray(list)) items.push(...list.filter((item): item is string => typeof item === 'string'));
      const next = /<([^>]+)>;\s*rel="?next"?/.exec(String(res.headers.link ?? ''))?.[1];
      path = next && new URL(next, base).pathname + new URL(next, base).search;
    }
    return items;
  }

  const pull = (repository: string) => `repository:${repository}:pull`;

  return {
    base,
    listTags: (repository: string) =>
      paginate(
        `/v2/${repository}/tags/list?n=${PAGE}`,
        pull(repository),
        `the tags of ${repository}`,
        'tags',
      ),
    listRepositories: () =>
      paginate(`/v2/_catalog?n=${PAGE}`, 'registry:catalog:*', 'the registry catalog', 'repositories'),
    manifest: (repository: string, reference: string) =>
      getJson<OciManifest>(
        `/v2/${repository}/manifests/${reference}`,
        pull(repository),
        `the manifest of ${repository}:${reference}`,
        mediaTypes.ociManifest,
      ),
    /** A blob whole, checked against its digest. */
    async blob(repository: string, digest: string, maxBytes: number, what: string): Promise<FetchedFile> {
      const res = await get(`/v2/${repository}/blobs/${digest}`, pull(repository));
      expectOk(res, what);
      const bytes = await readBody(res, maxBytes);
      const actual = sha256Hex(bytes);
      checkDigest(actual, digest, `${what} (${res.url})`);
      return { bytes, digest: actual };
    },
  };
}

export type OciClient = ReturnType<typeof createOciClient>;
