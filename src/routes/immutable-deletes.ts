import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccessControl } from '../auth/access-control.js';
import { rethrowWithAuthHeaders } from '../auth/challenge.js';
import { RegistryError } from '../errors.js';
import type { Lifecycle } from '../lifecycle/lifecycle.js';
import { describeRepository } from '../repositories.js';

/** Checks a DELETE against the repository's immutability; resolves when it may go ahead. */
export type DeleteGuard = (request: FastifyRequest, reply: FastifyReply, repository: string) => Promise<void>;

/**
 * In an immutable repository only a server admin deletes, in every auth mode (`off` included, as
 * for the admin API): no credentials get the Basic challenge, anyone else 403, each with the
 * reason. Runs after the surface's access hooks, so a caller who may not see the repository
 * learns nothing from it.
 */
export function createDeleteGuard(lifecycle: Lifecycle, access: AccessControl | undefined): DeleteGuard {
  return async (request, reply, repository) => {
    await lifecycle.refuseIfProxy(repository);
    if (!(await lifecycle.isImmutable(repository))) return;
    const why = `${describeRepository(repository)} is immutable: only a server admin may delete from it`;
    let principal: Awaited<ReturnType<AccessControl['authenticate']>>;
    try {
      principal = await access?.authenticate(request);
    } catch (err) {
      rethrowWithAuthHeaders(err, reply);
    }
    if (!principal) rethrowWithAuthHeaders(new RegistryError('UNAUTHORIZED', why), reply);
    if (!principal.admin) throw new RegistryError('FORBIDDEN', why);
  };
}
