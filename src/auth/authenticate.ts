import type { FastifyRequest } from 'fastify';
import { RegistryError } from '../errors.js';
import type { AuthStore, TokenRecord } from './auth-store.js';
import { readCredentials } from './credentials.js';
import { rememberPrincipal } from './known-principal.js';
import { createLoginLimiter, type LoginLimiter } from './login-limiter.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { Principal } from './principal.js';
import { hashToken, looksLikeToken, maskTokens } from './tokens.js';
import { createVerifiedPasswords, type VerifiedPasswords } from './verified-passwords.js';

/**
 * Who the request comes from: undefined without an Authorization header, a Principal for valid
 * credentials. Memoised per request. Throws UNAUTHORIZED for credentials that do not verify (even
 * where anonymous access would do, so a typo is noticed) and TooManyLogins while the client
 * address is throttled.
 */
export type Authenticate = (request: FastifyRequest) => Promise<Principal | undefined>;

/** TOO_MANY_LOGINS with the wait the answer's Retry-After carries. */
export class TooManyLogins extends RegistryError {
  constructor(readonly retryAfterSeconds: number) {
    super('TOO_MANY_LOGINS', `too many failed logins from this client; try again in ${retryAfterSeconds} s`);
  }
}

export interface AuthenticatorDeps {
  store: AuthStore;
  limiter?: LoginLimiter;
  verified?: VerifiedPasswords;
  now?: () => number;
}

/** A token's `last_used` is written at most this often, not on every request of a burst. */
const TOUCH_INTERVAL_MS = 60_000;

class LoginFailure extends Error {}

export function createAuthenticator({
  store,
  limiter = createLoginLimiter(),
  verified = createVerifiedPasswords(),
  now = Date.now,
}: AuthenticatorDeps): Authenticate {
  const memo = new WeakMap<FastifyRequest, Promise<Principal | undefined>>();
  // Unknown users cost one scrypt too, so timing does not tell which names exist.
  let decoy: Promise<string> | undefined;

  async function byToken(secret: string, user?: string): Promise<Principal> {
    const token = await store.findToken(hashToken(secret));
    if (!token) throw new LoginFailure('unknown token');
    if (user !== undefined && token.user !== user) throw new LoginFailure("another user's token");
    if (token.revoked !== undefined) throw new LoginFailure(`token "${token.name}" is revoked`);
    if (token.expires !== undefined && Date.parse(token.expires) <= now()) {
      throw new LoginFailure(`token "${token.name}" has expired`);
    }
    const owner = await store.getUser(token.user);
    if (!owner) throw new LoginFailure('unknown token');
    await touch(token);
    return { user: owner.name, admin: owner.admin, token: { id: token.id, name: token.name } };
  }

  async function touch(token: TokenRecord): Promise<void> {
    if (token.lastUsed !== undefined && now() - Date.parse(token.lastUsed) < TOUCH_INTERVAL_MS) return;
    await store.touchToken(token.id, new Date(now()).toISOString()).catch(() => undefined);
  }

  async function byPassword(name: string, password: string): Promise<Principal> {
    const user = await store.getUser(name);
    if (!user) {
      decoy ??= hashPassword('decoy password for unknown users');
      await verifyPassword(password, await decoy);
      throw new LoginFailure('unknown user');
    }
    if (!verified.has(user.passwordHash, password)) {
      if (!(await verifyPassword(password, user.passwordHash))) throw new LoginFailure('wrong password');
      verified.remember(user.passwordHash, password);
    }
    return { user: user.name, admin: user.admin };
  }

  async function verify(request: FastifyRequest): Promise<Principal | undefined> {
    const credentials = readCredentials(request.headers.authorization);
    if (!credentials) return undefined;
    const address = request.ip;
    const wait = await limiter.retryAfterSeconds(address);
    if (wait > 0) throw new TooManyLogins(wait);
    // A token sent as the user name (`curl -u "$TOKEN:"`) is still a live secret: log it masked.
    const user = credentials.kind === 'basic' ? maskTokens(credentials.user) : undefined;
    try {
      if (credentials.kind === 'malformed') throw new LoginFailure(credentials.reason);
      if (credentials.kind === 'bearer') return await byToken(credentials.token);
      if (looksLikeToken(credentials.secret)) {
        const token = await store.findToken(hashToken(credentials.secret));
        if (token) return await byToken(credentials.secret, credentials.user);
      }
      return await byPassword(credentials.user, credentials.secret);
    } catch (err) {
      if (!(err instanceof LoginFailure)) throw err;
      await limiter.recordFailure(address);
      // the user name and address only: never the secret, never the header
      request.log.warn({ user, address, reason: err.message }, 'login failed');
      throw new RegistryError('UNAUTHORIZED');
    }
  }

  return (request) => {
    let principal = memo.get(request);
    if (!principal) {
      principal = verify(request).then((verified) => {
        if (verified) rememberPrincipal(request, verified);
        return verified;
      });
      memo.set(request, principal);
    }
    return principal;
  };
}
