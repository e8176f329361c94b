import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Accounts, RepositoryInfo } from '../auth/accounts.js';
import type { ActiveSession, UiSessions } from '../auth/ui-sessions.js';
import { isRegistryError } from '../errors.js';
import { repositoryNotFound } from '../repositories.js';
import { managedRepositoriesPage, membersPage } from '../ui/pages/members.js';
import { httpStatusByCode } from './error-handler.js';
import { field, formSession, registerFormBody, signInRedirect, type UiPageKit } from './ui-forms.js';

export interface MemberPageOptions extends UiPageKit {
  sessions: UiSessions;
  accounts: Accounts;
}

/**
 * GET /ui/members[?repo=], POST /ui/members: a repository's admins (and the server's) add members,
 * change their roles and remove them. Anyone else gets the 404 a missing repository gets, so the
 * page tells nobody which private repositories exist.
 */
export const memberRoutes: FastifyPluginAsync<MemberPageOptions> = async (app, options) => {
  const { sessions, accounts, siteOf, send } = options;
  registerFormBody(app);

  const mayManage = async (session: ActiveSession, path: string) =>
    session.admin || (await accounts.roleOf(path, session.user)) === 'admin';

  /** The repository, when it exists and this user manages it; REPOSITORY_NOT_FOUND otherwise. */
  async function managed(session: ActiveSession, rawPath: string): Promise<RepositoryInfo> {
    const hidden = () => repositoryNotFound(rawPath);
    let repository: RepositoryInfo;
    try {
      repository = await accounts.getRepository(rawPath);
    } catch (err) {
      if (isRegistryError(err, 'REPOSITORY_NOT_FOUND')) throw hidden();
      throw err;
    }
    if (!(await mayManage(session, repository.path))) throw hidden();
    return repository;
  }

  app.get('/members', async (request: FastifyRequest, reply: FastifyReply) => {
    const site = siteOf(request);
    const session = await sessions.ofRequest(request);
    if (!session) return signInRedirect(request, reply, site);
    const repo = field(request.query, 'repo');
    if (repo) return send(reply, membersPage(site, { repository: await managed(session, repo) }));
    const all = await accounts.listRepositories();
    const mine = session.admin
      ? all
      : all.filter((r) => r.members.some((m) => m.user === session.user && m.role === 'admin'));
    return send(reply, managedRepositoriesPage(site, mine));
  });

  app.post('/members', async (request, reply) => {
    const site = siteOf(request);
    const session = await formSession(request, sessions, site, field(request.body, 'csrf'));
    const repository = await managed(session, field(request.body, 'repo'));
    const user = field(request.body, 'user').trim();
    const removing = field(request.body, 'action') === 'remove';
    try {
      const after = removing
        ? await accounts.revoke(repository.path, user)
        : await accounts.grant(repository.path, user, field(request.body, 'role'));
      request.log.info(
        { by: session.user, repository: repository.path, user, removing },
        'members changed from the web UI',
      );
      const role = after.members.find((m) => m.user === user)?.role;
      const notice = removing ? `${user} is no longer a member.` : `${user} is now ${role}.`;
      return send(reply, membersPage(site, { repository: after, notice }));
    } catch (err) {
      if (!isRegistryError(err) || httpStatusByCode[err.code] >= 500) throw err;
      return send(reply, membersPage(site, { repository, error: err.message }), httpStatusByCode[err.code]);
    }
  });
};
