/**
 * An upstream index.yaml made into the proxy repository's own: every version keeps what upstream
 * says of it, but its `urls` name the package in this repository (`charts/<name>-<version>.tgz`,
 * or absolute with --chart-url), so Helm downloads through Charthouse and never from upstream.
 * No HTTP in here.
 */
import { gzipSync } from 'node:zlib';
import yaml from 'js-yaml';
import { sha256Hex } from '../charts/digest.js';
import { chartFilename } from '../charts/filename.js';
import { assertBounded } from '../charts/yaml-safe.js';
import { RegistryError } from '../errors.js';
import type { RenderedIndex } from '../repo-index/index-document.js';
import { DUMP_OPTIONS } from '../repo-index/yaml-fragments.js';

/** One version upstream lists: where its package is, and the digest it states. */
export interface UpstreamVersion {
  name: string;
  version: string;
  /** absolute URL of the package upstream */
  url: string;
  digest?: string;
}

export interface ProxyIndexDocument {
  /** the rewritten index, ready for the classic route */
  rendered: RenderedIndex;
  /** upstream versions by this repository's package file name */
  files: Map<string, UpstreamVersion>;
}

const INDEX_NODE_BUDGET = 20_000_000;
// what a package file name may hold (as charts/filename.ts builds them); anything else is skipped
const SAFE_PART = /^[A-Za-z0-9._+-]+$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Rewrites `body` (fetched from `indexUrl`); `urlPrefix` is what comes before `charts/<file>`
 * here. Throws UPSTREAM_FAILED when the body is not a Helm repository index.
 */
export function rewriteIndex(
  body: string,
  indexUrl: string,
  urlPrefix: string,
  lastModified: string,
): ProxyIndexDocument {
  const notIndex = (why: string) =>
    new RegistryError('UPSTREAM_FAILED', `the upstream ${indexUrl} is not a Helm repository index: ${why}`);
  let doc: unknown;
  try {
    // the core schema keeps `created` a string and booleans booleans, as Helm wrote them
    doc = yaml.load(body, { schema: yaml.CORE_SCHEMA });
    assertBounded(doc, 'the index', INDEX_NODE_BUDGET);
  } catch (err) {
    throw notIndex(err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err));
  }
  if (!isRecord(doc) || !isRecord(doc.entries)) throw notIndex('it has no "entries" map');
  const files = new Map<string, UpstreamVersion>();
  const entries: Record<string, unknown[]> = {};
  for (const [name, versions] of Object.entries(doc.entries)) {
    if (!Array.isArray(versions) || !SAFE_PART.test(name)) continue;
    const kept: unknown[] = [];
    for (const item of versions) {
      if (!isRecord(item) || typeof item.version !== 'string' || !SAFE_PART.test(item.version)) continue;
      const first = Array.isArray(item.urls) ? item.urls.find((u) => typeof u === 'string') : undefined;
      if (typeof first !== 'string') continue;
      let url: string;
      try {
        url = new URL(first, indexUrl).href;
      } catch {
        continue;
      }
      const file = chartFilename(name, item.version);
      const digest = typeof item.digest === 'string' && item.digest !== '' ? item.digest : undefined;
      files.set(file, { name, version: item.version, url, ...(digest && { digest }) });
      kept.push({ ...item, urls: [`${urlPrefix}charts/${file}`] });
    }
    if (kept.length > 0) entries[name] = kept;
  }
  const plain = Buffer.from(yaml.dump({ ...doc, entries }, DUMP_OPTIONS), 'utf8');
  return {
    files,
    rendered: {
      revision: 0,
      etag: `"${sha256Hex(plain)}"`,
      lastModified,
      length: plain.length,
      gzip: gzipSync(plain),
      plain,
      retire() {},
    },
  };
}
