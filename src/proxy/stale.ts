import type { FastifyReply } from 'fastify';

/**
 * Says an answer of a proxy repository is what upstream gave last, as upstream could not be
 * asked once the TTL ran out: RFC 7234's warning 110 for HTTP caches and clients that read it,
 * and a header of our own for people and scripts.
 */
export function markStale(reply: FastifyReply): void {
  reply.header('warning', '110 - "Response is Stale"').header('x-charthouse-stale', 'true');
}
