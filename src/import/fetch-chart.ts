/**
 * Downloading a chart package or provenance file and checking it against the digest its source
 * states: the one place an import (and a proxy repository, which must refuse a tampered package
 * the same way) turns a URL into trusted bytes.
 */
import { sha256Hex } from '../charts/digest.js';
import { expectOk, type HttpClient, readBody } from './http-client.js';
import { SourceError } from './source-error.js';

export interface FetchedFile {
  bytes: Buffer;
  /** lowercase hex sha256 of `bytes` */
  digest: string;
}

export interface FetchOptions {
  /** sent with the request (Authorization); the client drops it on a redirect to another origin */
  headers?: Record<string, string>;
  /** what the source says the sha256 is: bare hex (index.yaml) or `sha256:<hex>` (OCI) */
  expectedDigest?: string;
  maxBytes: number;
  /** for messages: `mychart 1.0.0`, `the provenance file of mychart 1.0.0` */
  what: string;
}

/** GETs `url` whole and checks its digest; throws SourceError (digest-mismatch, not-found…). */
export async function fetchVerified(
  client: HttpClient,
  url: string,
  options: FetchOptions,
): Promise<FetchedFile> {
  const res = await client.get(url, options.headers);
  expectOk(res, options.what);
  const bytes = await readBody(res, options.maxBytes);
  const digest = sha256Hex(bytes);
  checkDigest(digest, options.expectedDigest, `${options.what} (${res.url})`);
  return { bytes, digest };
}

/** Throws digest-mismatch when `expected` is given and is not `actual`. */
export function checkDigest(actual: string, expected: string | undefined, what: string): void {
  if (expected === undefined || expected === '') return;
  const bare = expected.toLowerCase().replace(/^sha256:/, '');
  if (bare === actual) return;
  throw new SourceError(
    'digest-mismatch',
    `${what} does not match its digest: expected sha256:${bare}, downloaded sha256:${actual}`,
  );
}

/**
 * `undefined` when the file is not there (a version without a provenance file), the verified bytes
 * otherwise. A 403 counts as absent too: S3 and the static sites in front of it answer 403 for a
 * missing key when listing is not allowed.
 */
export async function fetchOptional(
  client: HttpClient,
  url: string,
  options: FetchOptions,
): Promise<FetchedFile | undefined> {
  try {
    return await fetchVerified(client, url, options);
  } catch (err) {
    if (err instanceof SourceError && (err.status === 404 || err.status === 403)) return undefined;
    throw err;
  }
}
