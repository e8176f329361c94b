import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AccessControl } from '../auth/access-control.js';
import type { Browse } from '../browse.js';
import { isRegistryError } from '../errors.js';
import { asStorageFull } from '../store/storage-full.js';
import { asUnavailable } from '../store/unavailable.js';
import { assetsByFile } from '../ui/assets.js';
import type { SafeHtml } from '../ui/html.js';
import { apiReferencePage, type OpenApiView } from '../ui/pages/api-reference.js';
import { chartsPage } from '../ui/pages/charts.js';
import { errorPage } from '../ui/pages/error.js';
import { repositoriesPage } from '../ui/pages/repositories.js';
import { signInPage } from '../ui/pages/signin.js';
import type { Site } from '../ui/site.js';
import { readableFor, registerAccessHooks } from './access-hook.js';
import { matchesEtag } from './classic-repo.js';
import { httpStatusByCode, storageFull, unavailable } from './error-handler.js';
import { readSearchQuery } from './search-query.js';
import { type UiAccountOptions, uiAccountRoutes } from './ui-account.js';
import { registerChartPages } from './ui-chart.js';
import { registerPageEncoding } from './ui-encoding.js';
import { registerUiSessionHooks, safeNext, sessionSite } from './ui-session.js';

export interface UiOptions {
  browse: Browse;
  contextPath: string;
  version: string;
  /** whether /api/search exists for the script to call (not with --disable-api) */
  searchApi: boolean;
  /** access control; every page is shown without it */
  access?: AccessControl;
  /** --chart-url: when set, its scheme (not the request's) says whether OCI commands need --plain-http */
  chartUrl?: string;
  /** sign-in, tokens, members and upload (src/routes/ui-account.ts); without it no one signs in */
  account?: UiAccountOptions;
}

/** No inline script or style anywhere; chart icons may come from https or data: URLs. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' https: data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

type Params = Record<string, string | undefined>;

/** True when the Accept header ranks text/html above application/json (ties go to the first named). */
export function prefersHtml(accept: string | undefined): boolean {
  const ranks = (accept ?? '').split(',').map((part, index) => {
    const [type = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return { type: type.trim(), q: q === undefined ? 1 : Number(q.slice(2)) || 0, index };
  });
  const html = ranks.find((r) => r.type === 'text/html');
  const json = ranks.find((r) => r.type === 'application/json');
  if (!html || html.q <= 0) return false;
  return !json || html.q > json.q || (html.q === json.q && html.index < json.index);
}

/** The URL path as requested, without the query string. */
const pathOf = (request: FastifyRequest) => request.url.split('?')[0] ?? '';

/**
 * A relative redirect to `<here>/ui/`: from `/ctx/` it is `ui/`, from `/ctx` it is `ctx/ui/`, so
 * it stays right behind a proxy that mounts the server under another prefix.
 */
function redirectToUi(request: FastifyRequest, reply: FastifyReply, target = 'ui/') {
  const path = pathOf(request);
  const last = path.endsWith('/') ? '' : `${path.slice(path.lastIndexOf('/') + 1)}/`;
  return reply.code(302).header('vary', 'accept').redirect(`${last}${target}`);
}

/**
 * The web UI under `/ui/`, and `GET /`: a browser (Accept prefers text/html) is sent to the UI;
 * everything else gets the 404 JSON it always got.
 */
export const uiRoutes: FastifyPluginAsync<UiOptions> = async (app, options) => {
  app.get('/', async (request, reply) => {
    if (!prefersHtml(request.headers.accept)) {
      reply.header('vary', 'accept');
      return reply.callNotFound();
    }
    return redirectToUi(request, reply);
  });
  await app.register(uiPages, { ...options, prefix: '/ui' });
};

const uiPages: FastifyPluginAsync<UiOptions> = async (app, options) => {
  const { browse } = options;
  const siteOf = (request: FastifyRequest): Site => {
    const host = request.host || 'localhost';
    // a trusted proxy's X-Forwarded-Proto may say anything; only these two make a URL Helm takes
    const protocol = request.protocol.toLowerCase() === 'https' ? 'https' : 'http';
    const site: Site = {
      origin: `${protocol}://${host}`,
      host,
      contextPath: options.contextPath,
      version: options.version,
      plainHttp: options.chartUrl ? /^http:/i.test(options.chartUrl) : protocol === 'http',
      ...sessionSite(request),
    };
    if (options.searchApi) site.searchApi = `${options.contextPath}/api/search`;
    return site;
  };
  const send = (reply: FastifyReply, page: SafeHtml, status = 200) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(page.toString());

  registerPageEncoding(app);
  app.addHook('onSend', async (_request, reply) => {
    reply
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin')
      .header('x-frame-options', 'DENY');
  });
  app.setErrorHandler((thrown: FastifyError, request, reply) => {
    const err = asUnavailable(asStorageFull(thrown)) as FastifyError;
    const status = isRegistryError(err) ? httpStatusByCode[err.code] : (err.statusCode ?? 500);
    if (status === 503) {
      unavailable(err, request, reply);
      return send(
        reply,
        errorPage(siteOf(request), 503, 'The server cannot reach its storage right now. Try again shortly.'),
        503,
      );
    }
    if (status === 507) {
      storageFull(err, request, reply);
      return send(reply, errorPage(siteOf(request), 507, err.message), 507);
    }
    if (status >= 500) {
      request.log.error({ err, request: { method: request.method, url: request.url } }, 'page failed');
      return send(reply, errorPage(siteOf(request), 500, 'The server could not show this page.'), 500);
    }
    if (status === 401 && options.account) {
      // the sign-in form, not the browser's Basic dialog
      reply.removeHeader('www-authenticate');
      const next = safeNext(request.url, options.contextPath);
      return send(reply, signInPage(siteOf(request), { next, error: 'Sign in to see this page.' }), 401);
    }
    return send(reply, errorPage(siteOf(request), status, err.message), status);
  });
  app.setNotFoundHandler((request, reply) =>
    send(reply, errorPage(siteOf(request), 404, 'There is no page at this address.'), 404),
  );

  if (options.account) {
    registerUiSessionHooks(app, { ...options.account, contextPath: options.contextPath });
  }
  registerAccessHooks(app, options.access);
  /** Only what the caller may read: private repositories are absent, not marked. */
  const readableRepositories = async (request: FastifyRequest, reply: FastifyReply) => {
    const [readable, all] = await Promise.all([
      readableFor(options.access, request, reply),
      browse.listRepositories(),
    ]);
    return { readable, repositories: readable ? all.filter((r) => readable.has(r.path)) : all };
  };

  app.get('/', async (request, reply) => {
    if (!pathOf(request).endsWith('/')) return redirectToUi(request, reply, '');
    const { repositories } = await readableRepositories(request, reply);
    return send(reply, repositoriesPage(siteOf(request), repositories));
  });

  if (options.account) {
    await app.register(uiAccountRoutes, {
      ...options.account,
      contextPath: options.contextPath,
      siteOf,
      send,
    });
  }

  app.get('/static/:file', async (request, reply) => {
    const asset = assetsByFile.get((request.params as Params).file ?? '');
    if (!asset) return reply.callNotFound();
    reply
      .type(asset.contentType)
      .header('etag', asset.etag)
      .header('cache-control', 'public, max-age=31536000, immutable');
    if (matchesEtag(request.headers['if-none-match'], asset.etag)) return reply.code(304).send();
    return reply.send(asset.body);
  });

  // the OpenAPI document as a page; it exists where the document does (not with --disable-api)
  if (options.searchApi) {
    app.get('/api', async (request, reply) => {
      const document = app.swagger() as unknown as OpenApiView;
      return send(
        reply,
        apiReferencePage(siteOf(request), document, `${options.contextPath}/api/openapi.json`),
      );
    });
  }

  app.get('/charts', async (request, reply) => {
    const query = readSearchQuery(request.query);
    const { readable, repositories } = await readableRepositories(request, reply);
    const page = await browse.search(readable ? { ...query, readable: [...readable] } : query);
    return send(reply, chartsPage(siteOf(request), query, page, repositories));
  });

  registerChartPages(app, { browse, siteOf, send, ...(options.access && { access: options.access }) });
};
