/**
 * ConfigError, and the parsers for option values. Each takes the text as written (flag, environment or YAML) and
 * returns the typed value, or throws InvalidValue whose message completes the sentence
 * `invalid value for --flag: "raw" …` that loadConfig builds around it.
 */
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { parseBlobStoreUrl as parseS3Location } from '../store/s3-location.js';

export class InvalidValue extends Error {
  override name = 'InvalidValue';
}

/** A configuration the server cannot start with. The message is one line: the CLI prints it as is. */
export class ConfigError extends Error {
  override name = 'ConfigError';

  constructor(message: string) {
    super(message.replace(/\s*[\r\n]+\s*/g, ' '));
  }
}

export function parseText(raw: string): string {
  if (raw.trim() === '') throw new InvalidValue('must not be empty');
  return raw;
}

export function parsePort(raw: string): number {
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : Number.NaN;
  if (port >= 0 && port <= 65535) return port;
  // A Kubernetes Service named "charthouse" injects CHARTHOUSE_PORT=tcp://<ip>:<port> into pods.
  const hint = raw.startsWith('tcp://')
    ? '; a Kubernetes Service named charthouse sets CHARTHOUSE_PORT so, use enableServiceLinks: false'
    : '';
  throw new InvalidValue(`is not a port number (0-65535)${hint}`);
}

const sizeUnits: Record<string, number> = {
  '': 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
};

/** A byte count, or a number with a unit: `k`, `m`, `g` and `KiB`… are binary, `KB`… decimal. */
export function parseSize(raw: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(kib|mib|gib|kb|mb|gb|k|m|g)?\s*$/i.exec(raw);
  const unit = sizeUnits[(match?.[2] ?? '').toLowerCase()];
  if (!match?.[1] || unit === undefined) {
    throw new InvalidValue(
      'is not a size (a byte count or a number with KiB, MiB, GiB, KB, MB, GB, k, m or g)',
    );
  }
  const bytes = Math.floor(Number(match[1]) * unit);
  if (bytes < 1) throw new InvalidValue('must be at least 1 byte');
  if (!Number.isSafeInteger(bytes)) throw new InvalidValue('is too large');
  return bytes;
}

/** A whole number from 1 up, e.g. a count of concurrent requests. */
export function parseCount(raw: string): number {
  const value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1)
    throw new InvalidValue('is not a whole number of at least 1');
  return value;
}

/** A whole number from 0 up, e.g. a queue length where 0 means no queue. */
export function parseWholeNumber(raw: string): number {
  const value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value)) throw new InvalidValue('is not a whole number (0 or more)');
  return value;
}

/** `auto` (twice the CPUs the process may use, at least 4), or a count as parseCount reads it. */
export function parseCountOrAuto(raw: string): number {
  if (raw.trim().toLowerCase() === 'auto') return Math.max(4, 2 * availableParallelism());
  try {
    return parseCount(raw);
  } catch {
    throw new InvalidValue('is neither auto nor a whole number of at least 1');
  }
}

const durationUnits: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds, from `0` or a number with a unit: `500ms`, `30s`, `5m`, `1h`, `7d` (a bare number is seconds). */
export function parseDuration(raw: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(raw);
  const unit = durationUnits[(match?.[2] ?? 's').toLowerCase()];
  if (!match?.[1] || unit === undefined) {
    throw new InvalidValue('is not a duration (a number with ms, s, m, h or d, e.g. 30s, 5m, 1h)');
  }
  const ms = Math.round(Number(match[1]) * unit);
  if (!Number.isSafeInteger(ms)) throw new InvalidValue('is too long');
  return ms;
}

/** A duration of at least 1 ms: a lifetime, where `0` would mean nothing ever lives. */
export function parsePositiveDuration(raw: string): number {
  const ms = parseDuration(raw);
  if (ms < 1) throw new InvalidValue('is not a duration above zero (e.g. 30s, 5m, 1h)');
  return ms;
}

const booleanWords: Record<string, boolean> = {
  true: true,
  false: false,
  1: true,
  0: false,
  yes: true,
  no: false,
};

export function parseBoolean(raw: string): boolean {
  const value = booleanWords[raw.trim().toLowerCase()];
  if (value === undefined) throw new InvalidValue('is not a boolean (true, false, 1, 0, yes or no)');
  return value;
}

export function parseChoice(choices: readonly string[]): (raw: string) => string {
  return (raw) => {
    const value = raw.trim().toLowerCase();
    if (choices.includes(value)) return value;
    throw new InvalidValue(`is not one of ${choices.join(', ')}`);
  };
}

// RFC 3986 pchar: unreserved, sub-delims, ':' and '@', or a percent-encoded octet.
const pathSegment = /^(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})+$/;

/** '' stays '' (the root); anything else becomes `/a/b`: one leading slash, none trailing. */
export function parseContextPath(raw: string): string {
  const segments = raw.trim().split('/').filter(Boolean);
  for (const segment of segments) {
    if (segment === '.' || segment === '..' || !pathSegment.test(segment)) {
      throw new InvalidValue(`is not a URL path (segment "${segment}" is not allowed)`);
    }
  }
  return segments.length === 0 ? '' : `/${segments.join('/')}`;
}

/** '' (URLs relative to the server) or an absolute http(s) URL, without its trailing '/'. */
export function parseChartUrl(raw: string): string {
  const text = raw.trim();
  if (text === '') return '';
  if (!/^https?:\/\//i.test(text)) throw new InvalidValue('must be an absolute http:// or https:// URL');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidValue('is not an absolute URL (e.g. https://charts.example.com)');
  }
  // Package URLs are appended to it, so a query or fragment would swallow them.
  if (url.search || url.hash || /\s/.test(text)) {
    throw new InvalidValue('must not contain a query, a fragment or spaces');
  }
  return text.replace(/\/+$/, '');
}

/** `--trust-proxy`: trust no proxy, every proxy, the nearest `n` hops, or the proxies at these addresses. */
export type TrustProxy = boolean | number | readonly string[];

/** proxy-addr's names for ranges, which fastify accepts in an address list. */
const namedRanges = ['loopback', 'linklocal', 'uniquelocal'];

const notAnAddress = `which is not an IP address, a CIDR range (10.0.0.0/8) or one of ${namedRanges.join(', ')}`;

const trustProxyForms =
  'is not true, false, a hop count or a comma-separated list of proxy addresses (e.g. 127.0.0.1,10.0.0.0/8)';

/**
 * `true`, `false` (also yes, no), a hop count (`0` is false), or a comma-separated list of IP
 * addresses, CIDR ranges and range names. Digits are a hop count, never a boolean: `1` trusts one hop.
 */
export function parseTrustProxy(raw: string): TrustProxy {
  const text = raw.trim();
  const word = text.toLowerCase();
  if (word === 'true' || word === 'yes') return true;
  if (word === 'false' || word === 'no') return false;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (!Number.isSafeInteger(hops)) throw new InvalidValue('is too large a hop count');
    return hops === 0 ? false : hops;
  }
  const entries = text.split(',').map((entry) => {
    const trimmed = entry.trim();
    return namedRanges.includes(trimmed.toLowerCase()) ? trimmed.toLowerCase() : trimmed;
  });
  if (entries.includes('')) throw new InvalidValue(trustProxyForms);
  for (const entry of entries) {
    const problem = proxyAddressProblem(entry);
    if (!problem) continue;
    // a lone word (`maybe`, `on`) was not meant as an address: say what the option takes
    const loneWord = problem === notAnAddress && entries.length === 1 && !/[.:/]/.test(entry);
    throw new InvalidValue(loneWord ? trustProxyForms : `has ${JSON.stringify(entry)}, ${problem}`);
  }
  return Object.freeze(entries);
}

/** Why fastify (proxy-addr) would refuse this list entry, or undefined when it takes it. */
function proxyAddressProblem(entry: string): string | undefined {
  if (namedRanges.includes(entry)) return undefined;
  const slash = entry.indexOf('/');
  const version = isIP(slash === -1 ? entry : entry.slice(0, slash));
  if (version === 0) return notAnAddress;
  if (slash === -1) return undefined;
  const bits = version === 4 ? 32 : 128;
  const prefix = entry.slice(slash + 1);
  // proxy-addr refuses a /0 when fastify starts; trusting every address is what `true` says
  if (/^\d{1,3}$/.test(prefix) && Number(prefix) >= 1 && Number(prefix) <= bits) return undefined;
  return `whose prefix length is not 1-${bits} (to trust every address, use true)`;
}

/** '' (SQLite under --storage) or a postgres:// URL. */
export function parseDatabaseUrl(raw: string): string {
  const text = raw.trim();
  if (text === '') return '';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidValue('is not a URL (e.g. postgres://user:password@host:5432/charthouse)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new InvalidValue('must be a postgres:// URL; leave it empty for SQLite under --storage');
  }
  if (!url.hostname && !url.searchParams.get('host')) throw new InvalidValue('names no host');
  return text;
}

/** '' (blobs on disk under --storage) or s3://bucket[/prefix]. */
export function parseBlobStoreUrl(raw: string): string {
  const text = raw.trim();
  if (text === '') return '';
  try {
    parseS3Location(text);
  } catch (err) {
    // the same parse the S3 stores use, so nothing the configuration accepts fails at start-up
    throw new InvalidValue(
      `${(err as Error).message.replace(/^blob store "[^"]*" /, '')}; leave it empty for disk`,
    );
  }
  return text;
}

export function parseOptionalUrl(raw: string): string {
  const text = raw.trim();
  if (text === '') return '';
  if (!/^https?:\/\/[^\s]+$/i.test(text)) throw new InvalidValue('must be an http:// or https:// URL');
  try {
    new URL(text);
  } catch {
    throw new InvalidValue('is not a URL');
  }
  return text;
}
