import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { knownPrincipal } from '../auth/known-principal.js';
import { requestTarget } from './request-target.js';

const bodyBytes = new WeakMap<ServerResponse, { bytes: number }>();

/** Counts what the response writes, whoever writes it (fastify, a piped stream, a hijacked reply). */
function countBody(response: ServerResponse): void {
  const tally = { bytes: 0 };
  bodyBytes.set(response, tally);
  const add = (chunk: unknown) => {
    if (typeof chunk === 'string') tally.bytes += Buffer.byteLength(chunk);
    else if (chunk instanceof Uint8Array) tally.bytes += chunk.byteLength;
  };
  const { write, end } = response;
  // some responses' end() writes its chunk through this.write(): count it once
  let ending = false;
  response.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    if (!ending) add(chunk);
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as ServerResponse['write'];
  response.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    if (!ending && typeof chunk !== 'function') add(chunk);
    ending = true;
    return (end as (...args: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as ServerResponse['end'];
}

/**
 * One log line per request, when its response is over: method, URL, route pattern, repository,
 * status, body bytes, duration, the user its credentials verified as (a name, never a credential)
 * and the client address, with the request id pino adds as `reqId`. The probes (`probes`: the
 * route patterns of /health, /ready, /metrics) log at debug, so a kubelet polling every few
 * seconds does not fill the log. The app sets disableRequestLogging: this replaces fastify's two
 * lines. Tokens that reach the URL are masked with every other line (log-options.ts).
 */
export function registerRequestLog(app: FastifyInstance, probes: ReadonlySet<string>): void {
  // nothing to write at warn and above (the level is fixed at start): no per-request work either
  if (!['trace', 'debug', 'info'].includes(app.log.level)) return;
  app.addHook('onRequest', (_request, reply, done) => {
    countBody(reply.raw);
    done();
  });
  app.addHook('onResponse', (request: FastifyRequest, reply, done) => {
    const { route, repository } = requestTarget(request);
    const line = {
      method: request.method,
      url: request.url,
      route,
      ...(repository !== undefined && { repository }),
      status: reply.statusCode,
      bytes: bodyBytes.get(reply.raw)?.bytes ?? 0,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
      ...(knownPrincipal(request) && { user: knownPrincipal(request)?.user }),
      remoteAddress: request.ip,
    };
    if (probes.has(route)) request.log.debug(line, 'request completed');
    else request.log.info(line, 'request completed');
    done();
  });
}
