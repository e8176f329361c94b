/**
 * Credentials for an OCI registry from a Docker-style config file (`~/.docker/config.json`, or
 * Helm's registry config, which has the same shape): `auths.<host>.auth` is base64 of
 * `user:password`. Credential helpers (`credsStore`, `credHelpers`) are programs we do not run.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SourceError } from './source-error.js';

export interface BasicCredentials {
  username: string;
  password: string;
}

/** `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function defaultRegistryConfig(env: Record<string, string | undefined>): string {
  return join(env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json');
}

/**
 * The credentials the file holds for `host`; undefined when it has none or does not exist (an
 * explicitly named file that is missing or unreadable is an error).
 */
export async function readRegistryCredentials(
  file: string,
  host: string,
  explicit: boolean,
): Promise<BasicCredentials | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (!explicit && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SourceError('not-found', `cannot read the registry config ${file}: ${(err as Error).message}`);
  }
  let auths: Record<string, { auth?: string; username?: string; password?: string }> | undefined;
  try {
    auths = (JSON.parse(text) as { auths?: typeof auths }).auths;
  } catch {
    throw new SourceError('invalid', `the registry config ${file} is not JSON`);
  }
  const entry = Object.entries(auths ?? {}).find(([key]) => hostOf(key) === host)?.[1];
  if (!entry) return undefined;
  if (entry.auth) {
    const pair = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = pair.indexOf(':');
    if (colon > 0) return { username: pair.slice(0, colon), password: pair.slice(colon + 1) };
  }
  if (entry.username !== undefined) return { username: entry.username, password: entry.password ?? '' };
  return undefined;
}

/** `https://ghcr.io/v1/` and `ghcr.io` both name the host ghcr.io. */
function hostOf(key: string): string {
  return key.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
}
