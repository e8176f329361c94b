import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * `X-Content-Type-Options: nosniff` on every JSON answer (the APIs, error envelopes, OCI manifests
 * and indexes): a body that echoes user text (a chart description, a rejected name) is never
 * sniffed into HTML by a browser. Downloads set it themselves (download-headers.ts).
 */
export async function nosniffJson(_request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const type = reply.getHeader('content-type');
  if (typeof type === 'string' && /[/+]json\b/i.test(type)) reply.header('x-content-type-options', 'nosniff');
}
