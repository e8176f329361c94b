import type { FastifyRequest } from 'fastify';
import { RegistryError } from '../errors.js';

/**
 * No query parameter of any Charthouse route takes more than one value: a repeated one
 * (`?from=a/b&from=c/d`) reaches handlers as an array where they expect a string. Refused before
 * any handler runs, with 400 QUERY_INVALID naming it, in the envelope of the route's surface.
 */
export function refuseRepeatedQueryParameters(request: FastifyRequest): void {
  const query = request.query as Record<string, unknown> | undefined;
  for (const [name, value] of Object.entries(query ?? {})) {
    if (Array.isArray(value)) {
      throw new RegistryError(
        'QUERY_INVALID',
        `the query parameter "${name}" is given ${value.length} times; give it once`,
      );
    }
  }
}
