import type { FastifyReply, FastifyRequest } from 'fastify';
import { RegistryError } from '../errors.js';

/**
 * A counter of uploads in progress, as an onRequest hook for the upload routes. Beyond `max`, the
 * answer is 429 with Retry-After, before any of the body is read. A slot is held until the
 * response is over or the connection is gone, whichever comes first.
 */
export function uploadSlots(max: number) {
  let active = 0;
  return {
    async acquire(_request: FastifyRequest, reply: FastifyReply): Promise<void> {
      if (active >= max) {
        // The unread body is not worth draining: the client sends it again later.
        reply.header('retry-after', '1').header('connection', 'close');
        throw new RegistryError(
          'TOO_MANY_UPLOADS',
          `the server is handling ${max} uploads already; retry in a moment`,
        );
      }
      active++;
      reply.raw.once('close', () => {
        active--;
      });
    },
  };
}
