import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Authenticate } from './authenticate.js';
import { hashToken } from './tokens.js';
import type { UiSessionStore } from './ui-session-store.js';

/** The cookie that carries the session id; read by the web UI only (never by the API, OCI or index). */
export const SESSION_COOKIE = 'charthouse_session';

/** last-seen is written at most this often, not on every page of a visit */
const TOUCH_INTERVAL_MS = 60_000;

/** A signed-in browser, as one request sees it. */
export interface ActiveSession {
  /** the secret in the cookie; only its hash is stored */
  id: string;
  user: string;
  admin: boolean;
  /** the synchronizer token every state-changing form of this session carries */
  csrf: string;
}

export interface UiSessionsOptions {
  store: UiSessionStore;
  /** a session unused this long ends (--session-idle-timeout) */
  idleMs: number;
  /** a session ends this long after sign-in, however active (--session-lifetime) */
  lifetimeMs: number;
  now?: () => number;
}

export type UiSessions = ReturnType<typeof createUiSessions>;

/** The cookie's value in a Cookie header; undefined when absent. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * Sign-in sessions of the web UI: opened after a verified sign-in, found again from the cookie on
 * each request, ended by sign-out, by the idle timeout or by the absolute lifetime. The CSRF token
 * is an HMAC of the session id, so it needs no storage, differs per session and cannot be turned
 * back into the id.
 */
export function createUiSessions({ store, idleMs, lifetimeMs, now = Date.now }: UiSessionsOptions) {
  const memo = new WeakMap<FastifyRequest, Promise<ActiveSession | undefined>>();
  let nextSweep = 0;
  const iso = (ms: number) => new Date(ms).toISOString();
  const csrfFor = (id: string) => createHmac('sha256', id).update('charthouse csrf').digest('base64url');

  async function resolve(id: string): Promise<ActiveSession | undefined> {
    // a session id is 43 base64url characters; anything else is not worth a query
    if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
    const hash = hashToken(id);
    const found = await store.find(hash);
    if (!found) return undefined;
    const time = now();
    if (Date.parse(found.expires) <= time || Date.parse(found.lastSeen) + idleMs <= time) {
      await store.remove(hash);
      return undefined;
    }
    if (time - Date.parse(found.lastSeen) >= TOUCH_INTERVAL_MS) await store.touch(hash, iso(time));
    return { id, user: found.user, admin: found.admin, csrf: csrfFor(id) };
  }

  /** The request's live session (from its cookie), memoised per request. */
  function ofRequest(request: FastifyRequest): Promise<ActiveSession | undefined> {
    let session = memo.get(request);
    if (!session) {
      const id = readCookie(request.headers.cookie, SESSION_COOKIE);
      session = id === undefined ? Promise.resolve(undefined) : resolve(id);
      memo.set(request, session);
    }
    return session;
  }

  return {
    idleMs,
    lifetimeMs,
    ofRequest,

    /** Opens a session for a user whose credentials were just verified. */
    async open(user: string): Promise<ActiveSession & { expires: number }> {
      const time = now();
      if (time >= nextSweep) {
        nextSweep = time + TOUCH_INTERVAL_MS;
        await store.removeExpired(iso(time - idleMs), iso(time));
      }
      const id = randomBytes(32).toString('base64url');
      const expires = time + lifetimeMs;
      await store.create(hashToken(id), { user, created: iso(time), expires: iso(expires) });
      return { id, user, admin: false, csrf: csrfFor(id), expires };
    },

    async close(session: ActiveSession): Promise<void> {
      await store.remove(hashToken(session.id));
    },

    /** Whether a form's token is this session's, compared in constant time. */
    csrfMatches(session: ActiveSession, token: unknown): boolean {
      if (typeof token !== 'string') return false;
      const expected = Buffer.from(session.csrf);
      const given = Buffer.from(token);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },

    /**
     * The web UI's authenticator: the session's user when the cookie names a live session, else
     * whatever the Authorization header says (as before sessions existed).
     */
    authenticator(headers: Authenticate): Authenticate {
      return async (request) => {
        const session = await ofRequest(request);
        return session ? { user: session.user, admin: session.admin } : headers(request);
      };
    },
  };
}
