import type { FastifyPluginAsync } from 'fastify';
import type { AccessControl } from '../auth/access-control.js';
import type { Browse } from '../browse.js';
import type { ChartSearchHit } from '../store/metadata-store.js';
import { readableFor } from './access-hook.js';
import { searchSchema } from './schemas/search.js';
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
    type: m.type ?? 'application',
    digest: latest.digest,
    created: latest.created,
    updated: hit.updated,
    versions: hit.versions,
    provenance: hit.provenance,
  };
}

/**
 * `GET /api/search`: charts by text, repository, keyword, prerelease and deprecated filters, in
 * pages, with facets, what the filters hid and corrections when nothing matched. Everything is
 * counted over the repositories the caller may read only.
 */
export const searchApiRoutes: FastifyPluginAsync<{ browse: Browse; access?: AccessControl }> = async (
  app,
  { browse, access },
) => {
  app.get('/api/search', { schema: searchSchema }, async (request, reply) => {
    const query = readSearchQuery(request.query);
    // repositories the caller may not read are left out of the query, so totals and pages agree
    const readable = await readableFor(access, request, reply);
    const page = await browse.search(readable ? { ...query, readable: [...readable] } : query);
    reply.header('cache-control', 'no-cache');
    return {
      total: page.total,
      offset: query.offset,
      limit: query.limit,
      sort: page.sort,
      results: page.hits.map(toResult),
      facets: page.facets,
      hidden: page.hidden,
      suggestions: page.suggestions,
    };
  });
};
