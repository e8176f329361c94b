import type { FastifyRequest } from 'fastify';
import { matchEndpoint, type OciEndpoint, parseName } from '../oci/reference.js';
import { repositoryFromParams } from '../repositories.js';

/** What a finished request addressed, as metrics and the request log name it. */
export interface RequestTarget {
  /** the route pattern (`/api/:r1/charts`, `/v2/<name>/manifests/<reference>`), never the raw URL */
  route: string;
  /** the repository the path names (`/` for the root one), for routes inside a repository */
  repository?: string;
  /** the OCI endpoint, for requests below /v2/ */
  oci?: OciEndpoint['kind'];
}

/** The root repository's name in labels and logs, as the CLI writes it (`repo create /`). */
export const ROOT_REPOSITORY = '/';

/** A request that matched no route: one label for all of them, whatever the URL. */
export const UNMATCHED_ROUTE = '(unmatched)';

const OCI_WILDCARD = '/v2/*';

/** Every path below /v2/ reaches one wildcard route; its pattern is told apart by the endpoint. */
const ociPatterns: Record<OciEndpoint['kind'], string> = {
  uploads: '/v2/<name>/blobs/uploads/',
  upload: '/v2/<name>/blobs/uploads/<id>',
  blob: '/v2/<name>/blobs/<digest>',
  manifest: '/v2/<name>/manifests/<reference>',
  tags: '/v2/<name>/tags/list',
  referrers: '/v2/<name>/referrers/<digest>',
};

export function requestTarget(request: FastifyRequest): RequestTarget {
  const route = request.routeOptions.url;
  if (route === undefined) return { route: UNMATCHED_ROUTE };
  const params = (request.params ?? {}) as Record<string, string | undefined>;
  if (route === OCI_WILDCARD) {
    const endpoint = matchEndpoint(params['*'] ?? '');
    if (!endpoint) return { route };
    const repository = parseName(endpoint.name)?.repository;
    return {
      route: ociPatterns[endpoint.kind],
      oci: endpoint.kind,
      ...(repository !== undefined && { repository: repository || ROOT_REPOSITORY }),
    };
  }
  // Routes inside a repository declare what they do to it (access-hook.ts); the others name none.
  if (!request.routeOptions.config.access) return { route };
  return { route, repository: repositoryFromParams(params) || ROOT_REPOSITORY };
}
