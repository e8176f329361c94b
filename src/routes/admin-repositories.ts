import type { FastifyPluginAsync } from 'fastify';
import { normaliseRepositoryPath, visibilities } from '../auth/account-rules.js';
import { roles } from '../auth/auth-store.js';
import { knownProperties } from './admin-schemas.js';
import type { AdminRoutesOptions } from './admin-users.js';
import { adminAnswers } from './schemas/admin.js';

/**
 * `/api/admin/repositories` (the list, and creation) and `/api/admin/repository?path=team/apps`
 * (one repository, its visibility and members). A repository path has slashes, so it travels in
 * the query string, never in the URL path, where `team/members/alice` could mean two things. `/`
 * or an empty `path` is the root repository.
 */
export const adminRepositoryRoutes: FastifyPluginAsync<AdminRoutesOptions> = async (
  app,
  { accounts, guard },
) => {
  const adminOnly = { onRequest: guard.serverAdmin };
  const pathQuery = {
    type: 'object',
    properties: { path: { type: 'string' } },
    required: ['path'],
  } as const;

  app.get('/repositories', { ...adminOnly, schema: { response: adminAnswers.repositories } }, async () => ({
    repositories: await accounts.listRepositories(),
  }));

  app.post<{ Body: { path: string; visibility?: string } }>(
    '/repositories',
    {
      ...adminOnly,
      schema: {
        response: adminAnswers.repositoryCreated,
        body: knownProperties({ path: { type: 'string' }, visibility: { enum: visibilities } }, ['path']),
      },
    },
    async (request, reply) => {
      reply.code(201);
      return { repository: await accounts.createRepository(request.body.path, request.body.visibility) };
    },
  );

  // A repository's own admins may read it too: managing its members starts with seeing them.
  app.get<{ Querystring: { path: string } }>(
    '/repository',
    { onRequest: guard.signedIn, schema: { querystring: pathQuery, response: adminAnswers.repository } },
    async (request, reply) => {
      const path = normaliseRepositoryPath(request.query.path);
      await guard.repositoryAdmin(request, reply, path);
      return { repository: await accounts.getRepository(path) };
    },
  );

  app.patch<{ Querystring: { path: string }; Body: { visibility: string } }>(
    '/repository',
    {
      ...adminOnly,
      schema: {
        querystring: pathQuery,
        response: adminAnswers.repository,
        body: knownProperties({ visibility: { enum: visibilities } }, ['visibility']),
      },
    },
    async (request) => ({
      repository: await accounts.setVisibility(request.query.path, request.body.visibility),
    }),
  );

  // Members: server admins, and the repository's own admins (checked once the path is known).
  const memberParams = {
    type: 'object',
    properties: { user: { type: 'string' } },
    required: ['user'],
  } as const;
  const signedIn = { onRequest: guard.signedIn };

  app.put<{ Querystring: { path: string }; Params: { user: string }; Body: { role: string } }>(
    '/repository/members/:user',
    {
      ...signedIn,
      schema: {
        querystring: pathQuery,
        params: memberParams,
        response: adminAnswers.repository,
        body: knownProperties({ role: { enum: roles } }, ['role']),
      },
    },
    async (request, reply) => {
      const path = normaliseRepositoryPath(request.query.path);
      await guard.repositoryAdmin(request, reply, path);
      return { repository: await accounts.grant(path, request.params.user, request.body.role) };
    },
  );

  app.delete<{ Querystring: { path: string }; Params: { user: string } }>(
    '/repository/members/:user',
    {
      ...signedIn,
      schema: { querystring: pathQuery, params: memberParams, response: adminAnswers.repository },
    },
    async (request, reply) => {
      const path = normaliseRepositoryPath(request.query.path);
      await guard.repositoryAdmin(request, reply, path);
      return { repository: await accounts.revoke(path, request.params.user) };
    },
  );
};
