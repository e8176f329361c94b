import type { FastifyInstance } from 'fastify';
import type { AccessControl } from '../auth/access-control.js';

/** How a package answer was asked for: by its digest, by its file name, or by a (movable) tag. */
export type Addressing = 'digest' | 'name' | 'tag';

/** Who may keep a copy: any cache (anyone may read the repository), or only the caller's own. */
export type Audience = 'public' | 'private';

/** One year, the customary "forever" (HTTP/1.1 once capped Expires at a year ahead). */
const FOREVER = 'max-age=31536000, immutable';

/**
 * The Cache-Control of a package, blob or manifest answer. Bytes named by their digest can never
 * change. Bytes named by file name change only if a version can be overwritten. A tag moves,
 * so it is revalidated every time, like index.yaml (which keeps its ETag and `no-cache`).
 */
export function cacheControlFor(addressing: Addressing, overwritable: boolean, audience: Audience): string {
  if (addressing === 'tag' || (addressing === 'name' && overwritable)) return 'no-cache';
  return `${audience}, ${FOREVER}`;
}

/**
 * Whether a stored version's package can be replaced under the same name: `--allow-overwrite`,
 * or an upload's `?force` unless `--disable-force-overwrite` (upload-handlers.ts, chart-push.ts).
 */
export function overwritePossible(config: { allowOverwrite: boolean; disableForceOverwrite: boolean }) {
  return config.allowOverwrite || !config.disableForceOverwrite;
}

/**
 * overwritePossible for one repository: never in an immutable one, whatever the options say
 * (lifecycle.ts), so its packages by name are kept forever like bytes by digest.
 */
export function overwritePossibleIn(
  config: { allowOverwrite: boolean; disableForceOverwrite: boolean },
  lifecycle: { isImmutable(repository: string): Promise<boolean> } | undefined,
): boolean | ((repository: string) => Promise<boolean>) {
  if (!overwritePossible(config) || !lifecycle) return overwritePossible(config);
  return async (repository) => !(await lifecycle.isImmutable(repository));
}

/**
 * `public` when a request without credentials may read the repository (or nothing is enforced),
 * so a shared cache or CDN may hand the bytes to anyone; otherwise the answer needed credentials
 * and only the caller's own cache may keep it.
 */
export async function audienceOf(access: AccessControl | undefined, repository: string): Promise<Audience> {
  if (!access) return 'public';
  return (await access.readableByAnyone(repository)) ? 'public' : 'private';
}

/**
 * A route sets its Cache-Control before the bytes are opened; an error after that point (a blob
 * gone from the store) must not be cached for a year, so error answers lose an immutable one.
 */
export function keepErrorsUncached(app: FastifyInstance): void {
  // a callback hook, not an async one: it runs on every index.yaml and package GET, and an async
  // hook costs each of them a promise and a trip through the microtask queue for nothing
  app.addHook('onSend', (_request, reply, payload, done) => {
    const value = reply.getHeader('cache-control');
    if (reply.statusCode >= 400 && typeof value === 'string' && value.includes('immutable')) {
      reply.removeHeader('cache-control');
    }
    done(null, payload);
  });
}
