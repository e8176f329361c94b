import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { RegistryError } from '../errors.js';
import { signaturePolicies } from '../store/trust-store.js';
import type { KeyringName, Keyrings } from '../trust/keyrings.js';
import type { AdminGuard } from './admin-guard.js';
import { knownProperties } from './admin-schemas.js';
import { adminAnswers } from './schemas/admin.js';

const MAX_KEY_BODY = 256 * 1024;

/**
 * Keyrings and signature policies, for server admins: `/api/admin/keys?path=team/apps` (a
 * repository's keyring; `/` the root) or `?global=true` (the server-wide one). A key is added as
 * the key file itself (`application/pgp-keys` or `application/octet-stream`, armored or binary) or
 * as JSON `{"key": "<armored key>"}`. `/api/admin/repository/policy?path=…` reads and sets
 * `{"signatures": "off"|"verify"|"require"}`.
 */
export const adminKeyRoutes: FastifyPluginAsync<{ keyrings: Keyrings; guard: AdminGuard }> = async (
  app,
  { keyrings, guard },
) => {
  const adminOnly = { onRequest: guard.serverAdmin };
  app.addContentTypeParser(
    ['application/pgp-keys', 'application/octet-stream'],
    { parseAs: 'buffer', bodyLimit: MAX_KEY_BODY },
    (_request, body, done) => done(null, body),
  );
  const keyringQuery = {
    type: 'object',
    properties: { path: { type: 'string' }, global: { type: 'boolean' } },
  } as const;
  type KeyringQuery = { path?: string; global?: boolean };

  app.get<{ Querystring: KeyringQuery }>(
    '/keys',
    { ...adminOnly, schema: { querystring: keyringQuery, response: adminAnswers.keys } },
    async (request) => ({
      keys: await keyrings.listKeys(
        request.query.path === undefined && !request.query.global ? undefined : keyringOf(request),
      ),
    }),
  );

  app.post<{ Querystring: KeyringQuery; Body: Buffer | { key?: unknown } }>(
    '/keys',
    {
      ...adminOnly,
      bodyLimit: MAX_KEY_BODY,
      schema: {
        querystring: keyringQuery,
        response: adminAnswers.keysAdded,
        consumes: ['application/pgp-keys', 'application/octet-stream', 'application/json'],
      },
    },
    async (request, reply) => {
      const body = request.body;
      const file = Buffer.isBuffer(body)
        ? body
        : typeof body?.key === 'string'
          ? Buffer.from(body.key)
          : undefined;
      if (!file) {
        throw new RegistryError(
          'KEY_INVALID',
          'send the key file as application/pgp-keys, or JSON {"key": "<armored public key>"}',
        );
      }
      const keys = await keyrings.addKeys(keyringOf(request), file);
      reply.code(201);
      return { keys };
    },
  );

  app.delete<{ Querystring: KeyringQuery; Params: { fingerprint: string } }>(
    '/keys/:fingerprint',
    {
      ...adminOnly,
      schema: {
        querystring: keyringQuery,
        params: {
          type: 'object',
          properties: { fingerprint: { type: 'string' } },
          required: ['fingerprint'],
        },
        response: adminAnswers.deleted,
      },
    },
    async (request) => {
      await keyrings.removeKey(keyringOf(request), request.params.fingerprint);
      return { deleted: true };
    },
  );

  const pathQuery = { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } as const;
  app.get<{ Querystring: { path: string } }>(
    '/repository/policy',
    { ...adminOnly, schema: { querystring: pathQuery, response: adminAnswers.policy } },
    async (request) => ({ policy: await keyrings.getPolicy(request.query.path) }),
  );

  app.put<{ Querystring: { path: string }; Body: { signatures: string } }>(
    '/repository/policy',
    {
      ...adminOnly,
      schema: {
        querystring: pathQuery,
        response: adminAnswers.policy,
        body: knownProperties({ signatures: { enum: signaturePolicies } }, ['signatures']),
      },
    },
    async (request) => ({ policy: await keyrings.setPolicy(request.query.path, request.body.signatures) }),
  );
};

function keyringOf(
  request: FastifyRequest<{ Querystring: { path?: string; global?: boolean } }>,
): KeyringName {
  const { path, global } = request.query;
  if (global && path !== undefined)
    throw new RegistryError('QUERY_INVALID', 'give either path or global=true, not both');
  if (global) return { global: true };
  if (path === undefined) throw new RegistryError('QUERY_INVALID', 'give path=<repository> or global=true');
  return { repository: path };
}
