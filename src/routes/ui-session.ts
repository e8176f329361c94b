import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AccessControl } from '../auth/access-control.js';
import { TooManyLogins } from '../auth/authenticate.js';
import { readCookie, SESSION_COOKIE, type UiSessions } from '../auth/ui-sessions.js';
import { isRegistryError } from '../errors.js';
import { signInPage } from '../ui/pages/signin.js';
import type { Site } from '../ui/site.js';
import { addVary } from './ui-encoding.js';
import { checkSameOrigin, field, formSession, registerFormBody, type UiPageKit } from './ui-forms.js';

/** The cookie the dark-mode toggle sets (the script writes it; the server only reads it). */
export const THEME_COOKIE = 'charthouse_theme';

type SessionSite = Pick<Site, 'account' | 'signIn' | 'theme'>;
const bySite = new WeakMap<FastifyRequest, SessionSite>();

/** The signed-in user, the sign-in link and the theme of this request's pages (see the hook below). */
export const sessionSite = (request: FastifyRequest): SessionSite => bySite.get(request) ?? {};

const cookiePath = (contextPath: string) => `${contextPath}/ui`;

function sessionCookie(request: FastifyRequest, contextPath: string, value: string, maxAgeSeconds: number) {
  // Secure whenever the browser came over TLS (directly, or through a trusted proxy that says so)
  const secure = request.protocol === 'https' ? '; Secure' : '';
  return `${SESSION_COOKIE}=${value}; Path=${cookiePath(contextPath)}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure}`;
}

/**
 * Every UI request: finds its session (a cookie naming none that is live is cleared), and marks
 * a page for a signed-in user `Cache-Control: private` so no shared cache keeps it. Static files
 * are skipped: they are the same for everyone.
 */
export function registerUiSessionHooks(
  app: FastifyInstance,
  { sessions, access, contextPath }: { sessions: UiSessions; access: AccessControl; contextPath: string },
): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url?.endsWith('/static/:file')) return;
    const theme = readCookie(request.headers.cookie, THEME_COOKIE);
    const site: SessionSite = theme === 'dark' || theme === 'light' ? { theme } : {};
    const session = await sessions.ofRequest(request);
    if (session) site.account = { user: session.user, csrf: session.csrf };
    else {
      if (readCookie(request.headers.cookie, SESSION_COOKIE) !== undefined) {
        reply.header('set-cookie', sessionCookie(request, contextPath, '', 0));
      }
      if (await access.enforcing()) site.signIn = true;
    }
    bySite.set(request, site);
  });
  app.addHook('onSend', async (request, reply) => {
    if (!bySite.has(request)) return;
    addVary(reply, 'Cookie');
    const cache = String(reply.getHeader('cache-control') ?? '');
    if (sessionSite(request).account && !cache.includes('no-store')) {
      reply.header('cache-control', 'private, no-cache');
    }
  });
}

/** A `next` the sign-in may go back to: a page of this UI, never another site. */
export function safeNext(next: string, contextPath: string): string {
  const home = `${contextPath}/ui/`;
  if (!next.startsWith(home) || /[\\\s]|\/\/|\/\.\.?(?:\/|$)/.test(next.slice(1))) return home;
  return next;
}

export interface SignInOptions extends UiPageKit {
  sessions: UiSessions;
  access: AccessControl;
  contextPath: string;
}

/** GET and POST /ui/signin, POST /ui/signout. */
export const signInRoutes: FastifyPluginAsync<SignInOptions> = async (app, options) => {
  const { sessions, access, contextPath, siteOf, send } = options;
  registerFormBody(app);
  const nextOf = (request: FastifyRequest) =>
    safeNext(field(request.body ?? request.query, 'next'), contextPath);

  app.get('/signin', async (request, reply) => {
    const site = siteOf(request);
    if (site.account) return reply.code(303).redirect(nextOf(request));
    return send(reply, signInPage(site, { next: nextOf(request) }));
  });

  app.post('/signin', async (request, reply) => {
    const site = siteOf(request);
    checkSameOrigin(request, site);
    const user = field(request.body, 'user').trim();
    const secret = field(request.body, 'password');
    const next = nextOf(request);
    const again = (status: number, error: string) =>
      send(reply, signInPage(site, { next, user, error }), status);
    if (!secret) return again(400, 'Enter your password or an API token.');
    // The same check as Helm's Basic credentials: the login limiter, the decoy hash for unknown
    // names, tokens as passwords. Without a user name the secret must be a token.
    const authorization = user
      ? `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`
      : `Bearer ${secret}`;
    const asked = Object.create(request, {
      // without the cookie: a browser already signed in must not sign in as that session's user
      headers: { value: { ...request.headers, authorization, cookie: undefined } },
    }) as FastifyRequest;
    let principal: Awaited<ReturnType<typeof access.authenticate>>;
    try {
      principal = await access.authenticate(asked);
    } catch (err) {
      if (err instanceof TooManyLogins) {
        reply.header('retry-after', String(err.retryAfterSeconds));
        return again(429, `Too many failed sign-ins from here. Try again in ${err.retryAfterSeconds} s.`);
      }
      if (isRegistryError(err, 'UNAUTHORIZED')) {
        // one message whatever was wrong, so the page never tells which user names exist
        return again(401, 'The user name, password or token is not right.');
      }
      throw err;
    }
    if (!principal) return again(401, 'The user name, password or token is not right.');
    // the browser's previous session, if any, is replaced, not left behind in the store
    const previous = await sessions.ofRequest(request);
    if (previous) await sessions.close(previous);
    const opened = await sessions.open(principal.user);
    reply.header(
      'set-cookie',
      sessionCookie(request, contextPath, opened.id, Math.floor(sessions.lifetimeMs / 1000)),
    );
    request.log.info({ user: principal.user }, 'signed in to the web UI');
    return reply.code(303).redirect(next);
  });

  app.post('/signout', async (request, reply: FastifyReply) => {
    const site = siteOf(request);
    const session = await formSession(request, sessions, site, field(request.body, 'csrf'));
    await sessions.close(session);
    reply.header('set-cookie', sessionCookie(request, contextPath, '', 0));
    return reply.code(303).redirect(`${contextPath}/ui/`);
  });
};
