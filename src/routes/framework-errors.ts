import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Errors fastify raises before any route runs: a path that does not decode (a broken %-escape,
 * bytes that are not UTF-8) or a segment over maxParamLength. Fastify's own answer puts
 * "Bad Request" in `error` (even for a 414) and echoes the whole path back; these answer in the
 * envelope of the surface the path belongs to, with a message that says what is wrong.
 */
export function frameworkErrorHandler(maxParamLength: number) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const status = error.statusCode ?? 400;
    const message =
      error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? `a segment of the URL path is longer than ${maxParamLength} characters`
        : error.code === 'FST_ERR_BAD_URL'
          ? 'the URL path is not valid: it holds a broken %-escape or bytes that are not UTF-8'
          : error.message;
    request.log.info({ code: error.code, status }, message);
    if (/^\/v2(?:\/|$)/.test(request.url)) {
      return reply.code(status).send({ errors: [{ code: 'NAME_INVALID', message, detail: null }] });
    }
    return reply.code(status).send({ error: message });
  };
}
