/**
 * GET over http and https with keep-alive, a custom CA, redirects and size limits: what reading a
 * Helm repository or an OCI registry needs. Built on node:http rather than fetch because fetch
 * takes no CA without a second copy of undici, and because a refused certificate or connection
 * should read as one line for a person, not as `fetch failed`.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { SourceError } from './source-error.js';

export interface HttpResponse {
  /** the URL that answered, after redirects */
  url: string;
  status: number;
  headers: IncomingHttpHeaders;
  body: Readable;
  /** the options a person sets the credentials with, named when the answer is 401 or 403 */
  credentialOptions: string;
}

export interface HttpClientOptions {
  /** PEM certificates trusted besides the system's (`--ca-file`) */
  ca?: string;
  /** connections kept per host: the import's concurrency */
  maxSockets?: number;
  timeoutMs?: number;
  /** how the user gives this client's credentials, for the 401/403 message */
  credentialOptions?: string;
}

const MAX_REDIRECTS = 5;
const CERTIFICATE_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;

export function createHttpClient(options: HttpClientOptions = {}) {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 8 };
  const http = new HttpAgent(agentOptions);
  const https = new HttpsAgent({ ...agentOptions, ...(options.ca && { ca: options.ca }) });
  const timeoutMs = options.timeoutMs ?? 60_000;
  const credentialOptions = options.credentialOptions ?? '--username/--password or --token';

  function once(url: URL, headers: Record<string, string>): Promise<HttpResponse> {
    const secure = url.protocol === 'https:';
    const send = secure ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(url, { headers, agent: secure ? https : http, timeout: timeoutMs }, (res) =>
        resolve({
          url: url.href,
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: res,
          credentialOptions,
        }),
      );
      req.once('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      req.once('error', (err) => reject(unreachable(url.href, err)));
      req.end();
    });
  }

  /**
   * GET `url`, following redirects. Headers go along only while the redirects stay on the
   * origin that was asked: credentials never leak to the host a release download redirects to.
   */
  async function get(url: string, headers: Record<string, string> = {}): Promise<HttpResponse> {
    let current = new URL(url);
    const origin = current.origin;
    for (let hops = 0; ; hops++) {
      if (current.protocol !== 'http:' && current.protocol !== 'https:') {
        throw new SourceError('invalid', `${current.href} is not an http or https URL`);
      }
      const sent = current.origin === origin ? headers : withoutCredentials(headers);
      const res = await once(current, sent);
      const location = res.headers.location;
      if (res.status < 300 || res.status >= 400 || res.status === 304 || !location) return res;
      res.body.resume();
      if (hops === MAX_REDIRECTS) throw new SourceError('unreachable', `${url}: too many redirects`);
      current = new URL(location, current);
    }
  }

  return {
    get,
    close() {
      http.destroy();
      https.destroy();
    },
  };
}

export type HttpClient = ReturnType<typeof createHttpClient>;

function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'),
  );
}

function unreachable(url: string, err: Error & { code?: string }): SourceError {
  const code = err.code ?? err.message;
  const hint = CERTIFICATE_CODES.test(code) ? ' (a private CA? pass its certificate with --ca-file)' : '';
  return new SourceError('unreachable', `cannot reach ${url}: ${code}${hint}`);
}

/**
 * Throws the SourceError a person understands for an answer other than 2xx: 401 and 403 name
 * the credentials, 404 the missing thing; `what` says what was asked for.
 */
export function expectOk(res: HttpResponse, what: string): void {
  if (res.status >= 200 && res.status < 300) return;
  res.body.resume();
  const where = `${what} (${res.url})`;
  if (res.status === 401 || res.status === 403) {
    throw new SourceError(
      'unauthorized',
      `${where} answered ${res.status}: check the credentials (${res.credentialOptions})`,
      res.status,
    );
  }
  if (res.status === 404) throw new SourceError('not-found', `${where} was not found (404)`, 404);
  throw new SourceError('unreachable', `${where} answered ${res.status}`, res.status);
}

/** The whole body, refused once it passes `maxBytes` (the rest is not read). */
export async function readBody(res: HttpResponse, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await eachChunk(res, maxBytes, (chunk) => chunks.push(chunk));
  return Buffer.concat(chunks);
}

/**
 * The whole body as UTF-8 text, decoded as it arrives: a large index.yaml is never held as
 * bytes and text at once.
 */
export async function readText(res: HttpResponse, maxBytes: number): Promise<string> {
  const decoder = new StringDecoder('utf8');
  const parts: string[] = [];
  await eachChunk(res, maxBytes, (chunk) => parts.push(decoder.write(chunk)));
  parts.push(decoder.end());
  return parts.join('');
}

async function eachChunk(res: HttpResponse, maxBytes: number, take: (chunk: Buffer) => void): Promise<void> {
  let size = 0;
  try {
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      // leaving the loop destroys the response: the rest is never read
      if (size > maxBytes) throw new SourceError('invalid', `${res.url} is larger than ${maxBytes} bytes`);
      take(chunk as Buffer);
    }
  } catch (err) {
    if (err instanceof SourceError) throw err;
    throw unreachable(res.url, err as Error);
  }
}
