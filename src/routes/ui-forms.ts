import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ActiveSession, UiSessions } from '../auth/ui-sessions.js';
import type { SafeHtml } from '../ui/html.js';
import type { Site } from '../ui/site.js';

/** What the account routes share with the page routes of ui.ts. */
export interface UiPageKit {
  siteOf(request: FastifyRequest): Site;
  send(reply: FastifyReply, page: SafeHtml, status?: number): FastifyReply;
}

/** A refused form: the UI's error handler shows the message as a page with this status. */
export class FormRefused extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

const CROSS_SITE =
  'This form was not sent from a page of this site, or the page is out of date. Go back, reload the page and try again.';
export const SIGNED_OUT = 'You are not signed in, or your session has ended. Sign in and try again.';

/** The largest URL-encoded form the UI takes: a few short fields. */
const FORM_BODY_LIMIT = 16 * 1024;

/** `application/x-www-form-urlencoded` bodies as a plain object (the last of repeated fields). */
export function registerFormBody(app: FastifyInstance): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
}

/** A text field of a parsed form; '' when absent. */
export function field(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

/**
 * The browser's word on where a form came from: Origin must be this site's, and Sec-Fetch-Site
 * same-origin (or none: typed by the user). A client that sends neither is no browser, so no
 * victim of a forged form; the session's token still has to match.
 */
export function checkSameOrigin(request: FastifyRequest, site: Site): void {
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== site.origin) throw new FormRefused(403, CROSS_SITE);
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') {
    throw new FormRefused(403, CROSS_SITE);
  }
}

/** The session a state-changing form acts for, once its origin and CSRF token check out. */
export async function formSession(
  request: FastifyRequest,
  sessions: UiSessions,
  site: Site,
  token: string,
): Promise<ActiveSession> {
  checkSameOrigin(request, site);
  const session = await sessions.ofRequest(request);
  if (!session) throw new FormRefused(403, SIGNED_OUT);
  if (!sessions.csrfMatches(session, token)) throw new FormRefused(403, CROSS_SITE);
  return session;
}

/** Where a page that needs a session sends a visitor: the sign-in page, then back here. */
export function signInRedirect(request: FastifyRequest, reply: FastifyReply, site: Site) {
  const next = encodeURIComponent(request.url);
  return reply.code(303).redirect(`${site.contextPath}/ui/signin?next=${next}`);
}
