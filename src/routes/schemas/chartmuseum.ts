import { T } from './type-builder.js';

/**
 * The wire shapes of the ChartMuseum surface (classic repository, chart API, search, admin API),
 * declared once for validation, the handlers' types and the OpenAPI document.
 */

/** Every error on this surface: `{"error": message}` (error-handler.ts). */
export const ErrorBody = T.Object({ error: T.String() }, { additionalProperties: false });

/** The errors a route may answer, each with the envelope; the route adds its successes. */
export function errors(...statuses: number[]) {
  return Object.fromEntries(statuses.map((status) => [status, ErrorBody]));
}

const Maintainer = T.Object(
  { name: T.Optional(T.String()), email: T.Optional(T.String()), url: T.Optional(T.String()) },
  { additionalProperties: false },
);

const Dependency = T.Object(
  {
    name: T.String(),
    version: T.Optional(T.String()),
    repository: T.Optional(T.String()),
    condition: T.Optional(T.String()),
    tags: T.Optional(T.Array(T.String())),
    enabled: T.Optional(T.Boolean()),
    'import-values': T.Optional(T.Array(T.Unknown())),
    alias: T.Optional(T.String()),
  },
  { additionalProperties: false },
);

/** One version as index.yaml lists it: the Chart.yaml fields Helm knows, with urls, created, digest. */
export const ChartVersion = T.Object(
  {
    name: T.String(),
    version: T.String(),
    apiVersion: T.String(),
    home: T.Optional(T.String()),
    sources: T.Optional(T.Array(T.String())),
    description: T.Optional(T.String()),
    keywords: T.Optional(T.Array(T.String())),
    maintainers: T.Optional(T.Array(Maintainer)),
    icon: T.Optional(T.String()),
    condition: T.Optional(T.String()),
    tags: T.Optional(T.String()),
    appVersion: T.Optional(T.String()),
    deprecated: T.Optional(T.Boolean()),
    annotations: T.Optional(T.Record(T.String(), T.String())),
    kubeVersion: T.Optional(T.String()),
    dependencies: T.Optional(T.Array(Dependency)),
    type: T.Optional(T.String()),
    urls: T.Array(T.String()),
    created: T.String({ format: 'date-time' }),
    digest: T.String({ pattern: '^[a-f0-9]{64}$' }),
  },
  { additionalProperties: false },
);

/** Whether a version's provenance file verified, and who signed it (trust/provenance-view.ts). */
export const Provenance = T.Object(
  {
    signed: T.Boolean(),
    verified: T.Boolean(),
    signer: T.Union([T.String(), T.Null()]),
    fingerprint: T.Union([T.String(), T.Null()]),
    verifiedAt: T.Optional(T.String()),
  },
  { additionalProperties: false },
);

const SEGMENT = { type: 'string', description: 'a segment of the repository path' } as const;

/**
 * The path parameters of a route under a repository of `depth` segments (`/:r1/:r2/…`), with the
 * route's own. Typed with every segment optional: the same handler serves every depth.
 */
export function repositoryParams<Extra extends Record<string, ReturnType<typeof T.String>>>(
  depth: number,
  extra: Extra = {} as Extra,
) {
  const segments = Object.fromEntries(Array.from({ length: depth }, (_, i) => [`r${i + 1}`, SEGMENT]));
  return T.Object({ ...segments, ...extra }) as unknown as ReturnType<
    typeof T.Object<
      {
        r1: ReturnType<typeof T.Optional<ReturnType<typeof T.String>>>;
        r2: ReturnType<typeof T.Optional<ReturnType<typeof T.String>>>;
        r3: ReturnType<typeof T.Optional<ReturnType<typeof T.String>>>;
      } & Extra
    >
  >;
}
