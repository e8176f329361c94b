import type { FastifyReply, FastifyRequest } from 'fastify';
import { RegistryError } from '../errors.js';

/**
 * A counter of uploads in progress, shared by every upload route (chart API uploads, OCI blob
 * uploads and manifest PUTs), as an onRequest hook or a call at the top of a handler. Beyond `max`,
 * it throws TOO_MANY_UPLOADS (429 with Retry-After in each surface's envelope), before any of the
 * body is read. A slot is held until the response is over or the connection is gone, whichever
 * comes first.
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

export type UploadSlots = ReturnType<typeof uploadSlots>;
