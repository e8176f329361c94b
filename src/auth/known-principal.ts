import type { Principal } from './principal.js';

// Keyed by the request object, so an entry goes with its request; nothing here outlives one.
const verified = new WeakMap<object, Principal>();

/** Records who a request's credentials verified as (the authenticator does, once per request). */
export function rememberPrincipal(request: object, principal: Principal): void {
  verified.set(request, principal);
}

/**
 * Who the request's credentials verified as, if something already verified them: the request log
 * names the user without verifying anything itself (no scrypt, no failed-login count of its own).
 */
export function knownPrincipal(request: object): Principal | undefined {
  return verified.get(request);
}
