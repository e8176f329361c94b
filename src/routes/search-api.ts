import type { FastifyPluginAsync } from 'fastify';
import type { Browse } from '../browse.js';
import type { ChartSearchHit } from '../store/metadata-store.js';
import { readSearchQuery } from './search-query.js';

/** One search result as JSON: the chart and the fields of its latest version a list shows. */
function toResult(hit: ChartSearchHit) {
  const { latest } = hit;
  const m = latest.metadata;
  return {
    repository: hit.repository,
    name: latest.name,
    version: latest.version,
    appVersion: m.appVersion ?? null,
    description: m.description ?? null,
    icon: m.icon ?? null,
    keywords: m.keywords ?? [],
    deprecated: m.deprecated === true,
    digest: latest.digest,
    created: latest.created,
    updated: hit.updated,
    versions: hit.versions,
  };
}

/** `GET /api/search`: charts by text, repository, prerelease and deprecated filters, in pages. */
export const searchApiRoutes: FastifyPluginAsync<{ browse: Browse }> = async (app, { browse }) => {
  app.get('/api/search', async (request, reply) => {
    const query = readSearchQuery(request.query);
    const page = await browse.search(query);
    reply.header('cache-control', 'no-cache');
    return { total: page.total, offset: query.offset, limit: query.limit, results: page.hits.map(toResult) };
  });
};
