import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isRegistryError } from '../errors.js';
import { isOciError, type OciErrorCode, ociErrorCodes } from '../oci/errors.js';
import { asStorageFull } from '../store/storage-full.js';
import { asUnavailable } from '../store/unavailable.js';
import { storageFull, unavailable } from './error-handler.js';

/** The distribution-spec error code and HTTP status of each OCI domain error: the one table. */
export const ociWireErrors: Record<OciErrorCode, { code: string; status: number }> = {
  BLOB_UNKNOWN: { code: 'BLOB_UNKNOWN', status: 404 },
  BLOB_UPLOAD_UNKNOWN: { code: 'BLOB_UPLOAD_UNKNOWN', status: 404 },
  DIGEST_INVALID: { code: 'DIGEST_INVALID', status: 400 },
  MANIFEST_BLOB_UNKNOWN: { code: 'MANIFEST_BLOB_UNKNOWN', status: 400 },
  MANIFEST_INVALID: { code: 'MANIFEST_INVALID', status: 400 },
  MANIFEST_UNKNOWN: { code: 'MANIFEST_UNKNOWN', status: 404 },
  NAME_INVALID: { code: 'NAME_INVALID', status: 400 },
  NAME_UNKNOWN: { code: 'NAME_UNKNOWN', status: 404 },
  UNSUPPORTED: { code: 'UNSUPPORTED', status: 405 },
  DENIED: { code: 'DENIED', status: 403 },
  UNAUTHORIZED: { code: 'UNAUTHORIZED', status: 401 },
  TOOMANYREQUESTS: { code: 'TOOMANYREQUESTS', status: 429 },
  BODY_INCOMPLETE: { code: 'BLOB_UPLOAD_INVALID', status: 400 },
  RANGE_INVALID: { code: 'BLOB_UPLOAD_INVALID', status: 416 },
  RANGE_NOT_SATISFIABLE: { code: 'SIZE_INVALID', status: 416 },
  TOO_LARGE: { code: 'SIZE_INVALID', status: 413 },
  PAGINATION_NUMBER_INVALID: { code: 'PAGINATION_NUMBER_INVALID', status: 400 },
  ENDPOINT_UNKNOWN: { code: 'UNSUPPORTED', status: 404 },
  METHOD_UNSUPPORTED: { code: 'UNSUPPORTED', status: 405 },
};

/** Access control's registry codes in the OCI envelope (distribution-spec UNAUTHORIZED, DENIED). */
const authWireErrors: Partial<Record<string, { code: string; status: number }>> = {
  UNAUTHORIZED: ociWireErrors.UNAUTHORIZED,
  FORBIDDEN: ociWireErrors.DENIED,
  TOO_MANY_LOGINS: ociWireErrors.TOOMANYREQUESTS,
};

interface WireError {
  code: string;
  status: number;
  message: string;
  detail: unknown;
}

function toWire(err: FastifyError | Error): WireError {
  if (isOciError(err)) return { ...ociWireErrors[err.code], message: err.message, detail: err.detail };
  if (isRegistryError(err, 'UPLOAD_TOO_LARGE'))
    return { ...ociWireErrors.TOO_LARGE, message: err.message, detail: null };
  // the upload slots are shared with the chart API, which throws the registry's code
  if (isRegistryError(err, 'STORE_UNAVAILABLE'))
    return { code: 'UNAVAILABLE', status: 503, message: err.message, detail: null };
  if (isRegistryError(err, 'STORAGE_FULL'))
    return { code: 'STORAGE_FULL', status: 507, message: err.message, detail: null };
  // a query the route cannot read (a parameter given twice): no spec code fits better
  if (isRegistryError(err, 'QUERY_INVALID'))
    return { code: 'UNSUPPORTED', status: 400, message: err.message, detail: null };
  // a proxy repository (src/proxy/): read-only, and its upstream may fail a first pull
  if (isRegistryError(err, 'REPOSITORY_READ_ONLY'))
    return { ...ociWireErrors.DENIED, message: err.message, detail: null };
  if (isRegistryError(err, 'UPSTREAM_FAILED'))
    return { code: 'UPSTREAM_FAILED', status: 502, message: err.message, detail: null };
  if (isRegistryError(err, 'TOO_MANY_UPLOADS'))
    return { ...ociWireErrors.TOOMANYREQUESTS, message: err.message, detail: null };
  // access control is shared with the ChartMuseum surface, which throws the registry's codes
  const authWire = isRegistryError(err) ? authWireErrors[err.code] : undefined;
  if (authWire) return { ...authWire, message: err.message, detail: null };
  const status = (err as FastifyError).statusCode ?? 500;
  if (status === 413) {
    return {
      ...ociWireErrors.TOO_LARGE,
      message: 'the request body is larger than the server accepts',
      detail: null,
    };
  }
  if (isAbort(err)) {
    return { ...ociWireErrors.BODY_INCOMPLETE, message: ociErrorCodes.BODY_INCOMPLETE, detail: null };
  }
  if (status >= 400 && status < 500)
    return { code: 'UNSUPPORTED', status, message: err.message, detail: null };
  return { code: 'UNKNOWN', status: 500, message: 'internal server error', detail: null };
}

/**
 * Answers in the OCI envelope `{"errors":[{code,message,detail}]}`. Client errors carry their
 * message; a 5xx is generic, and its details (stack, paths, storage messages) go to the log only.
 * A HEAD answer carries no body (Node drops it).
 */
export function ociErrorHandler(thrown: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  const err = asUnavailable(asStorageFull(thrown)) as Error;
  const wire = toWire(err);
  if (wire.status === 503) unavailable(err, request, reply);
  else if (wire.status === 507) storageFull(err, request, reply);
  else if (wire.status >= 500) {
    request.log.error({ err, request: { method: request.method, url: request.url } }, 'OCI request failed');
  } else {
    request.log.info({ code: wire.code, status: wire.status }, wire.message);
  }
  // headers a handler set before failing describe the answer it meant to give, not this one
  for (const header of ['content-length', 'docker-content-digest', 'etag', 'location', 'content-encoding']) {
    reply.removeHeader(header);
  }
  if (wire.status === 413) reply.header('connection', 'close');
  const body = { errors: [{ code: wire.code, message: wire.message, detail: wire.detail }] };
  return reply.code(wire.status).type('application/json; charset=utf-8').send(JSON.stringify(body));
}

function isAbort(err: Error): boolean {
  const code = (err as { code?: string }).code;
  return code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || err.message === 'aborted';
}
