import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Accounts } from '../auth/accounts.js';
import type { Authenticate } from '../auth/authenticate.js';
import { rethrowWithAuthHeaders } from '../auth/challenge.js';
import type { Principal } from '../auth/principal.js';
import { RegistryError } from '../errors.js';

/**
 * Who may use the admin API. It checks credentials in every auth mode, `off` included: an open
 * server still must not let anyone create admins. No credentials: 401 with the Basic challenge;
 * valid credentials without the right: 403.
 */
export function createAdminGuard(authenticate: Authenticate, accounts: Accounts) {
  async function signedIn(request: FastifyRequest, reply: FastifyReply): Promise<Principal> {
    let principal: Principal | undefined;
    try {
      principal = await authenticate(request);
    } catch (err) {
      rethrowWithAuthHeaders(err, reply);
    }
    if (!principal) rethrowWithAuthHeaders(new RegistryError('UNAUTHORIZED'), reply);
    return principal;
  }

  return {
    /** onRequest hook: any valid credentials; the handler decides the rest. */
    async signedIn(request: FastifyRequest, reply: FastifyReply): Promise<void> {
      await signedIn(request, reply);
    },

    /** onRequest hook: a server admin only. Runs before the body is read or validated. */
    async serverAdmin(request: FastifyRequest, reply: FastifyReply): Promise<void> {
      if (!(await signedIn(request, reply)).admin) throw new RegistryError('FORBIDDEN');
    },

    /**
     * A server admin, or an admin of this repository. Anyone else gets 403 whether the
     * repository exists or not, so the answer tells nothing about it.
     */
    async repositoryAdmin(request: FastifyRequest, reply: FastifyReply, path: string): Promise<void> {
      const principal = await signedIn(request, reply);
      if (principal.admin) return;
      if ((await accounts.roleOf(path, principal.user)) !== 'admin') throw new RegistryError('FORBIDDEN');
    },
  };
}

export type AdminGuard = ReturnType<typeof createAdminGuard>;
