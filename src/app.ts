import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import Fastify, {
  type FastifyHttpOptions,
  type FastifyInstance,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import type { AccessControl } from './auth/access-control.js';
import type { Accounts } from './auth/accounts.js';
import type { UiSessions } from './auth/ui-sessions.js';
import type { Browse } from './browse.js';
import type { Config } from './config/config.js';
import type { Lifecycle } from './lifecycle/lifecycle.js';
import type { Operations } from './metrics/operations.js';
import { registerOperations } from './metrics/register-operations.js';
import type { OciRegistry } from './oci/oci-registry.js';
import type { ProxyRepositories } from './proxy/proxy-repositories.js';
import type { Registry } from './registry.js';
import { adminApiRoutes } from './routes/admin-api.js';
import { artifactHubFileRoutes } from './routes/artifacthub-file.js';
import { overwritePossibleIn } from './routes/cache-control.js';
import { chartApiRoutes } from './routes/chart-api.js';
import { classicRepoRoutes } from './routes/classic-repo.js';
import { chartMuseumErrorHandler } from './routes/error-handler.js';
import { frameworkErrorHandler } from './routes/framework-errors.js';
import { healthRoutes } from './routes/health.js';
import { createDeleteGuard } from './routes/immutable-deletes.js';
import { lazySchemaCompilers } from './routes/lazy-schema-compilers.js';
import { nosniffJson } from './routes/nosniff-json.js';
import { ociRoutes } from './routes/oci.js';
import { openApiRoutes, registerOpenApi } from './routes/openapi.js';
import { searchApiRoutes } from './routes/search-api.js';
import { refuseRepeatedQueryParameters } from './routes/single-query-values.js';
import { uiRoutes } from './routes/ui.js';
import { uploadSlots } from './routes/upload-slots.js';
import type { Keyrings } from './trust/keyrings.js';
import { fastifyTrustProxy } from './trust-proxy.js';
import { packageVersion } from './version.js';

export interface AppOptions {
  config: Config;
  registry: Registry;
  /** the OCI distribution use cases; without them there is no /v2/ */
  oci?: OciRegistry;
  /** the browsing use cases; without them there is no web UI and no /api/search */
  browse?: Browse;
  /** access control (src/auth/); without it every request is allowed, as with `--auth off` */
  access?: AccessControl;
  /** user, token and permission management; with `access`, serves the admin API under /api/admin */
  accounts?: Accounts;
  /** keyrings and signature policies; with `accounts`, served under /api/admin/keys */
  keyrings?: Keyrings;
  /** per-repository immutability, retention and Artifact Hub metadata (src/lifecycle/) */
  lifecycle?: Lifecycle;
  /** proxy repositories: index from upstream, packages fetched on first pull (src/proxy/) */
  proxy?: ProxyRepositories;
  /** web UI sign-in: its sessions and its cookie-aware access control (services.ts) */
  ui?: { sessions: UiSessions; access: AccessControl };
  /** /metrics and /ready (src/metrics/); without them /ready checks nothing and there is no /metrics */
  operations?: Operations;
  logger?: FastifyServerOptions['logger'];
  /** extra server options (timeouts) from server.ts */
  server?: Omit<FastifyHttpOptions<Server>, 'logger'>;
}

const MAX_PARAM_LENGTH = 512;

/** Builds the application with every surface registered; never listens (server.ts does). */
export async function buildApp({
  config,
  registry,
  oci,
  browse,
  access,
  accounts,
  keyrings,
  lifecycle,
  proxy,
  ui,
  operations,
  logger = false,
  server = {},
}: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    // one line per request instead of two, with the route, repository and user (metrics/request-log.ts)
    logController: new LogController({ disableRequestLogging: true }),
    // request.ip (logs, the login limiter), request.host and request.protocol (the web UI's URLs)
    trustProxy: fastifyTrustProxy(config.trustProxy),
    // Package paths carry dots and pluses; keep them out of fastify's own path normalisation.
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: frameworkErrorHandler(MAX_PARAM_LENGTH),
    schemaController: { compilersFactory: lazySchemaCompilers() },
    ...server,
  });
  // Once closing, answers end their keep-alive connection, or an idle client would hold
  // the graceful shutdown open until its keep-alive timeout.
  let closing = false;
  let sweep: NodeJS.Timeout | undefined;
  app.addHook('preClose', async () => {
    closing = true;
    // fastify closes the connections that are idle when closing begins; one whose response was
    // still under way goes idle only afterwards, so keep closing idle ones until the server is shut.
    sweep = setInterval(() => app.server.closeIdleConnections(), 100).unref();
  });
  app.addHook('onClose', async () => clearInterval(sweep));
  // the upstream connections of proxy repositories are kept alive between requests
  if (proxy) app.addHook('onClose', async () => proxy.close());
  // On every routed reply from the start, hijacked ones included (a large index.yaml body), which
  // skip onSend; onSend adds it to fastify's framework errors, answered before any onRequest hook.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  // first of all, before access checks and upload slots: the refusal depends on the URL alone, so
  // it tells a stranger nothing, and no hook reads a parameter as one value when it is several
  app.addHook('onRequest', async (request) => refuseRepeatedQueryParameters(request));
  app.addHook('onSend', async (request, reply) => {
    if (!reply.hasHeader('x-request-id')) reply.header('x-request-id', request.id);
    if (closing) reply.header('connection', 'close');
  });
  app.addHook('onSend', nosniffJson);
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'not found' }));
  app.setErrorHandler(chartMuseumErrorHandler);
  // --max-concurrent-uploads counts chart API uploads and OCI pushes together, and so does the queue
  // before every route, so that the OpenAPI document sees them all
  if (!config.disableApi) await registerOpenApi(app, packageVersion, config.contextPath);
  const slots = uploadSlots(config);
  const metrics = registerOperations(app, config, operations, slots);
  const deleteGuard = lifecycle && createDeleteGuard(lifecycle, access);

  await app.register(
    async (site) => {
      await site.register(healthRoutes, {
        version: packageVersion,
        ...(operations && { readiness: operations.readiness }),
        ...(metrics && { metrics }),
      });
      await site.register(classicRepoRoutes, {
        registry,
        access,
        overwritable: overwritePossibleIn(config, lifecycle),
        ...(proxy && { proxy }),
      });
      if (lifecycle) await site.register(artifactHubFileRoutes, { lifecycle, access });
      if (browse)
        await site.register(uiRoutes, {
          browse,
          contextPath: config.contextPath,
          version: packageVersion,
          searchApi: !config.disableApi,
          ...(config.chartUrl && { chartUrl: config.chartUrl }),
          access: ui?.access ?? access,
          ...(ui &&
            accounts && {
              account: {
                ...ui,
                accounts,
                registry,
                upload: config,
                slots,
                allowUpload: !config.disableApi,
              },
            }),
        });
      if (!config.disableApi) {
        await site.register(openApiRoutes);
        await site.register(chartApiRoutes, {
          registry,
          upload: config,
          allowDelete: !config.disableDelete,
          slots,
          access,
          deleteGuard,
        });
        if (browse) await site.register(searchApiRoutes, { browse, access });
        if (accounts && access)
          await site.register(adminApiRoutes, {
            accounts,
            authenticate: access.authenticate,
            lifecycle,
            keyrings,
          });
      }
    },
    { prefix: config.contextPath },
  );
  // Helm and every OCI client address /v2/ at the host root, whatever the context path.
  if (oci)
    await app.register(ociRoutes, {
      prefix: '/v2',
      oci,
      allowDelete: !config.disableDelete,
      allowWrite: !config.disableApi,
      slots,
      access,
      deleteGuard,
    });
  return app;
}
