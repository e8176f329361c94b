import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccessControl } from '../auth/access-control.js';
import { enforceDecision, rethrowWithAuthHeaders } from '../auth/challenge.js';
import type { Action } from '../auth/policy.js';
import { repositoryFromParams, repositoryNotFound } from '../repositories.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** what the route does to the repository its path names; checked by accessHook */
    access?: Action;
  }
}

type Params = Record<string, string | undefined>;

/**
 * The access hooks of one surface: the route declares its action in `config.access`, the
 * repository comes from the path's `r1…r3` parameters, and the policy decides on request, before
 * any body is read. Routes without `config.access` (health, static files) are not checked, and
 * the hooks return synchronously for them. Registered on the surface, not on each route, so that
 * they run before the surface's other hooks (an oversized anonymous upload is 401, not 413).
 */
export function registerAccessHooks(app: FastifyInstance, access: AccessControl | undefined): void {
  if (!access) return;
  const target = (request: { params: unknown }) => repositoryFromParams(request.params as Params);
  const check = async (request: FastifyRequest, reply: FastifyReply, action: Action) => {
    const repository = target(request);
    const decision = await access
      .check(request, repository, action)
      .catch((err: unknown) => rethrowWithAuthHeaders(err, reply));
    enforceDecision(decision, reply, () => repositoryNotFound(repository));
  };
  app.addHook('onRequest', (request, reply, done) => {
    const action = request.routeOptions.config.access;
    if (!action) return done();
    check(request, reply, action).then(() => done(), done);
  });
  // A push that creates a repository freezes today's --anonymous-read default for it; done before
  // the answer leaves, so the client's next request already sees it.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.routeOptions.config.access !== 'write' || reply.statusCode >= 300) return done(null, payload);
    access.settleVisibility(target(request)).then(() => done(null, payload), done);
  });
}

/**
 * The repositories a listing may show this caller (undefined: every one). Bad credentials get the
 * 401 challenge here too.
 */
export async function readableFor(
  access: AccessControl | undefined,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<ReadonlySet<string> | undefined> {
  return access?.readable(request).catch((err: unknown) => rethrowWithAuthHeaders(err, reply));
}
