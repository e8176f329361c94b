import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccessControl } from '../auth/access-control.js';
import type { Browse } from '../browse.js';
import { hideUnreadable } from '../browse-dependencies.js';
import { repositoryFromParams, repositoryNotFound, repositoryPrefixes } from '../repositories.js';
import type { SafeHtml } from '../ui/html.js';
import { chartPage } from '../ui/pages/chart.js';
import { valuesDiffPage } from '../ui/pages/chart-diff.js';
import { chartFilePage } from '../ui/pages/chart-templates.js';
import { repositoryPage } from '../ui/pages/repository.js';
import type { Site } from '../ui/site.js';
import { readableFor } from './access-hook.js';

type Params = Record<string, string | undefined>;

export interface ChartPageDeps {
  browse: Browse;
  access?: AccessControl;
  siteOf: (request: FastifyRequest) => Site;
  send: (reply: FastifyReply, page: SafeHtml, status?: number) => FastifyReply;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * The chart page and its sub-views, chosen by query: `?version=` (default: latest), `&vpage=` (the
 * versions table's page), `&file=templates/x.yaml` (one file of the package) and `&diff=1.0.0`
 * (values of that version against the shown one). And the repository pages.
 */
export function registerChartPages(app: FastifyInstance, deps: ChartPageDeps): void {
  const { browse, siteOf, send } = deps;
  for (const prefix of repositoryPrefixes) {
    app.get(`/charts${prefix}/:name`, { config: { access: 'read' } }, async (request, reply) => {
      const params = request.params as Params;
      const query = request.query as Params;
      const site = siteOf(request);
      const repository = repositoryFromParams(params);
      const readable = await readableFor(deps.access, request, reply);
      const view = await browse.chart(
        repository,
        params.name ?? '',
        text(query.version),
        site.host,
        readable,
      );
      // a dependency in a repository the visitor may not read is shown, but not linked as ours
      if (readable) view.dependencies = hideUnreadable(view.dependencies, readable);
      const file = text(query.file);
      if (file !== undefined) {
        return send(reply, chartFilePage(site, view, file, await browse.packageFiles(view.version.digest)));
      }
      const diff = text(query.diff);
      if (diff !== undefined) {
        const other = await browse.chart(repository, view.name, diff, site.host, readable);
        return send(reply, valuesDiffPage(site, view, other.version));
      }
      const vpage = Number(text(query.vpage));
      const files = await browse.packageFiles(view.version.digest).catch((err: unknown) => {
        request.log.warn({ err }, 'the package could not be read for its file list');
        return undefined;
      });
      return send(
        reply,
        chartPage(site, view, {
          ...(Number.isInteger(vpage) && vpage > 0 && { versionsPage: vpage }),
          ...(files && { files }),
        }),
      );
    });

    app.get(`/repo${prefix}`, { config: { access: 'read' } }, async (request, reply) => {
      const repository = repositoryFromParams(request.params as Params);
      const summary = (await browse.listRepositories()).find((r) => r.path === repository);
      if (!summary) throw repositoryNotFound(repository);
      const [names, isPublic] = await Promise.all([
        browse.chartNames(repository),
        deps.access ? deps.access.readableByAnyone(repository) : true,
      ]);
      const enforcing = deps.access ? await deps.access.enforcing() : false;
      return send(reply, repositoryPage(siteOf(request), summary, { names, isPublic, enforcing }));
    });
  }
}
