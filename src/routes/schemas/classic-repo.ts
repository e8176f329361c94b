import type { TSchema, TUnknown } from 'typebox';
import { errors, repositoryParams } from './chartmuseum.js';
import { T } from './type-builder.js';

/**
 * No body: a 304, or a 201/202 whose news is in its headers. `type: null` tells @fastify/swagger
 * there is no content; typed as unknown so that a handler may answer with a bare `send()`.
 */
export const NoBody = (description: string) => T.Null({ description }) as unknown as TUnknown;

/**
 * A JSON answer the handler sends already serialised (a prebuilt document): declared in
 * OpenAPI's `content` form, which leaves the handler's reply untyped.
 */
export const prebuiltJson = (schema: TSchema, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const yamlDocument = (description: string) => ({
  description,
  content: { 'application/x-yaml': { schema: T.String() } },
});

const binary = (description: string, type: string) => ({
  description,
  content: { [type]: { schema: T.String({ format: 'binary' }) } },
});

export const indexSchema = (depth: number) => ({
  summary: 'The Helm repository index',
  tags: ['repository'],
  params: repositoryParams(depth),
  response: {
    200: yamlDocument('index.yaml (gzip when accepted), with a strong ETag and Last-Modified'),
    304: NoBody('the client holds the current document (If-None-Match or If-Modified-Since)'),
    ...errors(401, 403, 404),
  },
});

export const chartFileSchema = (depth: number) => ({
  summary: 'A chart package (`<name>-<version>.tgz`) or its provenance file (`.tgz.prov`)',
  tags: ['repository'],
  params: repositoryParams(depth, { file: T.String({ description: 'the file name' }) }),
  response: {
    200: {
      description: 'the file, as an attachment, with its ETag',
      content: {
        'application/x-tar': { schema: T.String({ format: 'binary' }) },
        'application/pgp-signature': { schema: T.String() },
      },
    },
    304: NoBody('the client holds this file (If-None-Match)'),
    ...errors(401, 403, 404),
  },
});

export const artifactHubFileSchema = (depth: number) => ({
  summary: "The repository's artifacthub-repo.yml",
  tags: ['repository'],
  params: repositoryParams(depth),
  response: { 200: yamlDocument('Artifact Hub metadata'), ...errors(401, 403, 404) },
});

export { binary };
