import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, HTTPMethods } from 'fastify';
import type { AccessControl } from '../auth/access-control.js';
import { OciError } from '../oci/errors.js';
import type { OciRegistry } from '../oci/oci-registry.js';
import { matchEndpoint, type OciEndpoint, parseName } from '../oci/reference.js';
import { audienceOf, keepErrorsUncached } from './cache-control.js';
import type { DeleteGuard } from './immutable-deletes.js';
import { registerOciAccessHooks } from './oci-access.js';
import { blobEndpoint, uploadEndpoint, uploadsEndpoint } from './oci-blobs.js';
import { ociErrorHandler } from './oci-error-handler.js';
import { manifestEndpoint, referrersEndpoint, tagsEndpoint } from './oci-manifests.js';
import { type OciRequest, ociRootSchema, ociWildcardSchema } from './schemas/oci.js';
import type { UploadSlots } from './upload-slots.js';

export interface OciRoutesOptions {
  oci: OciRegistry;
  /** DELETE of manifests and blobs (off with --disable-delete) */
  allowDelete: boolean;
  /** every write: uploads, manifest PUTs, deletes (off with --disable-api) */
  allowWrite: boolean;
  /** the --max-concurrent-uploads slots and their queue, shared with the chart API (app.ts) */
  slots: UploadSlots;
  /** access control; every request is allowed without it */
  access?: AccessControl;
  /** an immutable repository's deletes are a server admin's (immutable-deletes.ts) */
  deleteGuard?: DeleteGuard;
}

/** `GET /v2/`'s body, as bytes so that it goes out as they are, without a charset */
const EMPTY_OBJECT = Buffer.from('{}');

const METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** The methods each endpoint answers (distribution-spec v1.1.1, end-1…end-13). */
const allowed: Record<OciEndpoint['kind'], string[]> = {
  blob: ['GET', 'HEAD', 'DELETE'],
  uploads: ['POST'],
  upload: ['GET', 'PATCH', 'PUT', 'DELETE'],
  manifest: ['GET', 'HEAD', 'PUT', 'DELETE'],
  tags: ['GET'],
  referrers: ['GET'],
};

/**
 * The OCI distribution API under /v2/. Every path below /v2/ reaches one wildcard route and is
 * matched from the right (a name may hold slashes). Bodies are handed over as unread streams,
 * answers are never compressed, and errors use the OCI envelope through this plugin's own error
 * and 404 handlers. Expired upload sessions are swept when the app starts and then periodically
 * while it runs.
 */
export const ociRoutes: FastifyPluginAsyncTypebox<OciRoutesOptions> = async (app, options) => {
  const { oci } = options;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
  app.addHook('onRequest', async (request, reply) => {
    reply.header('docker-distribution-api-version', 'registry/2.0');
    // a body without a Content-Type is still a body (raw blob chunks)
    if (request.method !== 'GET' && request.method !== 'HEAD' && !request.headers['content-type']) {
      request.headers['content-type'] = 'application/octet-stream';
    }
  });
  if (options.access) registerOciAccessHooks(app, options.access);
  keepErrorsUncached(app);
  app.setErrorHandler(ociErrorHandler);
  app.setNotFoundHandler((request, reply) =>
    ociErrorHandler(new OciError('ENDPOINT_UNKNOWN', `no endpoint at ${request.url}`), request, reply),
  );

  app.get('/', { schema: ociRootSchema }, async (_request, reply) =>
    reply.type('application/json').send(EMPTY_OBJECT),
  );
  app.route({
    method: METHODS,
    url: '/*',
    schema: ociWildcardSchema,
    handler: (request, reply) => dispatch(options, request.params['*'], request, reply),
  });

  let sweeping: Promise<void> | undefined;
  const sweep = () => {
    sweeping ??= oci
      .sweepUploads()
      .then(
        (removed) => void (removed > 0 && app.log.info({ removed }, 'expired upload sessions removed')),
        (err: unknown) => app.log.warn({ err }, 'sweeping expired upload sessions failed'),
      )
      .finally(() => {
        sweeping = undefined;
      });
    return sweeping;
  };
  // sessions a stopped or killed server left behind go at start-up, not an interval later
  app.addHook('onReady', sweep);
  const every = Math.max(1000, Math.min(oci.uploadTtlMs / 4, 5 * 60_000));
  const sweeper = setInterval(sweep, every);
  sweeper.unref();
  app.addHook('onClose', async () => {
    clearInterval(sweeper);
    await sweeping;
  });
};

/** The requests that push bytes, which take one of the --max-concurrent-uploads slots (or wait for one). */
function isUpload(kind: OciEndpoint['kind'], method: string): boolean {
  if (kind === 'uploads') return method === 'POST';
  if (kind === 'upload') return method === 'PATCH' || method === 'PUT';
  return kind === 'manifest' && method === 'PUT';
}

async function dispatch(options: OciRoutesOptions, path: string, request: OciRequest, reply: FastifyReply) {
  const endpoint = matchEndpoint(path);
  if (!endpoint) throw new OciError('ENDPOINT_UNKNOWN', `no endpoint at /v2/${path}`);
  const { method } = request;
  if (!allowed[endpoint.kind].includes(method)) {
    throw new OciError('METHOD_UNSUPPORTED', `${method} is not supported on ${endpoint.kind} endpoints`);
  }
  if (method !== 'GET' && method !== 'HEAD' && !options.allowWrite) {
    throw new OciError('UNSUPPORTED', 'this server is read-only (--disable-api)');
  }
  if (method === 'DELETE' && !options.allowDelete) {
    throw new OciError('UNSUPPORTED', 'deleting is disabled on this server (--disable-delete)');
  }
  const target = parseName(endpoint.name);
  if (method === 'DELETE' && target) await options.deleteGuard?.(request, reply, target.repository);
  if (isUpload(endpoint.kind, method)) await options.slots.acquire(request, reply);
  const { oci } = options;
  const audience = () => audienceOf(options.access, parseName(endpoint.name)?.repository ?? '');
  switch (endpoint.kind) {
    case 'blob':
      return blobEndpoint(oci, endpoint.name, endpoint.digest, request, reply, audience);
    case 'uploads':
      return uploadsEndpoint(oci, endpoint.name, request, reply);
    case 'upload':
      return uploadEndpoint(oci, endpoint.name, endpoint.id, request, reply);
    case 'manifest':
      return manifestEndpoint(oci, endpoint.name, endpoint.reference, request, reply, audience);
    case 'tags':
      return tagsEndpoint(oci, endpoint.name, request, reply);
    case 'referrers':
      return referrersEndpoint(oci, endpoint.name, endpoint.digest, request, reply);
  }
}
