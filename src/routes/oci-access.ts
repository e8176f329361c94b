import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccessControl } from '../auth/access-control.js';
import { enforceDecision, rethrowWithAuthHeaders } from '../auth/challenge.js';
import type { Action } from '../auth/policy.js';
import { RegistryError } from '../errors.js';
import { OciError } from '../oci/errors.js';
import { mediaTypes } from '../oci/media-types.js';
import { matchEndpoint, type OciEndpoint, parseName } from '../oci/reference.js';

/** Uploads are part of a push whatever their method: a reader may not see or cancel them. */
function actionOf(endpoint: OciEndpoint, method: string): Action {
  if (endpoint.kind === 'uploads' || endpoint.kind === 'upload') return 'write';
  if (method === 'GET' || method === 'HEAD') return 'read';
  return method === 'DELETE' ? 'delete' : 'write';
}

/** What each endpoint answers for a repository that does not exist; a hidden one answers the same. */
function hiddenError(endpoint: OciEndpoint, name: string): OciError {
  switch (endpoint.kind) {
    case 'manifest':
      return new OciError('MANIFEST_UNKNOWN', `manifest ${endpoint.reference} is not in ${name}`);
    case 'blob':
      return new OciError('BLOB_UNKNOWN', `blob ${endpoint.digest} is not in ${name}`);
    case 'upload':
      return new OciError('BLOB_UPLOAD_UNKNOWN', `upload ${endpoint.id} is not known`);
    default:
      return new OciError('NAME_UNKNOWN', `repository ${name} is not known`, { name });
  }
}

async function decideFor(
  access: AccessControl,
  request: FastifyRequest,
  reply: FastifyReply,
  repository: string,
  action: Action,
) {
  return access
    .check(request, repository, action)
    .catch((err: unknown) => rethrowWithAuthHeaders(err, reply));
}

/**
 * The /v2/ access hooks. `GET /v2/` is the only check `helm registry login` makes, so while access
 * control is enforced it challenges every request without valid credentials. Other endpoints map
 * to (repository, action) through the OCI name `<repo>/<chart>`; an unmatched path or an invalid
 * name is left to the routes' own 404 and NAME_INVALID.
 */
export function registerOciAccessHooks(app: FastifyInstance, access: AccessControl): void {
  // the repository each allowed write targets, for the visibility settled once it succeeded
  const writes = new WeakMap<FastifyRequest, string>();
  app.addHook('onRequest', async (request, reply) => {
    const path = (request.params as { '*'?: string })['*'];
    if (path === undefined) return checkPing(access, request, reply);
    const endpoint = matchEndpoint(path);
    const name = endpoint && parseName(endpoint.name);
    if (!endpoint || !name) return;
    const action = actionOf(endpoint, request.method);
    const decision = await decideFor(access, request, reply, name.repository, action);
    if (decision === 'hide' && endpoint.kind === 'referrers') {
      // a missing repository has no referrers: the empty index, not a 404
      const empty = { schemaVersion: 2, mediaType: mediaTypes.ociIndex, manifests: [] };
      return reply.type(mediaTypes.ociIndex).send(Buffer.from(JSON.stringify(empty)));
    }
    enforceDecision(decision, reply, () => hiddenError(endpoint, name.name));
    if (action === 'write') writes.set(request, name.repository);
    await guardMount(access, request, reply);
  });
  // as on the chart API: a push that creates a repository stores today's --anonymous-read default
  app.addHook('onSend', async (request, reply, payload) => {
    const repository = writes.get(request);
    if (repository !== undefined && reply.statusCode < 300) await access.settleVisibility(repository);
    return payload;
  });
}

async function checkPing(access: AccessControl, request: FastifyRequest, reply: FastifyReply) {
  if (!(await access.enforcing())) return;
  const principal = await access
    .authenticate(request)
    .catch((err: unknown) => rethrowWithAuthHeaders(err, reply));
  if (!principal) rethrowWithAuthHeaders(new RegistryError('UNAUTHORIZED'), reply);
}

/** A mount reads the blob from `from`: without read access there, it becomes a plain upload. */
async function guardMount(access: AccessControl, request: FastifyRequest, reply: FastifyReply) {
  const query = request.query as Record<string, string | undefined>;
  if (query.mount === undefined || !(await access.enforcing())) return;
  const source = query.from === undefined ? undefined : parseName(query.from);
  if (source && (await decideFor(access, request, reply, source.repository, 'read')) === 'allow') return;
  delete query.mount;
  delete query.from;
}
