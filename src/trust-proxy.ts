import type { FastifyServerOptions } from 'fastify';
import type { TrustProxy } from './config/config-values.js';

/**
 * fastify's `trustProxy` for `--trust-proxy`. fastify 5 takes `true` and address lists as they
 * are, but no longer honours a bare hop count (it trusts nobody, silently); a count therefore
 * becomes the trust function of Express's `trust proxy` number: the `n` hops nearest the server
 * are proxies, whatever their address. Like `true`, that is safe only when clients cannot reach
 * the server except through those proxies (see docs/decisions.md, 2026-11-23).
 */
export function fastifyTrustProxy(trust: TrustProxy): FastifyServerOptions['trustProxy'] {
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  if (typeof trust === 'boolean') return trust;
  return [...trust];
}
