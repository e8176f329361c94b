import type { IncomingMessage } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyRequest, RawServerDefault, RouteGenericInterface } from 'fastify';
import { mediaTypes } from '../../oci/media-types.js';
import { T } from './type-builder.js';

/**
 * The OCI distribution API as declared routes. Every path below /v2/ reaches one wildcard route
 * (a name holds slashes, which no route parameter can), so the wildcard's own schema types what
 * it reads (the path and the query) and stays out of the document; the endpoints it dispatches to
 * are described here, in OpenAPI 3.1 form, and added to the document (openapi.ts).
 */
export const ociWildcardSchema = {
  hide: true,
  params: T.Object({ '*': T.String() }),
  // strings, read by the endpoint: a bad value gets the OCI code the spec names for it
  querystring: T.Object({
    digest: T.Optional(T.String()),
    mount: T.Optional(T.String()),
    from: T.Optional(T.String()),
    n: T.Optional(T.String()),
    last: T.Optional(T.String()),
    artifactType: T.Optional(T.String()),
  }),
};

/** The OCI envelope of every error under /v2/ (oci-error-handler.ts). */
export const OciErrorBody = T.Object(
  {
    errors: T.Array(
      T.Object(
        { code: T.String(), message: T.String(), detail: T.Unknown() },
        { required: ['code', 'message', 'detail'], additionalProperties: false },
      ),
      { minItems: 1 },
    ),
  },
  { additionalProperties: false },
);

export const ociRootSchema = {
  summary: 'The API version check',
  tags: ['OCI'],
  response: {
    // sent as the text `{}`: in the content form, which leaves the reply untyped
    200: {
      description: 'an empty object',
      content: { 'application/json': { schema: T.Object({}, { additionalProperties: false }) } },
    },
    401: OciErrorBody,
  },
};

/** The request of the wildcard route, as the endpoints read it. */
export type OciRequest = FastifyRequest<
  RouteGenericInterface,
  RawServerDefault,
  IncomingMessage,
  typeof ociWildcardSchema,
  TypeBoxTypeProvider
>;

const descriptor = T.Object(
  {
    mediaType: T.String(),
    digest: T.String(),
    size: T.Integer(),
    artifactType: T.Optional(T.String()),
    annotations: T.Optional(T.Record(T.String(), T.String())),
  },
  { additionalProperties: false },
);

const name = {
  name: 'name',
  in: 'path',
  required: true,
  description: 'the OCI repository, `[<repo>/]<chart>`; it may hold slashes',
  schema: { type: 'string' },
};
const pathParam = (param: string, description: string) => ({
  name: param,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});
const queryParam = (param: string, description: string) => ({
  name: param,
  in: 'query',
  required: false,
  description,
  schema: { type: 'string' },
});
const digest = pathParam('digest', 'a `sha256:<hex>` digest');

const noBody = (description: string) => ({ description });
const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: OciErrorBody } },
});
const json = (schema: object, description: string, type = 'application/json') => ({
  description,
  content: { [type]: { schema } },
});
const bytes = { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } };
const denied = { 401: error('credentials needed'), 403: error('DENIED') };

const manifestTypes = [mediaTypes.ociManifest, mediaTypes.ociIndex, mediaTypes.dockerManifest];
const manifestContent = Object.fromEntries(
  manifestTypes.map((type) => [type, { schema: { type: 'object', required: ['schemaVersion'] } }]),
);

const operation = (summary: string, responses: object, extra: object = {}) => ({
  summary,
  tags: ['OCI'],
  ...extra,
  responses,
});

/** The OpenAPI path items of the endpoints under /v2/<name>/ (distribution-spec v1.1.1). */
export const ociPathItems: Record<string, object> = {
  '/v2/{name}/blobs/{digest}': {
    parameters: [name, digest],
    get: operation('A blob', {
      200: { description: 'the blob', content: bytes },
      206: { description: 'the requested Range of the blob', content: bytes },
      400: error('DIGEST_INVALID, NAME_INVALID'),
      404: error('BLOB_UNKNOWN'),
      416: error('SIZE_INVALID: a Range outside the blob'),
      ...denied,
    }),
    delete: operation('Delete a blob', {
      202: noBody('deleted'),
      404: error('BLOB_UNKNOWN'),
      405: error('UNSUPPORTED: in use, or deleting is disabled'),
      ...denied,
    }),
  },
  '/v2/{name}/blobs/uploads/': {
    parameters: [name],
    post: operation(
      'Start an upload, upload a blob whole (`?digest=`) or mount one (`?mount=&from=`)',
      {
        201: noBody('the blob is stored (monolithic upload or mount)'),
        202: noBody('an upload session, at its Location'),
        400: error('DIGEST_INVALID, NAME_INVALID'),
        413: error('SIZE_INVALID'),
        429: error('TOOMANYREQUESTS'),
        ...denied,
      },
      {
        parameters: [
          queryParam('digest', 'the digest of the body: a monolithic upload'),
          queryParam('mount', 'a digest to mount from another repository'),
          queryParam('from', 'the repository to mount from'),
        ],
        requestBody: { required: false, content: bytes },
      },
    ),
  },
  '/v2/{name}/blobs/uploads/{id}': {
    parameters: [name, pathParam('id', 'the upload session')],
    patch: operation(
      'Append a chunk',
      {
        202: noBody('appended; Range says how far the upload stands'),
        404: error('BLOB_UPLOAD_UNKNOWN'),
        416: error('BLOB_UPLOAD_INVALID: the chunk does not start where the upload stands'),
        ...denied,
      },
      { requestBody: { required: true, content: bytes } },
    ),
    put: operation(
      'Close the upload with its digest (and a last chunk)',
      {
        201: noBody('the blob is stored'),
        400: error('DIGEST_INVALID'),
        404: error('BLOB_UPLOAD_UNKNOWN'),
        ...denied,
      },
      { parameters: [queryParam('digest', 'the digest of the whole blob')], requestBody: { content: bytes } },
    ),
    get: operation('Where the upload stands', {
      204: noBody('Range says how far the upload stands'),
      404: error('BLOB_UPLOAD_UNKNOWN'),
      ...denied,
    }),
    delete: operation('Cancel the upload', {
      204: noBody('cancelled'),
      404: error('BLOB_UPLOAD_UNKNOWN'),
      ...denied,
    }),
  },
  '/v2/{name}/manifests/{reference}': {
    parameters: [name, pathParam('reference', 'a tag or a digest')],
    get: operation('A manifest, with its stored media type', {
      200: { description: 'the manifest as pushed', content: manifestContent },
      404: error('MANIFEST_UNKNOWN'),
      ...denied,
    }),
    put: operation(
      'Store a manifest under a tag or its digest',
      {
        201: noBody('stored, at its Location'),
        400: error('MANIFEST_INVALID, MANIFEST_BLOB_UNKNOWN'),
        413: error('SIZE_INVALID'),
        ...denied,
      },
      { requestBody: { required: true, content: manifestContent } },
    ),
    delete: operation('Delete a manifest', {
      202: noBody('deleted'),
      404: error('MANIFEST_UNKNOWN'),
      405: error('UNSUPPORTED'),
      ...denied,
    }),
  },
  '/v2/{name}/tags/list': {
    parameters: [name],
    get: operation(
      'Tags in lexical order, in pages',
      {
        200: json(
          T.Object({ name: T.String(), tags: T.Array(T.String()) }, { additionalProperties: false }),
          'the tags; Link names the next page',
        ),
        400: error('PAGINATION_NUMBER_INVALID'),
        404: error('NAME_UNKNOWN'),
        ...denied,
      },
      {
        parameters: [
          queryParam('n', 'at most this many tags'),
          queryParam('last', 'the tags after this one'),
        ],
      },
    ),
  },
  '/v2/{name}/referrers/{digest}': {
    parameters: [name, digest],
    get: operation(
      'The manifests whose subject is the digest, as an image index',
      {
        200: json(
          T.Object(
            {
              schemaVersion: T.Literal(2),
              mediaType: T.Literal(mediaTypes.ociIndex),
              manifests: T.Array(descriptor),
            },
            { additionalProperties: false },
          ),
          'an image index, empty when nothing refers to the digest',
          mediaTypes.ociIndex,
        ),
        400: error('DIGEST_INVALID'),
        ...denied,
      },
      { parameters: [queryParam('artifactType', 'only manifests of this artifact type')] },
    ),
  },
};
