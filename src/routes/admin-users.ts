import type { FastifyPluginAsync } from 'fastify';
import type { Accounts } from '../auth/accounts.js';
import type { AdminGuard } from './admin-guard.js';
import { knownProperties } from './admin-schemas.js';
import { adminAnswers } from './schemas/admin.js';

export interface AdminRoutesOptions {
  accounts: Accounts;
  guard: AdminGuard;
}

const userParams = {
  type: 'object',
  properties: { user: { type: 'string' } },
  required: ['user'],
} as const;

const tokenParams = {
  type: 'object',
  properties: { user: { type: 'string' }, name: { type: 'string' } },
  required: ['user', 'name'],
} as const;

interface UserParams {
  user: string;
}

/**
 * `/api/admin/users[/:user[/tokens[/:name]]]`, for server admins. Nothing answered here carries a
 * password, a hash or a token secret, except the one answer that creates a token.
 */
export const adminUserRoutes: FastifyPluginAsync<AdminRoutesOptions> = async (app, { accounts, guard }) => {
  const adminOnly = { onRequest: guard.serverAdmin };

  app.get('/users', { ...adminOnly, schema: { response: adminAnswers.users } }, async () => ({
    users: await accounts.listUsers(),
  }));

  app.post<{ Body: { name: string; password: string; admin?: boolean } }>(
    '/users',
    {
      ...adminOnly,
      schema: {
        response: adminAnswers.userCreated,
        body: knownProperties(
          { name: { type: 'string' }, password: { type: 'string' }, admin: { type: 'boolean' } },
          ['name', 'password'],
        ),
      },
    },
    async (request, reply) => {
      const { name, password, admin = false } = request.body;
      reply.code(201);
      return { user: await accounts.addUser(name, password, { admin }) };
    },
  );

  app.get<{ Params: UserParams }>(
    '/users/:user',
    { ...adminOnly, schema: { params: userParams, response: adminAnswers.user } },
    async (request) => ({
      user: await accounts.getUser(request.params.user),
    }),
  );

  app.patch<{ Params: UserParams; Body: { password?: string; admin?: boolean } }>(
    '/users/:user',
    {
      ...adminOnly,
      schema: {
        params: userParams,
        response: adminAnswers.user,
        body: {
          ...knownProperties({ password: { type: 'string' }, admin: { type: 'boolean' } }),
          minProperties: 1,
        },
      },
    },
    async (request) => ({ user: await accounts.updateUser(request.params.user, request.body) }),
  );

  app.delete<{ Params: UserParams }>(
    '/users/:user',
    { ...adminOnly, schema: { params: userParams, response: adminAnswers.deleted } },
    async (request) => {
      await accounts.removeUser(request.params.user);
      return { deleted: true };
    },
  );

  app.get<{ Params: UserParams }>(
    '/users/:user/tokens',
    { ...adminOnly, schema: { params: userParams, response: adminAnswers.tokens } },
    async (request) => ({ tokens: await accounts.listTokens(request.params.user) }),
  );

  app.post<{ Params: UserParams; Body: { name: string; expiresIn?: string; expires?: string } }>(
    '/users/:user/tokens',
    {
      ...adminOnly,
      schema: {
        params: userParams,
        response: adminAnswers.tokenCreated,
        body: knownProperties(
          { name: { type: 'string' }, expiresIn: { type: 'string' }, expires: { type: 'string' } },
          ['name'],
        ),
      },
    },
    async (request, reply) => {
      const { name, ...expiry } = request.body;
      const created = await accounts.createToken(request.params.user, name, expiry);
      reply.code(201);
      // the only answer that ever carries a secret; nothing can show it again
      return { token: created.token, secret: created.secret };
    },
  );

  app.delete<{ Params: { user: string; name: string } }>(
    '/users/:user/tokens/:name',
    { ...adminOnly, schema: { params: tokenParams, response: adminAnswers.revoked } },
    async (request) => {
      await accounts.revokeToken(request.params.user, request.params.name);
      return { revoked: true };
    },
  );
};
