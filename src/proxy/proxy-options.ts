/**
 * `repo create PATH --proxy URL [--ttl 10m] [--upstream-username U --upstream-password P |
 * --upstream-token T] [--ca-file F]` read into the upstream a proxy repository stores. The CA is
 * stored as its PEM text, so every replica trusts it without the file.
 */
import { readFile } from 'node:fs/promises';
import { InvalidValue, parsePositiveDuration } from '../config/config-values.js';
import { RegistryError } from '../errors.js';
import type { ProxyUpstream } from '../lifecycle/repository-settings.js';

export const DEFAULT_TTL_MS = 10 * 60_000;

/** The flags `repo create` takes besides --visibility. */
export const proxyFlags = {
  proxy: 'value',
  ttl: 'value',
  'upstream-username': 'value',
  'upstream-password': 'value',
  'upstream-token': 'value',
  'ca-file': 'value',
} as const;

const invalid = (message: string) => new RegistryError('SETTING_INVALID', message);

/**
 * The upstream the flags describe, or undefined without --proxy; SETTING_INVALID says what is
 * wrong. The secrets may come from CHARTHOUSE_UPSTREAM_PASSWORD and CHARTHOUSE_UPSTREAM_TOKEN
 * instead, which keeps them out of the process list and the shell history.
 */
export async function proxyFromFlags(
  flags: Map<string, string>,
  env: Record<string, string | undefined> = {},
): Promise<ProxyUpstream | undefined> {
  const url = flags.get('proxy');
  const others = Object.keys(proxyFlags).filter((name) => name !== 'proxy' && flags.has(name));
  if (url === undefined) {
    if (others.length > 0) throw invalid(`--${others[0]} goes with --proxy URL`);
    return undefined;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(`--proxy ${url} is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw invalid(`--proxy ${url} is not an http or https URL`);
  if (parsed.username || parsed.password)
    throw invalid(
      '--proxy takes no credentials in the URL: pass --upstream-username/--upstream-password or --upstream-token',
    );
  const username = flags.get('upstream-username');
  const password =
    flags.get('upstream-password') ?? (username !== undefined ? env.CHARTHOUSE_UPSTREAM_PASSWORD : undefined);
  const token = flags.get('upstream-token') ?? env.CHARTHOUSE_UPSTREAM_TOKEN;
  if (token !== undefined && (username !== undefined || password !== undefined))
    throw invalid('--upstream-token or --upstream-username/--upstream-password, not both');
  if (password !== undefined && username === undefined)
    throw invalid('--upstream-password goes with --upstream-username');
  let ttlMs = DEFAULT_TTL_MS;
  const ttl = flags.get('ttl');
  if (ttl !== undefined) {
    try {
      ttlMs = parsePositiveDuration(ttl);
    } catch (err) {
      throw invalid(`--ttl ${ttl} ${err instanceof InvalidValue ? err.message : 'is not a duration'}`);
    }
  }
  const caFile = flags.get('ca-file');
  let ca: string | undefined;
  if (caFile !== undefined) {
    ca = await readFile(caFile, 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw invalid(`--ca-file ${caFile} cannot be read: ${err.code ?? err.message}`);
    });
    if (!ca.includes('-----BEGIN CERTIFICATE-----'))
      throw invalid(`--ca-file ${caFile} holds no PEM certificate`);
  }
  return {
    url: parsed.href.replace(/\/+$/, ''),
    ttlMs,
    ...(username !== undefined && { username, password: password ?? '' }),
    ...(token !== undefined && { token }),
    ...(ca !== undefined && { ca }),
  };
}
