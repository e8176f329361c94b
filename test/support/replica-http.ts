/**
 * The plain HTTP requests the multi-replica tests send to one replica or to the balancer: a push,
 * the parsed index.yaml, a download, each answering with what came back rather than asserting,
 * so a failure message can name the replica and the answer.
 */
import { createHash } from 'node:crypto';
import yaml from 'js-yaml';

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Long enough for a request that waits on a stalled database, short enough to call a hang a hang. */
export const REQUEST_TIMEOUT_MS = 30_000;

export interface Answer {
  status: number;
  body: string;
}

/** POST `<url>/api/<repo>/charts` with the raw package; a network error is status 0. */
export async function pushChart(url: string, repo: string, chart: Uint8Array): Promise<Answer> {
  const path = repo ? `/api/${repo}/charts` : '/api/charts';
  try {
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      body: new Uint8Array(chart),
      headers: { 'content-type': 'application/gzip' },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    return { status: response.status, body: await response.text() };
  } catch (err) {
    return { status: 0, body: String((err as Error).cause ?? err) };
  }
}

export interface IndexEntry {
  version: string;
  digest: string;
  urls: string[];
}

export interface ParsedIndex {
  status: number;
  etag: string | null;
  entries: Record<string, IndexEntry[]>;
}

export async function readIndex(url: string, repo: string): Promise<ParsedIndex> {
  const response = await fetch(`${url}/${repo ? `${repo}/` : ''}index.yaml`, {
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  if (response.status !== 200) return { status: response.status, etag: null, entries: {} };
  const doc = yaml.load(text) as { entries?: Record<string, IndexEntry[]> | null };
  return { status: 200, etag: response.headers.get('etag'), entries: doc.entries ?? {} };
}

/** `<name>:<version> → digest` for every entry of the index, and the duplicates found on the way. */
export function indexDigests(index: ParsedIndex): { digests: Map<string, string>; duplicates: string[] } {
  const digests = new Map<string, string>();
  const duplicates: string[] = [];
  for (const [name, versions] of Object.entries(index.entries)) {
    for (const entry of versions) {
      const key = `${name}:${entry.version}`;
      if (digests.has(key)) duplicates.push(key);
      digests.set(key, entry.digest);
    }
  }
  return { digests, duplicates };
}

/** GET `<url>/<repo>/charts/<name>-<version>.tgz`: the status and the bytes' sha256. */
export async function downloadDigest(
  url: string,
  repo: string,
  name: string,
  version: string,
): Promise<{ status: number; digest: string }> {
  const response = await fetch(`${url}/${repo ? `${repo}/` : ''}charts/${name}-${version}.tgz`, {
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { status: response.status, digest: sha256(bytes) };
}
