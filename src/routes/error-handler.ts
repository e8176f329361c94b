import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, isRegistryError } from '../errors.js';
import { asStorageFull } from '../store/storage-full.js';
import { asUnavailable } from '../store/unavailable.js';

/** The ChartMuseum surface's one table from domain error code to HTTP status. */
export const httpStatusByCode: Record<ErrorCode, number> = {
  CHART_INVALID: 400,
  CHART_EXISTS: 409,
  CHART_NOT_FOUND: 404,
  VERSION_NOT_FOUND: 404,
  FILE_NOT_FOUND: 404,
  PROVENANCE_INVALID: 400,
  PROVENANCE_EXISTS: 409,
  PROVENANCE_MISMATCH: 400,
  PROVENANCE_UNVERIFIED: 400,
  SIGNATURE_REQUIRED: 400,
  KEY_INVALID: 400,
  KEY_EXISTS: 409,
  KEY_NOT_FOUND: 404,
  POLICY_INVALID: 400,
  SETTING_INVALID: 400,
  REPOSITORY_INVALID: 400,
  REPOSITORY_NOT_FOUND: 404,
  UPLOAD_EMPTY: 400,
  UPLOAD_TOO_LARGE: 413,
  TOO_MANY_UPLOADS: 429,
  QUERY_INVALID: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  TOO_MANY_LOGINS: 429,
  USER_EXISTS: 409,
  USER_NOT_FOUND: 404,
  USER_INVALID: 400,
  TOKEN_EXISTS: 409,
  TOKEN_NOT_FOUND: 404,
  TOKEN_INVALID: 400,
  PERMISSION_INVALID: 400,
  REPOSITORY_EXISTS: 409,
  LAST_ADMIN: 409,
  STORE_UNAVAILABLE: 503,
  STORAGE_FULL: 507,
  REPOSITORY_READ_ONLY: 405,
  UPSTREAM_FAILED: 502,
};

/**
 * Answers `{"error": message}`. Client errors carry their message; a 5xx carries a generic one,
 * and the details (stack, paths, storage messages) go to the log with the request context only.
 */
export function chartMuseumErrorHandler(thrown: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const err = asUnavailable(asStorageFull(thrown)) as FastifyError;
  const status = isRegistryError(err) ? httpStatusByCode[err.code] : (err.statusCode ?? 500);
  if (status === 503) return unavailable(err, request, reply).send({ error: err.message });
  if (status === 507) return storageFull(err, request, reply).send({ error: err.message });
  // a proxy's upstream failed: the reason is about the upstream, not this server, and is the answer
  if (status === 502) {
    request.log.warn({ code: 'UPSTREAM_FAILED', status }, err.message);
    return reply.code(502).send({ error: err.message });
  }
  if (status >= 500) {
    request.log.error({ err, request: { method: request.method, url: request.url } }, 'request failed');
    return reply.code(500).send({ error: 'internal server error' });
  }
  request.log.info({ code: isRegistryError(err) ? err.code : err.code, status }, err.message);
  if (status === 413) reply.header('connection', 'close');
  return reply.code(status).send({ error: clientMessage(err, status) });
}

/**
 * A backing store is down: the answer says so and when to retry, so clients and load balancers
 * back off instead of treating it as a bug. Logged as a warning with the cause.
 */
export function unavailable(err: Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  request.log.warn({ err, request: { method: request.method, url: request.url } }, err.message);
  return reply.code(503).header('retry-after', '5');
}

/**
 * No space left for an upload: the answer says so; the log gets the cause (the disk, the errno) as
 * an error, since an operator must act. The rest of the body is read and dropped (receive-temp-file.ts),
 * so that a client still sending reads this answer rather than a reset connection.
 */
export function storageFull(err: Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  request.log.error({ err, request: { method: request.method, url: request.url } }, err.message);
  return reply.code(507);
}

/** @fastify/multipart's form limits (all 413): say which one, not only that the request is too large. */
const formLimits: Record<string, string> = {
  FST_PARTS_LIMIT: 'the form has more parts than the server accepts (a chart and a provenance file)',
  FST_FILES_LIMIT: 'the form has more files than the server accepts (a chart and a provenance file)',
  FST_FIELDS_LIMIT: 'the form has more fields than the server accepts',
};

function clientMessage(err: FastifyError, status: number): string {
  if (isRegistryError(err)) return err.message;
  const formLimit = err.code ? formLimits[err.code] : undefined;
  if (formLimit) return formLimit;
  if (status === 413) return 'request too large: the upload is bigger than the server accepts';
  if (err.validation) return `invalid request: ${err.message}`;
  return err.message || 'bad request';
}
