import { errors, Provenance } from './chartmuseum.js';
import { T } from './type-builder.js';

const text = (description: string) => T.Optional(T.String({ description }));
const nullableString = T.Union([T.String(), T.Null()]);

/** One chart in the results: the fields of its latest version a list shows. */
const SearchResult = T.Object(
  {
    repository: T.String(),
    name: T.String(),
    version: T.String(),
    appVersion: nullableString,
    description: nullableString,
    icon: nullableString,
    keywords: T.Array(T.String()),
    deprecated: T.Boolean(),
    type: T.Optional(T.String()),
    digest: T.String(),
    created: T.String(),
    updated: T.String(),
    versions: T.Integer(),
    provenance: Provenance,
  },
  { additionalProperties: false },
);

export const searchSchema = {
  summary: 'Charts by text, repository, keyword and filters, in pages',
  tags: ['search'],
  // strings, read by search-query.ts, whose messages name the parameter and what it accepts
  querystring: T.Object({
    q: text('words in names, descriptions and keywords (at most 200 characters)'),
    repo: text('a repository path, `/` for the root repository; absent: every repository'),
    keyword: text('only charts with this keyword'),
    prerelease: text('`true`: latest versions may be prereleases'),
    deprecated: text('`true`: include deprecated charts'),
    signed: text('`true`: only charts whose latest version has a provenance file'),
    verified: text('`true`: only charts whose latest version verified'),
    sort: text('the order of the results'),
    limit: text('results per page, 1 to 100 (default 20)'),
    offset: text('results to skip'),
  }),
  response: {
    200: T.Object(
      {
        total: T.Integer(),
        offset: T.Integer(),
        limit: T.Integer(),
        sort: T.Optional(T.String()),
        results: T.Array(SearchResult),
        facets: T.Optional(T.Unknown({ description: 'counts by repository and keyword' })),
        hidden: T.Optional(T.Unknown({ description: 'what the filters left out' })),
        suggestions: T.Optional(T.Unknown({ description: 'corrections when nothing matched' })),
      },
      { additionalProperties: false },
    ),
    ...errors(400, 401),
  },
};
