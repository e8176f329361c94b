import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Metrics, Protocol } from './metrics.js';
import { type RequestTarget, requestTarget } from './request-target.js';

/** A push or a pull of a chart, read from a finished request (see chartTransfer). */
export interface ChartTransfer {
  kind: 'push' | 'pull';
  protocol: Protocol;
  /** the repository's path ('' for the root one) */
  path: string;
}

const API_UPLOAD = /\/api(?:\/:r\d)*\/charts$/;
const CLASSIC_DOWNLOAD = /\/charts\/:file$/;

/**
 * Which finished requests stored or served a chart: a chart API upload answered 201 and a package
 * GET answered 200 (http), a manifest PUT answered 201 and a manifest GET answered 200 (oci).
 * Failed and conditional requests move nothing, and the repository comes from a route that
 * answered, so a client cannot invent label values with requests that fail.
 */
export function chartTransfer(
  request: FastifyRequest,
  status: number,
  target: RequestTarget,
): ChartTransfer | undefined {
  if (target.repository === undefined) return undefined;
  const path = target.repository === '/' ? '' : target.repository;
  const { method } = request;
  if (target.oci === 'manifest') {
    if (method === 'PUT' && status === 201) return { kind: 'push', protocol: 'oci', path };
    if (method === 'GET' && status === 200) return { kind: 'pull', protocol: 'oci', path };
    return undefined;
  }
  if (method === 'POST' && status === 201 && API_UPLOAD.test(target.route)) {
    return { kind: 'push', protocol: 'http', path };
  }
  const file = (request.params as { file?: string } | undefined)?.file ?? '';
  if (method === 'GET' && status === 200 && CLASSIC_DOWNLOAD.test(target.route) && file.endsWith('.tgz')) {
    return { kind: 'pull', protocol: 'http', path };
  }
  return undefined;
}

/**
 * Instruments every route of the app in one onResponse hook (distribution's way: one place, not a
 * line in each handler): the request counter and histogram and failed logins when the answer is
 * over, pushes and pulls as it is sent.
 */
export function instrumentRequests(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const target = requestTarget(request);
    const status = reply.statusCode;
    metrics.observeRequest({
      method: request.method,
      route: target.route,
      status,
      seconds: reply.elapsedTime / 1000,
    });
    // 401 with credentials is always a failed login: a request without them is the only other 401
    if (status === 401 && request.headers.authorization) metrics.loginFailed();
  });
  // Before the answer leaves, so that whoever reads /metrics after it sees the push or pull: the
  // label may wait on the repository's visibility, which onResponse would count after the answer.
  app.addHook('onSend', async (request, reply, payload) => {
    const transfer = chartTransfer(request, reply.statusCode, requestTarget(request));
    if (transfer?.kind === 'push') await metrics.chartPushed(transfer.protocol, transfer.path);
    if (transfer?.kind === 'pull') await metrics.chartPulled(transfer.protocol, transfer.path);
    return payload;
  });
}
